"""One complaint, whole: every field, the full history, and only the actions its status allows.

The package's parts: `data` reads what the window shows, `form` holds the complaint's editable
fields, `history` the timeline, reports, callbacks and hand-offs, `actions` the lifecycle actions,
and `window` the window that puts them together.
"""

from __future__ import annotations

from ceo_desk.ui.complaint_window.data import Loaded, load
from ceo_desk.ui.complaint_window.window import ComplaintWindow, UnsavedChoice, ask_unsaved

__all__ = ["ComplaintWindow", "Loaded", "UnsavedChoice", "ask_unsaved", "load"]
