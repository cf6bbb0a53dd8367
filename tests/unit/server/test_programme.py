"""Loading and validating loyalty programme files."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from loyalty_server.programme import (
    LANGUAGES,
    Programme,
    ProgrammeError,
    demo_programme_path,
    load_programme,
)

# A small but complete programme; tests break one thing at a time.
HEADER = """\
id = "test-shop"
currency = "EUR"
currency_decimals = 2
earn_points_per_unit = 1
rounding = "floor"
max_purchase_amount = 500
card_prefix = "TS"
qualifying_window_months = 12
expiry_months = 6
expiry_warning_days = 14
pending_hold_days = 0

[brand]
name = { en = "Test Shop", zh-Hans = "测试店", zh-Hant = "測試店" }
primary_colour = "#112233"

[referral]
referrer_points = 100
referee_points = 50

[birthday]
points = 10

[categories]
drinks = { en = "Drinks", zh-Hans = "饮品", zh-Hant = "飲品" }
"""

PUNCH = """
[punch_card]
visits = 5
reward_id = "coffee"
name = { en = "Card", zh-Hans = "集章卡", zh-Hant = "集章卡" }
"""

TIERS = """
[[tiers]]
code = "base"
name = { en = "Base", zh-Hans = "基础", zh-Hant = "基礎" }
qualifying_points = 0
multiplier = 1
colour = "#000000"
benefits = []

[[tiers]]
code = "silver"
name = { en = "Silver", zh-Hans = "银卡", zh-Hant = "銀卡" }
qualifying_points = 100
multiplier = 1.5
colour = "#C0C0C0"
benefits = [{ en = "More points", zh-Hans = "更多积分", zh-Hant = "更多積分" }]

