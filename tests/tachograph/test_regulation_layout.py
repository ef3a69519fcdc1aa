"""Every Gen2 v2 record array and card EF our writers produce, pinned to the regulation's text (issue 17, item 16 d).

The test machine has no Go, so the independent Go parser cannot read our files here; instead each layout was
cross-checked field by field against Commission Implementing Regulation (EU) 2016/799, Annex IC, as amended by
(EU) 2021/1228 ("M3", smart tachograph version 2):
  - Appendix 1 (data dictionary): the record types (2.120 RecordType) and each record's fields; every expected
    size below is the sum of the field sizes of the section cited beside it, not a number read off our writer;
  - Appendix 7 (data downloading protocols) 2.2.6 DDP_029-DDP_033: the order of the record arrays in each
    transfer response (TREP 31, 32, 33, 24, 35);
  - Appendix 2 (card file structure) TCS_154 and TCS_155: the driver card application generation 2 EF sizes and
    record numbers of a version 2 card.
The walkers here are independent of the simulator's readers: they only know `recordType (1) | recordSize (2) |
noOfRecords (2)` headers and the card file's `FID (2) | appendix (1) | length (2)` elements, so a writer that
changes a record size, a record type code or the order of the arrays fails here whatever our reader accepts.
"""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime

from mockserver.tachograph.card.file import write_card_file
from mockserver.tachograph.history.card import build_card_download
from mockserver.tachograph.history.fixed import FixedCrew
from mockserver.tachograph.types import Generation
from mockserver.tachograph.vu.file import write_vu_file
from tests.tachograph.test_mobility_vu import _download, _vehicle

# Data dictionary field sizes (bytes)
TIME_REAL = 4  # 2.162
ODOMETER_SHORT = 3  # 2.113
FULL_CARD_NUMBER = 1 + 1 + 16  # 2.73: cardType, cardIssuingMemberState, cardNumber
FULL_CARD_NUMBER_AND_GENERATION = FULL_CARD_NUMBER + 1  # 2.74, 2.75
NAME = ADDRESS = 1 + 35  # 2.99, 2.2: codePage, name / address
VEHICLE_REGISTRATION_IDENTIFICATION = 1 + 1 + 13  # 2.166, 2.167: nation, codePage, vehicleRegNumber
HOLDER_NAME = 2 * NAME  # 2.83: holderSurname, holderFirstNames
EXTENDED_SERIAL_NUMBER = 4 + 2 + 1 + 1  # 2.72 (Gen2): serialNumber, monthYear, type, manufacturerCode
GNSS_PLACE_AUTH_RECORD = TIME_REAL + 1 + 2 * 3 + 1  # 2.79c: timeStamp, gnssAccuracy, geoCoordinates, authStatus
MANUFACTURER_SPECIFIC_EVENT_FAULT_DATA = 1 + 3  # 2.95: manufacturerCode, manufacturerSpecificErrorCode
SEAL_DATA_VU = 5 * (1 + 2 + 8)  # 2.129, 2.130, 2.71: five SealRecords (equipmentType, ExtendedSealIdentifier)
PREVIOUS_VEHICLE_INFO = VEHICLE_REGISTRATION_IDENTIFICATION + TIME_REAL + 1  # 2.118 (Gen2: + vuGeneration)

