"""The follow-up figures behind one interface: the queries, the SQLAlchemy path for any
database and the plain ``sqlite3`` path that keeps ``consult stats`` fast on the local file.

May import: consult.core, consult.i18n, consult.system, consult.store (the SQLAlchemy path only).
"""
