"""`loyalty-server report` on the hand-made ledger (tests/support/report_ledger.py): the
table with its definitions, --json, --csv, --from/--to, --store, and refusals."""

from __future__ import annotations

import csv
import io
import json

import pytest

from loyalty_server.db import Database
from loyalty_server.migrate import upgrade
from loyalty_server.report.kpis import DEFINITIONS
from tests.support import report_ledger as ledger
from tests.support.server_cli import server_cli as run_cli

PERIOD = ["--from", "2026-10-01", "--to", "2026-10-28"]


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    from tests.support.databases import fresh_database_url

    url = fresh_database_url(tmp_path_factory.mktemp("report"))
    db = Database(url)
    upgrade(db)
    ledger.insert(db)
    db.dispose()
    return url


def _ok(result) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_json_holds_every_kpi_worked_out_by_hand(shop):
    data = json.loads(_ok(run_cli("report", *PERIOD, "--json", database_url=shop)))
    assert data["period"] == {"from": "2026-10-01", "to": "2026-10-28"}
    assert data["previous"] == {"from": "2026-09-03", "to": "2026-09-30"}
    overall, market, pier = data["stores"]
    assert (overall["label"], market["store"], pier["store"]) == (
        "All stores",
        ledger.MARKET,
        ledger.PIER,
    )
    assert overall["current"]["active"] == 3
    assert overall["current"]["retention"] == 0.5
    assert overall["current"]["average_basket"] == "5.60"
    assert overall["previous"]["active"] == 4
    assert market["current"]["churn"] == 1.0
    assert data["points"]["current"]["redemption_rate"] == 0.875
    assert data["points"]["current"]["breakage"] == 0.05
    assert data["referral"]["current"]["join_rate"] == 0.4
    assert data["tiers"]["ups"] == 1 and data["tiers"]["downs"] == 2
    assert [w["issued"] for w in data["weeks"]] == [165, 30, 205, 0]
    assert data["top_rewards"][0]["reward_id"] == "extra-shot"
    assert data["definitions"] == DEFINITIONS


def test_csv_is_one_figure_a_line(shop):
    text = _ok(run_cli("report", *PERIOD, "--csv", database_url=shop))
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["kpi", "scope", "current", "previous"]
    assert ["Retention", "All stores", "0.5000", "1.0000"] in lines
    assert ["Breakage", "programme", "0.0500", "0.0000"] in lines
    assert ["Average basket (USD)", ledger.PIER, "7.00", "5.00"] in lines  # Sep: (4 + 6) / 2


def test_table_prints_the_definitions_under_it(shop):
    out = _ok(run_cli("report", *PERIOD, database_url=shop))
    assert "Active members" in out and "50.0 %" in out
    definitions = out[out.index("Definitions") :]
    for term in DEFINITIONS:
        assert term in definitions


def test_store_option_keeps_that_store_only(shop):
    data = json.loads(
        _ok(run_cli("report", *PERIOD, "--store", ledger.PIER, "--json", database_url=shop))
    )
    assert [s["store"] for s in data["stores"]] == [ledger.PIER]
    assert data["stores"][0]["current"]["repeat_rate"] == 0.5


def test_an_unknown_store_or_a_backwards_period_is_refused(shop):
    result = run_cli("report", "--store", "Nowhere", database_url=shop)
    assert result.returncode == 2
    assert 'no store "Nowhere"' in result.stderr and ledger.PIER in result.stderr
    result = run_cli("report", "--from", "2026-10-10", "--to", "2026-10-01", database_url=shop)
    assert result.returncode == 2 and "ends (2026-10-01) before it starts" in result.stderr
    result = run_cli("report", "--from", "10/01/2026", database_url=shop)
    assert result.returncode == 2 and "must be a date like" in result.stderr


def test_nps_and_offer_uptake_in_json_csv_and_the_table(shop):
    data = json.loads(_ok(run_cli("report", *PERIOD, "--json", database_url=shop)))
    overall, market, pier = data["nps"]
    assert (overall["label"], overall["current"]["nps"], overall["current"]["answers"]) == (
        "All stores",
        25.0,  # (2 promoters − 1 detractor) of 4 answers
        4,
    )
    assert (overall["previous"]["nps"], market["current"]["nps"]) == (0.0, 100.0)
    assert (pier["store"], pier["current"]["answers"]) == (ledger.PIER, 3)
    assert [w["answers"] for w in data["nps_weeks"]] == [2, 1, 1, 0]
    offers = {o["offer_id"]: o for o in data["offers"]}
    assert list(offers) == ["double-tuesdays", "welcome", "we-miss-you", "gold-weekends"]
    tuesdays = offers["double-tuesdays"]
    assert (tuesdays["reached"], tuesdays["used"], tuesdays["extra_visits"]) == (1, 1, 1)
    assert offers["welcome"]["use_rate"] == pytest.approx(1 / 3)
    assert offers["welcome"]["extra_visits"] is None

    lines = list(
        csv.reader(io.StringIO(_ok(run_cli("report", *PERIOD, "--csv", database_url=shop))))
    )
    assert ["NPS", "All stores", "25.0", "0.0"] in lines
    assert ["NPS answers", ledger.MARKET, "1", "1"] in lines
    assert ["Offer used", "offer double-tuesdays", "1", ""] in lines
    assert ["Offer extra visits", "offer welcome", "", ""] in lines

    table = _ok(run_cli("report", *PERIOD, database_url=shop))
    assert "NPS, per store" in table and "Offer uptake" in table
    assert "We miss you" in table and "33.3 %" in table and "1 (1)" in table


def test_the_page_holds_the_nps_and_offer_tables(shop, tmp_path):
    page = tmp_path / "report.html"
    _ok(run_cli("report", *PERIOD, "--html", str(page), database_url=shop))
    text = page.read_text(encoding="utf-8")
    assert "<h2>NPS, per store</h2>" in text and "<h2>Offer uptake</h2>" in text
    assert 'aria-label="NPS per week"' in text
    assert "<td>Welcome to Harbor</td><td>2026-10-01 to 2026-10-28</td><td>3</td>" in text