# RecordType (data dictionary 2.120)
ACTIVITY_CHANGE_INFO, CARD_SLOTS_STATUS, CURRENT_DATE_TIME, MEMBER_STATE_CERTIFICATE = 0x01, 0x02, 0x03, 0x04
ODOMETER_VALUE_MIDNIGHT, DATE_OF_DAY_DOWNLOADED, SIGNATURE, SPECIFIC_CONDITION_RECORD = 0x05, 0x06, 0x08, 0x09
VEHICLE_IDENTIFICATION_NUMBER, VU_CALIBRATION_RECORD, VU_CARD_IW_RECORD, VU_CARD_RECORD = 0x0A, 0x0C, 0x0D, 0x0E
VU_CERTIFICATE, VU_COMPANY_LOCKS_RECORD, VU_CONTROL_ACTIVITY_RECORD = 0x0F, 0x10, 0x11
VU_DETAILED_SPEED_BLOCK, VU_DOWNLOADABLE_PERIOD, VU_DOWNLOAD_ACTIVITY_DATA, VU_EVENT_RECORD = 0x12, 0x13, 0x14, 0x15
VU_GNSS_AD_RECORD, VU_ITS_CONSENT_RECORD, VU_FAULT_RECORD, VU_IDENTIFICATION = 0x16, 0x17, 0x18, 0x19
VU_OVER_SPEEDING_CONTROL_DATA, VU_OVER_SPEEDING_EVENT_RECORD, VU_PLACE_DAILY_WORK_PERIOD_RECORD = 0x1A, 0x1B, 0x1C
VU_TIME_ADJUSTMENT_RECORD, VU_POWER_SUPPLY_INTERRUPTION_RECORD, SENSOR_PAIRED_RECORD = 0x1E, 0x1F, 0x20
SENSOR_EXTERNAL_GNSS_COUPLED_RECORD, VU_BORDER_CROSSING_RECORD, VU_LOAD_UNLOAD_RECORD = 0x21, 0x22, 0x23
VEHICLE_REGISTRATION_IDENTIFICATION_TYPE = 0x24

CARDS_IN_BOTH_SLOTS_AT_BEGIN_AND_END = 4 * FULL_CARD_NUMBER_AND_GENERATION

