"""The steering group's report: its figures and tables, written as XLSX (native charts) or
as one self-contained HTML page.

May import: consult.stats, consult.scoring, consult.core, consult.i18n, consult.system.
"""
