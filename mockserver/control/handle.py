"""Moved to `mockserver.handle` (the pytest plugin, part of the core, uses it); kept so old imports still work."""

from mockserver.handle import Control, ControlError, verification_report

__all__ = ["Control", "ControlError", "verification_report"]
