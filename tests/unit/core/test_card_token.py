"""Rotating card tokens: make_token, verify_code, seconds_to_next, card ids."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty_core.card.token import (
    CardCredential,
    CardToken,
    is_valid_card_id,
    is_valid_prefix,
    make_token,
    new_card_id,
    seconds_to_next,
    verify_code,
)
from loyalty_core.card.totp import decode_secret, new_secret, totp

SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of b"12345678901234567890"
OTHER_SECRET = "JBSWY3DPEHPK3PXP"
CARD = "c0123456789ab"
NOW = 1_700_000_012.5  # step 56666667 starts at 1_700_000_010


def cred(**changes) -> CardCredential:
    values = {"card_id": CARD, "secret": SECRET, "prefix": "ACME"}
    values.update(changes)
    return CardCredential(**values)


def parse(payload: str) -> CardToken:
    prefix, card_id, step_start, code = payload.split(":")
    return CardToken(prefix, card_id, int(step_start), code)


def token_at(step_start: int, secret: str = SECRET, **kwargs) -> CardToken:
    code = totp(decode_secret(secret), step_start, **kwargs)
    return CardToken("ACME", CARD, step_start, code)


def test_secret_constant_is_the_rfc_seed():
    assert decode_secret(SECRET) == b"12345678901234567890"


def test_make_token_payload_shape():
    payload = make_token(cred(), NOW)
    assert payload == f"ACME:{CARD}:1700000010:{totp(b'12345678901234567890', NOW)}"
    token = parse(payload)
    assert token.payload() == payload
    assert len(token.code) == 8


def test_make_token_matches_rfc_vector():
    # RFC 6238: SHA1 at 1111111109 -> 07081804 (step start 1111111080).
    assert make_token(cred(), 1111111109) == f"ACME:{CARD}:1111111080:07081804"


def test_make_token_is_stable_within_a_step_and_changes_at_the_boundary():
    assert make_token(cred(), 1_700_000_010) == make_token(cred(), 1_700_000_039.999)
    assert make_token(cred(), 1_700_000_039.999) != make_token(cred(), 1_700_000_040)


@given(
    now=st.floats(min_value=0, max_value=4e10, allow_nan=False),
    period=st.sampled_from([15, 30, 60]),
    digits=st.integers(min_value=6, max_value=10),
    algorithm=st.sampled_from(["sha1", "sha256", "sha512"]),
)
def test_make_then_verify_round_trip(now, period, digits, algorithm):
    c = cred(period=period, digits=digits, algorithm=algorithm)
    token = parse(make_token(c, now))
    assert token.step_start % period == 0
    assert token.step_start <= now < token.step_start + period
    assert len(token.code) == digits
    assert verify_code(token, SECRET, now, period=period, digits=digits, algorithm=algorithm)


def test_fresh_credential_round_trip():
    c = CardCredential(new_card_id(), new_secret(), "ACME")
    assert verify_code(parse(make_token(c, NOW)), c.secret, NOW)
    assert verify_code(parse(make_token(c, NOW)), c.secret.lower(), NOW)


def test_past_window_edges():
    step_start = 1_700_000_010
    token = token_at(step_start)
    # past_steps=2: accepted while the server is up to two steps later.
    assert verify_code(token, SECRET, step_start)
    assert verify_code(token, SECRET, step_start + 2 * 30 + 29.999)
    assert not verify_code(token, SECRET, step_start + 3 * 30)
    assert verify_code(token, SECRET, step_start + 3 * 30, past_steps=3)
    assert not verify_code(token, SECRET, step_start + 30, past_steps=0)


def test_future_window_edges():
    step_start = 1_700_000_010
    token = token_at(step_start)
    # future_steps=1: a phone clock one step ahead is fine, two is not.
    assert verify_code(token, SECRET, step_start - 30)
    assert verify_code(token, SECRET, step_start - 0.001)
    assert not verify_code(token, SECRET, step_start - 30.001)
    assert verify_code(token, SECRET, step_start - 60, future_steps=2)
    assert not verify_code(token, SECRET, step_start - 1, future_steps=0)


def test_wrong_secret_or_code_is_rejected():
    token = token_at(1_700_000_010)
    assert not verify_code(token, OTHER_SECRET, NOW)
    wrong = dataclasses.replace(token, code=f"{(int(token.code) + 1) % 10**8:08d}")
    assert not verify_code(wrong, SECRET, NOW)


def test_non_multiple_step_start_is_rejected_even_with_matching_code():
    step_start = 1_700_000_011  # not a multiple of 30
    token = token_at(step_start)  # the code for that instant is the step's code
    assert not verify_code(token, SECRET, NOW)
    assert verify_code(dataclasses.replace(token, step_start=1_700_000_010), SECRET, NOW)


@pytest.mark.parametrize(
    "code", ["", "1234567", "123456789", "abcdefgh", "1234567\u0663", "１２３４５６７８"]
)
def test_badly_shaped_codes_are_rejected_without_error(code):
    token = dataclasses.replace(token_at(1_700_000_010), code=code)
    assert verify_code(token, SECRET, NOW) is False


def test_negative_step_start_is_rejected():
    token = dataclasses.replace(token_at(0), step_start=-30)
    assert not verify_code(token, SECRET, 0)


def test_absurdly_large_step_start_is_rejected_without_error():
    # The server also calls verify_code with at=token.step_start (to tell expired from bad).
    step_start = 2**64 * 30
    token = CardToken("ACME", CARD, step_start, "12345678")
    assert verify_code(token, SECRET, step_start, past_steps=0, future_steps=0) is False
    assert verify_code(token, SECRET, float(step_start)) is False


def test_verify_code_with_other_settings():
    token = token_at(1_700_000_010, period=60, digits=6, algorithm="sha256")
    # 1_700_000_010 is not a multiple of 60.
    assert not verify_code(token, SECRET, NOW, period=60, digits=6, algorithm="sha256")
    token = token_at(1_699_999_980, period=60, digits=6, algorithm="sha256")
    assert verify_code(token, SECRET, NOW, period=60, digits=6, algorithm="sha256")
    assert not verify_code(token, SECRET, NOW, period=60, digits=8, algorithm="sha256")
    assert not verify_code(token, SECRET, NOW, period=60, digits=6, algorithm="sha1")


def test_verify_code_rejects_bad_settings():
    token = token_at(1_700_000_010)
    with pytest.raises(ValueError):
        verify_code(token, "not base32!", NOW)
    with pytest.raises(ValueError):
        verify_code(token, SECRET, NOW, past_steps=-1)
    with pytest.raises(ValueError):
        verify_code(token, SECRET, NOW, digits=4)


def test_seconds_to_next():
    c = cred()
    assert seconds_to_next(c, 1_700_000_010) == 30
    assert seconds_to_next(c, 1_700_000_012.5) == pytest.approx(27.5)
    assert seconds_to_next(c, 1_700_000_039) == 1
    assert seconds_to_next(cred(period=60), 1_700_000_012.5) == pytest.approx(27.5)
    assert seconds_to_next(c, -1e-20) == 30


@given(st.floats(min_value=0, max_value=4e10, allow_nan=False))
def test_seconds_to_next_is_in_range_and_lands_on_the_next_token(now):
    c = cred()
    left = seconds_to_next(c, now)
    assert 0 < left <= c.period
    token = parse(make_token(c, now))
    assert token.step_start + c.period == pytest.approx(now + left)


def test_new_card_id_shape():
    ids = {new_card_id() for _ in range(50)}
    assert len(ids) == 50
    for card_id in ids:
        assert is_valid_card_id(card_id)
        assert len(card_id) == 13 and card_id[0] == "c"
        assert all(ch in "0123456789abcdef" for ch in card_id[1:])


@pytest.mark.parametrize(
    "card_id", ["", "c0123456789a", "c0123456789abc", "C0123456789ab", "c0123456789AB", "x" * 13]
)
def test_invalid_card_ids(card_id):
    assert not is_valid_card_id(card_id)
    with pytest.raises(ValueError):
        cred(card_id=card_id)


@pytest.mark.parametrize("prefix", ["", "A B", "A:B", "Ä", "A\n", "x" * 65])
def test_invalid_prefixes(prefix):
    assert not is_valid_prefix(prefix)
    with pytest.raises(ValueError):
        cred(prefix=prefix)


@pytest.mark.parametrize(
    "changes",
    [
        {"secret": "not base32!"},
        {"secret": ""},
        {"period": 0},
        {"digits": 5},
        {"digits": 11},
        {"algorithm": "md5"},
    ],
)
def test_credential_validation(changes):
    with pytest.raises(ValueError):
        cred(**changes)


def test_credential_repr_hides_the_secret():
    assert SECRET not in repr(cred())


def test_make_token_rejects_times_before_the_epoch():
    with pytest.raises(ValueError):
        make_token(cred(), -1)
