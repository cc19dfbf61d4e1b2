"""Charts as pictures (matplotlib, no pyplot: no global state), each with its alt text.

DejaVu Sans ships with matplotlib, so the labels look the same on every machine. Colours are told
apart by more than hue: the prognos bars are hatched, the statuses have the Konsolidering
workbook's colours (distinct in lightness too, and for colour blindness) and carry their counts.
A series with nothing to show (a budget of 0 for every verksamhet) is left out, and the title
says why; every label stands clear of the bars.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from ... import calc
from ...keys import Drift
from ...konsolidera.tables import TOTAL_COUNT, UNIT, Tables
from ...model import Forvaltning, Period
from ..aktiviteter import status_colour, text_colour
from . import numbers as N
from .content import Chart

FAMILY, SIZE = "DejaVu Sans", 9
FONT: dict[str, Any] = {"family": FAMILY, "size": SIZE}
BUDGET_COLOUR, PROGNOS_COLOUR = "#9bb7d4", "#1f4e79"
WIDTH_CM = 16.0
DPI = 200
LABEL_GAP = 4  # points between a bar and its label


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    return buf.getvalue()


def _figure(height_cm: float) -> Figure:
    fig = Figure(figsize=(WIDTH_CM / 2.54, height_cm / 2.54))
    FigureCanvasAgg(fig)
    fig.set_layout_engine("constrained")
    return fig


def _tkr_axis(x: float, _pos: int) -> str:
    return N.integer(round(x))


def _fit_labels(fig: Figure, ax: Axes, labels: list[Text]) -> None:
    """Widen the x axis until every label lies inside it (a label beyond the axis would overlap
    the names or be cut off); twice, as the layout moves the axes when the limits change."""
    for _ in range(2):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        to_data = ax.transData.inverted()
        left, right = ax.get_xlim()
        lo, hi = left, right
        for label in labels:
            box = label.get_window_extent(renderer)
            (x0, _), (x1, _) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
            lo, hi = min(lo, x0), max(hi, x1)
        pad = (hi - lo) * 0.02
        ax.set_xlim(lo - pad if lo < left else left, hi + pad if hi > right else right)


def drift(forv: Forvaltning, period: Period, t: Tables) -> Chart:
    """Budget and prognos for the year per verksamhet, netto tkr; a missing budget or prognos has
    no bar, but 'saknas' where it would stand, and the alt text names it. Where the budget is 0 for
    every verksamhet it has no bars to show: it is left out, and the title says so."""
    d = t.drift
    names, budget, prognos, missing, missing_budget = [], [], [], [], []
    for u in forv.units:
        r = (UNIT, u.id)
        names.append(u.name)
        b, p = d.value(r, Drift.BUDGET_HELAR), d.value(r, Drift.PROGNOS)
        budget.append(_tkr(b, d.gap(r, Drift.BUDGET_HELAR)))
        prognos.append(_tkr(p, d.gap(r, Drift.PROGNOS)))
        if budget[-1] is None:
            missing_budget.append(u.name)
        if prognos[-1] is None:
            missing.append(u.name)
    zero_budget = all(v == 0 for v in budget)
    fig = _figure(2.2 + (0.5 if zero_budget else 0.75) * len(names))
    ax = fig.add_subplot()
    ys = list(range(len(names)))
    h = 0.6 if zero_budget else 0.38
    labels: list[Text] = []
    if not zero_budget:
        budget_bars = ax.barh(
            [y - h / 2 for y in ys],
            [v or 0 for v in budget],
            h,
            label=f"Budget {period.year}",
            color=BUDGET_COLOUR,
        )
        for bar, v in zip(budget_bars, budget, strict=True):
            if v is None:  # a zero-length bar would read as a budget of 0
                labels.append(_label(ax, N.MISSING, 0, bar.get_y() + h / 2, True))
    offset = 0 if zero_budget else h / 2
    bars = ax.barh(
        [y + offset for y in ys],
        [v or 0 for v in prognos],
        h,
        label="Prognos helår",
        color=PROGNOS_COLOUR,
        hatch="//",
        edgecolor="white",
    )
    for bar, v in zip(bars, prognos, strict=True):
        text = N.MISSING if v is None else N.integer(v)
        labels.append(_label(ax, text, bar.get_width(), bar.get_y() + h / 2, (v or 0) >= 0))
    ax.set_yticks(ys, names, **FONT)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.xaxis.set_major_formatter(FuncFormatter(_tkr_axis))
    ax.tick_params(labelsize=SIZE)
    ax.margins(x=0.05)
    ax.grid(axis="x", color="#dddddd")
    ax.set_axisbelow(True)
    ax.set_xlabel("tkr", **FONT)
    if zero_budget:
        title = f"Prognos helår {period.year} per verksamhet, netto tkr (budgeten är 0 för alla)"
    else:
        title = f"Budget och prognos {period.year} per verksamhet, netto tkr"
        fig.legend(loc="outside lower center", ncols=2, frameon=False, fontsize=SIZE)
    ax.set_title(title, fontsize=10, family=FAMILY)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _fit_labels(fig, ax, labels)
    if zero_budget:
        description = (
            f"Liggande stapeldiagram: prognos helår {period.year} per verksamhet, netto tkr; budgeten är "
            "0 tkr för varje verksamhet och visas inte. Siffrorna står i tabellen Prognos resultat ovan."
        )
    else:
        description = (
            f"Liggande stapeldiagram: budget {period.year} och prognos helår per verksamhet, netto tkr. "
            "Siffrorna står i tabellen Prognos resultat ovan."
        )
    if missing_budget:
        description += f" Budget saknas för {', '.join(missing_budget)}."
    if missing:
        description += f" Prognos saknas för {', '.join(missing)}."
    return Chart(_png(fig), description, WIDTH_CM)


def _label(ax: Axes, text: str, x: float, y: float, right: bool) -> Text:
    """A bar's figure beside its end, outside the bar."""
    return ax.annotate(
        text,
        (x, y),
        xytext=(LABEL_GAP if right else -LABEL_GAP, 0),
        textcoords="offset points",
        ha="left" if right else "right",
        va="center",
        **FONT,
    )


