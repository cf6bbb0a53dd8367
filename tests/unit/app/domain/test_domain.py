"""The app's domain: parsing API bodies into models, and the rules the screens rely on."""

from __future__ import annotations

import copy
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from loyalty_app.domain import models
from loyalty_app.domain.models import (
    Catalogue,
    LedgerPage,
    Member,
    PayloadError,
    Programme,
    Referral,
    Reward,
    Session,
    TierLadder,
    TierProgress,
    Voucher,
    parse_datetime,
    resolve_language,
    text,
)
from loyalty_app.domain.points import expiring_soon_summary
from loyalty_app.domain.rewards import (
    AffordStatus,
    RewardIndex,
    can_afford,
    search_rewards,
)
from loyalty_app.domain.tiers import progress_summary
from loyalty_core.card import token as card_token
from loyalty_server import rules

NOW = datetime(2026, 11, 23, 18, 41, 10, tzinfo=UTC)
TODAY = NOW.date()


def _texts(en: str, hans: str, hant: str) -> dict[str, str]:
    return {"en": en, "zh-Hans": hans, "zh-Hant": hant}


# ----------------------------------------------------------------------- Harbor Coffee bodies

ME = {
    "member_id": "41a43efc-0de4-4438-9ef8-d9ef03846381",
    "member_number": "890790266138",
    "name": "Mei Lin",
    "email": "mei.lin@harbor.demo",
    "phone": None,
    "language": "zh-Hant",
    "birthday": "1995-10-22",
    "joined_at": "2025-09-29T18:41:10.463438Z",
    "tier": {
        "code": "gold",
        "name": _texts("Harbor Gold", "港湾金卡", "港灣金卡"),
        "colour": "#C9A227",
        "multiplier": "1.25",
    },
    "balance": 4120,
    "pending": 90,
    "expiring": [
        {"points": 207, "on": "2026-11-29"},
        {"points": 64, "on": "2026-12-14"},
        {"points": 56, "on": "2026-12-28"},
    ],
    "punch_card": {"stamps": 4, "of": 9, "reward_id": "handcrafted-drink"},
    "is_demo": False,
}

TIERS = {
    "window_months": 12,
    "tiers": [
        {
            "code": "green",
            "name": _texts("Harbor Green", "港湾绿卡", "港灣綠卡"),
            "qualifying_points": 0,
            "multiplier": "1.0",
            "benefits": [
                _texts(
                    "300 bonus points in your birthday month",
                    "生日当月赠送 300 积分",
                    "生日當月贈送 300 積分",
                )
            ],
            "colour": "#1E7B5A",
        },
        {
            "code": "gold",
            "name": _texts("Harbor Gold", "港湾金卡", "港灣金卡"),
            "qualifying_points": 3000,
            "multiplier": "1.25",
            "benefits": [
                _texts(
                    "25% bonus points on every purchase",
                    "每笔消费额外获得 25% 积分",
                    "每筆消費額外獲得 25% 積分",
                )
            ],
            "colour": "#C9A227",
        },
        {
            "code": "reserve",
            "name": _texts("Lighthouse Reserve", "灯塔臻选", "燈塔臻選"),
            "qualifying_points": 8000,
            "multiplier": "1.5",
            "benefits": [
                _texts(
                    "50% bonus points on every purchase",
                    "每笔消费额外获得 50% 积分",
                    "每筆消費額外獲得 50% 積分",
                ),
                _texts(
                    "Free refills of brewed coffee", "堂食滴滤咖啡免费续杯", "內用濾滴咖啡免費續杯"
                ),
            ],
            "colour": "#1F2A44",
        },
    ],
}


def _reward(rid: str, cost: int, en: str, hans: str, hant: str, **extra) -> dict:
    body = {
        "id": rid,
        "name": _texts(en, hans, hant),
        "description": _texts(f"About {en}", f"关于{hans}", f"關於{hant}"),
        "terms": _texts("Not exchangeable for cash.", "不可兑换现金。", "不可兌換現金。"),
        "category": "drinks",
        "cost": cost,
        "stock": None,
        "valid_until": None,
        "image": f"rewards/{rid}.png",
        "min_tier": None,
        "active": True,
        "updated_at": "2026-11-23T18:41:10.358234Z",
    }
    body.update(extra)
    return body


