"""What crosses the app's border as files: versioned JSON bundles, the spreadsheet CSV, the
streaming JSON reader, and bad input described in one line.

May import: consult.store, consult.privacy, consult.scoring, consult.core, consult.i18n,
consult.system. No UI.
"""
