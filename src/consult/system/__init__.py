"""What the app needs of the machine: validated settings, private files and folders, the
local database file, and failures of files, disks and databases said in one line.

May import: consult.core, consult.i18n. No UI, no database toolkit at import time.
"""
