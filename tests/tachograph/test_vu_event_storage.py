"""Which events a Gen2 v2 vehicle unit keeps and why (`history.vu_storage`, issue 17 item 16): the storage rules
of Annex IC requirement 117 (3.12.8) and the EventFaultRecordPurpose of data dictionary 2.69 each rule implies.
A card conflict is "one of the 10 most recent" ('00'H); driving without an appropriate card is stored as "the
longest event for one of the last 10 days of occurrence" ('01'H) and as "one of the 5 longest events over the last
365 days" ('02'H); over speeding as "the most serious event (highest average speed) for one of the last 10 days
of occurrence" ('04'H) and "one of the 5 most serious events over the last 365 days" ('05'H). similarEventsNumber
counts the day's events of the type (2.151: 0 is not used). Checked against the domain's incidents, through the
file's bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from mockserver.tachograph.history.mobility import IncidentType, vehicle_day
from mockserver.tachograph.history.rota import days_between
from mockserver.tachograph.history.vu_storage import Purpose, by_day_and_year, duration, most_recent
from mockserver.tachograph.types import Generation
from mockserver.tachograph.vu.file import read_vu_file, write_vu_file
from mockserver.tachograph.vu_model import VuEventOrFault
from tests.tachograph.test_mobility_vu import _download, _vehicle

SPAN = (date(2022, 1, 3), date(2024, 1, 1))


def _incidents(crew, facts, kind: IncidentType) -> list:  # type: ignore[no-untyped-def]
    return [i for d in days_between(*SPAN) for i in vehicle_day(crew, facts.vin, d).incidents if i.kind is kind]


def test_each_event_type_is_kept_by_its_own_rule_with_its_purpose() -> None:
    facts = _vehicle(31, Generation.GEN2V2)
    crew, download = _download(facts, *SPAN)
    parsed = read_vu_file(write_vu_file(download)).download.events
    until = datetime(2024, 1, 1, tzinfo=UTC)

    conflicts = [e for e in parsed.events if e.event_type == IncidentType.CARD_CONFLICT]
    happened = _incidents(crew, facts, IncidentType.CARD_CONFLICT)
    assert happened  # (the made-up events below check that the rules drop the rest)
    assert [(e.begin, e.end) for e in conflicts] == [(i.begin, i.end) for i in happened[-10:]]
    assert {e.purpose for e in conflicts} == {Purpose.MOST_RECENT}

    unattended = [e for e in parsed.events if e.event_type == IncidentType.DRIVING_WITHOUT_CARD]
    happened = _incidents(crew, facts, IncidentType.DRIVING_WITHOUT_CARD)
    days = sorted({i.begin.date() for i in happened})
    assert days
    daily = [e for e in unattended if e.purpose == Purpose.LONGEST_OF_DAY]
    assert [e.begin.date() for e in daily] == days[-10:]
    for record in daily:
        same_day = [i for i in happened if i.begin.date() == record.begin.date()]
        assert record.end - record.begin == max(i.end - i.begin for i in same_day)
        assert record.similar_events == len(same_day)
    yearly = [e for e in unattended if e.purpose == Purpose.LONGEST_OF_YEAR]
    last_year = [i for i in happened if i.begin > until - timedelta(days=365)]
    longest = sorted((i.end - i.begin for i in last_year), reverse=True)[:5]
    assert sorted((e.end - e.begin for e in yearly), reverse=True) == longest
    assert {e.purpose for e in unattended} == {Purpose.LONGEST_OF_DAY, Purpose.LONGEST_OF_YEAR}

    speeding = parsed.overspeed_events
    happened = _incidents(crew, facts, IncidentType.OVER_SPEEDING)
    days = sorted({i.begin.date() for i in happened})
    daily_speeding = [o for o in speeding if o.purpose == Purpose.MOST_SERIOUS_OF_DAY]
    assert [o.begin.date() for o in daily_speeding] == days[-10:]
    yearly_speeding = [o for o in speeding if o.purpose == Purpose.MOST_SERIOUS_OF_YEAR]
    last_year_speeds = sorted(i.average_speed for i in happened if i.begin > until - timedelta(days=365))
    assert sorted(o.average_speed for o in yearly_speeding) == last_year_speeds[-5:]
    assert all(o.similar_events >= 1 for o in speeding)
    assert all(e.similar_events >= 1 for e in parsed.events if e.event_type != 0x08)
    assert [e.begin for e in parsed.events] == sorted(e.begin for e in parsed.events)


def _event(day: int, seconds: int, kind: int = 0x04) -> VuEventOrFault:
    begin = datetime(2024, 1, 1, 8, tzinfo=UTC) + timedelta(days=day)
    return VuEventOrFault(kind, 0, begin, begin + timedelta(seconds=seconds))


def test_the_rules_on_made_up_events() -> None:
    events = [_event(d, 60 + d) for d in range(14)] + [_event(13, 5)]  # 14 days, two events on the last
    kept = by_day_and_year(events, duration, Purpose.LONGEST_OF_DAY, Purpose.LONGEST_OF_YEAR, _event(14, 0).begin)
    daily = [e for e in kept if e.purpose == Purpose.LONGEST_OF_DAY]
    assert [e.begin for e in daily] == [_event(d, 0).begin for d in range(4, 14)]
    assert daily[-1].similar_events == 2 and daily[-1].end - daily[-1].begin == timedelta(seconds=73)
    yearly = [e for e in kept if e.purpose == Purpose.LONGEST_OF_YEAR]
    assert [duration(e) for e in yearly] == [69, 70, 71, 72, 73]  # in time order
    assert [e.begin for e in kept] == sorted(e.begin for e in kept)
    old = by_day_and_year([_event(-400, 600)], duration, Purpose.LONGEST_OF_DAY, Purpose.LONGEST_OF_YEAR,
                          _event(0, 0).begin)  # fmt: skip
    assert [e.purpose for e in old] == [Purpose.LONGEST_OF_DAY]  # older than 365 days: no '02'H record
    recent = most_recent([_event(d, 10, 0x02) for d in range(12)])
    assert [e.begin for e in recent] == [_event(d, 0).begin for d in range(2, 12)]
    assert {(e.purpose, e.similar_events) for e in recent} == {(0, 1)}