# Appendix 7 DDP_029..DDP_033: (recordType, recordSize) of each record array, in order; None: variable
# (certificates and signatures are one record of their own length).
TREP_31_OVERVIEW = [
    (MEMBER_STATE_CERTIFICATE, None),
    (VU_CERTIFICATE, None),
    (VEHICLE_IDENTIFICATION_NUMBER, 17),  # 2.164 IA5String(SIZE(17))
    (VEHICLE_REGISTRATION_IDENTIFICATION_TYPE, VEHICLE_REGISTRATION_IDENTIFICATION),  # 2.166a
    (CURRENT_DATE_TIME, TIME_REAL),  # 2.54
    (VU_DOWNLOADABLE_PERIOD, 2 * TIME_REAL),  # 2.193
    (CARD_SLOTS_STATUS, 1),  # 2.34
    (VU_DOWNLOAD_ACTIVITY_DATA, TIME_REAL + FULL_CARD_NUMBER_AND_GENERATION + NAME),  # 2.195 (Gen2)
    (VU_COMPANY_LOCKS_RECORD, 2 * TIME_REAL + NAME + ADDRESS + FULL_CARD_NUMBER_AND_GENERATION),  # 2.184 (Gen2)
    (VU_CONTROL_ACTIVITY_RECORD, 1 + TIME_REAL + FULL_CARD_NUMBER_AND_GENERATION + 2 * TIME_REAL),  # 2.187 (Gen2)
    (SIGNATURE, None),
]
TREP_32_ACTIVITIES = [
    (DATE_OF_DAY_DOWNLOADED, TIME_REAL),  # 2.57/2.58
    (ODOMETER_VALUE_MIDNIGHT, ODOMETER_SHORT),  # 2.114
    (
        VU_CARD_IW_RECORD,  # 2.177 (Gen2): holder, card, expiry, insertion, odometer, slot, withdrawal, odometer,
        HOLDER_NAME  # previous vehicle, manual input flag
        + FULL_CARD_NUMBER_AND_GENERATION
        + TIME_REAL
        + TIME_REAL
        + ODOMETER_SHORT
        + 1
        + TIME_REAL
        + ODOMETER_SHORT
        + PREVIOUS_VEHICLE_INFO
        + 1,
    ),
    (ACTIVITY_CHANGE_INFO, 2),  # 2.1
    # 2.219 (Gen2 v2): fullCardNumberAndGeneration, PlaceAuthRecord (2.116a: entryTime, entryType, country,
    # region, odometer, GNSSPlaceAuthRecord)
    (VU_PLACE_DAILY_WORK_PERIOD_RECORD, FULL_CARD_NUMBER_AND_GENERATION + TIME_REAL + 1 + 1 + 1 + 3 + 12),
    # 2.203 (Gen2 v2): timestamp, two cards, GNSSPlaceAuthRecord, odometer
    (VU_GNSS_AD_RECORD, TIME_REAL + 2 * FULL_CARD_NUMBER_AND_GENERATION + GNSS_PLACE_AUTH_RECORD + ODOMETER_SHORT),
    (SPECIFIC_CONDITION_RECORD, TIME_REAL + 1),  # 2.152
    # 2.203a: two cards, countryLeft, countryEntered, GNSSPlaceAuthRecord, odometer
    (VU_BORDER_CROSSING_RECORD, 2 * FULL_CARD_NUMBER_AND_GENERATION + 1 + 1 + GNSS_PLACE_AUTH_RECORD + ODOMETER_SHORT),
    # 2.208a: timeStamp, operationType, two cards, GNSSPlaceAuthRecord, odometer
    (
        VU_LOAD_UNLOAD_RECORD,
        TIME_REAL + 1 + 2 * FULL_CARD_NUMBER_AND_GENERATION + GNSS_PLACE_AUTH_RECORD + ODOMETER_SHORT,
    ),
    (SIGNATURE, None),
]
TREP_33_EVENTS_AND_FAULTS = [
    # 2.201 (Gen2): faultType, purpose, begin, end, four cards, manufacturer specific data
    (
        VU_FAULT_RECORD,
        1 + 1 + 2 * TIME_REAL + CARDS_IN_BOTH_SLOTS_AT_BEGIN_AND_END + MANUFACTURER_SPECIFIC_EVENT_FAULT_DATA,
    ),
    # 2.198 (Gen2): eventType, purpose, begin, end, four cards, similarEventsNumber, manufacturer specific data
    (
        VU_EVENT_RECORD,
        1 + 1 + 2 * TIME_REAL + CARDS_IN_BOTH_SLOTS_AT_BEGIN_AND_END + 1 + MANUFACTURER_SPECIFIC_EVENT_FAULT_DATA,
    ),
    (VU_OVER_SPEEDING_CONTROL_DATA, 2 * TIME_REAL + 1),  # 2.212
    # 2.215 (Gen2): eventType, purpose, begin, end, max speed, average speed, card, similarEventsNumber
    (VU_OVER_SPEEDING_EVENT_RECORD, 1 + 1 + 2 * TIME_REAL + 1 + 1 + FULL_CARD_NUMBER_AND_GENERATION + 1),
    # 2.232 (Gen2): old time, new time, workshop name and address, workshop card
    (VU_TIME_ADJUSTMENT_RECORD, 2 * TIME_REAL + NAME + ADDRESS + FULL_CARD_NUMBER_AND_GENERATION),
    (SIGNATURE, None),
]
TREP_24_DETAILED_SPEED = [(VU_DETAILED_SPEED_BLOCK, TIME_REAL + 60), (SIGNATURE, None)]  # 2.190
# DDP_033: the TREP 35 table is an image in the stored copy of the text; this order is that of the TREP 25 table
# (generation 2 version 1, in text), and the order traconiq/tachoparser declares for VuTechnicalDataSecondGenV2
# (pkg/decoder/definitions.go). way-platform/tachograph-go reads the calibrations third instead ("real-world Gen2
# V2 devices") and checks no recordType, so it takes our empty GNSS coupling array for the calibrations.
TREP_35_TECHNICAL = [
    # 2.205 (Gen2 v2): name, address, part number (2.217), serial, software version and installation date
    # (2.225), manufacturing date, approval number (2.172), generation, ability (2.169), digital map version (2.192a)
    (VU_IDENTIFICATION, NAME + ADDRESS + 16 + EXTENDED_SERIAL_NUMBER + 4 + TIME_REAL + TIME_REAL + 16 + 1 + 1 + 12),
    (SENSOR_PAIRED_RECORD, EXTENDED_SERIAL_NUMBER + 16 + TIME_REAL),  # 2.145, 2.131 (Gen2 IA5String(16))
    (SENSOR_EXTERNAL_GNSS_COUPLED_RECORD, EXTENDED_SERIAL_NUMBER + 16 + TIME_REAL),  # 2.133, 2.132
    (
        VU_CALIBRATION_RECORD,  # 2.174 (Gen2 v2): the Gen1 fields, then sensor, GNSS and RCM serial numbers,
        1  # sealDataVu, byDefaultLoadType, calibrationCountry, calibrationCountryTimestamp
        + NAME
        + ADDRESS
        + FULL_CARD_NUMBER
        + TIME_REAL
        + 17
        + VEHICLE_REGISTRATION_IDENTIFICATION
        + 2
        + 2
        + 2
        + 15
        + 1
        + ODOMETER_SHORT
        + ODOMETER_SHORT
        + TIME_REAL
        + TIME_REAL
        + TIME_REAL
        + 3 * EXTENDED_SERIAL_NUMBER
        + SEAL_DATA_VU
        + 1
        + 1
        + TIME_REAL,
    ),
    (VU_CARD_RECORD, FULL_CARD_NUMBER_AND_GENERATION + EXTENDED_SERIAL_NUMBER + 2 + 16),  # 2.179
    (VU_ITS_CONSENT_RECORD, FULL_CARD_NUMBER_AND_GENERATION + 1),  # 2.207
    # 2.240: eventType, purpose, begin, end, four cards, similarEventsNumber
    (VU_POWER_SUPPLY_INTERRUPTION_RECORD, 1 + 1 + 2 * TIME_REAL + CARDS_IN_BOTH_SLOTS_AT_BEGIN_AND_END + 1),
    (SIGNATURE, None),
]
EXPECTED_BLOCKS = {
    0x31: TREP_31_OVERVIEW,
    0x32: TREP_32_ACTIVITIES,
    0x33: TREP_33_EVENTS_AND_FAULTS,
    0x24: TREP_24_DETAILED_SPEED,
    0x35: TREP_35_TECHNICAL,
}


