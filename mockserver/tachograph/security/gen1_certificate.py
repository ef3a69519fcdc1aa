"""Gen1 certificates (Appendix 11 Part A): 194 bytes = Sign (128) | Cn' (58) | CAR' (8), ISO/IEC 9796-2 with
message recovery over the 164-byte content C = CPI | CAR | CHA | EOV | CHR | n | e."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import rsa

CPI = 0x01
CONTENT_SIZE = 164
RECOVERED = 106
MODULUS_SIZE = 128
TACHOGRAPH_AID_PREFIX = bytes.fromhex("FF544143484F")  # the 6 most significant bytes of the tachograph AID
NO_EXPIRY = 0xFFFFFFFF


class CertificateError(ValueError):
    """A certificate that does not verify against the given authority key."""


@dataclass(frozen=True)
class Gen1CertificateContent:
    authority_reference: bytes  # CAR, 8
    holder_authorisation: bytes  # CHA, 7
    end_of_validity: int  # TimeReal, FFFFFFFF for none
    holder_reference: bytes  # CHR, 8
    modulus: int
    exponent: int

    def encode(self) -> bytes:
        content = (
            bytes([CPI])
            + self.authority_reference
            + self.holder_authorisation
            + self.end_of_validity.to_bytes(4, "big")
            + self.holder_reference
            + self.modulus.to_bytes(MODULUS_SIZE, "big")
            + self.exponent.to_bytes(8, "big")
        )
        if len(content) != CONTENT_SIZE:
            raise ValueError(f"certificate content of {len(content)} bytes, expected {CONTENT_SIZE}")
        return content

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return rsa.RSAPublicNumbers(self.exponent, self.modulus).public_key()


def holder_authorisation(equipment_type: int) -> bytes:
    return TACHOGRAPH_AID_PREFIX + bytes([equipment_type])


def issue_gen1_certificate(content: Gen1CertificateContent, authority: rsa.RSAPrivateKey) -> bytes:
    c = content.encode()
    recoverable = bytes([0x6A]) + c[:RECOVERED] + hashlib.sha1(c).digest() + bytes([0xBC])
    numbers = authority.private_numbers()
    n = numbers.public_numbers.n
    signature = pow(int.from_bytes(recoverable, "big"), numbers.d, n).to_bytes(MODULUS_SIZE, "big")
    return signature + c[RECOVERED:] + content.authority_reference


def open_gen1_certificate(certificate: bytes, authority: rsa.RSAPublicKey) -> Gen1CertificateContent:
    """Recover and check the content with the authority's public key; raises `CertificateError`."""
    if len(certificate) != 194:
        raise CertificateError(f"a Gen1 certificate has 194 bytes, not {len(certificate)}")
    numbers = authority.public_numbers()
    recovered = pow(int.from_bytes(certificate[:MODULUS_SIZE], "big"), numbers.e, numbers.n)
    sr = recovered.to_bytes(MODULUS_SIZE, "big")
    if sr[0] != 0x6A or sr[-1] != 0xBC:
        raise CertificateError("the signature does not recover an ISO 9796-2 message (wrong authority key?)")
    c = sr[1 : 1 + RECOVERED] + certificate[MODULUS_SIZE : MODULUS_SIZE + CONTENT_SIZE - RECOVERED]
    if hashlib.sha1(c).digest() != sr[1 + RECOVERED : 1 + RECOVERED + 20]:
        raise CertificateError("the certificate's hash does not match its content")
    if c[0] != CPI or c[1:9] != certificate[-8:]:
        raise CertificateError("unexpected profile identifier or authority reference")
    return Gen1CertificateContent(
        authority_reference=c[1:9],
        holder_authorisation=c[9:16],
        end_of_validity=int.from_bytes(c[16:20], "big"),
        holder_reference=c[20:28],
        modulus=int.from_bytes(c[28:156], "big"),
        exponent=int.from_bytes(c[156:164], "big"),
    )
