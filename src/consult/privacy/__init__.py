"""The privacy guard: text normalised to a canonical form, identifiers refused, likely names,
addresses and birth dates pointed out, and the limits of free text.

May import: consult.core, consult.i18n and the data files. No UI, no database.
"""