def _tkr(v: Decimal | None, gap: str) -> int | None:
    return None if gap or v is None else calc.round_tkr(v)


def statuses(forv: Forvaltning, t: Tables) -> Chart | None:
    """Activities per perspektiv, stacked by status; None when there are no activities. A status no
    activity has is not in the legend; a count stands in its segment where it fits."""
    names = t.status_counts.perspectives
    counts = [t.status_counts.rows[p] for p in names]
    if sum(c[TOTAL_COUNT] for c in counts) == 0:
        return None
    columns = [s for s in t.status_counts.shown if any(c[s] for c in counts)]
    fig = _figure(2.8 + 0.8 * len(counts))
    ax = fig.add_subplot()
    ys = list(range(len(counts)))
    left = [0] * len(counts)
    texts: list[tuple[Text, Any]] = []
    for s in columns:
        values = [c[s] for c in counts]
        colour = status_colour(s, forv.statuses)
        bars = ax.barh(ys, values, 0.6, left=left, label=s, color=colour, edgecolor="white")
        for bar, v in zip(bars, values, strict=True):
            if v:
                label = ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + 0.3,
                    str(v),
                    ha="center",
                    va="center",
                    color=text_colour(colour),
                    **FONT,
                )
                texts.append((label, bar))
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(ys, names, **FONT)
    ax.invert_yaxis()
    ax.tick_params(labelsize=SIZE)
    ax.set_xlabel("Antal aktiviteter", **FONT)
    ax.set_title("Aktiviteter per perspektiv och status", fontsize=10, family=FAMILY)
    fig.legend(loc="outside lower center", ncols=len(columns), frameon=False, fontsize=SIZE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for label, bar in texts:  # a count wider than its segment would lie over the next: left out
        if label.get_window_extent(renderer).width > bar.get_window_extent(renderer).width - 2:
            label.remove()
    description = (
        "Liggande staplar: antal aktiviteter per status i varje perspektiv "
        f"({', '.join(names)}). Antalen står i tabellen ovan."
    )
    return Chart(_png(fig), description, WIDTH_CM)
