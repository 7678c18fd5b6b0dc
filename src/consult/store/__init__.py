"""Persistence: SQLModel tables, engine set-up, migrations, and the one `Store` object whose
methods the app's flows and screens call. Modules by job: ``drafts`` (the walk saved as the
worker goes), ``team`` (decisions, outcomes, note edits), ``reads``, ``review`` (the team's
list and its query), ``rules`` and ``services`` (each a file a database keeps in force, with
what they share in ``activations``), ``purge``, ``training``, ``bulk`` (imports), ``meetings``
(the team's meetings: agenda, items, actions).

May import: consult.assessment, consult.scoring, consult.privacy, consult.system,
consult.i18n, consult.core; never the UI. Importing this package is light: SQLAlchemy loads
with the modules that need it.
"""

from consult.store.database import Store, StoreNotOpen

__all__ = ["Store", "StoreNotOpen"]
