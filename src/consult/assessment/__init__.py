"""One assessment as the worker makes it: the walk's state (which step, what has been chosen)
and the record note, the text a worker copies into the client record.

May import: consult.core, consult.i18n, consult.scoring, consult.privacy. No UI, no database.
"""
