"""The VU and card records as `fleetmock ddd inspect --json` shows them: the faults and events of every
generation's VU file and driver card; of a Gen2 v2 VU file, per day the border crossings, load and unload
operations, GNSS positions of accumulated driving and the co-driver's minutes, per file the roadside controls,
over-speeding events and time adjustments.
Times are ISO 8601 UTC, positions decimal degrees, countries NationNumeric hex (`0x0D`), cards the 16-character
card number ("" for an empty slot)."""

from __future__ import annotations

from datetime import datetime

from mockserver.tachograph.card_model import CardEventOrFault, DriverCardDownload
from mockserver.tachograph.types import FullCardNumber, GnssPlace, Slot, VehicleRegistration, geo_to_degrees
from mockserver.tachograph.vu_model import VehicleUnitDownload, VuActivityDay

Json = dict[str, object]


def _card(card: FullCardNumber | None) -> str:
    return "" if card is None else card.number


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _place(place: GnssPlace) -> Json:
    return {
        "time": place.timestamp.isoformat(),
        "latitude": round(geo_to_degrees(place.latitude), 4),
        "longitude": round(geo_to_degrees(place.longitude), 4),
        "accuracy": place.accuracy,
        "authenticated": place.auth_status == 1,
    }


def day_records(
    day: VuActivityDay, co_driver_minutes: dict[str, int], card_minutes: dict[str, dict[str, int]]
) -> Json:
    """The day's Gen2 v2 records, the co-driver slot's minutes and each card's (`inspect.card_minutes`); `slots`
    is the slot each card went into first, `cardSessions` every insertion (a crew swaps slots at every turn)."""
    return {
        "coDriverMinutes": co_driver_minutes,
        "cardMinutes": card_minutes,
        "slots": {
            _card(i.card): "co-driver" if i.slot is Slot.CO_DRIVER else "driver" for i in reversed(day.card_insertions)
        },
        "cardSessions": [
            {
                "card": _card(i.card),
                "slot": "co-driver" if i.slot is Slot.CO_DRIVER else "driver",
                "inserted": i.inserted_at.isoformat(),
                "withdrawn": _when(i.withdrawn_at),
            }
            for i in day.card_insertions
        ],
        "borderCrossings": [
            {
                "countryLeft": f"0x{c.country_left:02X}",
                "countryEntered": f"0x{c.country_entered:02X}",
                "odometer": c.odometer,
                "driverCard": _card(c.driver_card),
                "coDriverCard": _card(c.co_driver_card),
                **_place(c.place),
            }
            for c in day.border_crossings
        ],
        "loadOperations": [
            {
                "time": o.timestamp.isoformat(),
                "operation": {1: "load", 2: "unload", 3: "simultaneous"}[o.operation],
                "odometer": o.odometer,
                "driverCard": _card(o.driver_card),
                "coDriverCard": _card(o.co_driver_card),
                "position": _place(o.place),
            }
            for o in day.load_operations
        ],
        "gnssAccumulatedDriving": [
            {
                "time": g.timestamp.isoformat(),
                "odometer": g.odometer,
                "driverCard": _card(g.driver_card),
                "coDriverCard": _card(g.co_driver_card),
                "position": _place(g.place),
            }
            for g in day.gnss_accumulated_driving
        ],
    }


def fault_records(download: VehicleUnitDownload) -> Json:
    """The file's faults and events but over-speeding (every generation)."""
    return {
        "faultRecords": [
            {
                "type": f"0x{f.event_type:02X}",
                "purpose": f"0x{f.purpose:02X}",
                "begin": f.begin.isoformat(),
                "end": f.end.isoformat(),
                "driverCard": _card(f.driver_begin),
                "coDriverCard": _card(f.co_driver_begin),
                "driverCardAtEnd": _card(f.driver_end),
                "coDriverCardAtEnd": _card(f.co_driver_end),
            }
            for f in download.events.faults
        ],
        "eventRecords": [
            {
                "type": f"0x{e.event_type:02X}",
                "purpose": f"0x{e.purpose:02X}",
                "begin": e.begin.isoformat(),
                "end": e.end.isoformat(),
                "similarEvents": e.similar_events,
                "driverCard": _card(e.driver_begin),
                "coDriverCard": _card(e.co_driver_begin),
                "driverCardAtEnd": _card(e.driver_end),
                "coDriverCardAtEnd": _card(e.co_driver_end),
            }
            for e in download.events.events
        ],
    }


def _registration(registration: VehicleRegistration) -> Json:
    return {"nation": f"0x{registration.nation:02X}", "plate": registration.plate}


def _card_item(item: CardEventOrFault) -> Json:
    return {
        "type": f"0x{item.event_type:02X}",
        "begin": item.begin.isoformat(),
        "end": item.end.isoformat(),
        "vehicleRegistration": _registration(item.registration),
    }


def card_records(card: DriverCardDownload) -> Json:
    """A driver card's events (Events_Data) and faults (Faults_Data), each with the vehicle it happened in."""
    return {
        "eventRecords": [_card_item(e) for e in card.events],
        "faultRecords": [_card_item(f) for f in card.faults],
    }


def file_records(download: VehicleUnitDownload) -> Json:
    """The file's controls, events, over-speeding events, time adjustments and faults."""
    events = download.events
    return {
        **fault_records(download),
        "controls": [
            {
                "time": c.control_time.isoformat(),
                "controlType": f"0x{c.control_type:02X}",
                "controlCard": _card(c.card),
                "downloadPeriodBegin": _when(c.period_begin),
                "downloadPeriodEnd": _when(c.period_end),
            }
            for c in download.overview.controls
        ],
        "overSpeedingEvents": [
            {
                "purpose": f"0x{o.purpose:02X}",
                "similarEvents": o.similar_events,
                "begin": o.begin.isoformat(),
                "end": o.end.isoformat(),
                "maxSpeed": o.max_speed,
                "averageSpeed": o.average_speed,
                "driverCard": _card(o.driver),
            }
            for o in events.overspeed_events
        ],
        "timeAdjustments": [
            {
                "oldTime": a.old_time.isoformat(),
                "newTime": a.new_time.isoformat(),
                "workshop": a.workshop_name,
                "workshopCard": _card(a.workshop_card),
            }
            for a in events.time_adjustments
        ],
    }
