"""Charts as pictures (matplotlib, no pyplot: no global state), each with its alt text.

DejaVu Sans ships with matplotlib, so the labels look the same on every machine. Colours are told
apart by more than hue: the prognos bars are hatched, the status segments carry their counts.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ... import calc
from ...keys import Drift
from ...konsolidera.tables import TOTAL_COUNT, UNIT, Tables
from ...model import Forvaltning, Period
from . import numbers as N
from .content import Chart

FAMILY, SIZE = "DejaVu Sans", 9
FONT: dict[str, Any] = {"family": FAMILY, "size": SIZE}
BUDGET_COLOUR, PROGNOS_COLOUR = "#9bb7d4", "#1f4e79"
STATUS_COLOURS = {
    "Klar": "#1b7837",
    "Anpassats": "#7fbf7b",
    "Ersatts": "#5aae61",
    "Pågående": "#2166ac",
    "Pausad": "#f1a340",
    "Utgått": "#b2182b",
    "Saknas": "#999999",
}
OTHER_COLOURS = ("#8073ac", "#e08214", "#35978f", "#c51b7d")
WIDTH_CM = 16.0
DPI = 200


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    return buf.getvalue()


def _figure(height_cm: float) -> Figure:
    fig = Figure(figsize=(WIDTH_CM / 2.54, height_cm / 2.54))
    fig.set_layout_engine("constrained")
    return fig


def _tkr_axis(x: float, _pos: int) -> str:
    return N.integer(round(x))


def drift(forv: Forvaltning, period: Period, t: Tables) -> Chart:
    """Budget and prognos for the year per verksamhet, netto tkr; a missing budget or prognos has
    no bar, but 'saknas' where it would stand, and the alt text names it."""
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
    fig = _figure(2.2 + 0.75 * len(names))
    ax = fig.add_subplot()
    ys = list(range(len(names)))
    h = 0.38
    budget_bars = ax.barh(
        [y - h / 2 for y in ys],
        [v or 0 for v in budget],
        h,
        label=f"Budget {period.year}",
        color=BUDGET_COLOUR,
    )
    for bar, v in zip(budget_bars, budget, strict=True):
        if v is None:  # a zero-length bar would read as a budget of 0
            ax.annotate(
                N.MISSING,
                (0, bar.get_y() + h / 2),
                xytext=(4, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                **FONT,
            )
    bars = ax.barh(
        [y + h / 2 for y in ys],
        [v or 0 for v in prognos],
        h,
        label="Prognos helår",
        color=PROGNOS_COLOUR,
        hatch="//",
        edgecolor="white",
    )
    for bar, v in zip(bars, prognos, strict=True):
        text = N.MISSING if v is None else N.integer(v)
        ax.annotate(
            text,
            (bar.get_width(), bar.get_y() + h / 2),
            xytext=(4 if (v or 0) >= 0 else -4, 0),
            textcoords="offset points",
            ha="left" if (v or 0) >= 0 else "right",
            va="center",
            **FONT,
        )
    ax.set_yticks(ys, names, **FONT)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.xaxis.set_major_formatter(FuncFormatter(_tkr_axis))
    ax.tick_params(labelsize=SIZE)
    ax.margins(x=0.15)
    ax.grid(axis="x", color="#dddddd")
    ax.set_axisbelow(True)
    ax.set_xlabel("tkr", **FONT)
    ax.set_title(f"Budget och prognos {period.year} per verksamhet, netto tkr", fontsize=10, family=FAMILY)
    fig.legend(loc="outside lower center", ncols=2, frameon=False, fontsize=SIZE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    description = (
        f"Liggande stapeldiagram: budget {period.year} och prognos helår per verksamhet, netto tkr. "
        "Siffrorna står i tabellen Prognos resultat ovan."
    )
    if missing_budget:
        description += f" Budget saknas för {', '.join(missing_budget)}."
    if missing:
        description += f" Prognos saknas för {', '.join(missing)}."
    return Chart(_png(fig), description, WIDTH_CM)


def _tkr(v: Decimal | None, gap: str) -> int | None:
    return None if gap or v is None else calc.round_tkr(v)


def statuses(forv: Forvaltning, t: Tables) -> Chart | None:
    """Activities per perspektiv, stacked by status; None when there are no activities."""
    names = t.status_counts.perspectives
    counts = [t.status_counts.rows[p] for p in names]
    if sum(c[TOTAL_COUNT] for c in counts) == 0:
        return None
    columns = t.status_counts.shown
    fig = _figure(2.8 + 0.8 * len(counts))
    ax = fig.add_subplot()
    ys = list(range(len(counts)))
    left = [0] * len(counts)
    others = iter(OTHER_COLOURS * 3)
    for s in columns:
        values = [c[s] for c in counts]
        colour = STATUS_COLOURS.get(s) or next(others)
        bars = ax.barh(ys, values, 0.6, left=left, label=s, color=colour, edgecolor="white")
        for bar, v in zip(bars, values, strict=True):
            if v:
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + 0.3,
                    str(v),
                    ha="center",
                    va="center",
                    color="white" if s in ("Klar", "Pågående", "Utgått", "Ersatts") else "black",
                    **FONT,
                )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(ys, names, **FONT)
    ax.invert_yaxis()
    ax.tick_params(labelsize=SIZE)
    ax.set_xlabel("Antal aktiviteter", **FONT)
    ax.set_title("Aktiviteter per perspektiv och status", fontsize=10, family=FAMILY)
    fig.legend(loc="outside lower center", ncols=len(columns), frameon=False, fontsize=SIZE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    description = (
        "Liggande staplar: antal aktiviteter per status i varje perspektiv "
        f"({', '.join(names)}). Antalen står i tabellen ovan."
    )
    return Chart(_png(fig), description, WIDTH_CM)
