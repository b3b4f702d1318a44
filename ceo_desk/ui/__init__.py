"""Everything PySide6: the main window, views, dialogs, Qt models and the background helper.

Importing PySide6 replaces Python's `__import__` with its own, which calls back into Python on
every import statement from then on and reads the source of each module it meets (looking for
the word "PySide6", for the opt-in `from __feature__ import ...` switches), keeping that text in
the line cache for the life of the process. The app uses none of those switches, so the plain
import is put back as soon as PySide6 is loaded: imports after it cost what they cost without
Qt, and no module's source is read only to be searched.
"""

import builtins

import PySide6.QtCore  # noqa: F401  (installs the import hook this undoes)

_plain_import = getattr(builtins, "__orig_import__", None)
_pyside_import = getattr(builtins, "__feature_import__", None)
if _plain_import is not None and builtins.__import__ is _pyside_import:
    builtins.__import__ = _plain_import
