"""Everything PySide6: the main window, views, dialogs, Qt models and the background helper."""