def _blocks(data: bytes) -> list[tuple[int, list[tuple[int, int, int]]]]:
    """The file's transfer responses: TREP and its (recordType, recordSize, noOfRecords) headers, walking the
    record arrays up to each SignatureRecordArray."""
    blocks = []
    at = 0
    while at < len(data):
        sid, trep = data[at], data[at + 1]
        assert sid == 0x76, f"no SID 76 at {at}"
        at += 2
        headers = []
        while True:
            record_type, size, count = struct.unpack_from(">BHH", data, at)
            headers.append((record_type, size, count))
            at += 5 + size * count
            if record_type == SIGNATURE:
                break
        blocks.append((trep, headers))
    assert at == len(data)
    return blocks


def test_every_gen2v2_record_array_has_the_regulations_type_size_and_place() -> None:
    facts = _vehicle(31, Generation.GEN2V2)
    _, download = _download(facts, date(2023, 1, 1), date(2024, 1, 1))
    blocks = _blocks(write_vu_file(download))
    treps = [trep for trep, _ in blocks]
    assert treps == [0x31, *[0x32] * len(download.days), 0x33, 0x24, 0x35]  # DDP_029..033, TRTP table (2.2.2.9)
    filled: set[int] = set()
    for trep, headers in blocks:
        expected = EXPECTED_BLOCKS[trep]
        assert [t for t, _, _ in headers] == [t for t, _ in expected], f"TREP {trep:02X}: record types or order"
        for (record_type, size, count), (_, wanted) in zip(headers, expected, strict=True):
            if wanted is not None:
                assert size == wanted, f"TREP {trep:02X} recordType {record_type:02X}: recordSize {size} != {wanted}"
            else:
                assert count == 1, f"TREP {trep:02X} recordType {record_type:02X}: one record of its own length"
            if count:
                filled.add(record_type)
    # the year's file has records of the kinds the simulator fills (an empty array still carries its recordSize,
    # checked above; this crew has no company lock and no time adjustment that year)
    assert {
        VU_CARD_IW_RECORD, VU_PLACE_DAILY_WORK_PERIOD_RECORD, VU_GNSS_AD_RECORD, VU_BORDER_CROSSING_RECORD,
        VU_LOAD_UNLOAD_RECORD, VU_FAULT_RECORD, VU_EVENT_RECORD, VU_OVER_SPEEDING_EVENT_RECORD,
        VU_CONTROL_ACTIVITY_RECORD, VU_CALIBRATION_RECORD, VU_DETAILED_SPEED_BLOCK,
    } <= filled  # fmt: skip


def _elements(data: bytes) -> dict[tuple[int, int], int]:
    """(FID, appendix) -> length of each element of a card file (Appendix 7 DDP_040..046)."""
    found = {}
    at = 0
    while at < len(data):
        fid, appendix, length = struct.unpack_from(">HBH", data, at)
        found[(fid, appendix)] = length
        at += 5 + length
    assert at == len(data)
    return found