[[tiers]]
code = "top"
name = { en = "Top", zh-Hans = "顶级", zh-Hant = "頂級" }
qualifying_points = 500
multiplier = 2
colour = "#FFD700"
benefits = []
"""

REWARDS = """
[[rewards]]
id = "coffee"
name = { en = "Coffee", zh-Hans = "咖啡", zh-Hant = "咖啡" }
description = { en = "A coffee", zh-Hans = "一杯咖啡", zh-Hant = "一杯咖啡" }
terms = { en = "One per voucher", zh-Hans = "每券一杯", zh-Hant = "每券一杯" }
category = "drinks"
cost = 100
voucher_valid_days = 30
"""

VALID = HEADER + PUNCH + TIERS + REWARDS


def write(tmp_path: Path, text: str, name: str = "shop.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def changed(old: str, new: str, text: str = VALID) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once in the test programme"
    return text.replace(old, new)


def all_texts(programme: Programme) -> list[tuple[str, dict]]:
    """Every customer-facing text of a programme, with where it comes from."""
    texts: list[tuple[str, dict]] = [("brand.name", programme.brand.name)]
    texts += [(f"categories.{code}", t) for code, t in programme.categories.items()]
    for tier in programme.tiers:
        texts.append((f"tier {tier.code} name", tier.name))
        texts += [(f"tier {tier.code} benefit", b) for b in tier.benefits]
    for reward in programme.rewards:
        for field in ("name", "description", "terms"):
            texts.append((f"reward {reward.id} {field}", getattr(reward, field)))
    if programme.punch_card is not None:
        texts.append(("punch_card.name", programme.punch_card.name))
    return texts


# --------------------------------------------------------------------------- demo file


def test_demo_programme_is_packaged_next_to_the_server_code():
    path = demo_programme_path()
    assert path.name == "harbor_coffee.toml"
    assert path.parent.name == "programmes"
    assert path.parent.parent.name == "loyalty_server"
    assert path.is_file()


def test_demo_programme_loads_with_the_harbor_coffee_settings():
    programme = load_programme(demo_programme_path())

    assert programme.id == "harbor-coffee"
    assert programme.brand.name == {
        "en": "Harbor Coffee",
        "zh-Hans": "港湾咖啡",
        "zh-Hant": "港灣咖啡",
    }
    assert programme.currency == "USD"
    assert programme.currency_decimals == 2
    assert programme.earn_points_per_unit == Decimal(10)
    assert programme.rounding == "floor"
    assert programme.max_purchase_amount == Decimal(1000)
    assert programme.card_prefix == "HBR"
    assert programme.qualifying_window_months == 12
    assert programme.expiry_months == 12
    assert programme.expiry_warning_days == 30
    assert programme.pending_hold_days == 0
    assert programme.referral.referrer_points == 500
    assert programme.referral.referee_points == 250
    assert programme.birthday is not None and programme.birthday.points == 300
    assert programme.birthday.notice_days == 30
    assert programme.punch_card is not None
    assert programme.punch_card.visits == 9
    assert programme.punch_card.reward_id == "handcrafted-drink"


def test_demo_programme_has_green_gold_and_reserve_tiers():
    programme = load_programme(demo_programme_path())

    assert [t.code for t in programme.tiers] == ["green", "gold", "reserve"]
    assert [t.qualifying_points for t in programme.tiers] == [0, 3000, 8000]
    assert [t.multiplier for t in programme.tiers] == [
        Decimal("1.0"),
        Decimal("1.25"),
        Decimal("1.5"),
    ]
    for tier in programme.tiers:
        assert len(tier.benefits) >= 3
        assert tier.colour.startswith("#") and len(tier.colour) == 7


def test_demo_programme_rewards_cover_every_category():
    programme = load_programme(demo_programme_path())

    assert set(programme.categories) == {"drinks", "food", "merchandise", "experiences"}
    assert {r.category for r in programme.rewards} == set(programme.categories)
    assert len(programme.rewards) >= 12

    mug = programme.reward("ceramic-mug")
    assert mug is not None and (mug.cost, mug.stock) == (4000, 25)
    shot = programme.reward("extra-shot")
    assert shot is not None and shot.cost == 250 and shot.stock is None
    assert shot.image == "harbor_coffee/rewards/espresso-shot.svg"
    latte_art = programme.reward("latte-art-class")
    assert latte_art is not None
    assert latte_art.min_tier == "reserve"
    assert latte_art.stock == 8
    assert latte_art.valid_until is not None and latte_art.valid_until.year == 2027


def test_every_demo_text_is_given_in_english_simplified_and_traditional_chinese():
    programme = load_programme(demo_programme_path())

    texts = all_texts(programme)
    assert len(texts) > 50
    for where, text in texts:
        assert set(text) == set(LANGUAGES), where
        assert all(value.strip() for value in text.values()), where
        assert text["en"] != text["zh-Hans"], where


def test_demo_programme_helpers_find_tiers_and_rewards():
    programme = load_programme(demo_programme_path())

    assert programme.tier("gold").multiplier == Decimal("1.25")
    with pytest.raises(KeyError):
        programme.tier("platinum")
    assert programme.reward("no-such-reward") is None


# --------------------------------------------------------------------------- valid files


def test_minimal_programme_loads(tmp_path):
    programme = load_programme(write(tmp_path, VALID))

    assert programme.id == "test-shop"
    assert programme.tiers[1].multiplier == Decimal("1.5")
    assert programme.tiers[1].benefits[0]["zh-Hant"] == "更多積分"
    assert programme.reward("coffee").voucher_valid_days == 30
    assert programme.brand.logo is None
    assert programme.brand.link_base == ""


def test_programme_fields_are_exactly_the_documented_ones():
    assert [f.name for f in fields(Programme)] == [
        "id",
        "brand",
        "currency",
        "earn_points_per_unit",
        "rounding",
        "tiers",
        "qualifying_window_months",
        "expiry_months",
        "expiry_warning_days",
        "pending_hold_days",
        "referral",
        "rewards",
        "categories",
        "punch_card",
        "birthday",
        "card_prefix",
        "max_purchase_amount",
        "currency_decimals",
        "time_zone",
        "void_window_hours",
        "offers",
        "challenges",
    ]


def test_decimal_settings_are_exact_not_binary_floats(tmp_path):
    text = changed("earn_points_per_unit = 1\n", "earn_points_per_unit = 0.1\n")
    programme = load_programme(write(tmp_path, text))

    assert programme.earn_points_per_unit == Decimal("0.1")
    assert programme.tiers[1].multiplier == Decimal("1.5")


def test_optional_sections_may_be_left_out(tmp_path):
    text = changed("expiry_months = 6\n", "")
    text = changed("[birthday]\npoints = 10\n", "", text)
    text = changed(PUNCH, "", text)
    text = changed(REWARDS, "", text)
    programme = load_programme(write(tmp_path, text))

    assert programme.expiry_months is None
    assert programme.birthday is None
    assert programme.punch_card is None
    assert programme.rewards == ()


def test_reward_optional_fields_are_read(tmp_path):
    extra = 'stock = 3\nvalid_until = 2027-06-30\nimage = "rewards/c.png"\nmin_tier = "silver"\n'
    text = changed("cost = 100\n", "cost = 100\n" + extra)
    reward = load_programme(write(tmp_path, text)).reward("coffee")

    assert reward.stock == 3
    assert reward.valid_until == date(2027, 6, 30)
    assert reward.image == "rewards/c.png"
    assert reward.min_tier == "silver"


def test_stock_of_zero_means_sold_out_not_unlimited(tmp_path):
    text = changed("cost = 100\n", "cost = 100\nstock = 0\n")
    assert load_programme(write(tmp_path, text)).reward("coffee").stock == 0


# --------------------------------------------------------------------------- errors


def expect_error(tmp_path: Path, text: str, message: str) -> ProgrammeError:
    with pytest.raises(ProgrammeError) as info:
        load_programme(write(tmp_path, text))
    assert str(info.value).startswith(message), str(info.value)
    return info.value


def test_error_names_the_file_and_the_key(tmp_path):
    error = expect_error(
        tmp_path,
        changed("multiplier = 2\n", "multiplier = 0.5\n"),
        "shop.toml: tiers[2].multiplier must be a number >= 1",
    )
    assert isinstance(error, ValueError)
    assert error.file == "shop.toml"
    assert error.key == "tiers[2].multiplier"


def test_missing_file_is_a_programme_error(tmp_path):
    with pytest.raises(ProgrammeError, match=r"^absent\.toml: cannot read the file"):
        load_programme(tmp_path / "absent.toml")


def test_invalid_toml_is_a_programme_error(tmp_path):
    expect_error(tmp_path, VALID + "\nthis is not toml\n", "shop.toml: not valid TOML")


# fmt: off
ERROR_CASES = [
    # (test id, old, new, expected message)
    ("unknown-top-level-key", 'id = "test-shop"\n', 'id = "test-shop"\ncolor = 1\n',
     "shop.toml: color is not a known key"),
    ("unknown-reward-key", "cost = 100\n", "cost = 100\nprice = 5\n",
     "shop.toml: rewards[0].price is not a known key"),
    ("unknown-tier-key", "multiplier = 2\n", "multiplier = 2\nmultipler = 2\n",
     "shop.toml: tiers[2].multipler is not a known key"),
    ("unknown-brand-key", 'primary_colour = "#112233"\n',
     'primary_colour = "#112233"\nslogan = "x"\n', "shop.toml: brand.slogan is not a known key"),
    ("missing-required-key", 'card_prefix = "TS"\n', "", "shop.toml: card_prefix is required"),
    ("missing-reward-cost", "cost = 100\n", "", "shop.toml: rewards[0].cost is required"),
    ("missing-language", ', zh-Hant = "測試店" }', " }",
     "shop.toml: brand.name.zh-Hant is required"),
    ("extra-language", 'zh-Hant = "測試店" }', 'zh-Hant = "測試店", fr = "Boutique" }',
     "shop.toml: brand.name.fr is not a known key"),
    ("empty-text", 'en = "Test Shop"', 'en = "  "', "shop.toml: brand.name.en must be a non-empty"),
    ("text-not-a-table", 'name = { en = "Test Shop", zh-Hans = "测试店", zh-Hant = "測試店" }',
     'name = "Test Shop"', "shop.toml: brand.name must be a table of texts"),
    ("benefit-missing-language", ', zh-Hant = "更多積分" }', " }",
     "shop.toml: tiers[1].benefits[0].zh-Hant is required"),
    ("lowercase-currency", 'currency = "EUR"', 'currency = "eur"',
     "shop.toml: currency must be 3 uppercase letters"),
    ("long-currency", 'currency = "EUR"', 'currency = "EURO"',
     "shop.toml: currency must be 3 uppercase letters"),
    ("currency-decimals-out-of-range", "currency_decimals = 2", "currency_decimals = 9",
     "shop.toml: currency_decimals must be a whole number between 0 and 4"),
    ("zero-earn-rate", "earn_points_per_unit = 1\n", "earn_points_per_unit = 0\n",
     "shop.toml: earn_points_per_unit must be a number > 0"),
    ("earn-rate-as-string", "earn_points_per_unit = 1\n", 'earn_points_per_unit = "1"\n',
     "shop.toml: earn_points_per_unit must be a number > 0"),
    ("unknown-rounding", 'rounding = "floor"', 'rounding = "nearest"',
     "shop.toml: rounding must be one of"),
    ("negative-max-purchase", "max_purchase_amount = 500", "max_purchase_amount = -5",
     "shop.toml: max_purchase_amount must be a number > 0"),
    ("max-purchase-with-too-many-decimals", "max_purchase_amount = 500",
     "max_purchase_amount = 500.555",
     "shop.toml: max_purchase_amount must have at most 2 decimal places"),
    ("card-prefix-with-colon", 'card_prefix = "TS"', 'card_prefix = "T:S"',
     "shop.toml: card_prefix must be 2-8 uppercase letters or digits"),
    ("card-prefix-lowercase", 'card_prefix = "TS"', 'card_prefix = "ts"',
     "shop.toml: card_prefix must be 2-8 uppercase letters or digits"),
    ("card-prefix-too-short", 'card_prefix = "TS"', 'card_prefix = "T"',
     "shop.toml: card_prefix must be 2-8 uppercase letters or digits"),
    ("card-prefix-too-long", 'card_prefix = "TS"', 'card_prefix = "ABCDEFGHI"',
     "shop.toml: card_prefix must be 2-8 uppercase letters or digits"),
    ("zero-window", "qualifying_window_months = 12", "qualifying_window_months = 0",
     "shop.toml: qualifying_window_months must be a whole number between 1 and 120"),
    ("zero-expiry", "expiry_months = 6", "expiry_months = 0",
     "shop.toml: expiry_months must be a whole number between 1 and 120"),
    ("negative-warning", "expiry_warning_days = 14", "expiry_warning_days = -1",
     "shop.toml: expiry_warning_days must be a whole number between 0 and 365"),
    ("boolean-is-not-a-number", "pending_hold_days = 0", "pending_hold_days = true",
     "shop.toml: pending_hold_days must be a whole number between 0 and 365"),
    ("bad-id", 'id = "test-shop"', 'id = "Test Shop"', "shop.toml: id must be 1-40 lowercase"),
    ("bad-brand-colour", 'primary_colour = "#112233"', 'primary_colour = "blue"',
     'shop.toml: brand.primary_colour must be a colour like "#1E7B5A"'),
    ("bad-link-base", 'primary_colour = "#112233"\n',
     'primary_colour = "#112233"\nlink_base = "harbor.coffee/join"\n',
     "shop.toml: brand.link_base must be"),
    ("negative-referral", "referee_points = 50", "referee_points = -50",
     "shop.toml: referral.referee_points must be a whole number >= 0"),
    ("zero-birthday-points", "[birthday]\npoints = 10", "[birthday]\npoints = 0",
     "shop.toml: birthday.points must be a whole number >= 1"),
    ("negative-birthday-notice", "[birthday]\npoints = 10",
     "[birthday]\npoints = 10\nnotice_days = -1",
     "shop.toml: birthday.notice_days must be a whole number between 0 and 365"),
    ("bad-category-code", 'drinks = { en = "Drinks"', '"Hot Drinks" = { en = "Drinks"',
     "shop.toml: categories.Hot Drinks must be 1-40 lowercase"),
    ("first-tier-above-zero", "qualifying_points = 0\n", "qualifying_points = 10\n",
     "shop.toml: tiers[0].qualifying_points must be 0 for the first tier"),
    ("tiers-out-of-order", "qualifying_points = 100\n", "qualifying_points = 600\n",
     "shop.toml: tiers[2].qualifying_points must be greater than the previous tier's (600)"),
    ("duplicate-tier-code", 'code = "top"', 'code = "silver"',
     'shop.toml: tiers[2].code "silver" is already used by another tier'),
    ("tier-multiplier-below-one", "multiplier = 1.5", "multiplier = 0.9",
     "shop.toml: tiers[1].multiplier must be a number >= 1"),
    ("bad-tier-colour", 'colour = "#000000"', 'colour = "#00000"',
     "shop.toml: tiers[0].colour must be a colour"),
    ("benefits-not-a-list", "benefits = []\n\n[[tiers]]\ncode = \"silver\"",
     "benefits = \"none\"\n\n[[tiers]]\ncode = \"silver\"",
     "shop.toml: tiers[0].benefits must be an array of texts"),
    ("reward-unknown-category", 'category = "drinks"', 'category = "snacks"',
     "shop.toml: rewards[0].category must be one of the [categories]: drinks"),
    ("reward-unknown-min-tier", "cost = 100\n", 'cost = 100\nmin_tier = "platinum"\n',
     "shop.toml: rewards[0].min_tier must be one of the tier codes: base, silver, top"),
    ("reward-zero-cost", "cost = 100\n", "cost = 0\n",
     "shop.toml: rewards[0].cost must be a whole number >= 1"),
    ("reward-fractional-cost", "cost = 100\n", "cost = 99.5\n",
     "shop.toml: rewards[0].cost must be a whole number >= 1"),
    ("reward-negative-stock", "cost = 100\n", "cost = 100\nstock = -1\n",
     "shop.toml: rewards[0].stock must be a whole number >= 0"),
    ("reward-date-as-string", "cost = 100\n", 'cost = 100\nvalid_until = "2027-06-30"\n',
     "shop.toml: rewards[0].valid_until must be a date like 2027-06-30"),
    ("reward-date-with-time", "cost = 100\n", "cost = 100\nvalid_until = 2027-06-30T12:00:00Z\n",
     "shop.toml: rewards[0].valid_until must be a date like 2027-06-30"),
    ("reward-empty-image", "cost = 100\n", 'cost = 100\nimage = ""\n',
     "shop.toml: rewards[0].image must be a non-empty string"),
    ("reward-zero-voucher-days", "voucher_valid_days = 30", "voucher_valid_days = 0",
     "shop.toml: rewards[0].voucher_valid_days must be a whole number between 1 and 3650"),
    ("duplicate-reward-id", REWARDS, REWARDS + REWARDS,
     'shop.toml: rewards[1].id "coffee" is already used by another reward'),
    ("punch-card-unknown-reward", 'reward_id = "coffee"', 'reward_id = "tea"',
     "shop.toml: punch_card.reward_id must be the id of one of the [[rewards]]"),
    ("punch-card-zero-visits", "visits = 5", "visits = 0",
     "shop.toml: punch_card.visits must be a whole number between 1 and 100"),
]
# fmt: on


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [case[1:] for case in ERROR_CASES],
    ids=[case[0] for case in ERROR_CASES],
)
def test_invalid_programme_is_rejected_naming_file_and_key(tmp_path, old, new, message):
    expect_error(tmp_path, changed(old, new), message)


def test_missing_tiers_are_reported(tmp_path):
    expect_error(tmp_path, HEADER + PUNCH + REWARDS, "shop.toml: tiers is required")


def test_empty_tier_list_is_reported(tmp_path):
    text = changed('id = "test-shop"\n', 'id = "test-shop"\ntiers = []\n', HEADER)
    expect_error(tmp_path, text + PUNCH + REWARDS, "shop.toml: tiers must list at least one tier")


def test_unknown_key_error_lists_the_known_keys(tmp_path):
    error = expect_error(
        tmp_path,
        changed("[birthday]\npoints = 10", "[birthday]\npoints = 10\nbonus = 5"),
        "shop.toml: birthday.bonus is not a known key",
    )
    assert "expected one of: points" in str(error)


# fmt: off
MORE_ERROR_CASES = [
    # (test id, old, new, expected message)
    ("unknown-key-in-optional-table", "visits = 5", "visits = 5\nbonus = 1",
     "shop.toml: punch_card.bonus is not a known key (expected one of: visits, reward_id, name)"),
    ("unknown-language-in-category", 'drinks = { en = "Drinks"',
     'drinks = { fr = "x", en = "Drinks"',
     "shop.toml: categories.drinks.fr is not a known key (expected one of: en, zh-Hans, zh-Hant)"),
    ("unknown-language-in-benefit", ', zh-Hant = "更多積分" }',
     ', zh-Hant = "更多積分", fr = "x" }',
     "shop.toml: tiers[1].benefits[0].fr is not a known key "
     "(expected one of: en, zh-Hans, zh-Hant)"),
    ("misspelt-key-rather-than-missing-key", "multiplier = 2\n", "multipler = 2\n",
     "shop.toml: tiers[2].multipler is not a known key (expected one of: code, name,"),
    ("category-not-a-table", "[categories]\n", "[categories]\nfood = 5\n",
     "shop.toml: categories.food must be a table of texts"),
    ("benefit-not-a-table", "benefits = []\n\n[[tiers]]\ncode = \"silver\"",
     "benefits = [\"x\"]\n\n[[tiers]]\ncode = \"silver\"",
     "shop.toml: tiers[0].benefits[0] must be a table of texts"),
    ("number-above-the-ceiling", "multiplier = 2\n", "multiplier = 2e9\n",
     "shop.toml: tiers[2].multiplier must be a number <= 1000000000"),
    ("infinite-number", "earn_points_per_unit = 1\n", "earn_points_per_unit = inf\n",
     "shop.toml: earn_points_per_unit must be a number > 0"),
    ("boolean-is-not-a-decimal", "earn_points_per_unit = 1\n", "earn_points_per_unit = true\n",
     "shop.toml: earn_points_per_unit must be a number > 0"),
    ("float-is-not-a-whole-number", "currency_decimals = 2", "currency_decimals = 2.0",
     "shop.toml: currency_decimals must be a whole number between 0 and 4"),
    ("pattern-spans-the-whole-string", 'card_prefix = "TS"', 'card_prefix = "TS\\n"',
     "shop.toml: card_prefix must be 2-8 uppercase letters or digits"),
    ("whitespace-only-text", 'en = "Test Shop"', 'en = "\\n"',
     "shop.toml: brand.name.en must be a non-empty string"),
    ("category-code-that-is-no-category", 'category = "drinks"', 'category = "Drinks"',
     "shop.toml: rewards[0].category must be one of the [categories]: drinks"),
    ("category-not-a-string", 'category = "drinks"', "category = 5",
     "shop.toml: rewards[0].category must be a string"),
    ("tier-equal-to-the-previous-one", "qualifying_points = 500\n", "qualifying_points = 100\n",
     "shop.toml: tiers[2].qualifying_points must be greater than the previous tier's (100)"),
    ("max-purchase-decimals-follow-the-currency",
     'currency_decimals = 2\nearn_points_per_unit = 1\nrounding = "floor"\n'
     "max_purchase_amount = 500",
     'currency_decimals = 0\nearn_points_per_unit = 1\nrounding = "floor"\n'
     "max_purchase_amount = 5.5",
     "shop.toml: max_purchase_amount must have at most 0 decimal places"),
]
# fmt: on


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [case[1:] for case in MORE_ERROR_CASES],
    ids=[case[0] for case in MORE_ERROR_CASES],
)
def test_more_invalid_programmes_are_rejected_naming_file_and_key(tmp_path, old, new, message):
    expect_error(tmp_path, changed(old, new), message)


BRAND = """[brand]
name = { en = "Test Shop", zh-Hans = "测试店", zh-Hant = "測試店" }
primary_colour = "#112233"
"""
CATEGORIES = '[categories]\ndrinks = { en = "Drinks", zh-Hans = "饮品", zh-Hant = "飲品" }\n'


@pytest.mark.parametrize(
    ("section", "line", "message"),
    [
        (TIERS, "tiers = 5", "shop.toml: tiers must be an array of tables, not an integer"),
        (TIERS, 'tiers = ["base"]', "shop.toml: tiers[0] must be a table, not a string"),
        (BRAND, "brand = true", "shop.toml: brand must be a table, not a boolean"),
        (CATEGORIES, "categories = 1.5", "shop.toml: categories must be a table, not a float"),
    ],
)
def test_a_value_where_a_table_or_array_belongs_is_named(tmp_path, section, line, message):
    expect_error(tmp_path, line + "\n" + changed(section, ""), message)


def test_a_loaded_programme_is_made_of_plain_dataclasses_tuples_and_dicts(tmp_path):
    programme = load_programme(write(tmp_path, VALID))

    assert type(programme) is Programme
    assert type(programme.tiers) is tuple and type(programme.rewards) is tuple
    assert type(programme.categories) is dict
    assert type(programme.brand.name) is dict
    assert type(programme.tiers[1].benefits[0]) is dict


def test_the_shops_time_zone_and_void_window_have_defaults_and_are_checked(tmp_path):
    default = load_programme(write(tmp_path, VALID))
    assert default.time_zone == "UTC" and default.void_window_hours is None
    text = changed(
        "card_prefix", 'time_zone = "Asia/Hong_Kong"\nvoid_window_hours = 12\ncard_prefix'
    )
    programme = load_programme(write(tmp_path, text))
    assert programme.time_zone == "Asia/Hong_Kong" and programme.void_window_hours == 12
    expect_error(
        tmp_path,
        changed("card_prefix", 'time_zone = "Harbor/Pier_7"\ncard_prefix'),
        "shop.toml: time_zone must be a time zone name",
    )
    expect_error(
        tmp_path,
        changed("card_prefix", "void_window_hours = 0\ncard_prefix"),
        "shop.toml: void_window_hours must be a whole number",
    )


def test_a_birthday_needs_30_days_notice_unless_the_file_says_otherwise(tmp_path):
    assert load_programme(write(tmp_path, VALID)).birthday.notice_days == 30
    text = changed("[birthday]\npoints = 10\n", "[birthday]\npoints = 10\nnotice_days = 0\n")
    assert load_programme(write(tmp_path, text)).birthday.notice_days == 0
