"""The screens hosted by the main window."""
