"""What every rule sees of one file: what was read, its values evaluated once, the settings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from ...enhetsmall.cells import CellSpec, Kind, SheetLayout
from ...enhetsmall.reader import ReadWorkbook, fixed_values, read
from ...enhetsmall.values import evaluate_workbook, leave_out
from ...enhetsmall.xlsx import RawCell
from ...keys import Key
from ...model import Finding, Forvaltning, Period, Severity, Value

FEL, VARNING, INFO = Severity.FEL, Severity.VARNING, Severity.INFO


@dataclass(frozen=True)
class FileContext:
    rw: ReadWorkbook
    forv: Forvaltning
    period: Period
    values: Mapping[Key, Value] = field(default_factory=dict)  # every key, formulas computed
    sent_path: Path | None = None  # the template as it was sent to the unit, when it is at hand
    gaps: Mapping[Key, str] = field(default_factory=dict)  # values left out (see without), reasons

    @classmethod
    def of(
        cls, rw: ReadWorkbook, forv: Forvaltning, period: Period, sent_path: Path | None = None
    ) -> FileContext:
        values = evaluate_workbook(rw) if rw.layout is not None else {}
        return cls(rw, forv, period, values, sent_path)

    def without(self, findings: Iterable[Finding]) -> FileContext:
        """The values the report uses: each value a finding leaves out is a gap, and so is every
        formula computed from one (the judging rules see these, never a refused value)."""
        reasons = self.gap_reasons(findings)
        if not reasons or self.rw.layout is None:
            return self
        values, gaps = leave_out(self.rw.layout, self.values, reasons)
        return replace(self, values=values, gaps=gaps)

    def gap_reasons(self, findings: Iterable[Finding]) -> dict[Key, str]:
        """Each value a finding leaves out, with a short reason that says where it is."""
        out: dict[Key, str] = {}
        for f in findings:
            for key in f.gaps:
                sheet, cell = self.where(key)
                out.setdefault(key, f"{f.brief or 'se Kontroll'}, {sheet} {cell}")
        return out

    @cached_property
    def sent(self) -> Mapping[Key, object] | None:
        """The fixed cells of the template that was sent (read only when a rule asks)."""
        if self.sent_path is None:
            return None
        sent = read(self.sent_path, self.forv)
        return fixed_values(sent) if sent.layout is not None else None

    @property
    def readable(self) -> bool:
        """Our template for a known unit: its cells can be checked."""
        return self.rw.layout is not None

    @property
    def unit(self) -> str:
        return self.rw.layout.unit.id if self.rw.layout is not None else self.rw.source.unit_id

    def finding(
        self,
        severity: Severity,
        sheet: str,
        cell: str,
        message: str,
        *,
        gaps: tuple[Key, ...] = (),
        blocks: bool = False,
        brief: str = "",
    ) -> Finding:
        return Finding(severity, self.rw.source.name, sheet, cell, message, self.unit, gaps, blocks, brief)

    def sheets(self) -> Iterator[SheetLayout]:
        """The layout's sheets that the file has."""
        if self.rw.layout is not None:
            yield from (s for s in self.rw.layout.sheets if s.name in self.rw.sheets)

    def inputs(self) -> tuple[tuple[SheetLayout, CellSpec, RawCell], ...]:
        """Every input cell the unit filled in, with what it holds."""
        return self._typed

    @cached_property
    def _typed(self) -> tuple[tuple[SheetLayout, CellSpec, RawCell], ...]:
        out = []
        for s in self.sheets():
            cells = self.rw.cells_at_layout(s.name)
            for c in s.inputs:
                raw = cells.get((c.row, c.col))
                if raw is not None:
                    out.append((s, c, raw))
        return tuple(out)

    def ref(self, sheet: SheetLayout, spec: CellSpec) -> str:
        return self.rw.actual_ref(sheet.name, spec.row, spec.col)

    def where(self, key: Key) -> tuple[str, str]:
        """(sheet, cell) of a key in this file."""
        assert self.rw.layout is not None
        found = self.rw.layout.find(key)
        if found is None:
            return "", ""
        s, c = found
        return s.name, self.ref(s, c)

    def amount(self, key: Key) -> Decimal | None:
        if key in self.gaps:
            return None
        v = self.values.get(key)
        return v if isinstance(v, Decimal) else None

    def text(self, key: Key) -> str:
        v = self.values.get(key)
        return v.strip() if isinstance(v, str) else ""


def is_number_input(c: CellSpec) -> bool:
    return c.kind is Kind.INPUT and c.takes_number
