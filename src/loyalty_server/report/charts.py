"""The report's charts as inline SVG, drawn with matplotlib.

matplotlib (rather than pygal or plotly) because it installs from PyPI as wheels with no
JavaScript: its SVG is plain markup with the text drawn as paths, so the page needs no font
or script from anywhere. Figures are made with `Figure` directly, never pyplot, so nothing
global (a GUI backend, a current figure) is touched.
"""

from __future__ import annotations

import io
import re

from matplotlib import rcParams
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .build import Report

INK, MUTED = "#1f2933", "#7b8794"
BLUE, GREEN, AMBER, RED = "#0b4f6c", "#2e8540", "#c98a16", "#b03a2e"
rcParams["svg.hashsalt"] = "loyalty-report"  # stable ids: the same report, the same file


def _figure(width: float = 7.0, height: float = 2.8) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    figure.patch.set_alpha(0)
    return figure


def _svg(figure: Figure, title: str) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Title": title})
    text = out.getvalue()
    # Inline in HTML: the XML prolog and DOCTYPE go; the <svg> element keeps its namespace.
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, count=1, flags=re.S)
    text = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r"<svg \1", text, count=1)
    return text.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)


def _style(axes, title: str) -> None:  # noqa: ANN001
    axes.set_title(title, loc="left", color=INK, fontsize=11)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=MUTED, labelsize=8)
    axes.grid(axis="y", color="#e4e7eb", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))


def weekly_activity(report: Report) -> str:
    """Active members and purchases per week."""
    figure = _figure()
    axes = figure.add_subplot()
    weeks = [w.first[5:] for w in report.weeks]
    axes.bar(weeks, [w.purchases for w in report.weeks], color=BLUE, label="purchases")
    axes.plot(weeks, [w.active for w in report.weeks], color=AMBER, marker="o", label="active")
    axes.legend(frameon=False, fontsize=8, loc="upper right", ncols=2)
    _style(axes, "Purchases and active members, per week (week starting)")
    axes.tick_params(axis="x", labelrotation=45)
    return _svg(figure, "Purchases and active members per week")


def weekly_points(report: Report) -> str:
    """Points issued, redeemed and expired per week."""
    figure = _figure()
    axes = figure.add_subplot()
    x = range(len(report.weeks))
    width = 0.28
    for offset, (label, colour, values) in enumerate(
        [
            ("issued", GREEN, [w.issued for w in report.weeks]),
            ("redeemed", BLUE, [w.redeemed for w in report.weeks]),
            ("expired", RED, [w.expired for w in report.weeks]),
        ]
    ):
        axes.bar([i + (offset - 1) * width for i in x], values, width, color=colour, label=label)
    axes.set_xticks(list(x), [w.first[5:] for w in report.weeks], rotation=45)
    axes.legend(frameon=False, fontsize=8, loc="upper right", ncols=3)
    _style(axes, "Points issued, redeemed and expired, per week")
    return _svg(figure, "Points issued, redeemed and expired per week")


def tier_distribution(report: Report) -> str:
    figure = _figure(height=0.5 + 0.45 * max(1, len(report.tiers.distribution)))
    axes = figure.add_subplot()
    codes = list(report.tiers.distribution)[::-1]
    counts = [report.tiers.distribution[c] for c in codes]
    bars = axes.barh(codes, counts, color=BLUE)
    axes.bar_label(bars, fontsize=8, color=INK, padding=3)
    _style(axes, "Members per tier, now")
    axes.grid(False)
    return _svg(figure, "Members per tier")


def top_rewards(report: Report) -> str:
    rewards = report.top_rewards[::-1]
    figure = _figure(height=0.5 + 0.35 * max(1, len(rewards)))
    axes = figure.add_subplot()
    if rewards:
        bars = axes.barh([r.name for r in rewards], [r.redeemed for r in rewards], color=GREEN)
        axes.bar_label(bars, fontsize=8, color=INK, padding=3)
    else:
        axes.text(0.5, 0.5, "No rewards redeemed in the period", ha="center", color=MUTED)
        axes.set_axis_off()
    _style(axes, "Top rewards, times redeemed")
    axes.grid(False)
    return _svg(figure, "Top rewards")


def weekly_nps(report: Report) -> str:
    """NPS per week over all stores, each bar labelled with its number of answers."""
    figure = _figure()
    axes = figure.add_subplot()
    weeks = [w.first[5:] for w in report.weeks]
    scores = [n.nps for n in report.nps_weeks]
    bars = axes.bar(
        weeks,
        [0 if v is None else v for v in scores],
        color=[GREEN if (v or 0) >= 0 else RED for v in scores],
    )
    labels = [f"n={n.answers}" if n.answers else "no answers" for n in report.nps_weeks]
    axes.bar_label(bars, labels, fontsize=8, color=MUTED, padding=3)
    axes.set_ylim(-100, 110)
    axes.axhline(0, color=MUTED, linewidth=0.8)
    _style(axes, "NPS per week, all stores (n: answers)")
    axes.tick_params(axis="x", labelrotation=45)
    return _svg(figure, "NPS per week")
