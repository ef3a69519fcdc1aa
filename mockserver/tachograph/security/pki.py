"""The simulator's PKI, derived from the world seed: a fake European root, one member state, and the keys of
vehicle units and driver cards, for both generations. A `Signer` for the file writers.

Gen1: RSA-1024 root -> member-state certificate -> VU / card certificate (ISO 9796-2), data signatures RSA
PKCS#1 v1.5 with SHA-1. Gen2: brainpoolP256r1 root (self-signed) -> MSCA -> VU_Sign / Card_Sign / Card_MA,
certificate and data signatures ECDSA SHA-256 in plain r||s, deterministic (RFC 6979) so that the same world
gives the same bytes. Partners verify with the root keys served under `GET /_sim/pki`.
Not simulated: one key per equipment (every vehicle unit shares one key, every driver card another), a real
Gen2 link certificate (it is the root re-certified by itself), certificate expiry.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from mockserver.memo import Memo
from mockserver.tachograph.security.gen1_certificate import (
    NO_EXPIRY,
    Gen1CertificateContent,
    holder_authorisation,
    issue_gen1_certificate,
)
from mockserver.tachograph.security.gen2_certificate import Gen2CertificateBody, encode_gen2_body, tlv
from mockserver.tachograph.security.keys import ec_key, rsa_key
from mockserver.tachograph.security.signer import Gen2CertificateSet, Holder

ECDSA = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
ROOT_REFERENCE = bytes.fromhex("FD45432001FFFF01")  # nation EC, "EC ", key 1, CA id 1
MEMBER_STATE_REFERENCE = bytes.fromhex("FE534D2001FFFF01")  # nation "rest of the world", "SM ", key 1
EQUIPMENT_TYPES = {Holder.VEHICLE_UNIT: 6, Holder.DRIVER_CARD: 1}
GEN2_EFFECTIVE = 1_577_836_800  # 2020-01-01
GEN2_EXPIRY = 2_524_608_000  # 2050-01-01
SIGNATURE_MEMO_SIZE = 4096


def plain_signature(der: bytes) -> bytes:
    r, s = decode_dss_signature(der)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def der_signature(plain: bytes) -> bytes:
    return encode_dss_signature(int.from_bytes(plain[:32], "big"), int.from_bytes(plain[32:], "big"))


def public_point(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> bytes:
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    return public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def _pem(key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@dataclass(frozen=True)
class PkiPublication:
    """What partners need to verify signed files: the roots, and every certificate in the chains."""

    seed: int
    gen1_root_pem: str
    gen1_root_reference: bytes
    gen1_certificates: dict[str, bytes]
    gen2_root_pem: str
    gen2_certificates: dict[str, bytes]

    def to_json(self) -> dict[str, object]:
        """The shape of `GET /_sim/pki` (certificates in upper-case hex)."""
        return {
            "seed": self.seed,
            "gen1": {
                "rootPublicKeyPem": self.gen1_root_pem,
                "rootKeyReference": self.gen1_root_reference.hex().upper(),
                "certificates": {name: cert.hex().upper() for name, cert in self.gen1_certificates.items()},
            },
            "gen2": {
                "rootPublicKeyPem": self.gen2_root_pem,
                "certificates": {name: cert.hex().upper() for name, cert in self.gen2_certificates.items()},
            },
        }


class SimulatorPki:
    """Implements `mockserver.tachograph.security.signer.Signer` with keys derived from `seed`."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._root_rsa = rsa_key(seed, "gen1-root")
        self._member_state_rsa = rsa_key(seed, "gen1-member-state")
        self._equipment_rsa = {holder: rsa_key(seed, f"gen1-{holder.value}") for holder in Holder}
        self._gen1_member_state = issue_gen1_certificate(
            self._gen1_content(ROOT_REFERENCE, 0, MEMBER_STATE_REFERENCE, self._member_state_rsa), self._root_rsa
        )
        self._gen1_equipment = {
            holder: issue_gen1_certificate(
                self._gen1_content(MEMBER_STATE_REFERENCE, EQUIPMENT_TYPES[holder], _equipment_reference(holder), key),
                self._member_state_rsa,
            )
            for holder, key in self._equipment_rsa.items()
        }
        self._root_ec = ec_key(seed, "gen2-root")
        self._msca_ec = ec_key(seed, "gen2-msca")
        self._sign_ec = {holder: ec_key(seed, f"gen2-{holder.value}-sign") for holder in Holder}
        self._card_ma_ec = ec_key(seed, "gen2-card-ma")
        self._gen2_root = self._gen2_certificate(ROOT_REFERENCE, 0, ROOT_REFERENCE, self._root_ec, self._root_ec)
        self._gen2_msca = self._gen2_certificate(
            ROOT_REFERENCE, 0, MEMBER_STATE_REFERENCE, self._msca_ec, self._root_ec
        )
        self._gen2_sets = {
            holder: Gen2CertificateSet(
                member_state=self._gen2_msca,
                sign=self._gen2_certificate(
                    MEMBER_STATE_REFERENCE, EQUIPMENT_TYPES[holder], _equipment_reference(holder), key, self._msca_ec
                ),
                ma=self._gen2_certificate(
                    MEMBER_STATE_REFERENCE,
                    EQUIPMENT_TYPES[holder],
                    _equipment_reference(holder, "MA"),
                    self._card_ma_ec,
                    self._msca_ec,
                ),
                link=self._gen2_root,
            )
            for holder, key in self._sign_ec.items()
        }
        # Key: (scheme, signing holder, SHA-256 of the data). The holder's key is fixed by the PKI's seed and both
        # schemes are deterministic (PKCS#1 v1.5; ECDSA with RFC 6979 nonces), so a hit is exactly the signature a
        # fresh computation gives (up to a SHA-256 collision).
        self._memo: Memo[tuple[str, Holder, bytes], bytes] = Memo(SIGNATURE_MEMO_SIZE, "signatures")

    @staticmethod
    def _gen1_content(car: bytes, equipment: int, chr_: bytes, key: rsa.RSAPrivateKey) -> Gen1CertificateContent:
        numbers = key.public_key().public_numbers()
        return Gen1CertificateContent(car, holder_authorisation(equipment), NO_EXPIRY, chr_, numbers.n, numbers.e)

    @staticmethod
    def _gen2_certificate(
        car: bytes,
        equipment: int,
        chr_: bytes,
        subject: ec.EllipticCurvePrivateKey,
        authority: ec.EllipticCurvePrivateKey,
    ) -> bytes:
        body = Gen2CertificateBody(
            car, holder_authorisation(equipment), public_point(subject), chr_, GEN2_EFFECTIVE, GEN2_EXPIRY
        )
        encoded = encode_gen2_body(body)
        signature = plain_signature(authority.sign(encoded, ECDSA))
        return tlv(b"\x7f\x21", encoded + tlv(b"\x5f\x37", signature))

    def _memoized(self, kind: str, holder: Holder, data: bytes, sign: functools.partial[bytes]) -> bytes:
        """Many EFs are identical from one download to the next; their signatures are computed once."""
        return self._memo.get_or_compute((kind, holder, hashlib.sha256(data).digest()), sign)

    # -- Signer ------------------------------------------------------------------------------------------
    def gen1_sign(self, holder: Holder, data: bytes) -> bytes:
        key = self._equipment_rsa[holder]
        return self._memoized(
            "gen1", holder, data, functools.partial(key.sign, data, padding.PKCS1v15(), hashes.SHA1())
        )

    def gen2_sign(self, holder: Holder, data: bytes) -> bytes:
        key = self._sign_ec[holder]
        return self._memoized(
            "gen2", holder, data, functools.partial(lambda d: plain_signature(key.sign(d, ECDSA)), data)
        )

    def gen1_certificates(self, holder: Holder) -> tuple[bytes, bytes]:
        return self._gen1_member_state, self._gen1_equipment[holder]

    def gen2_certificates(self, holder: Holder) -> Gen2CertificateSet:
        return self._gen2_sets[holder]

    # -- publication -------------------------------------------------------------------------------------
    def publication(self) -> PkiPublication:
        return PkiPublication(
            seed=self.seed,
            gen1_root_pem=_pem(self._root_rsa.public_key()),
            gen1_root_reference=ROOT_REFERENCE,
            gen1_certificates={
                "memberState": self._gen1_member_state,
                "vehicleUnit": self._gen1_equipment[Holder.VEHICLE_UNIT],
                "driverCard": self._gen1_equipment[Holder.DRIVER_CARD],
            },
            gen2_root_pem=_pem(self._root_ec.public_key()),
            gen2_certificates={
                "root": self._gen2_root,
                "memberState": self._gen2_msca,
                "vehicleUnitSign": self._gen2_sets[Holder.VEHICLE_UNIT].sign,
                "driverCardSign": self._gen2_sets[Holder.DRIVER_CARD].sign,
                "driverCardMutualAuthentication": self._gen2_sets[Holder.DRIVER_CARD].ma,
            },
        )


def _equipment_reference(holder: Holder, suffix: str = "") -> bytes:
    """CHR of the shared equipment key: 8 bytes, readable in a hex dump."""
    return (f"SIM{holder.value.upper()}{suffix}".encode() + bytes(8))[:8]


@functools.lru_cache(maxsize=8)  # key: the seed, all a PKI is derived from: a hit is the PKI a fresh derivation gives
def simulator_pki(seed: int) -> SimulatorPki:
    """The PKI of a seed (keys take a fraction of a second to derive, so they are derived once per process)."""
    return SimulatorPki(seed)
