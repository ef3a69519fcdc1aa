"""What the writers need from a security back end, and the default one that signs nothing.

Writers call a `Signer` for every signature and certificate, so the unsigned and the signed files have the
same layout and only these bytes differ.
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from mockserver.tachograph.security.gen2_certificate import Gen2CertificateBody, encode_gen2_certificate

GEN1_SIGNATURE_SIZE = 128
GEN1_CERTIFICATE_SIZE = 194
GEN2_SIGNATURE_SIZE = 64  # brainpoolP256r1 plain r||s


class Holder(Enum):
    """Which equipment key signs: the vehicle unit or the driver card."""

    VEHICLE_UNIT = "vu"
    DRIVER_CARD = "card"


class Signer(Protocol):
    def gen1_sign(self, holder: Holder, data: bytes) -> bytes:
        """128-byte RSA PKCS#1 v1.5 SHA-1 signature of `data`."""
        ...

    def gen2_sign(self, holder: Holder, data: bytes) -> bytes:
        """64-byte ECDSA brainpoolP256r1 SHA-256 signature of `data`, plain r||s."""
        ...

    def gen1_certificates(self, holder: Holder) -> tuple[bytes, bytes]:
        """(member-state certificate, equipment certificate), 194 bytes each."""
        ...

    def gen2_certificates(self, holder: Holder) -> Gen2CertificateSet: ...


class Gen2CertificateSet:
    """The Gen2 certificates a VU overview or a card file carries (BER-TLV encoded)."""

    __slots__ = ("link", "ma", "member_state", "sign")

    def __init__(self, member_state: bytes, sign: bytes, ma: bytes, link: bytes) -> None:
        self.member_state = member_state
        self.sign = sign
        self.ma = ma
        self.link = link


class ZeroSigner:
    """Default: zero-filled signatures and certificates (Gen2 certificates keep their TLV structure with a
    zero public point and zero signature, so structural parsers still walk them)."""

    def gen1_sign(self, holder: Holder, data: bytes) -> bytes:
        return bytes(GEN1_SIGNATURE_SIZE)

    def gen2_sign(self, holder: Holder, data: bytes) -> bytes:
        return bytes(GEN2_SIGNATURE_SIZE)

    def gen1_certificates(self, holder: Holder) -> tuple[bytes, bytes]:
        return bytes(GEN1_CERTIFICATE_SIZE), bytes(GEN1_CERTIFICATE_SIZE)

    def gen2_certificates(self, holder: Holder) -> Gen2CertificateSet:
        zero_point = b"\x04" + bytes(64)
        body = Gen2CertificateBody(
            authority_reference=bytes(8),
            holder_authorisation=bytes(7),
            public_point=zero_point,
            holder_reference=bytes(8),
            effective=0,
            expiry=0,
        )
        cert = encode_gen2_certificate(body, bytes(GEN2_SIGNATURE_SIZE))
        return Gen2CertificateSet(cert, cert, cert, cert)
