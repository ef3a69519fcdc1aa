"""Rule sets per carrier type, registered by name so another rule set is a registration, not an `if`.

Property carriers follow § 395.3 and § 395.1(g)(1); passenger carriers § 395.5 (hos-rules.md 1.1, 1.7, 2.8).
Not simulated: the passenger sleeper-berth split of § 395.1(g)(3) (hos-rules.md 2.8 leaves it out), the
16-hour property short-haul exception of § 395.1(o), the non-CDL short-haul day of § 395.1(e)(2), Canadian and
state rules, and whether a short-haul driver really stayed within 150 air-miles (the option is trusted).
"""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.reveal.hos.log import hours
from mockserver.reveal.hos.models import CarrierType, HosOptions


@dataclass(frozen=True, slots=True)
class SleeperSplitRule:
    """§ 395.1(g)(1)(ii): two rest periods of at least `min_period`, one of them `long_sleeper` in the berth,
    together at least `total`."""

    min_period: int
    long_sleeper: int
    total: int


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Limits in microseconds.

    `duty_limit` is an elapsed window (property: 14 h after coming on duty) when `duty_window_elapsed`,
    otherwise accumulated on-duty time (passenger: 15 h). `break_after_driving` and `restart_rest` are None
    where the rule set has no 30-minute break or no 34-hour restart.
    """

    name: str
    drive_limit: int
    duty_limit: int
    duty_window_elapsed: bool
    daily_reset_rest: int
    adverse_extension: int
    break_after_driving: int | None
    break_length: int
    restart_rest: int | None
    sleeper_split: SleeperSplitRule | None
    cycle_limits: dict[int, int]

    def drive_limit_for(self, options: HosOptions) -> int:
        return self.drive_limit + (self.adverse_extension if options.adverse else 0)

    def duty_limit_for(self, options: HosOptions) -> int:
        return self.duty_limit + (self.adverse_extension if options.adverse else 0)

    def break_after_for(self, options: HosOptions) -> int | None:
        """The 30-minute break does not apply under the short-haul exceptions (§ 395.3(a)(3)(ii))."""
        return None if options.short_haul else self.break_after_driving

    def cycle_limit_for(self, options: HosOptions) -> int:
        return self.cycle_limits[options.cycle_days]


PROPERTY_RULES = RuleSet(
    name="US property-carrying (§ 395.3)",
    drive_limit=hours(11),
    duty_limit=hours(14),
    duty_window_elapsed=True,
    daily_reset_rest=hours(10),
    adverse_extension=hours(2),
    break_after_driving=hours(8),
    break_length=hours(0.5),
    restart_rest=hours(34),
    sleeper_split=SleeperSplitRule(min_period=hours(2), long_sleeper=hours(7), total=hours(10)),
    cycle_limits={7: hours(60), 8: hours(70)},
)

PASSENGER_RULES = RuleSet(
    name="US passenger-carrying (§ 395.5)",
    drive_limit=hours(10),
    duty_limit=hours(15),
    duty_window_elapsed=False,
    daily_reset_rest=hours(8),
    adverse_extension=hours(2),
    break_after_driving=None,
    break_length=hours(0.5),
    restart_rest=None,
    sleeper_split=None,
    cycle_limits={7: hours(60), 8: hours(70)},
)

_RULE_SETS: dict[CarrierType, RuleSet] = {}


def register_rule_set(carrier: CarrierType, rules: RuleSet) -> None:
    _RULE_SETS[carrier] = rules


def rule_set_for(options: HosOptions) -> RuleSet:
    return _RULE_SETS[options.carrier]


register_rule_set(CarrierType.PROPERTY, PROPERTY_RULES)
register_rule_set(CarrierType.PASSENGER, PASSENGER_RULES)
