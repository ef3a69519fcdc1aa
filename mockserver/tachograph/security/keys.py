"""Deterministic keys from a seed: RSA-1024 (Gen1) from seeded primes, brainpoolP256r1 (Gen2) from a derived scalar.

The simulator's PKI must give the same keys for the same world seed in every process, so keys are never drawn
from the operating system's random source. These keys protect nothing: they only let partners verify that a file
was signed by "the simulator of seed N".
"""

from __future__ import annotations

import hashlib
import math
import random

from cryptography.hazmat.primitives.asymmetric import ec, rsa

RSA_BITS = 1024
RSA_EXPONENT = 65537
BRAINPOOL_P256R1_ORDER = 0xA9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7
_SMALL_PRIMES = [p for p in range(3, 2000, 2) if all(p % d for d in range(3, int(p**0.5) + 1, 2))]
_SMALL_PRIMES_PRODUCT = math.prod(_SMALL_PRIMES)


def derived_int(seed: int, *parts: str) -> int:
    digest = hashlib.sha512("\x1f".join((str(seed), *parts)).encode()).digest()
    return int.from_bytes(digest, "big")


def is_probable_prime(n: int, rng: random.Random, rounds: int = 8) -> bool:
    """Miller-Rabin with bases from `rng` (deterministic for a seeded source); 8 rounds bound the error of a
    random 512-bit candidate far below 2^-100 (FIPS 186-5 table C.1 asks for 5)."""
    if n < 2:
        return False
    if n <= _SMALL_PRIMES[-1]:
        return n == 2 or (n % 2 == 1 and n in _SMALL_PRIMES)
    if n % 2 == 0 or math.gcd(n, _SMALL_PRIMES_PRODUCT) != 1:
        return False
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
        x = pow(rng.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(rng: random.Random, bits: int) -> int:
    while True:
        candidate = rng.getrandbits(bits) | (0b11 << (bits - 2)) | 1  # two top bits: n has exactly 2*bits bits
        if (candidate - 1) % RSA_EXPONENT != 0 and is_probable_prime(candidate, rng):
            return candidate


def rsa_key(seed: int, name: str) -> rsa.RSAPrivateKey:
    """An RSA-1024 key with e = 65537, the same for the same (seed, name)."""
    rng = random.Random(derived_int(seed, "rsa", name))
    while True:
        p, q = _prime(rng, RSA_BITS // 2), _prime(rng, RSA_BITS // 2)
        if p != q:
            break
    if p < q:
        p, q = q, p
    n = p * q
    d = pow(RSA_EXPONENT, -1, (p - 1) * (q - 1))
    public = rsa.RSAPublicNumbers(RSA_EXPONENT, n)
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q), public
    )
    return numbers.private_key()


def ec_key(seed: int, name: str) -> ec.EllipticCurvePrivateKey:
    """A brainpoolP256r1 key whose scalar derives from (seed, name)."""
    scalar = derived_int(seed, "ec", name) % (BRAINPOOL_P256R1_ORDER - 1) + 1
    return ec.derive_private_key(scalar, ec.BrainpoolP256R1())
