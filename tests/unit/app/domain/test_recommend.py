"""Recommended for you: from the categories and points of the member's vouchers and the
points they have; each with its one-line reason."""

from __future__ import annotations

from datetime import UTC, date, datetime

from loyalty_app.domain.models import Reward, Voucher
from loyalty_app.domain.recommend import recommend

AT = datetime(2026, 5, 1, tzinfo=UTC)
TODAY = date(2026, 5, 15)


def reward(id: str, category: str, cost: int, **extra) -> Reward:
    fields = dict(
        id=id,
        name={"en": id},
        description={"en": ""},
        terms={"en": ""},
        category=category,
        cost=cost,
        stock=None,
        valid_until=None,
        image=None,
        min_tier=None,
        active=True,
        updated_at=AT,
    )
    return Reward(**(fields | extra))


def voucher(reward_id: str, status: str = "used") -> Voucher:
    return Voucher(
        id=f"v-{reward_id}-{status}",
        code="ABCDEFGH",
        qr_payload="HBR-V:ABCDEFGH",
        reward_id=reward_id,
        reward_name={"en": reward_id},
        source="redeem",
        created_at=AT,
        expires_at=AT,
        used_at=AT,
        status=status,
    )


CATALOGUE = [
    reward("shot", "drinks", 100),
    reward("latte", "drinks", 1500),
    reward("cold-brew", "drinks", 2500),
    reward("pastry", "food", 600),
    reward("sandwich", "food", 1200),
    reward("mug", "merch", 4000),
]


def pick(vouchers, balance: int = 3000, **kw):  # noqa: ANN001, ANN201
    found = recommend(
        CATALOGUE, vouchers, balance=balance, tier_code="green", ladder=None, today=TODAY, **kw
    )
    return [(r.reward.id, r.reason, r.category) for r in found]


def test_the_category_they_often_get_comes_first_nearest_their_usual_points():
    found = pick([voucher("shot"), voucher("latte"), voucher("pastry")])
    # Their usual reward costs 600 points (the median): the shot (100) is nearer than the
    # latte (1500), the cold brew (2500) last; drinks before the pastry.
    assert found == [
        ("shot", "recommend.because_category", "drinks"),
        ("latte", "recommend.because_category", "drinks"),
        ("cold-brew", "recommend.because_category", "drinks"),
    ]


def test_priced_like_their_usual_reward_without_a_habit():
    found = pick([voucher("sandwich")])
    assert found[0] == ("sandwich", "recommend.because_price", None)
    assert [f[0] for f in found[:3]] == ["sandwich", "latte", "pastry"]


def test_a_new_member_gets_the_dearest_they_can_afford():
    assert pick([], balance=1300) == [
        ("sandwich", "recommend.because_balance", None),
        ("pastry", "recommend.because_balance", None),
        ("shot", "recommend.because_balance", None),
    ]


def test_nothing_they_cannot_redeem_nor_already_hold():
    found = pick([voucher("latte", "usable"), voucher("shot")], balance=700)
    assert "latte" not in [f[0] for f in found] and "mug" not in [f[0] for f in found]
    assert pick([], balance=50) == []