REWARDS = {
    "items": [
        _reward("oat-milk", 200, "Oat milk upgrade", "升级燕麦奶", "升級燕麥奶"),
        _reward(
            "handcrafted-drink",
            1500,
            "Handcrafted drink",
            "手作饮品一杯",
            "手作飲品一杯",
            description=_texts(
                "Any handcrafted drink — latte, flat white, mocha — in any size.",
                "任意手作饮品——拿铁、馥芮白、摩卡，杯型任选。",
                "任意手作飲品——拿鐵、馥列白、摩卡，杯型任選。",
            ),
        ),
        _reward("pastry", 600, "Any pastry", "任选糕点一份", "任選糕點一份", category="food"),
        _reward(
            "ceramic-mug",
            4000,
            "Harbor ceramic mug",
            "港湾陶瓷马克杯",
            "港灣陶瓷馬克杯",
            category="merchandise",
            stock=0,
        ),
        _reward(
            "insulated-tumbler",
            5500,
            "Insulated tumbler",
            "保温随行杯",
            "保溫隨行杯",
            category="merchandise",
            stock=40,
            min_tier="gold",
        ),
        _reward(
            "cupping-session",
            6000,
            "Coffee cupping session",
            "咖啡杯测体验",
            "咖啡杯測體驗",
            category="experiences",
            stock=12,
            min_tier="gold",
            valid_until="2027-03-31",
        ),
        _reward(
            "latte-art-class",
            9000,
            "Latte art class",
            "拉花课程",
            "拉花課程",
            category="experiences",
            stock=8,
            min_tier="reserve",
            valid_until="2027-06-30",
        ),
        _reward(
            "summer-cold-brew",
            900,
            "Summer cold brew",
            "夏日冷萃",
            "夏日冷萃",
            valid_until="2026-08-31",
        ),
    ],
    "categories": [
        {"id": "drinks", "name": _texts("Drinks", "饮品", "飲品")},
        {"id": "food", "name": _texts("Food", "轻食", "輕食")},
    ],
    "server_time": "2026-11-23T18:41:11.124403Z",
    "delta": False,
    "removed": [],
}

SESSION = {
    "access_token": "acc_secret_value",
    "refresh_token": "ref_secret_value",
    "token_type": "Bearer",
    "expires_in": 900,
    "member_id": ME["member_id"],
    "new_member": False,
    "card": {
        "card_id": "c0123456789ab",
        "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        "prefix": "HBR",
        "period": 30,
        "digits": 8,
        "algorithm": "sha1",
    },
}


def _ladder() -> TierLadder:
    return TierLadder.from_json(TIERS)


def _rewards() -> dict[str, Reward]:
    return {r.id: r for r in Catalogue.from_json(REWARDS).items}


def _progress(tier: str, points: int, requalify_at: str | None = None) -> TierProgress:
    return TierProgress.from_json(
        {
            "tier": tier,
            "next_tier": None,
            "qualifying_points": points,
            "points_to_next": 0,
            "fraction": 0.0,
            "requalify_at": requalify_at,
            "window_months": 12,
        }
    )


# ----------------------------------------------------------------------- texts


def test_text_picks_the_readers_language() -> None:
    gold = TIERS["tiers"][1]["name"]
    assert text(gold, "en") == "Harbor Gold"
    assert text(gold, "zh-Hans") == "港湾金卡"
    assert text(gold, "zh-Hant") == "港灣金卡"


def test_text_understands_regional_and_differently_spelled_tags() -> None:
    gold = TIERS["tiers"][1]["name"]
    assert text(gold, "zh-TW") == "港灣金卡"
    assert text(gold, "zh_Hant_HK") == "港灣金卡"
    assert text(gold, "zh-CN") == "港湾金卡"
    assert text(gold, "zh") == "港湾金卡"
    assert text(gold, "en-GB") == "Harbor Gold"
    assert text(gold, "fr") == "Harbor Gold"
    assert resolve_language("ZH-hant") == "zh-Hant"


def test_chinese_readers_fall_back_to_the_other_script_before_english() -> None:
    assert text({"en": "Harbor Gold", "zh-Hans": "港湾金卡"}, "zh-Hant") == "港湾金卡"
    assert text({"en": "Harbor Gold", "zh-Hant": "港灣金卡"}, "zh-Hans") == "港灣金卡"
    assert text({"en": "Harbor Gold", "zh-Hant": ""}, "zh-Hant") == "Harbor Gold"


def test_english_readers_fall_back_to_chinese_and_then_anything() -> None:
    assert text({"zh-Hant": "港灣金卡", "zh-Hans": "港湾金卡"}, "en") == "港灣金卡"
    assert text({"ja": "ハーバーゴールド"}, "en") == "ハーバーゴールド"
    assert text({}, "en") == ""
    assert text(None, "en") == ""


