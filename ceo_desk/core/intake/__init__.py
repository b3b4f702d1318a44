"""Getting complaints in from what arrives: emails, letters, spreadsheets.

Each reader turns a file into a proposal for the assistant to check; nothing here writes to the
log. The modules are imported where they are used, so opening this package loads nothing.
"""
