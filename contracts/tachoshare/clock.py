"""Moved to `contracts.common.clock` (both clients share it); this path is kept for existing imports."""

from contracts.common.clock import Clock, system_clock

__all__ = ["Clock", "system_clock"]
