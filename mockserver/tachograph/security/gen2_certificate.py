"""Gen2 certificates (Appendix 11 CSM_136): BER-TLV, brainpoolP256r1 public point, plain r||s signature."""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.tachograph.codec.primitives import ByteReader, TachoFormatError

BRAINPOOL_P256R1_OID = bytes.fromhex("2B2403030208010107")


@dataclass(frozen=True)
class Gen2CertificateBody:
    authority_reference: bytes  # CAR, 8
    holder_authorisation: bytes  # CHA, 7
    public_point: bytes  # 04 || X || Y
    holder_reference: bytes  # CHR, 8
    effective: int  # TimeReal
    expiry: int  # TimeReal


def _length(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    if size < 0x100:
        return bytes([0x81, size])
    return bytes([0x82]) + size.to_bytes(2, "big")


def tlv(tag: bytes, value: bytes) -> bytes:
    return tag + _length(len(value)) + value


def encode_gen2_body(body: Gen2CertificateBody) -> bytes:
    """The encoded `7F4E` certificate body, tag and length included (what the CA signs)."""
    public_key = tlv(b"\x06", BRAINPOOL_P256R1_OID) + tlv(b"\x86", body.public_point)
    content = (
        tlv(b"\x5f\x29", b"\x00")
        + tlv(b"\x42", body.authority_reference)
        + tlv(b"\x5f\x4c", body.holder_authorisation)
        + tlv(b"\x7f\x49", public_key)
        + tlv(b"\x5f\x20", body.holder_reference)
        + tlv(b"\x5f\x25", body.effective.to_bytes(4, "big"))
        + tlv(b"\x5f\x24", body.expiry.to_bytes(4, "big"))
    )
    return tlv(b"\x7f\x4e", content)


def encode_gen2_certificate(body: Gen2CertificateBody, signature: bytes) -> bytes:
    return tlv(b"\x7f\x21", encode_gen2_body(body) + tlv(b"\x5f\x37", signature))


def _read_tlv(reader: ByteReader, tag: bytes) -> ByteReader:
    at = reader.offset
    found = reader.take(len(tag), "certificate tag")
    if found != tag:
        raise TachoFormatError(at, f"expected certificate tag {tag.hex()}, found {found.hex()}")
    first = reader.u8("certificate length")
    if first < 0x80:
        size = first
    elif first == 0x81:
        size = reader.u8("certificate length")
    elif first == 0x82:
        size = reader.u16("certificate length")
    else:
        raise reader.fail(f"unsupported BER length form {first:#x}")
    return reader.sub(size, f"certificate element {tag.hex()}")


def _exact(reader: ByteReader, size: int, what: str) -> bytes:
    value = reader.take(size, what)
    reader.expect_end(what)
    return value


@dataclass(frozen=True)
class ParsedGen2Certificate:
    body: Gen2CertificateBody
    body_bytes: bytes
    signature: bytes


def parse_gen2_certificate(reader: ByteReader) -> ParsedGen2Certificate:
    """Parse one certificate consuming exactly the bytes of `reader`."""
    outer = _read_tlv(reader, b"\x7f\x21")
    body_start = outer.pos
    body = _read_tlv(outer, b"\x7f\x4e")
    body_bytes = bytes(outer.data[body_start : outer.pos])
    profile = _read_tlv(body, b"\x5f\x29")
    if profile.take(1, "CPI") != b"\x00":
        raise profile.fail("unknown certificate profile identifier")
    profile.expect_end("CPI")
    car = _exact(_read_tlv(body, b"\x42"), 8, "CAR")
    cha = _exact(_read_tlv(body, b"\x5f\x4c"), 7, "CHA")
    key = _read_tlv(body, b"\x7f\x49")
    oid_reader = _read_tlv(key, b"\x06")
    oid = oid_reader.take(oid_reader.remaining, "curve OID")
    if oid != BRAINPOOL_P256R1_OID:
        raise oid_reader.fail(f"unsupported curve OID {oid.hex()}")
    point_reader = _read_tlv(key, b"\x86")
    point = point_reader.take(65, "public point")
    point_reader.expect_end("public point")
    key.expect_end("public key")
    chr_ = _exact(_read_tlv(body, b"\x5f\x20"), 8, "CHR")
    effective = int.from_bytes(_exact(_read_tlv(body, b"\x5f\x25"), 4, "effective date"), "big")
    expiry = int.from_bytes(_exact(_read_tlv(body, b"\x5f\x24"), 4, "expiry date"), "big")
    body.expect_end("certificate body")
    sig_reader = _read_tlv(outer, b"\x5f\x37")
    signature = sig_reader.take(sig_reader.remaining, "certificate signature")
    outer.expect_end("certificate")
    reader.expect_end("certificate")
    return ParsedGen2Certificate(Gen2CertificateBody(car, cha, point, chr_, effective, expiry), body_bytes, signature)
