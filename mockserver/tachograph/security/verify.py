"""Verification of simulator-signed files, as a partner would do it with the root keys of `GET /_sim/pki`."""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from mockserver.tachograph.codec.primitives import ByteReader
from mockserver.tachograph.security.gen1_certificate import CertificateError, open_gen1_certificate
from mockserver.tachograph.security.gen2_certificate import ParsedGen2Certificate, parse_gen2_certificate
from mockserver.tachograph.security.pki import der_signature


def rsa_public_from_pem(pem: str) -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, rsa.RSAPublicKey):
        raise CertificateError("not an RSA public key")
    return key


def ec_public_from_pem(pem: str) -> ec.EllipticCurvePublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise CertificateError("not an EC public key")
    return key


def gen1_chain_key(root: rsa.RSAPublicKey, member_state: bytes, equipment: bytes) -> rsa.RSAPublicKey:
    """The equipment's public key after checking root -> member state -> equipment; raises `CertificateError`."""
    authority = open_gen1_certificate(member_state, root).public_key
    return open_gen1_certificate(equipment, authority).public_key


def gen1_signature_valid(key: rsa.RSAPublicKey, data: bytes, signature: bytes) -> bool:
    try:
        key.verify(signature, data, padding.PKCS1v15(), hashes.SHA1())
    except InvalidSignature:
        return False
    return True


def open_gen2_certificate(certificate: bytes, authority: ec.EllipticCurvePublicKey) -> ParsedGen2Certificate:
    parsed = parse_gen2_certificate(ByteReader(certificate))
    if not gen2_signature_valid(authority, parsed.body_bytes, parsed.signature):
        raise CertificateError("the Gen2 certificate's signature does not verify with the authority key")
    return parsed


def gen2_key(parsed: ParsedGen2Certificate) -> ec.EllipticCurvePublicKey:
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.BrainpoolP256R1(), parsed.body.public_point)


def gen2_chain_key(root: ec.EllipticCurvePublicKey, member_state: bytes, equipment: bytes) -> ec.EllipticCurvePublicKey:
    authority = gen2_key(open_gen2_certificate(member_state, root))
    return gen2_key(open_gen2_certificate(equipment, authority))


def gen2_signature_valid(key: ec.EllipticCurvePublicKey, data: bytes, signature: bytes) -> bool:
    if len(signature) != 64:
        return False
    try:
        key.verify(der_signature(signature), data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True