# TCS_155 record numbers of a generation 2 driver card application (version 2)
N1_EVENTS_PER_TYPE, N2_FAULTS_PER_TYPE, N4_PLACES, N8_GNSS_AD = 12, 24, 112, 336
N10_BORDER_CROSSINGS, N11_LOAD_UNLOAD, N12_LOAD_TYPE_ENTRIES, N13_VU_CONFIGURATION_BYTES = 1120, 1624, 336, 3072
CARD_EVENT_RECORD = 1 + 2 * TIME_REAL + VEHICLE_REGISTRATION_IDENTIFICATION  # 2.20
CARD_BORDER_CROSSING_RECORD = 1 + 1 + GNSS_PLACE_AUTH_RECORD + ODOMETER_SHORT  # 2.11b
CARD_LOAD_UNLOAD_RECORD = TIME_REAL + 1 + GNSS_PLACE_AUTH_RECORD + ODOMETER_SHORT  # 2.24d
AUTH_STATUS_RECORD = TIME_REAL + 1  # 2.116b PlaceAuthStatusRecord, 2.79b GNSSAuthStatusADRecord
LOAD_TYPE_ENTRY_RECORD = TIME_REAL + 1  # 2.24b
GNSS_ACCUMULATED_DRIVING_RECORD = TIME_REAL + TIME_REAL + 1 + 6 + ODOMETER_SHORT  # 2.79 (GNSSPlaceRecord 2.80)
POINTER = 2  # the "...PointerNewestRecord" of each cyclic EF (TCS_154: 2 bytes)

# TCS_154: EF sizes of the generation 2 application (appendix 02) of a version 2 driver card
GEN2V2_EF_SIZES = {
    0x0502: 11 * N1_EVENTS_PER_TYPE * CARD_EVENT_RECORD,  # Events_Data: 3168
    0x0503: 2 * N2_FAULTS_PER_TYPE * CARD_EVENT_RECORD,  # Faults_Data: 1152
    0x0524: POINTER + N8_GNSS_AD * GNSS_ACCUMULATED_DRIVING_RECORD,  # GNSS_Places: 6050
    0x0525: 2 + 4 * 2,  # Application_Identification_V2 (2.61a): lengthOfFollowingData and four counts: 10
    0x0526: POINTER + N4_PLACES * AUTH_STATUS_RECORD,  # Places_Authentication: 562
    0x0527: POINTER + N8_GNSS_AD * AUTH_STATUS_RECORD,  # GNSS_Places_Authentication: 1682
    0x0528: POINTER + N10_BORDER_CROSSINGS * CARD_BORDER_CROSSING_RECORD,  # Border_Crossings: 19042
    0x0529: POINTER + N11_LOAD_UNLOAD * CARD_LOAD_UNLOAD_RECORD,  # Load_Unload_Operations: 32482
    0x0530: POINTER + N12_LOAD_TYPE_ENTRIES * LOAD_TYPE_ENTRY_RECORD,  # Load_Type_Entries: 1682
    0x0540: N13_VU_CONFIGURATION_BYTES,  # VU_Configuration: 3072
}


def test_gen2v2_card_efs_have_the_sizes_of_tcs_154() -> None:
    assert (GEN2V2_EF_SIZES[0x0502], GEN2V2_EF_SIZES[0x0528], GEN2V2_EF_SIZES[0x0529]) == (3168, 19042, 32482)
    facts = _vehicle(31, Generation.GEN2V2)
    crew = FixedCrew([facts])
    card = build_card_download(crew.history(facts.drivers[0]), datetime(2024, 1, 1, 9, tzinfo=UTC))
    assert card.generation is Generation.GEN2V2 and card.border_crossings and card.load_unload_operations
    elements = _elements(write_card_file(card))
    for fid, size in GEN2V2_EF_SIZES.items():
        assert elements[(fid, 2)] == size, f"EF {fid:04X}: {elements[(fid, 2)]} bytes, TCS_154 says {size}"
        assert (fid, 3) in elements  # each Gen2 EF is followed by its signature (appendix 03)
