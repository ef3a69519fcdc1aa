"""Finding the API packages: every `mockserver/<package>/plugin.py`, imported once, in name order.

A `plugin.py` registers its API with `mockserver.apis.register(...)` when imported. This module imports nothing of
`mockserver` itself (the packages are found on disk and imported by name), so anything in the core may call
`discover()` without an import circle: the registry (`mockserver.apis`) and the world's extensions
(`mockserver.world.extensions`) both do, before they answer.
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path

PLUGIN_MODULE = "plugin"
_ROOT = Path(__file__).resolve().parent
_lock = threading.RLock()
_done = False


def plugin_modules() -> list[str]:
    """The dotted names of every API package's plugin module, in package-name order."""
    return [f"mockserver.{path.parent.name}.{PLUGIN_MODULE}" for path in sorted(_ROOT.glob(f"*/{PLUGIN_MODULE}.py"))]


def discover() -> None:
    """Import every plugin module once (later calls return at once; a re-entrant call while importing too)."""
    global _done
    if _done:
        return
    with _lock:
        if _done:
            return
        _done = True
        try:
            for name in plugin_modules():
                importlib.import_module(name)
        except BaseException:
            _done = False
            raise
