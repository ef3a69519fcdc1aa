"""Fault injection: rules (what to match), the book (installed rules, counters, seeded decisions), effects."""

from mockserver.faults.book import FaultBook, parse_rule
from mockserver.faults.effects import EFFECTS, DroppedConnection, FaultContext
from mockserver.faults.rules import FaultRule

__all__ = ["EFFECTS", "DroppedConnection", "FaultBook", "FaultContext", "FaultRule", "parse_rule"]
