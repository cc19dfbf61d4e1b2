"""SIE 4 reader (SIE typ 1-4, the Swedish standard ledger export): bytes in, immutable records out.

Pure: `parse` takes the file's bytes and a source name (used in findings) and returns a `SieFile`;
`read` is the one function that touches the disk. Nothing here raises on bad input: a file that is
not SIE, or cannot be read, gives a `SieFile` with `usable=False` and one finding saying why; a
broken line gives a finding with its line number ("rad 12"), is left out, and the rest is read.

What the records hold -- exactly what the file says, nothing added up, nothing flipped:

- Amounts are `Decimal`, in SIE's sign: **debit positive, credit negative**, so costs (class 4-8)
  are positive and income (class 3) negative. The report's sign is the opposite (income positive,
  costs negative); `report_sign(amount)` / `Balance.report_amount` give it, and the caller decides
  where to use it.
- `#PSALDO` / `#PBUDGET` lines become `Balance` records, in file order. The standard says such a
  line holds *the period's change* on the account (a month's movement, not accumulated), for the
  object list given. A line with `{}` is the account's total over all objects; a type 3/4 file has
  both the total and the object rows, so adding the two double counts. They are kept apart:
  `Balance.is_total` tells them apart, and the caller chooses (and can reconcile object rows
  against the total).
- `#IB` / `#UB` / `#RES` become mappings (year index, account) -> amount; `#OIB` / `#OUB`
  (year index, account, objects) -> amount.
- Year indexes: 0 = the current year (räkenskapsår), -1 = the previous, ...; `SieFile.years` maps
  them to the (start, end) dates of `#RAR`. A #PSALDO/#PBUDGET line's index follows its period's
  date: a line whose month lies in another #RAR year than its index's is read as that year's (a
  copy of a line already there is dropped silently; see `SieBuilder.check_periods`). Checking
  that the file is for the right year is the caller's job.
- `#OBJEKT`: the first name of an object is kept; other names for it are in
  `SieFile.object_conflicts` (the caller decides whether they matter).
- Object lists are tuples of (dimension, object code) pairs, sorted by dimension number (so the
  same combination is one key whatever order the file wrote it in); () for the account total.
- `#VER` / `#TRANS` (verifications) are not read, only counted (`transaction_count`).

Left out, each with a finding (FEL, "rad N"): a line with missing fields, an amount that is not a
number ('12,50'; the standard writes '-1234.50'; such a #PSALDO/#PBUDGET line is also kept in
`SieFile.unread` with the rest of its key), a period that is not YYYYMM, unbalanced quotes or
braces, an odd object list; a second line for the same saldo (kind, year, period, account, objects:
the first is kept, which one is right cannot be known); a balance whose period lies in no #RAR
year. A bad quantity only drops the quantity (VARNING). Unknown labels and extra fields at
the end of a line are ignored, as the standard says. After MAX_LINE_FINDINGS line findings, one
finding counts the rest. A #KSUMMA file without its closing checksum is reported as cut off (the
CRC itself is not checked).


Encoding: the standard says IBM PC 8-bit ASCII (code page 437, `#FORMAT PC8`); UTF-8 (with or
without BOM) and Windows-1252 / ISO-8859-1 files exist too. See `detect_encoding`.

Modules: `records` (the frozen results), `encoding` (codec and lines), `tokens` (fields and
their values), `builder` (state, findings, whole-file checks), `parser` (the line loop),
`reader` (`parse` / `read`, whole-file refusals).
"""

from __future__ import annotations

# `_lines`, `_Parser` and `_FAST` are internals the tests reach (the chunked line split, the fast
# path against the general path); not part of the API.
from .builder import MAX_LINE_FINDINGS
from .encoding import detect_encoding
from .encoding import split_lines as _lines  # noqa: F401
from .parser import Parser as _Parser  # noqa: F401
from .reader import MAX_BYTES, parse, read
from .records import Balance, BalanceKind, ObjectList, SieFile, Unread, report_sign
from .tokens import FAST as _FAST  # noqa: F401

__all__ = [
    "MAX_BYTES",
    "MAX_LINE_FINDINGS",
    "Balance",
    "BalanceKind",
    "ObjectList",
    "SieFile",
    "Unread",
    "detect_encoding",
    "parse",
    "read",
    "report_sign",
]
