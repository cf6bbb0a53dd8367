"""HOTP/TOTP against the published RFC 4226 and RFC 6238 test vectors."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty_core.card.totp import decode_secret, hotp, new_secret, totp, totp_counter

# RFC 6238 Appendix B: the seed is the ASCII "1234567890" repeated to the hash's key size.
SEED_SHA1 = b"12345678901234567890"
SEED_SHA256 = b"12345678901234567890123456789012"
SEED_SHA512 = b"1234567890" * 6 + b"1234"

RFC6238_VECTORS = [
    # (time, sha1, sha256, sha512)
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]

# RFC 4226 Appendix D: counter -> (truncated 31-bit value in decimal, 6-digit HOTP).
RFC4226_VECTORS = [
    (0, 1284755224, "755224"),
    (1, 1094287082, "287082"),
    (2, 137359152, "359152"),
    (3, 1726969429, "969429"),
    (4, 1640338314, "338314"),
    (5, 868254676, "254676"),
    (6, 1918287922, "287922"),
    (7, 82162583, "162583"),
    (8, 673399871, "399871"),
    (9, 645520489, "520489"),
]


def test_seed_lengths_match_the_rfc():
    assert (len(SEED_SHA1), len(SEED_SHA256), len(SEED_SHA512)) == (20, 32, 64)


@pytest.mark.parametrize(("unix_time", "sha1", "sha256", "sha512"), RFC6238_VECTORS)
def test_rfc6238_appendix_b(unix_time, sha1, sha256, sha512):
    assert totp(SEED_SHA1, unix_time, digits=8, algorithm="sha1") == sha1
    assert totp(SEED_SHA256, unix_time, digits=8, algorithm="sha256") == sha256
    assert totp(SEED_SHA512, unix_time, digits=8, algorithm="sha512") == sha512


@pytest.mark.parametrize(("unix_time", "sha1", "sha256", "sha512"), RFC6238_VECTORS)
def test_rfc6238_defaults_are_sha1_8_digits_30_seconds(unix_time, sha1, sha256, sha512):
    assert totp(SEED_SHA1, unix_time) == sha1
    assert totp(SEED_SHA1, float(unix_time)) == sha1


@pytest.mark.parametrize(("counter", "truncated", "code"), RFC4226_VECTORS)
def test_rfc4226_appendix_d(counter, truncated, code):
    assert hotp(SEED_SHA1, counter, digits=6) == code
    # Ten digits show the whole truncated value, zero padded.
    assert hotp(SEED_SHA1, counter, digits=10) == f"{truncated:010d}"


def test_algorithm_names_are_case_and_dash_insensitive():
    assert totp(SEED_SHA256, 59, algorithm="SHA-256") == "46119246"
    with pytest.raises(ValueError):
        totp(SEED_SHA1, 59, algorithm="md5")


def test_totp_counter_floor_and_t0():
    assert totp_counter(59) == 1
    assert totp_counter(60) == 2
    assert totp_counter(59.999999999) == 1
    assert totp_counter(100, period=30, t0=40) == 2
    # Same step, same code; a different t0 moves the step.
    assert totp(SEED_SHA1, 89, t0=30) == totp(SEED_SHA1, 59)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"unix_time": -1}, ValueError),
        ({"unix_time": float("nan")}, ValueError),
        ({"unix_time": float("inf")}, ValueError),
        ({"unix_time": 10, "t0": 20}, ValueError),
        ({"unix_time": 10, "period": 0}, ValueError),
        ({"unix_time": 10, "digits": 5}, ValueError),
        ({"unix_time": 10, "digits": 11}, ValueError),
        ({"unix_time": "10"}, TypeError),
    ],
)
def test_totp_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        totp(SEED_SHA1, **kwargs)


def test_hotp_rejects_bad_counter_and_secret():
    with pytest.raises(ValueError):
        hotp(SEED_SHA1, -1)
    with pytest.raises(ValueError):
        hotp(SEED_SHA1, 2**64)
    assert hotp(SEED_SHA1, 2**64 - 1)  # largest counter is fine
    with pytest.raises(TypeError):
        hotp("12345678901234567890", 0)  # text must be decoded first


def test_new_secret_is_20_random_bytes_as_unpadded_base32():
    secret = new_secret()
    assert len(secret) == 32
    assert "=" not in secret
    assert secret == secret.upper()
    assert len(decode_secret(secret)) == 20
    assert new_secret() != secret


def test_decode_secret_accepts_lower_case_missing_padding_and_spaces():
    raw = b"hello!!"  # 7 bytes: base32 needs padding
    padded = base64.b32encode(raw).decode()
    assert padded.endswith("=")
    assert decode_secret(padded) == raw
    assert decode_secret(padded.rstrip("=")) == raw
    assert decode_secret(padded.rstrip("=").lower()) == raw
    assert decode_secret("JBSW Y3DP EHPK 3PXP") == b"Hello!\xde\xad\xbe\xef"


@pytest.mark.parametrize("bad", ["", "   ", "====", "A", "ABC", "ABCDEF", "AB1CDEFG", "ÄBCDEFGH"])
def test_decode_secret_rejects_invalid_text(bad):
    with pytest.raises(ValueError):
        decode_secret(bad)


@given(st.binary(min_size=1, max_size=64))
def test_secret_round_trip(raw):
    text = base64.b32encode(raw).decode().rstrip("=")
    assert decode_secret(text) == raw
    assert decode_secret(text.lower()) == raw


def test_new_secret_round_trip_gives_same_codes():
    secret = new_secret()
    key = decode_secret(secret)
    assert decode_secret(secret.lower()) == key
    assert totp(key, 1_700_000_000) == totp(decode_secret(secret), 1_700_000_000)
