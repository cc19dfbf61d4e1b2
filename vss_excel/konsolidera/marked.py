"""Figures that know what they lack: a total of the units' figures with the units it leaves out,
and a table of them. Every result table is one; no figure silently leaves a unit out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .. import calc

Amount = Decimal | None


Lacking = tuple[tuple[str, str], ...]  # (unit id, why its figure is missing)


@dataclass(frozen=True)
class Total:
    value: Amount
    lacking: Lacking = ()  # the units whose figure the total lacks, with the reason


def add_up(figures: Iterable[tuple[str, Amount, str]]) -> Total:
    """Sum of the known figures; (unit, amount, gap) with a gap are listed as lacking."""
    known: list[Amount] = []
    lacking: dict[str, str] = {}
    for unit, amount, gap in figures:
        if gap:
            lacking.setdefault(unit, gap)
        else:
            known.append(amount)
    return Total(calc.total(known), tuple(lacking.items()))


def derive(
    function: Callable[[Amount, Amount], Amount], first: tuple[Amount, str], second: tuple[Amount, str]
) -> tuple[Amount, str]:
    """A figure computed from two of one unit's figures: a gap when either is one. Totals of
    derived columns add these up, so an incomplete total compares like with like (the units that
    have both figures), never the prognos of some with the budget of all."""
    gap = first[1] or second[1]
    return (None if gap else function(first[0], second[0])), gap


def union(*parts: Lacking) -> Lacking:
    out: dict[str, str] = {}
    for part in parts:
        for unit, why in part:
            out.setdefault(unit, why)
    return tuple(out.items())


Figure = Amount | Total | tuple[Amount, str]  # an amount, a total, or a unit's (amount, gap)


@dataclass(frozen=True)
class Marked:
    """A table of exact amounts, and per figure why it is missing (a unit's own figure) or which
    units it lacks (a total). Lookups go through plain dicts, which the result sheets ask thousands
    of times."""

    rows: tuple[object, ...]
    columns: tuple[str, ...]
    _values: Mapping[object, Mapping[str, Amount]]
    _gaps: Mapping[object, Mapping[str, str]]
    _lacking: Mapping[object, Mapping[str, Lacking]]

    @classmethod
    def build(cls, rows: Mapping[object, Mapping[str, Figure]], columns: Sequence[str]) -> Marked:
        values: dict[object, dict[str, Amount]] = {}
        gaps: dict[object, dict[str, str]] = {}
        lacking: dict[object, dict[str, Lacking]] = {}
        for r, row in rows.items():
            values[r], gaps[r], lacking[r] = {}, {}, {}
            for c in columns:
                v = row.get(c)
                if isinstance(v, Total):
                    values[r][c], gaps[r][c], lacking[r][c] = v.value, "", v.lacking
                elif isinstance(v, tuple):
                    values[r][c], gaps[r][c], lacking[r][c] = (None if v[1] else v[0]), v[1], ()
                else:
                    values[r][c], gaps[r][c], lacking[r][c] = v, "", ()
        return cls(tuple(rows), tuple(columns), values, gaps, lacking)

    def value(self, row: object, col: str) -> Amount:
        return self._values[row][col]

    def gap(self, row: object, col: str) -> str:
        return self._gaps[row][col]

    def lacks(self, row: object, col: str) -> Lacking:
        return self._lacking[row][col]

    def all_lacking(
        self, rows: Iterable[object] | None = None, columns: Iterable[str] | None = None
    ) -> Lacking:
        """Every unit some total in the given rows and columns lacks, with its first reason."""
        cols = self.columns if columns is None else tuple(columns)
        return union(*(self.lacks(r, c) for r in (self.rows if rows is None else rows) for c in cols))


@dataclass(frozen=True)
class Described:
    """A Marked table and, per row, the texts shown beside its figures."""

    figures: Marked
    texts: Mapping[object, Mapping[str, str]]