# ----------------------------------------------------------------------- parsing


def test_member_is_read_from_the_me_body() -> None:
    member = Member.from_json(ME)
    assert member.number == "890790266138"
    assert member.tier_code == "gold"
    assert text(member.tier_name, member.language) == "港灣金卡"
    assert member.tier_multiplier == Decimal("1.25")
    assert member.birthday == date(1995, 10, 22)
    assert member.joined_at == datetime(2025, 9, 29, 18, 41, 10, 463438, tzinfo=UTC)
    assert member.expiring[0] == models.ExpiringPoints(207, date(2026, 11, 29))
    assert member.punch_card == models.PunchCard(4, 9, "handcrafted-drink")
    assert (member.balance, member.pending, member.phone) == (4120, 90, None)


def test_member_without_punch_card_or_birthday_is_fine() -> None:
    body = dict(ME, punch_card=None, birthday=None, expiring=[])
    member = Member.from_json(body)
    assert member.punch_card is None and member.birthday is None and member.expiring == ()


def test_timestamps_are_timezone_aware_and_offsetless_ones_are_refused() -> None:
    assert parse_datetime("2026-11-23T18:41:10Z").tzinfo is not None
    assert parse_datetime("2026-11-24T02:41:10+08:00") == datetime(
        2026, 11, 23, 18, 41, 10, tzinfo=UTC
    )
    with pytest.raises(PayloadError, match="offset"):
        Member.from_json(dict(ME, joined_at="2025-09-29T18:41:10"))


def test_a_body_that_breaks_the_contract_raises_payload_error_naming_the_key() -> None:
    body = dict(ME)
    del body["balance"]
    with pytest.raises(PayloadError, match="balance"):
        Member.from_json(body)
    with pytest.raises(PayloadError, match="balance"):
        Member.from_json(dict(ME, balance="4120"))
    with pytest.raises(PayloadError, match="balance"):
        Member.from_json(dict(ME, balance=True))
    with pytest.raises(PayloadError):
        Member.from_json(["not", "an", "object"])  # type: ignore[arg-type]
    assert issubclass(PayloadError, ValueError)


def test_unknown_keys_from_a_newer_server_are_ignored() -> None:
    assert Member.from_json(dict(ME, nickname="Mei")).name == "Mei Lin"


def test_ladder_is_ordered_lowest_first_whatever_the_body_order() -> None:
    body = copy.deepcopy(TIERS)
    body["tiers"].reverse()
    ladder = TierLadder.from_json(body)
    assert [t.code for t in ladder.tiers] == ["green", "gold", "reserve"]
    assert ladder.base.code == "green"
    assert ladder.rank("reserve") == 2 and ladder.rank("platinum") is None
    assert ladder.get("gold").multiplier == Decimal("1.25")
    assert ladder.for_points(7999).code == "gold"
    assert text(ladder.get("reserve").benefits[1], "zh-Hans") == "堂食滴滤咖啡免费续杯"


def test_an_empty_ladder_is_refused() -> None:
    with pytest.raises(PayloadError):
        TierLadder.from_json({"window_months": 12, "tiers": []})


