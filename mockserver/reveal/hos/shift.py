"""The daily clocks: driving and duty time used since the calculation point (hos-rules.md 2.3, 2.4, 2.8).

The calculation point is the end of the last daily reset (10 h rest for property, 8 h for passenger carriers),
moved forward by the latest valid sleeper-berth pair (§ 395.1(g)(1)(ii)-(iii)): the clocks then count from the
end of the pair's first period and the second period is left out of the 14-hour window. Only the log back to
the last reset is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.reveal.hos.log import DutyLog
from mockserver.reveal.hos.models import DutyClass
from mockserver.reveal.hos.rules import RuleSet, SleeperSplitRule


@dataclass(frozen=True, slots=True)
class RestBlock:
    """A maximal run of consecutive off-duty and sleeper-berth time, clipped at the query instant."""

    start: int
    end: int
    longest_sleeper_run: int

    @property
    def duration(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class ShiftUse:
    """Time used in microseconds: against the driving limit and the duty limit (both from the calculation
    point), and plain driving and on-duty time since the last reset."""

    driving: int
    duty: int
    driving_since_reset: int
    on_duty_since_reset: int


@dataclass(frozen=True, slots=True)
class _WorkPeriod:
    start: int
    end: int
    driving: bool


def _walk_back_to_reset(log: DutyLog, at: int, reset_rest: int) -> tuple[list[RestBlock], list[_WorkPeriod]]:
    """Rest blocks and work periods back to and including the last reset, latest first.

    The last block returned is the reset; the assumed unbounded rest before the log always qualifies.
    """
    blocks: list[RestBlock] = []
    work: list[_WorkPeriod] = []
    block_start = block_end = 0
    in_block = False
    sleeper_run = longest_sleeper_run = 0
    for start, end, duty_class in log.segments_backward(at):
        if duty_class <= DutyClass.SB:
            if not in_block:
                in_block, block_end, sleeper_run, longest_sleeper_run = True, end, 0, 0
            block_start = start
            if duty_class == DutyClass.SB:
                sleeper_run += end - start
                longest_sleeper_run = max(longest_sleeper_run, sleeper_run)
            else:
                sleeper_run = 0
            continue
        if in_block:
            in_block = False
            blocks.append(RestBlock(block_start, block_end, longest_sleeper_run))
            if block_end - block_start >= reset_rest:
                return blocks, work
        work.append(_WorkPeriod(start, end, duty_class == DutyClass.D))
    # The walk always ends inside the assumed rest before the log.
    blocks.append(RestBlock(block_start, block_end, longest_sleeper_run))
    return blocks, work


def _is_valid_pair(first: RestBlock, second: RestBlock, rule: SleeperSplitRule) -> bool:
    return (
        max(first.longest_sleeper_run, second.longest_sleeper_run) >= rule.long_sleeper
        and first.duration + second.duration >= rule.total
    )


def latest_sleeper_pair(reset: RestBlock, later: list[RestBlock], rule: SleeperSplitRule) -> tuple[int, int]:
    """(calculation point, excluded duration) from the latest valid adjacent pair of qualifying periods.

    Qualifying periods are the reset followed by every later rest block of at least `rule.min_period`
    (hos-rules.md 2.4, **Convention**: latest valid adjacent pair). Without a valid pair the point is the end
    of the reset.
    """
    qualifying = [reset, *(block for block in later if block.duration >= rule.min_period)]
    for index in range(len(qualifying) - 1, 0, -1):
        first, second = qualifying[index - 1], qualifying[index]
        if _is_valid_pair(first, second, rule):
            return first.end, second.duration
    return reset.end, 0


def shift_use(log: DutyLog, at: int, rules: RuleSet) -> ShiftUse:
    blocks, work = _walk_back_to_reset(log, at, rules.daily_reset_rest)
    reset = blocks[-1]
    point, excluded = reset.end, 0
    if rules.sleeper_split is not None:
        later = blocks[-2::-1]  # time order, after the reset
        point, excluded = latest_sleeper_pair(reset, later, rules.sleeper_split)
    driving = on_duty = driving_since_reset = on_duty_since_reset = 0
    for period in work:
        length = period.end - period.start
        on_duty_since_reset += length
        if period.driving:
            driving_since_reset += length
        if period.start >= point:
            on_duty += length
            if period.driving:
                driving += length
    duty = (at - point - excluded) if rules.duty_window_elapsed else on_duty
    return ShiftUse(
        driving=driving,
        duty=duty,
        driving_since_reset=driving_since_reset,
        on_duty_since_reset=on_duty_since_reset,
    )
