"""The report as one self-contained HTML page: styles, tables and SVG charts inline, and a
Content-Security-Policy that lets the page load nothing from anywhere."""

from __future__ import annotations

from html import escape
from pathlib import Path

from . import charts
from .build import Report
from .kpis import DEFINITIONS
from .render import OFFER_HEAD, Text, nps_table_rows, offer_table_rows, rows

#: Nothing may be fetched: no script, font, picture or style from outside the file.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1f2933; margin: 2rem auto;
       max-width: 62rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.sub { color: #7b8794; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: 0.25rem 0.7rem; border-bottom: 1px solid #e4e7eb; }
th { text-align: left; } td { text-align: right; } td:first-child { text-align: left; }
.prev { color: #7b8794; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(26rem, 1fr)); gap: 1rem; }
.charts svg { width: 100%; height: auto; }
dl dt { font-weight: 600; margin-top: 0.4rem; } dl dd { margin-left: 1rem; }
"""


def _table(head: list[str], body: list[list[str]], dim: set[int] = frozenset()) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    lines = [f"<tr>{cells}</tr>"]
    for row in body:
        tds = "".join(
            f'<td class="prev">{escape(c)}</td>' if i in dim else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        lines.append(f"<tr>{tds}</tr>")
    return "<table>" + "".join(lines) + "</table>"


def page(report: Report) -> str:
    """The whole page as text."""
    figures = list(rows(report, Text))
    scopes = list(
        dict.fromkeys(scope for _, scope, _, _ in figures if not scope.startswith("programme"))
    )
    names = list(dict.fromkeys(name for name, scope, _, _ in figures if scope == scopes[0]))
    by = {(name, scope): (now, then) for name, scope, now, then in figures}
    head = ["KPI"]
    for scope in scopes:
        head += [scope, "previous"] if scope == "All stores" else [scope]
    store_rows = []
    for name in names:
        line = [name]
        for scope in scopes:
            now, then = by[name, scope]
            line += [now, then] if scope == "All stores" else [now]
        store_rows.append(line)
    programme_rows = [
        [name if scope == "programme" else f"{name} (now)", now, then]
        for name, scope, now, then in figures
        if scope.startswith("programme")
    ]
    rewards = [[r.name, Text.number(r.redeemed), Text.number(r.points)] for r in report.top_rewards]
    nps_head, nps_body = nps_table_rows(report)
    offers = offer_table_rows(report) or [["(no offer ran in the period)", "", "", "", "", ""]]
    definitions = "".join(
        f"<dt>{escape(term)}</dt><dd>{escape(meaning)}.</dd>"
        for term, meaning in DEFINITIONS.items()
    )
    title = f"{report.programme}: the owner's report, {report.period}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{escape(report.programme)}: is the programme working?</h1>
<p class="sub">{escape(str(report.period))}, compared with {escape(str(report.previous))}.
Made {escape(report.generated_at.strftime("%Y-%m-%d %H:%M UTC"))}.</p>
<h2>Purchases, per store</h2>
{_table(head, store_rows, dim={2} if "All stores" in scopes else set())}
<h2>Week by week</h2>
<div class="charts">
{charts.weekly_activity(report)}
{charts.weekly_points(report)}
</div>
<h2>Points, tiers and referrals</h2>
{_table(["KPI", "This period", "Previous period"], programme_rows, dim={2})}
<div class="charts">
{charts.tier_distribution(report)}
{charts.top_rewards(report)}
</div>
<h2>Top rewards</h2>
{_table(["Reward", "Redeemed", "Points"], rewards or [["(none redeemed)", "", ""]])}
<h2>NPS, per store</h2>
{_table(nps_head, nps_body, dim={2} if "previous period" in nps_head else set())}
<div class="charts">
{charts.weekly_nps(report)}
</div>
<h2>Offer uptake</h2>
{_table(OFFER_HEAD, offers)}
<h2>Definitions</h2>
<dl>{definitions}</dl>
</body>
</html>
"""


def write_html(report: Report, path: Path) -> None:
    path.write_text(page(report), encoding="utf-8")