def test_catalogue_ledger_voucher_referral_and_programme_are_read() -> None:
    catalogue = Catalogue.from_json(REWARDS)
    assert catalogue.items[5].valid_until == date(2027, 3, 31)
    assert catalogue.items[3].stock == 0 and catalogue.items[0].stock is None
    assert text(catalogue.categories[1].name, "zh-Hant") == "輕食"

    page = LedgerPage.from_json(
        {
            "items": [
                {
                    "id": 41,
                    "at": "2026-11-03T18:41:10.463438Z",
                    "amount": -200,
                    "kind": "redeem",
                    "reason": "reward_redeemed",
                    "details": {"reward_id": "oat-milk"},
                    "expires_at": None,
                    "available_at": None,
                    "voided": False,
                }
            ],
            "next_cursor": "b64cursor",
        }
    )
    assert page.items[0].amount == -200 and page.items[0].details["reward_id"] == "oat-milk"
    assert page.next_cursor == "b64cursor"

    voucher = Voucher.from_json(
        {
            "id": "fc240d62-3f8b-44b9-8e2b-1696441c209e",
            "code": "2AHWQ288LG",
            "qr_payload": "HBR-V:2AHWQ288LG",
            "reward_id": "oat-milk",
            "reward_name": _texts("Oat milk upgrade", "升级燕麦奶", "升級燕麥奶"),
            "source": "redeem",
            "created_at": "2026-11-03T18:41:10Z",
            "expires_at": "2026-12-03T18:41:10Z",
            "used_at": None,
            "status": "usable",
        }
    )
    assert voucher.status_at(NOW) == "usable"
    assert voucher.status_at(voucher.expires_at + timedelta(seconds=1)) == "expired"

    referral = Referral.from_json(
        {
            "code": "ZRUECXYT",
            "link": "https://harbor.coffee/join/ZRUECXYT",
            "referrer_points": 500,
            "referee_points": 250,
            "stats": {"invited": 3, "joined": 2, "rewarded": 1},
            "referred_by": None,
        }
    )
    assert (referral.stats.invited, referral.stats.joined, referral.stats.rewarded) == (3, 2, 1)

    programme = Programme.from_json(
        {
            "id": "harbor-coffee",
            "name": _texts("Harbor Coffee", "港湾咖啡", "港灣咖啡"),
            "primary_colour": "#0B4F6C",
            "logo": "brand/harbor-logo.png",
            "currency": "USD",
            "currency_decimals": 2,
            "earn_points_per_unit": "10",
            "card_prefix": "HBR",
            "card_period": 30,
            "card_digits": 8,
            "expiry_months": None,
            "max_purchase_amount": "1000",
            "demo": False,
        }
    )
    assert text(programme.name, "zh-Hant") == "港灣咖啡"
    assert programme.earn_points_per_unit == Decimal(10) and programme.expiry_months is None


def test_session_gives_a_card_credential_and_keeps_secrets_out_of_repr() -> None:
    session = Session.from_json(SESSION)
    assert models.CardCredential is card_token.CardCredential
    assert isinstance(session.card, card_token.CardCredential)
    assert card_token.make_token(session.card, 1_700_000_010).startswith("HBR:c0123456789ab:")
    shown = repr(session)
    assert "acc_secret_value" not in shown and "ref_secret_value" not in shown
    assert SESSION["card"]["secret"] not in shown


def test_session_with_an_unusable_card_credential_is_a_payload_error() -> None:
    body = copy.deepcopy(SESSION)
    body["card"]["card_id"] = "not-a-card"
    with pytest.raises(PayloadError, match="card"):
        Session.from_json(body)


# ----------------------------------------------------------------------- tier progress


def test_green_member_close_to_gold_sees_points_to_go_and_gold_benefits() -> None:
    summary = progress_summary(_ladder(), _progress("green", 2688), NOW)
    assert summary.current.code == "green" and summary.next.code == "gold"
    assert summary.points_to_next == 312
    assert summary.fraction == pytest.approx(0.896)
    assert text(summary.benefits_next[0], "en") == "25% bonus points on every purchase"
    assert summary.requalify_at is None and summary.requalify_in_days is None


def test_gold_member_keeps_gold_below_the_threshold_until_requalifying() -> None:
    requalify = (NOW + timedelta(days=40, hours=1)).isoformat()
    summary = progress_summary(_ladder(), _progress("gold", 1200, requalify), NOW)
    assert summary.current.code == "gold" and summary.next.code == "reserve"
    assert summary.fraction == 0.0
    assert summary.points_to_next == 6800
    assert summary.requalify_in_days == 41


def test_top_tier_has_no_next_tier_and_a_full_bar() -> None:
    summary = progress_summary(_ladder(), _progress("reserve", 9100), NOW)
    assert summary.next is None and summary.benefits_next == ()
    assert (summary.points_to_next, summary.fraction) == (0, 1.0)


def test_a_requalify_date_in_the_past_is_not_shown() -> None:
    past = (NOW - timedelta(days=1)).isoformat()
    assert progress_summary(_ladder(), _progress("gold", 3500, past), NOW).requalify_at is None


def test_a_tier_missing_from_the_ladder_is_replaced_by_the_tier_the_points_reach() -> None:
    summary = progress_summary(_ladder(), _progress("platinum", 3100), NOW)
    assert summary.current.code == "gold"


def test_progress_matches_the_servers_rule_for_every_tier_and_point_level() -> None:
    ladder = _ladder()
    for code in ("green", "gold", "reserve"):
        for points in (0, 1, 1500, 2999, 3000, 3001, 5500, 7999, 8000, 12000):
            ours = progress_summary(ladder, _progress(code, points), NOW)
            theirs = rules.tier_progress(ladder.tiers, code, points)
            assert ours.current.code == theirs.current
            assert (ours.next.code if ours.next else None) == theirs.next
            assert ours.points_to_next == theirs.points_to_next
            assert ours.fraction == pytest.approx(theirs.fraction)


