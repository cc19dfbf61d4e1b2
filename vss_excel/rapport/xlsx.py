"""Renders described sheets with XlsxWriter: formats by style name, charts, print setup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..xlsxtext import merge_text, write_text
from .common import TKR
from .sheet import Sheet


def _marked(fmt: str) -> str:
    """The number format with ' *' after every section: the figure stays a number, visibly marked."""
    return ";".join(part + '" *"' for part in fmt.split(";"))


MARK_FILL = "#FCE4D6"  # figures that lack a unit or a value
MISSING_FILL = "#F4B6B6"
_HEADER = {"bold": True, "text_wrap": True, "valign": "bottom", "bottom": 1, "bg_color": "#DDEBF7"}
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14},
    "subtitle": {"bold": True, "font_size": 11},
    "header": _HEADER,
    "header_num": {**_HEADER, "align": "right"},
    "text": {"valign": "top"},
    "text_right": {"valign": "top", "align": "right"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "wrap_marked": {"text_wrap": True, "valign": "top", "font_color": "#9C0006"},
    "bold": {"bold": True, "top": 1, "valign": "top"},
    "tkr": {"num_format": TKR, "align": "right", "valign": "top"},
    "tkr_bold": {"num_format": TKR, "bold": True, "top": 1, "align": "right", "valign": "top"},
    "tkr_marked": {"num_format": _marked(TKR), "align": "right", "valign": "top", "bg_color": MARK_FILL},
    "tkr_bold_marked": {
        "num_format": _marked(TKR),
        "bold": True,
        "top": 1,
        "align": "right",
        "valign": "top",
        "bg_color": MARK_FILL,
    },
    "missing": {"align": "right", "valign": "top", "bg_color": MISSING_FILL, "font_color": "#9C0006"},
    # Right-aligned as numbers are: a "–" or "N/A" in a column of figures stands where they stand.
    "num": {"num_format": "#,##0", "align": "right", "valign": "top"},
    "num_marked": {"num_format": _marked("#,##0"), "align": "right", "valign": "top", "bg_color": MARK_FILL},
    "pct": {"num_format": "0.0", "align": "right", "valign": "top"},
    "pct_marked": {"num_format": _marked("0.0"), "align": "right", "valign": "top", "bg_color": MARK_FILL},
    "note": {"italic": True, "font_color": "#595959"},
    "note_marked": {"italic": True, "font_color": "#9C0006", "text_wrap": True, "valign": "top"},
    "link": {"font_color": "blue", "underline": 1, "valign": "top"},
    "input_wrap": {
        "text_wrap": True,
        "valign": "top",
        "bg_color": "#FFF2CC",
        "border": 1,
        "border_color": "#BFBFBF",
    },
    "fel": {"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE", "valign": "top"},
    "varning": {"font_color": "#9C5700", "bg_color": "#FFEB9C", "valign": "top"},
    "info": {"font_color": "#404040", "valign": "top"},
}


def render(wb: Any, sheets: Sequence[Sheet]) -> None:
    """Write each sheet on an XlsxWriter workbook, printing A4 landscape as wide as the page."""
    formats = {name: wb.add_format(props) for name, props in STYLES.items()}
    for s in sheets:
        ws = wb.add_worksheet(s.name)
        for c, width in enumerate(s.widths):
            ws.set_column(c, c, width, None, {"hidden": True} if c in s.hidden_columns else {})
        for r, height in s.heights.items():
            ws.set_row(r, height)
        merged = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in s.merges}
        for (r, c), cell in sorted(s.cells.items()):
            fmt = formats[cell.style]
            v = cell.value
            if (r, c) in merged:
                merge_text(ws, (r, c), merged[(r, c)], "" if v is None else str(v), fmt)
            elif cell.link is not None:
                ws.write_url(r, c, cell.link, fmt, str(v))
            elif v is None:
                ws.write_blank(r, c, None, fmt)
            elif isinstance(v, int | float):
                ws.write_number(r, c, v, fmt)
            else:
                write_text(ws, r, c, v, fmt)  # units' texts stay text, even '=…' or '<r>…</r>'
        for chart in s.charts:
            ch = wb.add_chart({"type": chart.kind, **({"subtype": chart.subtype} if chart.subtype else {})})
            for series in chart.series:
                name: object = series.name if isinstance(series.name, str) else [s.name, *series.name]
                ch.add_series(
                    {
                        "name": name,
                        "categories": [s.name, *series.categories],
                        "values": [s.name, *series.values],
                        **({"fill": {"color": series.colour}} if series.colour else {}),
                    }
                )
            ch.set_title({"name": chart.title})
            if chart.number_format:
                ch.set_y_axis({"num_format": chart.number_format})
            ch.set_size({"width": chart.size[0], "height": chart.size[1]})
            ws.insert_chart(*chart.anchor, ch, {"description": chart.description or chart.title})
        if s.freeze:
            ws.freeze_panes(*s.freeze)
        if s.autofilter:
            ws.autofilter(*s.autofilter)
        if s.repeat_rows:
            ws.repeat_rows(*s.repeat_rows)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.set_footer("&L&A&R&P (&N)")
