"""Wording rules a member would notice: one word for points in each Chinese script, referral
sentences that agree with when the programme pays (the friend's first purchase), a multiplier
of 1 not shown as news, and a refused e-mail called an e-mail."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from loyalty_app.domain.tiers import extra_multiplier
from loyalty_app.i18n import CATALOGUES, t
from loyalty_server.programme.load import load_programme

ROOT = Path(__file__).resolve().parents[4]
PROGRAMMES = sorted((ROOT / "src" / "loyalty_server" / "programmes").glob("*.toml"))
# The word for "points" in each Chinese script, and the other word it must not be mixed with.
POINTS_WORD = {"zh-Hans": ("积分", "点数"), "zh-Hant": ("積分", "點數")}
FIRST_PURCHASE = {"en": "first purchase", "zh-Hans": "首次消费", "zh-Hant": "首次消費"}


def _programme_texts(lang: str) -> list[str]:
    texts = []
    for path in PROGRAMMES:
        programme = load_programme(path)
        texts += [b[lang] for tier in programme.tiers for b in tier.benefits]
        texts += [text for reward in programme.rewards for text in _texts_of(reward, lang)]
    return texts


def _texts_of(thing: object, lang: str) -> list[str]:
    return [
        value[lang]
        for value in vars(thing).values()
        if isinstance(value, dict) and isinstance(value.get(lang), str)
    ]


@pytest.mark.parametrize("lang", sorted(POINTS_WORD))
def test_one_word_for_points_in_each_chinese_script(lang):
    word, other = POINTS_WORD[lang]
    catalogue = [f"{key}: {text}" for key, text in CATALOGUES[lang].items() if other in text]
    programme = [text for text in _programme_texts(lang) if other in text]
    assert catalogue == [] and programme == [], f"{lang} says {other}, not {word}"
    assert any(word in text for text in CATALOGUES[lang].values())


@pytest.mark.parametrize("path", PROGRAMMES, ids=lambda p: p.stem)
def test_referral_benefits_say_the_bonus_comes_with_the_friends_first_purchase(path):
    """The server pays both referral bonuses when the invited friend first buys something,
    never on joining (tests/integration/server/test_member_api.py:
    test_referral_bonus_is_paid_to_both_on_the_first_purchase_and_only_once)."""
    programme = load_programme(path)
    points = str(programme.referral.referrer_points)
    about_referrals = [
        benefit
        for tier in programme.tiers
        for benefit in tier.benefits
        if points in benefit["en"] and "friend" in benefit["en"]
    ]
    for benefit in about_referrals:
        for lang, words in FIRST_PURCHASE.items():
            assert words in benefit[lang], f"{lang}: {benefit[lang]!r}"


@pytest.mark.parametrize("lang", sorted(FIRST_PURCHASE))
def test_the_invite_screen_says_the_same(lang):
    pitch = t(lang, "referral.pitch", referee=250, referrer=500)
    assert FIRST_PURCHASE[lang] in pitch
    assert FIRST_PURCHASE[lang] in t(lang, "reason.referral_reward")


@pytest.mark.parametrize(
    "value,shown",
    [("1.0", None), ("1", None), ("1.00", None), ("1.25", "1.25"), ("1.50", "1.5"), ("2.0", "2")],
)
def test_a_multiplier_is_shown_only_when_it_is_not_1(value, shown):
    extra = extra_multiplier(Decimal(value))
    assert (None if extra is None else str(extra)) == shown


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_no_tier_line_promises_times_one(lang):
    assert "1.0" not in t(lang, "tier.threshold", points="0")


@pytest.mark.parametrize(
    "lang,email_word,phone_word",
    [("en", "e-mail", "phone"), ("zh-Hans", "邮箱", "手机"), ("zh-Hant", "郵件", "手機")],
)
def test_a_refused_e_mail_address_is_called_an_e_mail_address(lang, email_word, phone_word):
    said = t(lang, "err.invalid-email")
    assert email_word in said and phone_word not in said
