"""Reveal's mutable state (the store section `reveal`): the token counter and the duty logs QA scripted.

A scripted log (`PUT /_sim/reveal/drivers/{driverNumber}/log`) replaces a driver's generated log until the next
reset. It is kept parsed, with its engine log built once, and written back in the CLI's LOG.json format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mockserver.reveal.hos import DutyEvent, DutyLog, dump_log, parse_log

SECTION = "reveal"


@dataclass(frozen=True)
class ScriptedLog:
    """The events as given (sorted; of several at one instant the last one given wins) and their engine log."""

    log: DutyLog

    @classmethod
    def of(cls, events: list[DutyEvent]) -> ScriptedLog:
        return cls(DutyLog.from_events(events))

    @property
    def events(self) -> tuple[DutyEvent, ...]:
        return tuple(self.log.events)


DriverKey = tuple[str, str]  # (account name, driver number)


@dataclass
class RevealState:
    issued: int = 0  # tokens issued so far; makes token ids deterministic
    scripted: dict[DriverKey, ScriptedLog] = field(default_factory=dict)

    def next_serial(self) -> int:
        """Count a token; the caller holds the store's write lock."""
        self.issued += 1
        return self.issued

    def to_json(self) -> Any:
        return {
            "issued": self.issued,
            "logs": [
                {"account": account, "driverNumber": number, "events": dump_log(list(log.events))}
                for (account, number), log in sorted(self.scripted.items())
            ],
        }

    @classmethod
    def from_json(cls, data: Any | None) -> RevealState:
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ValueError("the reveal state is an object with 'issued' and 'logs'")
        scripted = {
            (str(entry["account"]), str(entry["driverNumber"])): ScriptedLog.of(parse_log(entry["events"]))
            for entry in list(data.get("logs", []))
        }
        return cls(int(data.get("issued", 0)), scripted)
