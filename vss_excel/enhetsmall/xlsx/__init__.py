"""A bounded reader of the cells of an .xlsx file that a unit returned, safe on hostile files.

Returned workbooks may be anything (see DESIGN.md, "Bad input"), so this package reads the OOXML
itself with the standard library only, and never trusts what the file claims:

- The zip directory is read first; nothing is decompressed before its declared size and packing
  ratio were checked against `Limits`, and a part whose header lies about its size is cut off
  at the declared size (`CORRUPT`), so a zip bomb costs neither time nor memory.
- No grid is ever built from what the file claims (`<dimension>`, the last cell): only cells
  inside the area the caller asks for are kept; the others are counted (`SheetCells.outside`).
- XML with a DOCTYPE or ENTITY declaration is refused (`UNSAFE`): no entity expansion, ever.
- Error values (`#DIV/0!`) and formulas (also external links such as `[1]Blad1!A1`) are
  reported as they are, not hidden behind a cached value.

Two parsers read a worksheet. A fast one, with compiled bytes regexes, reads the canonical form
that every real writer produces (Excel, LibreOffice, XlsxWriter, openpyxl): UTF-8, the main
namespace as the default one, every cell with an `r` attribute, attributes in the usual order, a
`<f>` then a `<v>` or a plain inline string. It proves it saw every cell (each `<c` in sheetData
must be a cell it parsed); if it cannot, the sheet is read again with xml.parsers.expat, which
handles any well-formed sheet (namespace prefixes, cells and rows without `r`, rich inline
strings, comments, CDATA, UTF-16, Strict OOXML). Both give the same cells; the tests check that.
Shared strings are read once, when the first sheet needs one, and decoded in batches.

Cell rules, the same in both parsers:
- A cell with neither a value nor a formula is left out (a styled empty cell).
- A formula cell whose cached result is empty (`<v></v>`, `<v/>` or no `<v>`) is kept as
  TEXT '' with its formula, so a formula typed into an input cell is never hidden.
- A dependent cell of a shared formula gets the master cell's formula text as written there
  (references not shifted); '' if the file has no such master.
- `t="d"` (an ISO date as text) is TEXT; numbers are floats; dates are numbers (serials), as
  Excel stores them; see `XlsxFile.date1904`.
- A number keeps what its cell's format makes of it (`RawCell.number_format`: a percent, a
  date, a fixed text such as LibreOffice's TRUE/FALSE), from the style `s` through styles.xml's
  cellXfs, read once per file with the first sheet; the value stays as stored.
- Texts: XML entities are decoded, `_xHHHH_` escapes (Excel's way of storing control
  characters) too; rich text runs are joined, phonetic runs (`<rPh>`) left out; each `<t>`
  without xml:space="preserve" is trimmed of white space at both ends, as Excel reads it.

Modules: `limits` and `errors` (what a file may cost; XlsxError and its Swedish messages),
`sniff` (the kind of a file from its first bytes), `zipdir` (the zip directory, bounded
inflating), `text` (XML text, expat set up safely, the canonical form), `cells` (RawCell and the
value rules), `strings` (shared strings), `formats` (number formats, styles.xml), `fast` and
`expat_sheet` (the two worksheet parsers), `book` (XlsxFile: workbook.xml, relationships, sheets).
"""

from __future__ import annotations

from .book import XlsxFile
from .cells import CellType, RawCell, SheetCells, cell_ref
from .errors import ErrorKind, XlsxError
from .expat_sheet import _sheet_expat as _sheet_expat  # the _names: for tests/test_xlsx_reader.py
from .fast import _sheet_fast as _sheet_fast
from .formats import NumberFormat, format_kind
from .limits import DEFAULT_LIMITS, Limits
from .sniff import SNIFF_BYTES, FileKind, sniff
from .strings import _parse_strings as _parse_strings
from .strings import _Strings as _Strings

__all__ = [
    "DEFAULT_LIMITS",
    "SNIFF_BYTES",
    "CellType",
    "ErrorKind",
    "FileKind",
    "Limits",
    "NumberFormat",
    "RawCell",
    "SheetCells",
    "XlsxError",
    "XlsxFile",
    "cell_ref",
    "format_kind",
    "sniff",
]
