"""Identifiers with real-world structure: ISO 3779 VINs, tachograph card numbers, nation codes, plates."""

from __future__ import annotations

import random
import string

# ISO 3779 / 49 CFR 565 transliteration and position weights for the check digit (position 9).
_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
VIN_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # no I, O, Q
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"  # model-year letters, 2010 = A

# World manufacturer identifiers of European truck makers, with the tachograph models fitted at the factory.
TRUCK_MAKERS: dict[str, str] = {
    "WDB": "Mercedes-Benz",
    "YS2": "Scania",
    "XLR": "DAF",
    "WMA": "MAN",
    "YV2": "Volvo",
    "VF6": "Renault Trucks",
    "ZCF": "Iveco",
}


def vin_check_digit(vin: str) -> str:
    """The check digit a VIN must carry at position 9 (index 8), 'X' for 10."""
    if len(vin) != 17:
        raise ValueError("a VIN has 17 characters")
    total = sum(_VIN_VALUES[ch] * weight for ch, weight in zip(vin.upper(), _VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def is_valid_vin(vin: str) -> bool:
    if len(vin) != 17 or any(ch not in VIN_ALPHABET for ch in vin):
        return False
    return vin[8] == vin_check_digit(vin)


def make_vin(rng: random.Random, wmi: str, model_year: int) -> str:
    """A VIN of maker `wmi`: random descriptor, year code, plant, serial, and a correct check digit."""
    vds = "".join(rng.choice(VIN_ALPHABET) for _ in range(5))
    year = _YEAR_CODES[(model_year - 2010) % len(_YEAR_CODES)]
    plant = rng.choice(string.ascii_uppercase.replace("I", "").replace("O", "").replace("Q", ""))
    serial = f"{rng.randrange(1_000_000):06d}"
    draft = f"{wmi}{vds}0{year}{plant}{serial}"
    return draft[:8] + vin_check_digit(draft) + draft[9:]


# Tachograph nation codes: every code of the TachoShare reference's appendix "Driver card country codes"
# (Regulation 1360/2002 Appendix 1 and 2016/799, with 2.19.0's additions 0x34-0x39 and the special codes), keyed by
# ISO 3166 alpha-2 (`UK` for the United Kingdom, as the worlds always wrote it). `NONE` is "No information
# available", `YU` Yugoslavia (no longer in use since 2003), `EC` the European Community, `EUR` the rest of Europe,
# `WLD` the rest of the world.
NATION_CODES: dict[str, int] = {
    "NONE": 0x00, "AT": 0x01, "AL": 0x02, "AD": 0x03, "AM": 0x04, "AZ": 0x05, "BE": 0x06, "BG": 0x07, "BA": 0x08,
    "BY": 0x09, "CH": 0x0A, "CY": 0x0B, "CZ": 0x0C, "DE": 0x0D, "DK": 0x0E, "ES": 0x0F, "EE": 0x10, "FR": 0x11,
    "FI": 0x12, "LI": 0x13, "FO": 0x14, "UK": 0x15, "GE": 0x16, "GR": 0x17, "HU": 0x18, "HR": 0x19, "IT": 0x1A,
    "IE": 0x1B, "IS": 0x1C, "KZ": 0x1D, "LU": 0x1E, "LT": 0x1F, "LV": 0x20, "MT": 0x21, "MC": 0x22, "MD": 0x23,
    "MK": 0x24, "NO": 0x25, "NL": 0x26, "PT": 0x27, "PL": 0x28, "RO": 0x29, "SM": 0x2A, "RU": 0x2B, "SE": 0x2C,
    "SK": 0x2D, "SI": 0x2E, "TM": 0x2F, "TR": 0x30, "UA": 0x31, "VA": 0x32, "YU": 0x33, "ME": 0x34, "RS": 0x35,
    "UZ": 0x36, "TJ": 0x37, "KG": 0x38, "IL": 0x39, "EC": 0xFD, "EUR": 0xFE, "WLD": 0xFF,
}  # fmt: skip

# Faker locale per registration country, so plates and names look like the country's.
FAKER_LOCALES: dict[str, str] = {
    "AT": "de_AT", "BE": "nl_BE", "CH": "de_CH", "CZ": "cs_CZ", "DE": "de_DE", "DK": "da_DK", "ES": "es_ES",
    "FR": "fr_FR", "FI": "fi_FI", "UK": "en_GB", "GR": "el_GR", "HU": "hu_HU", "IT": "it_IT", "IE": "en_IE",
    "LU": "fr_FR", "LT": "lt_LT", "NL": "nl_NL", "PT": "pt_PT", "PL": "pl_PL", "RO": "ro_RO", "SE": "sv_SE",
    "SK": "sk_SK", "BG": "bg_BG", "BA": "bs_BA", "CY": "el_CY", "EE": "et_EE", "HR": "hr_HR", "LV": "lv_LV",
    "MT": "mt_MT", "NO": "no_NO", "RU": "ru_RU", "SI": "sl_SI", "TR": "tr_TR", "UA": "uk_UA", "AM": "hy_AM",
    "AZ": "az_AZ", "GE": "ka_GE", "IL": "he_IL", "RS": "sr_BA", "ME": "sr_BA", "IS": "is_IS", "MK": "mk_MK",
    "UZ": "uz_UZ", "LI": "de_CH", "MC": "fr_FR", "AL": "sq_AL",
}  # fmt: skip


def nation_hex(country: str) -> str:
    """The API's hex form of a nation code, e.g. 'ES' -> '0x0F'."""
    return f"0x{NATION_CODES[country]:02X}"


def make_driver_card_number(rng: random.Random, country: str, renewal: int = 0) -> str:
    """A 16-character driver card number: 14 identify the driver, then replacement and renewal indexes."""
    prefix = country[0] if country != "UK" else "D"
    return f"{prefix}{_digits(rng, 13)}0{renewal}"


def _digits(rng: random.Random, count: int) -> str:
    """`"".join(rng.choice(string.digits) for _ in range(count))`, drawn as `choice` draws (`getrandbits(4)` until
    below 10) without its two calls per digit: every driver made draws 13 (issue 13; test_identifiers.py holds it
    to `choice`)."""
    bits = rng.getrandbits
    digits = []
    for _ in range(count):
        r = bits(4)
        while r >= 10:
            r = bits(4)
        digits.append(r)
    return "".join(map(str, digits))


def make_company_card_group(rng: random.Random, country: str) -> str:
    """The 13 characters that identify a company card (the card group)."""
    prefix = country[0] if country != "UK" else "C"
    return prefix + "".join(rng.choice(string.digits + "ABCDEF") for _ in range(12))
