"""Getting complaints in from what arrives: emails, letters, spreadsheets.

Each email or letter reader turns a file into a proposal for the assistant to check and writes
nothing. The spreadsheet import (`sheet_*`) checks another system's export and writes its rows
in bulk inside the caller's transaction (see docs/import.md). The modules are imported where
they are used, so opening this package loads nothing.
"""