def test_progress_summary_needs_an_aware_now() -> None:
    with pytest.raises(ValueError):
        progress_summary(_ladder(), _progress("gold", 10), datetime(2026, 11, 23))


# ----------------------------------------------------------------------- affordability


def test_green_member_can_afford_oat_milk() -> None:
    result = can_afford(_rewards()["oat-milk"], 2582, "green", _ladder(), TODAY)
    assert result.status == "yes" and result.ok and result.points_short == 0


def test_member_short_of_points_is_told_how_many_are_missing() -> None:
    result = can_afford(_rewards()["handcrafted-drink"], 1120, "gold", _ladder(), TODAY)
    assert result.status is AffordStatus.SHORT and result.points_short == 380
    assert not result.ok


def test_gold_only_reward_is_closed_to_green_members_even_with_enough_points() -> None:
    result = can_afford(_rewards()["insulated-tumbler"], 9000, "green", _ladder(), TODAY)
    assert result.status == "tier" and result.min_tier == "gold"
    assert can_afford(_rewards()["insulated-tumbler"], 9000, "gold", _ladder(), TODAY).ok
    assert can_afford(_rewards()["insulated-tumbler"], 9000, "reserve", _ladder(), TODAY).ok


def test_tier_check_reports_the_points_short_too() -> None:
    result = can_afford(_rewards()["latte-art-class"], 4120, "gold", _ladder(), TODAY)
    assert result.status == "tier" and result.points_short == 4880


def test_sold_out_reward_cannot_be_redeemed() -> None:
    assert (
        can_afford(_rewards()["ceramic-mug"], 9000, "gold", _ladder(), TODAY).status == "sold_out"
    )


def test_reward_past_its_last_day_is_expired_but_the_last_day_itself_counts() -> None:
    cupping = _rewards()["cupping-session"]
    assert can_afford(cupping, 9000, "gold", _ladder(), date(2027, 3, 31)).ok
    assert can_afford(cupping, 9000, "gold", _ladder(), date(2027, 4, 1)).status == "expired"
    summer = _rewards()["summer-cold-brew"]
    assert can_afford(summer, 9000, "gold", _ladder(), TODAY).status == "expired"


def test_expiry_outranks_tier_which_outranks_stock_which_outranks_balance() -> None:
    base = _rewards()["latte-art-class"]
    everything_wrong = Reward.from_json(
        _reward("x", 9000, "X", "X", "X", min_tier="reserve", stock=0, valid_until="2026-01-01")
    )
    assert can_afford(everything_wrong, 0, "green", _ladder(), TODAY).status == "expired"
    assert can_afford(base, 0, "green", _ladder(), TODAY).status == "tier"
    sold_out = Reward.from_json(_reward("y", 9000, "Y", "Y", "Y", stock=0))
    assert can_afford(sold_out, 0, "green", _ladder(), TODAY).status == "sold_out"


def test_withdrawn_reward_counts_as_expired() -> None:
    withdrawn = Reward.from_json(_reward("gone", 100, "Gone", "无", "無", active=False))
    assert can_afford(withdrawn, 9000, "gold", _ladder(), TODAY).status == "expired"


def test_unknown_min_tier_cannot_be_reached_and_unknown_member_tier_counts_as_base() -> None:
    odd = Reward.from_json(_reward("odd", 100, "Odd", "奇", "奇", min_tier="platinum"))
    assert can_afford(odd, 9000, "reserve", _ladder(), TODAY).status == "tier"
    gold_only = _rewards()["insulated-tumbler"]
    assert can_afford(gold_only, 9000, "removed-tier", _ladder(), TODAY).status == "tier"


# ----------------------------------------------------------------------- expiring points


def test_points_expiring_within_thirty_days_are_summed_with_the_earliest_day() -> None:
    member = Member.from_json(ME)
    assert expiring_soon_summary(member, TODAY) == (207 + 64, date(2026, 11, 29))


def test_expiring_window_is_inclusive_on_both_ends() -> None:
    member = Member.from_json(ME)
    # 29 Nov and 29 Nov + 15 days = 14 Dec both count; 28 Dec is outside.
    assert expiring_soon_summary(member, date(2026, 11, 29), within_days=15) == (
        207 + 64,
        date(2026, 11, 29),
    )


