"""The report as a terminal table (rich), JSON and CSV. The HTML page is in `html`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from .build import Report
from .kpis import (
    ALL_STORES,
    DEFINITIONS,
    NpsCounts,
    OfferUptake,
    PointsFlow,
    PurchaseKpis,
    ReferralFunnel,
)

ALL_LABEL = "All stores"
NO_STORE_LABEL = "(no store recorded)"


def store_label(store: str | None) -> str:
    return ALL_LABEL if store is ALL_STORES else (store or NO_STORE_LABEL)


class Text:
    """Figures for people: thousands separated, ratios in per cent, "—" for none."""

    @staticmethod
    def percent(value: float | None) -> str:
        return "—" if value is None else f"{value * 100:.1f} %"

    @staticmethod
    def number(value: float | Decimal | None, places: int = 0) -> str:
        return "—" if value is None else f"{value:,.{places}f}"


class Raw(Text):
    """Figures for spreadsheets: plain numbers, ratios as fractions, "" for none."""

    @staticmethod
    def percent(value: float | None) -> str:
        return "" if value is None else f"{value:.4f}"

    @staticmethod
    def number(value: float | Decimal | None, places: int = 0) -> str:
        return "" if value is None else f"{value:.{places}f}"


Format = type[Text]


def _purchase_rows(k: PurchaseKpis, currency: str, f: Format = Text) -> list[tuple[str, str]]:
    return [
        ("Active members", f.number(k.active)),
        ("Retention", f.percent(k.retention)),
        ("Churn", f.percent(k.churn)),
        ("Repeat-purchase rate", f.percent(k.repeat_rate)),
        ("Purchases", f.number(k.purchases)),
        ("Purchase frequency", f.number(k.frequency, 2)),
        (f"Sales ({currency})", f.number(k.sales, 2)),
        (f"Average basket ({currency})", f.number(k.average_basket, 2)),
    ]


def _points_rows(flow: PointsFlow, f: Format = Text) -> list[tuple[str, str]]:
    return [
        ("Points issued", f.number(flow.issued)),
        ("Points redeemed", f.number(flow.redeemed)),
        ("Points expired", f.number(flow.expired)),
        ("Redemption rate", f.percent(flow.redemption_rate)),
        ("Breakage", f.percent(flow.breakage)),
    ]


def _referral_rows(funnel: ReferralFunnel, f: Format = Text) -> list[tuple[str, str]]:
    return [
        ("Referral: invited", f.number(funnel.invited)),
        ("Referral: joined", f.number(funnel.joined)),
        ("Referral: first purchase", f.number(funnel.first_purchase)),
        ("Referral: joined ÷ invited", f.percent(funnel.join_rate)),
        ("Referral: first purchase ÷ joined", f.percent(funnel.purchase_rate)),
    ]


def _now_rows(report: Report, f: Format = Text) -> list[tuple[str, str]]:
    owed = report.liability
    rows = [
        ("Points liability, points", f.number(owed.points)),
        (
            f"Points liability, average rewards ({f.number(owed.reward_cost)} points)",
            f.number(owed.rewards_owed, 2),
        ),
    ]
    if owed.value is not None:
        rows.append((f"Points liability, {report.currency}", f.number(owed.value, 2)))
    rows += [
        (f"Members in tier {code}", f.number(n)) for code, n in report.tiers.distribution.items()
    ]
    return rows


def _nps_rows(n: NpsCounts, f: Format = Text) -> list[tuple[str, str]]:
    return [
        ("NPS", f.number(n.nps, 1)),
        ("NPS answers", f.number(n.answers)),
        ("NPS promoters (9-10)", f.number(n.promoters)),
        ("NPS passives (7-8)", f.number(n.passives)),
        ("NPS detractors (0-6)", f.number(n.detractors)),
    ]


def nps_rows(report: Report, f: Format = Text) -> Iterator[tuple[str, str, str, str]]:
    """NPS as (KPI, store, this period, previous period)."""
    for store, n in report.nps.items():
        before = _nps_rows(report.nps_before[store], f)
        for (name, now), (_, then) in zip(_nps_rows(n, f), before, strict=True):
            yield name, store_label(store), now, then


def _offer_rows(o: OfferUptake, f: Format = Text) -> list[tuple[str, str]]:
    return [
        ("Offer window", f"{o.window.first.isoformat()} to {o.window.last.isoformat()}"),
        ("Offer reached", f.number(o.reached)),
        ("Offer used", f.number(o.used)),
        ("Offer used ÷ reached", f.percent(o.use_rate)),
        ("Offer members compared", f.number(o.compared)),
        ("Offer extra visits", f.number(o.extra_visits)),
    ]


def offer_rows(report: Report, f: Format = Text) -> Iterator[tuple[str, str, str, str]]:
    """Offer uptake as (KPI, "offer <id>", this period, "")."""
    for offer in report.offers:
        for name, now in _offer_rows(offer, f):
            yield name, f"offer {offer.offer_id}", now, ""


def offer_table_rows(report: Report) -> list[list[str]]:
    """One line per offer for the table and the page: offer, window, reached, used, used ÷
    reached, extra visits (members compared)."""
    lines = []
    for o in report.offers:
        figures = dict(_offer_rows(o))
        kind = " (added to the card)" if o.activate else ""
        lines.append(
            [
                f"{o.name}{kind}",
                figures["Offer window"],
                figures["Offer reached"],
                figures["Offer used"],
                figures["Offer used ÷ reached"],
                f"{figures['Offer extra visits']} ({Text.number(o.compared)})",
            ]
        )
    return lines


OFFER_HEAD = ["Offer", "Window", "Reached", "Used", "Used ÷ reached", "Extra visits (compared)"]


def nps_table_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    """The NPS table: a column per store (over all stores with the previous period)."""
    head, columns = ["KPI"], []
    for store, n in report.nps.items():
        head.append(store_label(store))
        columns.append(_nps_rows(n))
        if store is ALL_STORES:
            head.append("previous period")
            columns.append(_nps_rows(report.nps_before[store]))
    body = [
        [name, *(column[index][1] for column in columns)]
        for index, (name, _) in enumerate(columns[0])
    ]
    return head, body


def rows(report: Report, f: Format = Text) -> Iterator[tuple[str, str, str, str]]:
    """Every figure as (KPI, scope, this period, previous period); "" where there is none.
    The scope is a store, "All stores", "programme" or "programme, now"."""
    currency = report.currency
    for store, k in report.stores.items():
        before = report.stores_before[store]
        for (name, now), (_, then) in zip(
            _purchase_rows(k, currency, f), _purchase_rows(before, currency, f), strict=True
        ):
            yield name, store_label(store), now, then
    pairs = [
        (_points_rows(report.points, f), _points_rows(report.points_before, f)),
        (_referral_rows(report.referral, f), _referral_rows(report.referral_before, f)),
    ]
    for current, previous in pairs:
        for (name, now), (_, then) in zip(current, previous, strict=True):
            yield name, "programme", now, then
    yield "Tier moves up", "programme", f.number(report.tiers.ups), ""
    yield "Tier moves down", "programme", f.number(report.tiers.downs), ""
    for name, now in _now_rows(report, f):
        yield name, "programme, now", now, ""


def print_table(report: Report, console: Console) -> None:
    console.print(
        f"[bold]{report.programme}[/bold] — the owner's report for {report.period} "
        f"(compared with {report.previous})"
    )
    stores = Table(title="Purchases, per store", title_justify="left")
    stores.add_column("KPI")
    scopes = list(report.stores)
    for store in scopes:
        stores.add_column(store_label(store), justify="right")
        if store is ALL_STORES:
            stores.add_column("previous period", justify="right", style="dim")
    columns = []
    for store in scopes:
        columns.append(_purchase_rows(report.stores[store], report.currency))
        if store is ALL_STORES:
            columns.append(_purchase_rows(report.stores_before[store], report.currency))
    for index, (name, _) in enumerate(columns[0]):
        stores.add_row(name, *(column[index][1] for column in columns))
    console.print(stores)
    programme = Table(title="Points, tiers and referrals, all stores", title_justify="left")
    programme.add_column("KPI")
    programme.add_column("This period", justify="right")
    programme.add_column("Previous period", justify="right", style="dim")
    for name, scope, now, then in rows(report):
        if scope.startswith("programme"):
            programme.add_row(name if scope == "programme" else f"{name} (now)", now, then)
    console.print(programme)
    if report.tiers.moves:
        moves = ", ".join(f"{a} → {b}: {n}" for (a, b), n in report.tiers.moves.items())
        console.print(f"Tier movements in the period: {moves}")
    top = Table(title="Top rewards in the period", title_justify="left")
    for title in ("Reward", "Redeemed", "Points"):
        top.add_column(title, justify="left" if title == "Reward" else "right")
    for reward in report.top_rewards:
        top.add_row(reward.name, Text.number(reward.redeemed), Text.number(reward.points))
    if not report.top_rewards:
        top.add_row("(none redeemed)", "", "")
    console.print(top)
    head, body = nps_table_rows(report)
    nps = Table(title="NPS, per store", title_justify="left")
    for index, title in enumerate(head):
        nps.add_column(
            title,
            justify="left" if index == 0 else "right",
            style="dim" if title == "previous period" else None,
        )
    for line in body:
        nps.add_row(*line)
    console.print(nps)
    offers = Table(title="Offer uptake", title_justify="left")
    for index, title in enumerate(OFFER_HEAD):
        offers.add_column(title, justify="left" if index < 2 else "right")
    for line in offer_table_rows(report):
        offers.add_row(*line)
    if not report.offers:
        offers.add_row("(no offer ran in the period)", *[""] * (len(OFFER_HEAD) - 1))
    console.print(offers)
    console.print("[bold]Definitions[/bold]")
    for term, meaning in DEFINITIONS.items():
        console.print(f"  [bold]{term}[/bold]: {meaning}.", highlight=False)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _purchase_json(k: PurchaseKpis) -> dict[str, Any]:
    return _plain(
        asdict(k)
        | {
            "retention": k.retention,
            "churn": k.churn,
            "repeat_rate": k.repeat_rate,
            "frequency": k.frequency,
            "average_basket": k.average_basket,
        }
    )


def _flow_json(flow: PointsFlow) -> dict[str, Any]:
    return asdict(flow) | {"redemption_rate": flow.redemption_rate, "breakage": flow.breakage}


def _funnel_json(funnel: ReferralFunnel) -> dict[str, Any]:
    return asdict(funnel) | {"join_rate": funnel.join_rate, "purchase_rate": funnel.purchase_rate}


def _nps_json(n: NpsCounts) -> dict[str, Any]:
    return asdict(n) | {"answers": n.answers, "nps": n.nps}


def _offer_json(o: OfferUptake) -> dict[str, Any]:
    return {
        "offer_id": o.offer_id,
        "name": o.name,
        "activate": o.activate,
        "window": {"from": o.window.first.isoformat(), "to": o.window.last.isoformat()},
        "reached": o.reached,
        "used": o.used,
        "use_rate": o.use_rate,
        "compared": o.compared,
        "visits": o.visits,
        "visits_before": o.visits_before,
        "extra_visits": o.extra_visits,
    }


def as_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data: amounts as strings, ratios as fractions (null: none)."""
    owed = report.liability
    return {
        "programme": report.programme,
        "currency": report.currency,
        "period": {"from": report.period.first.isoformat(), "to": report.period.last.isoformat()},
        "previous": {
            "from": report.previous.first.isoformat(),
            "to": report.previous.last.isoformat(),
        },
        "generated_at": report.generated_at.isoformat(),
        "stores": [
            {
                "store": None if store is ALL_STORES else store,
                "label": store_label(store),
                "current": _purchase_json(k),
                "previous": _purchase_json(report.stores_before[store]),
            }
            for store, k in report.stores.items()
        ],
        "points": {
            "current": _flow_json(report.points),
            "previous": _flow_json(report.points_before),
        },
        "liability": _plain(
            {
                "points": owed.points,
                "reward_cost": owed.reward_cost,
                "rewards_owed": owed.rewards_owed,
                "point_value": owed.point_value,
                "value": owed.value,
            }
        ),
        "tiers": {
            "distribution": report.tiers.distribution,
            "moves": [
                {"from": a, "to": b, "members": n} for (a, b), n in report.tiers.moves.items()
            ],
            "ups": report.tiers.ups,
            "downs": report.tiers.downs,
        },
        "referral": {
            "current": _funnel_json(report.referral),
            "previous": _funnel_json(report.referral_before),
        },
        "weeks": [_plain(asdict(w)) for w in report.weeks],
        "top_rewards": [asdict(r) for r in report.top_rewards],
        "nps": [
            {
                "store": None if store is ALL_STORES else store,
                "label": store_label(store),
                "current": _nps_json(n),
                "previous": _nps_json(report.nps_before[store]),
            }
            for store, n in report.nps.items()
        ],
        "nps_weeks": [
            {"first": w.first} | _nps_json(n)
            for w, n in zip(report.weeks, report.nps_weeks, strict=True)
        ],
        "offers": [_offer_json(o) for o in report.offers],
        "definitions": DEFINITIONS,
    }


def csv_text(report: Report) -> str:
    """One figure a line: kpi, scope, this period, previous period (as in the table)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kpi", "scope", "current", "previous"])
    writer.writerows(rows(report, Raw))
    writer.writerows(nps_rows(report, Raw))
    writer.writerows(offer_rows(report, Raw))
    return out.getvalue()
