"""Encoders and decoders of the VU records shared by the generation families.

Each pair takes a `VuLayout` saying which generation's variant to use (Gen2 adds the card generation byte,
Gen2v2 the GNSS authentication status and a few fields); record sizes per layout are listed in `sizes`.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.tachograph.codec.primitives import ByteReader, ByteWriter
from mockserver.tachograph.types import Generation, Slot
from mockserver.tachograph.vu_model import (
    Calibration,
    CompanyLock,
    ControlActivity,
    OverspeedControl,
    OverspeedEvent,
    PreviousDownload,
    SensorPairing,
    SpeedBlock,
    VuCardInsertion,
    VuEventOrFault,
    VuIdentification,
    VuPlace,
)


@dataclass(frozen=True)
class VuLayout:
    gen2: bool
    v2: bool

    @classmethod
    def of(cls, generation: Generation) -> VuLayout:
        return cls(generation.is_gen2, generation is Generation.GEN2V2)

    def sizes(self) -> dict[str, int]:
        card = 19 if self.gen2 else 18
        return {
            "card_iw": 72 + card + 4 + 4 + 3 + 1 + 4 + 3 + 19 + (1 if self.gen2 else 0) + 1,
            "place": card + 10 + ((11 + (1 if self.v2 else 0)) if self.gen2 else 0),
            "fault": 10 + 4 * card + (4 if self.gen2 else 0),
            "event": 11 + 4 * card + (4 if self.gen2 else 0),
            "overspeed": 12 + card + 1,
            "lock": 4 + 4 + 36 + 36 + card,
            "control": 1 + 4 + card + 4 + 4,
            "download": 4 + card + 36,
            "identification": 116 if not self.gen2 else (138 if self.v2 else 126),
            "sensor": 20 if not self.gen2 else 28,
            "calibration": 167 if not self.gen2 else (252 if self.v2 else 222),
        }


SEAL_DATA_SIZE = 55


def write_card_insertion(w: ByteWriter, record: VuCardInsertion, layout: VuLayout) -> None:
    w.holder_name(record.holder)
    w.full_card_number(record.card, layout.gen2)
    w.date_as_time(record.card_expiry)
    w.time(record.inserted_at)
    w.u24(record.odometer_at_insertion)
    w.u8(int(record.slot))
    w.time(record.withdrawn_at)
    w.u24(record.odometer_at_withdrawal)
    w.registration(record.previous_vehicle)
    w.time(record.previous_withdrawal)
    if layout.gen2:
        w.u8(record.previous_vu_generation)
    w.u8(1 if record.manual_input else 0)


def read_card_insertion(r: ByteReader, layout: VuLayout) -> VuCardInsertion:
    holder = r.holder_name()
    card = r.required_card(layout.gen2, "cardNumber of VuCardIWRecord")
    expiry = r.time_as_date("cardExpiryDate")
    inserted = r.time("cardInsertionTime")
    odo_in = r.u24("vehicleOdometerValueAtInsertion")
    at = r.offset
    slot = r.u8("cardSlotNumber")
    if slot > 1:
        raise r.fail(f"unknown card slot {slot}", at)
    withdrawn = r.opt_time("cardWithdrawalTime")
    odo_out = r.u24("vehicleOdometerValueAtWithdrawal")
    previous = r.registration()
    previous_withdrawal = r.opt_time("previous cardWithdrawalTime")
    vu_generation = r.u8("vuGeneration") if layout.gen2 else 0
    at = r.offset
    manual = r.u8("manualInputFlag")
    if manual > 1:
        raise r.fail(f"bad manualInputFlag {manual}", at)
    return VuCardInsertion(
        holder,
        card,
        expiry,
        inserted,
        odo_in,
        Slot(slot),
        withdrawn,
        odo_out,
        previous,
        previous_withdrawal,
        vu_generation,
        bool(manual),
    )


def write_place(w: ByteWriter, record: VuPlace, layout: VuLayout) -> None:
    w.full_card_number(record.card, layout.gen2)
    w.place_record(record.place, layout.gen2, layout.v2)


def read_place(r: ByteReader, layout: VuLayout) -> VuPlace:
    card = r.required_card(layout.gen2, "fullCardNumber of VuPlaceDailyWorkPeriodRecord")
    return VuPlace(card, r.place_record(layout.gen2, layout.v2))


def write_event_or_fault(w: ByteWriter, record: VuEventOrFault, layout: VuLayout, is_event: bool) -> None:
    w.u8(record.event_type)
    w.u8(record.purpose)
    w.time(record.begin)
    w.time(record.end)
    for card in (record.driver_begin, record.co_driver_begin, record.driver_end, record.co_driver_end):
        w.full_card_number(card, layout.gen2)
    if is_event:
        w.u8(record.similar_events)
    if layout.gen2:
        w.zeros(4)  # manufacturerSpecificEventFaultData


def read_event_or_fault(r: ByteReader, layout: VuLayout, is_event: bool) -> VuEventOrFault:
    event_type = r.u8("eventFaultType")
    purpose = r.u8("eventFaultRecordPurpose")
    begin = r.time("begin time")
    end = r.time("end time")
    cards = [r.full_card_number(layout.gen2) for _ in range(4)]
    similar = r.u8("similarEventsNumber") if is_event else 0
    if layout.gen2:
        r.expect_zeros(4, "manufacturerSpecificEventFaultData")
    return VuEventOrFault(event_type, purpose, begin, end, cards[0], cards[1], cards[2], cards[3], similar)


def write_overspeed_control(w: ByteWriter, control: OverspeedControl) -> None:
    w.time(control.last_control)
    w.time(control.first_overspeed_since)
    w.u8(control.overspeeds_since)


def read_overspeed_control(r: ByteReader) -> OverspeedControl:
    return OverspeedControl(r.opt_time(), r.opt_time(), r.u8("numberOfOverspeedSince"))


def write_overspeed_event(w: ByteWriter, event: OverspeedEvent, layout: VuLayout) -> None:
    w.u8(event.event_type)
    w.u8(event.purpose)
    w.time(event.begin)
    w.time(event.end)
    w.u8(event.max_speed)
    w.u8(event.average_speed)
    w.full_card_number(event.driver, layout.gen2)
    w.u8(event.similar_events)


def read_overspeed_event(r: ByteReader, layout: VuLayout) -> OverspeedEvent:
    return OverspeedEvent(
        r.u8("eventType"),
        r.u8("eventRecordPurpose"),
        r.time("eventBeginTime"),
        r.time("eventEndTime"),
        r.u8("maxSpeedValue"),
        r.u8("averageSpeedValue"),
        r.full_card_number(layout.gen2),
        r.u8("similarEventsNumber"),
    )


def write_lock(w: ByteWriter, lock: CompanyLock, layout: VuLayout) -> None:
    w.time(lock.lock_in)
    w.time(lock.lock_out)
    w.name(lock.company_name)
    w.name(lock.company_address)
    w.full_card_number(lock.card, layout.gen2)


def read_lock(r: ByteReader, layout: VuLayout) -> CompanyLock:
    return CompanyLock(
        r.time("lockInTime"),
        r.opt_time("lockOutTime"),
        r.name(what="companyName"),
        r.name(what="companyAddress"),
        r.required_card(layout.gen2, "companyCardNumber"),
    )


def write_control(w: ByteWriter, control: ControlActivity, layout: VuLayout) -> None:
    w.u8(control.control_type)
    w.time(control.control_time)
    w.full_card_number(control.card, layout.gen2)
    w.time(control.period_begin)
    w.time(control.period_end)


def read_control(r: ByteReader, layout: VuLayout) -> ControlActivity:
    return ControlActivity(
        r.u8("controlType"),
        r.time("controlTime"),
        r.required_card(layout.gen2, "controlCardNumber"),
        r.opt_time(),
        r.opt_time(),
    )


def write_previous_download(w: ByteWriter, previous: PreviousDownload | None, layout: VuLayout) -> None:
    if previous is None:
        w.zeros(layout.sizes()["download"])
        return
    w.time(previous.downloaded_at)
    w.full_card_number(previous.card, layout.gen2)
    w.name(previous.company_or_workshop)


def read_previous_download(r: ByteReader, layout: VuLayout) -> PreviousDownload | None:
    size = layout.sizes()["download"]
    r.need(size, "VuDownloadActivityData")
    if not any(r.data[r.pos : r.pos + size]):
        r.pos += size
        return None
    return PreviousDownload(
        r.time("downloadingTime"),
        r.required_card(layout.gen2, "fullCardNumber of previous download"),
        r.name(what="companyOrWorkshopName"),
    )


def write_speed_block(w: ByteWriter, block: SpeedBlock) -> None:
    w.time(block.begin)
    w.raw(block.speeds)


def read_speed_block(r: ByteReader) -> SpeedBlock:
    return SpeedBlock(r.time("speedBlockBeginDate"), r.take(60, "speedsPerSecond"))


def write_identification(w: ByteWriter, ident: VuIdentification, layout: VuLayout) -> None:
    w.name(ident.manufacturer_name)
    w.name(ident.manufacturer_address)
    w.ia5(ident.part_number, 16)
    w.extended_serial(ident.serial)
    w.ia5(ident.software_version, 4)
    w.time(ident.software_installed)
    w.time(ident.manufactured)
    w.ia5(ident.approval_number, 16 if layout.gen2 else 8)
    if layout.gen2:
        w.u8(2)  # vuGeneration
        w.u8(0)  # vuAbility: supports Gen1 cards
        if layout.v2:
            w.ia5(ident.digital_map_version, 12)


def read_identification(r: ByteReader, layout: VuLayout) -> VuIdentification:
    name = r.name(what="vuManufacturerName")
    address = r.name(what="vuManufacturerAddress")
    part = r.ia5(16, "vuPartNumber")
    serial = r.extended_serial()
    software = r.ia5(4, "vuSoftwareVersion")
    installed = r.time("vuSoftInstallationDate")
    manufactured = r.time("vuManufacturingDate")
    approval = r.ia5(16 if layout.gen2 else 8, "vuApprovalNumber")
    digital_map = ""
    if layout.gen2:
        at = r.offset
        if r.u8("vuGeneration") != 2:
            raise r.fail("vuGeneration of a Gen2 VU must be 2", at)
        r.u8("vuAbility")
        if layout.v2:
            digital_map = r.ia5(12, "vuDigitalMapVersion")
    return VuIdentification(name, address, part, serial, software, installed, manufactured, approval, digital_map)


def write_sensor(w: ByteWriter, sensor: SensorPairing, layout: VuLayout) -> None:
    w.extended_serial(sensor.serial)
    w.ia5(sensor.approval_number, 16 if layout.gen2 else 8)
    w.time(sensor.paired_at)


def read_sensor(r: ByteReader, layout: VuLayout) -> SensorPairing:
    return SensorPairing(
        r.extended_serial(), r.ia5(16 if layout.gen2 else 8, "sensorApprovalNumber"), r.time("pairingDate")
    )


def write_calibration(w: ByteWriter, cal: Calibration, layout: VuLayout) -> None:
    w.u8(cal.purpose)
    w.name(cal.workshop_name)
    w.name(cal.workshop_address)
    w.full_card_number(cal.workshop_card, False)
    w.date_as_time(cal.workshop_card_expiry)
    w.ia5(cal.vin, 17)
    w.registration(cal.registration)
    w.u16(cal.w_characteristic)
    w.u16(cal.k_constant)
    w.u16(cal.l_tyre_circumference)
    w.ia5(cal.tyre_size, 15)
    w.u8(cal.authorised_speed)
    w.u24(cal.old_odometer)
    w.u24(cal.new_odometer)
    w.time(cal.old_time)
    w.time(cal.new_time)
    w.date_as_time(cal.next_calibration)
    if layout.v2:
        w.zeros(24)  # sensor, GNSS facility and remote communication module serial numbers
    if layout.gen2:
        w.zeros(SEAL_DATA_SIZE)
    if layout.v2:
        w.u8(0)  # byDefaultLoadType
        w.u8(cal.calibration_country)
        w.time(cal.new_time if cal.calibration_country else None)


def read_calibration(r: ByteReader, layout: VuLayout) -> Calibration:
    purpose = r.u8("calibrationPurpose")
    name = r.name(what="workshopName")
    address = r.name(what="workshopAddress")
    card = r.required_card(False, "workshopCardNumber")
    expiry = r.time_as_date("workshopCardExpiryDate")
    vin = r.ia5(17, "vehicleIdentificationNumber")
    at = r.offset
    registration = r.registration()
    if registration is None:
        raise r.fail("calibration without vehicle registration", at)
    w_char = r.u16("w")
    k_const = r.u16("k")
    l_tyre = r.u16("l")
    tyre = r.ia5(15, "tyreSize")
    speed = r.u8("authorisedSpeed")
    old_odo = r.u24("oldOdometerValue")
    new_odo = r.u24("newOdometerValue")
    old_time = r.time("oldTimeValue")
    new_time = r.time("newTimeValue")
    next_cal = r.time_as_date("nextCalibrationDate")
    country = 0
    if layout.v2:
        r.expect_zeros(24, "calibration serial numbers")
    if layout.gen2:
        r.expect_zeros(SEAL_DATA_SIZE, "sealDataVu")
    if layout.v2:
        r.expect_zeros(1, "byDefaultLoadType")
        country = r.u8("calibrationCountry")
        r.opt_time("calibrationCountryTimestamp")
    return Calibration(
        purpose,
        name,
        address,
        card,
        expiry,
        vin,
        registration,
        w_char,
        k_const,
        l_tyre,
        tyre,
        speed,
        old_odo,
        new_odo,
        old_time,
        new_time,
        next_cal,
        country,
    )