def test_already_expired_days_are_left_out() -> None:
    member = Member.from_json(ME)
    assert expiring_soon_summary(member, date(2026, 11, 30)) == (64 + 56, date(2026, 12, 14))


def test_nothing_expiring_gives_none() -> None:
    member = Member.from_json(dict(ME, expiring=[]))
    assert expiring_soon_summary(member, TODAY) is None
    assert expiring_soon_summary(Member.from_json(ME), TODAY, within_days=5) is None


# ----------------------------------------------------------------------- search


def _ids(rewards: list[Reward]) -> list[str]:
    return [r.id for r in rewards]


def test_search_finds_rewards_in_any_language_ignoring_case() -> None:
    rewards = list(_rewards().values())
    assert _ids(search_rewards(rewards, "OAT", "en")) == ["oat-milk"]
    assert _ids(search_rewards(rewards, "燕麦", "en")) == ["oat-milk"]
    assert _ids(search_rewards(rewards, "燕麥", "zh-Hans")) == ["oat-milk"]


def test_search_looks_in_descriptions_too() -> None:
    rewards = list(_rewards().values())
    assert _ids(search_rewards(rewards, "latte", "en")) == ["latte-art-class", "handcrafted-drink"]
    assert _ids(search_rewards(rewards, "拿鐵", "zh-Hant")) == ["handcrafted-drink"]


def test_search_needs_every_word_and_accepts_full_width_letters() -> None:
    rewards = list(_rewards().values())
    assert _ids(search_rewards(rewards, "harbor mug", "en")) == ["ceramic-mug"]
    assert _ids(search_rewards(rewards, "harbor tumbler", "en")) == []
    assert _ids(search_rewards(rewards, "ＭＵＧ", "en")) == ["ceramic-mug"]


def test_name_matches_in_the_readers_language_come_first() -> None:
    index = RewardIndex(
        [
            Reward.from_json(_reward("iced", 10, "Iced chocolate", "冰 Mocha", "冰 Mocha")),
            Reward.from_json(
                _reward("tea", 10, "Tea", "茶", "茶", description=_texts("Not a mocha", "茶", "茶"))
            ),
            Reward.from_json(_reward("mocha", 10, "Mocha", "摩卡", "摩卡")),
        ]
    )
    # Name in the reader's language, then a name in another language, then descriptions.
    assert _ids(index.search("mocha", "en")) == ["mocha", "iced", "tea"]
    assert _ids(index.search("mocha", "zh-Hans")) == ["iced", "mocha", "tea"]


def test_search_filters_by_category_and_what_the_balance_affords() -> None:
    rewards = list(_rewards().values())
    assert _ids(search_rewards(rewards, "", "en", category="food")) == ["pastry"]
    assert _ids(search_rewards(rewards, "", "en", affordable_balance=600)) == ["oat-milk", "pastry"]
    assert _ids(
        search_rewards(rewards, "  ", "en", category="merchandise", affordable_balance=4000)
    ) == ["ceramic-mug"]


def test_empty_query_lists_active_rewards_in_catalogue_order() -> None:
    rewards = list(_rewards().values())
    rewards.append(Reward.from_json(_reward("gone", 10, "Gone", "无", "無", active=False)))
    assert _ids(search_rewards(rewards, "", "en")) == [r["id"] for r in REWARDS["items"]]


def test_search_over_ten_thousand_rewards_is_fast_with_an_index() -> None:
    template = REWARDS["items"]
    rewards = [
        Reward.from_json(dict(template[i % len(template)], id=f"r{i}", cost=100 + i % 5000))
        for i in range(10_000)
    ]
    started = time.perf_counter()
    index = RewardIndex(rewards)
    built = time.perf_counter() - started
    assert len(index) == 10_000

    def best_of_five(query: str, **kwargs) -> tuple[float, list[Reward]]:
        best, found = float("inf"), []
        for _ in range(5):
            started = time.perf_counter()
            found = index.search(query, "zh-Hant", **kwargs)
            best = min(best, time.perf_counter() - started)
        return best, found

    took, found = best_of_five("港灣 杯")
    assert {r.name["en"] for r in found} == {"Harbor ceramic mug"}
    assert len(found) == 10_000 // len(template)
    took_empty, _ = best_of_five("", affordable_balance=2000)
    took_miss, nothing = best_of_five("no such reward anywhere")
    assert nothing == []
    # Generous bounds (typically ~10 ms): they catch an accidental per-search re-indexing.
    assert built < 2.0
    assert max(took, took_empty, took_miss) < 0.1, (took, took_empty, took_miss)
