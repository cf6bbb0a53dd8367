"""The kiosk's scan parser: every result kind, every error kind, and fuzzing."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty_core.card.scan import (
    MAX_SCAN_LENGTH,
    SCAN_ERROR_KINDS,
    VOUCHER_ALPHABET,
    CardScan,
    MemberNumberScan,
    ScanError,
    VoucherScan,
    parse_scan,
)
from loyalty_core.card.token import CardCredential, CardToken, make_token, new_card_id
from loyalty_core.card.totp import new_secret
from loyalty_core.member_number import format_member_number, luhn_check_digit

PREFIX = "ACME"
CARD = "c0123456789ab"
STEP = 1_700_000_010  # a multiple of 30
NOW = STEP + 5
TOKEN = f"{PREFIX}:{CARD}:{STEP}:12345678"
MEMBER = "812345678906"


def scan_error(text: str, *args, **kwargs) -> ScanError:
    with pytest.raises(ScanError) as info:
        parse_scan(text, *args, **kwargs)
    return info.value


def kind_of(text: str, prefix: str = PREFIX, now: float | None = None, **kwargs) -> str:
    return scan_error(text, prefix, now, **kwargs).kind


# --------------------------------------------------------------------------- successes


@pytest.mark.parametrize("suffix", ["", "\r\n", "\n", "\r", "  ", "\t\r\n"])
def test_card_token(suffix):
    result = parse_scan(" " + TOKEN + suffix, PREFIX)
    assert result == CardScan(
        token=CardToken(prefix=PREFIX, card_id=CARD, step_start=STEP, code="12345678"),
        raw=TOKEN,
    )


def test_card_token_within_the_window():
    assert isinstance(parse_scan(TOKEN, PREFIX, NOW), CardScan)
    assert isinstance(parse_scan(TOKEN, PREFIX, STEP + 2 * 30 + 29.9), CardScan)  # 2 back
    assert isinstance(parse_scan(TOKEN, PREFIX, STEP - 30), CardScan)  # 1 ahead


def test_card_token_with_other_period_and_digits():
    token = f"{PREFIX}:{CARD}:1699999980:123456"
    result = parse_scan(token, PREFIX, 1_699_999_990, period=60, digits=6)
    assert isinstance(result, CardScan)
    assert result.token.code == "123456"


def test_step_zero_is_a_valid_step():
    result = parse_scan(f"{PREFIX}:{CARD}:0:12345678", PREFIX)
    assert isinstance(result, CardScan) and result.token.step_start == 0


@pytest.mark.parametrize("code", ["ABCDEFGH", "ABCDEFGHJKLM", "23456789", "ZZZZ9999"])
def test_voucher(code):
    raw = f"{PREFIX}-V:{code}"
    assert parse_scan(raw + "\r\n", PREFIX) == VoucherScan(code=code, raw=raw)


def test_voucher_ignores_the_time_window():
    assert isinstance(parse_scan(f"{PREFIX}-V:ABCDEFGH", PREFIX, NOW), VoucherScan)


@pytest.mark.parametrize(
    "text",
    [MEMBER, "8123 4567 8906", "8123-4567-8906", "  8123 4567 8906\r\n", "81 23 45 67 89 06"],
)
def test_member_number(text):
    assert parse_scan(text, PREFIX) == MemberNumberScan(number=MEMBER)
    assert parse_scan(text, PREFIX, NOW) == MemberNumberScan(number=MEMBER)


def test_prefix_with_punctuation():
    prefix = "acme.loyalty-2"
    token = f"{prefix}:{CARD}:{STEP}:12345678"
    assert parse_scan(token, prefix).token.prefix == prefix
    assert parse_scan(f"{prefix}-V:ABCDEFGH", prefix).code == "ABCDEFGH"


# --------------------------------------------------------------------------- error kinds


@pytest.mark.parametrize("text", ["", " ", "\r\n", "\t \n"])
def test_empty(text):
    error = scan_error(text, PREFIX)
    assert error.kind == "empty"
    assert error.message and str(error) == error.message


def test_too_long():
    assert kind_of("A" * (MAX_SCAN_LENGTH + 1)) == "too_long"
    assert kind_of(TOKEN + ":" + "1" * MAX_SCAN_LENGTH) == "too_long"
    # The limit applies after the scanner's Enter and padding are stripped.
    assert kind_of("A" * MAX_SCAN_LENGTH + "\r\n") == "not_ours"
    assert kind_of("  " + "A" * MAX_SCAN_LENGTH + "  ") == "not_ours"


@pytest.mark.parametrize(
    "text",
    [
        f"OTHER:{CARD}:{STEP}:12345678",  # another programme's card
        f"acme:{CARD}:{STEP}:12345678",  # prefixes are case sensitive
        f"ACMEX:{CARD}:{STEP}:12345678",  # starts with our prefix, but is not ours
        "OTHER-V:ABCDEFGH",
        "ACME-X:ABCDEFGH",
        "ACMEV:ABCDEFGH",
        "ABCDEFGH",  # a bare voucher code is not accepted
        "https://example.test/offer",
        "hello world",
        "4006381333931",  # an EAN-13 product barcode
        "8123 4567 890",  # 11 digits
        "8123 4567 89066",  # 13 digits
        "----",
        "OTHER\x00:1",  # control characters in text that is not ours
        "8123\t4567\t8906",  # a tab is a control character
        "\ufeff" + MEMBER,  # byte order mark
        "８１２３４５６７８９０６",  # full-width digits
        "\ud800",  # a lone surrogate (st.text() never generates these)
        "812345678906\udfff",
    ],
)
def test_not_ours(text):
    assert kind_of(text) == "not_ours"


@pytest.mark.parametrize(
    "text",
    [
        "ACME",
        "ACME:",
        "ACME:::",
        f"ACME:{CARD}",
        f"ACME:{CARD}:{STEP}",
        f"ACME:{CARD}:{STEP}:12345678:extra",
        f"ACME:{CARD}:{STEP}:1234567",  # code too short
        f"ACME:{CARD}:{STEP}:123456789",  # code too long
        f"ACME:{CARD}:{STEP}:1234567a",
        f"ACME:{CARD}:{STEP}:1234567\u0663",  # Arabic-Indic digit
        f"ACME:{CARD}:{STEP + 1}:12345678",  # not a multiple of the period
        f"ACME:{CARD}:-30:12345678",
        f"ACME:{CARD}:+30:12345678",
        f"ACME:{CARD}:030:12345678",  # not canonical
        f"ACME:{CARD}:3e1:12345678",
        f"ACME:{CARD}:{2**64 * 30}:12345678",  # beyond the 64-bit TOTP counter
        f"ACME:{CARD}:{'9' * 200}0:12345678",
        f"ACME:{CARD}::12345678",
        f"ACME:{CARD}:\u0663\u0660:12345678",
        f"ACME:C0123456789AB:{STEP}:12345678",  # card ids are lower case
        f"ACME:c0123456789a:{STEP}:12345678",
        f"ACME:c0123456789abc:{STEP}:12345678",
        f"ACME::{STEP}:12345678",
        f"ACME: {CARD}:{STEP}:12345678",
        f"ACME:{CARD}:{STEP}:12345678\x00",  # control character in our token
        f"ACME:{CARD}\u200b:{STEP}:12345678",  # zero-width space
        f"ACME:{CARD}:{STEP}\n:12345678",
        "ACME-V",
        "ACME-V:",
        "ACME-V:ABCDEFG",  # 7 characters
        "ACME-V:ABCDEFGHJKLMN",  # 13 characters
        "ACME-V:ABCDEFGI",  # I is not in the alphabet
        "ACME-V:ABCDEFGO",
        "ACME-V:ABCDEFG0",
        "ACME-V:ABCDEFG1",
        "ACME-V:abcdefgh",  # lower case
        "ACME-V:ABCD EFGH",
        "ACME-V:ABCD\x07EFGH",
        "ACME-V:ABCDEFG\ud800",
        f"ACME:{CARD}:{STEP}:\udc8012345678",
    ],
)
def test_malformed(text):
    assert kind_of(text) == "malformed"


@pytest.mark.parametrize("text", ["812345678907", "8123 4567 8907", "8123-4567-8960"])
def test_bad_check_digit(text):
    assert kind_of(text) == "bad_check_digit"


def test_expired_with_past_steps():
    assert kind_of(TOKEN, now=STEP + 3 * 30) == "expired"
    assert kind_of(TOKEN, now=STEP + 30, past_steps=0) == "expired"
    assert isinstance(parse_scan(TOKEN, PREFIX, STEP + 3 * 30, past_steps=3), CardScan)


def test_future():
    assert kind_of(TOKEN, now=STEP - 30.001) == "future"
    assert kind_of(TOKEN, now=STEP - 1, future_steps=0) == "future"
    assert isinstance(parse_scan(TOKEN, PREFIX, STEP - 60, future_steps=2), CardScan)


def test_no_time_checks_without_now():
    old = f"{PREFIX}:{CARD}:30:12345678"
    assert isinstance(parse_scan(old, PREFIX), CardScan)
    assert kind_of(old, now=NOW) == "expired"


def test_max_age_replaces_the_past_window():
    hour_old = STEP + 3600
    assert kind_of(TOKEN, now=hour_old) == "expired"
    assert isinstance(parse_scan(TOKEN, PREFIX, hour_old, max_age=3600), CardScan)
    assert kind_of(TOKEN, now=hour_old + 0.5, max_age=3600) == "expired"
    # max_age also applies when it is shorter than the step window.
    assert kind_of(TOKEN, now=STEP + 10, max_age=5) == "expired"
    # The future check still uses future_steps.
    assert kind_of(TOKEN, now=STEP - 31, max_age=3600) == "future"


def test_malformed_wins_over_window_checks():
    assert kind_of(f"ACME:{CARD}:{STEP}:1234567", now=0) == "malformed"


def test_every_error_kind_is_covered_and_documented():
    seen = {
        kind_of(""),
        kind_of("x" * 300),
        kind_of("OTHER:1"),
        kind_of("ACME:1"),
        kind_of("812345678907"),
        kind_of(TOKEN, now=STEP + 3600),
        kind_of(TOKEN, now=STEP - 3600),
    }
    kinds = {"empty", "too_long", "not_ours", "malformed", "bad_check_digit", "expired", "future"}
    assert seen == kinds
    assert kinds == SCAN_ERROR_KINDS


# --------------------------------------------------------------------------- ScanError


def test_scan_error_is_a_value_error_with_kind_and_message():
    error = ScanError("expired")
    assert isinstance(error, ValueError)
    assert error.kind == "expired" and "expired" in error.message
    custom = ScanError("malformed", "Broken.")
    assert custom.message == str(custom) == "Broken."
    with pytest.raises(ValueError):
        ScanError("nonsense")  # type: ignore[arg-type]


def test_scan_error_pickles():
    error = pickle.loads(pickle.dumps(ScanError("future", "Too soon.")))
    assert (error.kind, error.message) == ("future", "Too soon.")


def test_default_messages_are_english_sentences():
    for kind in SCAN_ERROR_KINDS:
        message = ScanError(kind).message  # type: ignore[arg-type]
        assert message[0].isupper() and message.endswith(".")


def test_non_text_input_is_a_scan_error():
    assert kind_of(None) == "malformed"  # type: ignore[arg-type]
    assert kind_of(TOKEN.encode()) == "malformed"  # type: ignore[arg-type]


# --------------------------------------------------------------------------- bad settings


@pytest.mark.parametrize(
    "kwargs",
    [
        {"prefix": ""},
        {"prefix": "A B"},
        {"prefix": "A:B"},
        {"now": float("nan")},
        {"now": float("inf")},
        {"period": 0},
        {"digits": 5},
        {"digits": 11},
        {"past_steps": -1},
        {"future_steps": -1},
        {"max_age": -1},
        {"max_age": float("inf")},
    ],
)
def test_bad_settings_are_programming_errors_not_scan_errors(kwargs):
    arguments = {"prefix": PREFIX, **kwargs}
    with pytest.raises(ValueError) as info:
        parse_scan(TOKEN, **arguments)
    assert not isinstance(info.value, ScanError)


# --------------------------------------------------------------------------- properties

latin1_text = st.binary(max_size=300).map(lambda raw: raw.decode("latin-1"))
any_text = st.text(st.characters(exclude_categories=()), max_size=300)
fragments = st.sampled_from(
    [PREFIX, ":", "-V:", "-V", CARD, str(STEP), "12345678", "ABCDEFGH", "8123", " ", "-"]
)
near_misses = st.lists(
    st.one_of(fragments, st.text(max_size=5), st.from_regex(r"[0-9]{1,14}", fullmatch=True)),
    max_size=8,
).map("".join)
nows = st.one_of(st.none(), st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
ALLOWED = (CardScan, VoucherScan, MemberNumberScan)


def check_never_raises_anything_but_scan_error(text: str, now: float | None, max_age) -> None:
    try:
        result = parse_scan(text, PREFIX, now, max_age=max_age)
    except ScanError as error:
        assert error.kind in SCAN_ERROR_KINDS
        assert isinstance(error.message, str) and error.message
    else:
        assert isinstance(result, ALLOWED)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(st.text(), any_text, latin1_text, near_misses),
    now=nows,
    max_age=st.one_of(st.none(), st.floats(min_value=0, max_value=1e6)),
)
def test_parse_scan_returns_a_result_or_raises_scan_error(text, now, max_age):
    check_never_raises_anything_but_scan_error(text, now, max_age)


@given(st.binary().map(lambda raw: raw.decode("latin-1")))
def test_parse_scan_on_arbitrary_latin1_bytes(text):
    check_never_raises_anything_but_scan_error(text, None, None)


@given(st.text())
def test_parse_scan_on_arbitrary_text(text):
    check_never_raises_anything_but_scan_error(text, NOW, None)


prefixes = st.from_regex(r"[!-9;-~]{1,16}", fullmatch=True)


@given(
    prefix=prefixes,
    now=st.floats(min_value=0, max_value=1e11, allow_nan=False),
    period=st.sampled_from([15, 30, 60]),
    digits=st.integers(min_value=6, max_value=10),
    algorithm=st.sampled_from(["sha1", "sha256", "sha512"]),
)
def test_make_token_parses_back_exactly(prefix, now, period, digits, algorithm):
    cred = CardCredential(
        card_id=new_card_id(),
        secret=new_secret(),
        prefix=prefix,
        period=period,
        digits=digits,
        algorithm=algorithm,
    )
    payload = make_token(cred, now)
    result = parse_scan(payload + "\r\n", prefix, now, period=period, digits=digits)
    assert isinstance(result, CardScan)
    assert result.raw == payload
    assert result.token.payload() == payload
    assert result.token.prefix == prefix
    assert result.token.card_id == cred.card_id
    assert result.token.step_start == int(now // period) * period


@given(st.text(alphabet=VOUCHER_ALPHABET, min_size=8, max_size=12))
def test_voucher_payload_parses_back(code):
    assert parse_scan(f"{PREFIX}-V:{code}", PREFIX) == VoucherScan(code, f"{PREFIX}-V:{code}")


@given(st.integers(min_value=0, max_value=10**11 - 1))
def test_formatted_member_number_parses_back(n):
    body = f"{n:011d}"
    number = body + luhn_check_digit(body)
    assert parse_scan(format_member_number(number), PREFIX) == MemberNumberScan(number)
