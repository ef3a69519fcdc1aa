"""The seed-derived simulator PKI: deterministic keys, certificates that verify up to the root, signatures that
verify and fail when the data changes."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.tachograph.security.gen1_certificate import CertificateError, open_gen1_certificate
from mockserver.tachograph.security.keys import is_probable_prime, rsa_key
from mockserver.tachograph.security.pki import simulator_pki
from mockserver.tachograph.security.signer import Holder
from mockserver.tachograph.security.verify import (
    ec_public_from_pem,
    gen1_chain_key,
    gen1_signature_valid,
    gen2_chain_key,
    gen2_signature_valid,
    rsa_public_from_pem,
)

SEED = 424242


def test_keys_are_deterministic_per_seed_and_differ_between_seeds() -> None:
    first = rsa_key(SEED, "x").private_numbers()
    assert first == rsa_key(SEED, "x").private_numbers()
    assert first.public_numbers.n != rsa_key(SEED + 1, "x").private_numbers().public_numbers.n
    assert first.public_numbers.n.bit_length() == 1024 and first.public_numbers.e == 65537
    assert simulator_pki(SEED).publication() == simulator_pki(SEED).publication()


def test_miller_rabin_agrees_with_trial_division() -> None:
    rng = random.Random(1)
    for n in range(2, 5000):
        expected = n > 1 and all(n % d for d in range(2, int(n**0.5) + 1))
        assert is_probable_prime(n, rng) == expected, n
    assert is_probable_prime(2**127 - 1, rng) and not is_probable_prime(2**128 + 1, rng)


@pytest.mark.parametrize("holder", list(Holder))
def test_gen1_chain_and_signatures_verify_with_the_published_root(holder: Holder) -> None:
    pki = simulator_pki(SEED)
    root = rsa_public_from_pem(pki.publication().gen1_root_pem)
    member_state, equipment = pki.gen1_certificates(holder)
    assert len(member_state) == len(equipment) == 194
    key = gen1_chain_key(root, member_state, equipment)
    signature = pki.gen1_sign(holder, b"activities of one day")
    assert len(signature) == 128
    assert gen1_signature_valid(key, b"activities of one day", signature)
    assert not gen1_signature_valid(key, b"activities of one dax", signature)
    tampered = bytes([equipment[0] ^ 1]) + equipment[1:]
    with pytest.raises(CertificateError):
        open_gen1_certificate(tampered, open_gen1_certificate(member_state, root).public_key)
    with pytest.raises(CertificateError):
        open_gen1_certificate(member_state, rsa_public_from_pem(simulator_pki(SEED + 1).publication().gen1_root_pem))


@pytest.mark.parametrize("holder", list(Holder))
def test_gen2_chain_and_signatures_verify_with_the_published_root(holder: Holder) -> None:
    pki = simulator_pki(SEED)
    root = ec_public_from_pem(pki.publication().gen2_root_pem)
    certificates = pki.gen2_certificates(holder)
    key = gen2_chain_key(root, certificates.member_state, certificates.sign)
    signature = pki.gen2_sign(holder, b"overview")
    assert len(signature) == 64
    assert signature == pki.gen2_sign(holder, b"overview")  # RFC 6979: the same bytes every time
    assert gen2_signature_valid(key, b"overview", signature)
    assert not gen2_signature_valid(key, b"overviex", signature)
    other_root = ec_public_from_pem(simulator_pki(SEED + 1).publication().gen2_root_pem)
    with pytest.raises(CertificateError):
        gen2_chain_key(other_root, certificates.member_state, certificates.sign)


@settings(max_examples=15, deadline=None)
@given(data=st.binary(max_size=300), flip=st.integers(0, 10_000))
def test_any_data_signs_and_any_change_breaks_the_signature(data: bytes, flip: int) -> None:
    pki = simulator_pki(SEED)
    gen1_key = gen1_chain_key(
        rsa_public_from_pem(pki.publication().gen1_root_pem), *pki.gen1_certificates(Holder.DRIVER_CARD)
    )
    certificates = pki.gen2_certificates(Holder.DRIVER_CARD)
    gen2_key = gen2_chain_key(
        ec_public_from_pem(pki.publication().gen2_root_pem), certificates.member_state, certificates.sign
    )
    gen1 = pki.gen1_sign(Holder.DRIVER_CARD, data)
    gen2 = pki.gen2_sign(Holder.DRIVER_CARD, data)
    assert gen1_signature_valid(gen1_key, data, gen1) and gen2_signature_valid(gen2_key, data, gen2)
    changed = (
        data + b"\x00"
        if not data
        else data[: flip % len(data)] + bytes([data[flip % len(data)] ^ 0x80]) + data[flip % len(data) + 1 :]
    )
    assert not gen1_signature_valid(gen1_key, changed, gen1)
    assert not gen2_signature_valid(gen2_key, changed, gen2)
