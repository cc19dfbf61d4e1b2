"""The reconciliation never loses an öre: ledger = placed + not placed, per unit, column and in total."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vss_excel import ledger
from vss_excel.keys import DRIFT_PREFILL
from vss_excel.ledger.distribute import distribute
from vss_excel.ledger.records import Entry, Kind, Refused, columns
from vss_excel.model import Period

PERIOD = Period(2020, 10)
# Known ansvar codes, one unknown, and a blank one (booked without ansvar).
OBJECTS = ["1700", "1740", "1770", "1780", "9999", ""]
ACCOUNTS = ["3080", "3610", "5110", "6110", "6210", "6310", "4610", "7010", "8410", "9310", "1930", "2440"]

entry = st.builds(
    Entry,
    where=st.integers(1, 10_000).map(lambda n: f"rad {n}"),
    kind=st.sampled_from(Kind),
    year=st.sampled_from([0, 0, -1, -2]),
    month=st.integers(1, 12),
    account=st.sampled_from(ACCOUNTS),
    obj=st.sampled_from(OBJECTS),
    amount=st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
)

refused = st.builds(
    Refused,
    where=st.integers(1, 10_000).map(lambda n: f"rad {n}"),
    kind=st.sampled_from(Kind),
    year=st.sampled_from([0, -1, None]),
    month=st.integers(1, 12),
    account=st.sampled_from(ACCOUNTS),
    obj=st.sampled_from(OBJECTS),
    message=st.just("Beloppet 'x' är inget tal"),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=st.lists(entry, max_size=60),
    remainders=st.lists(st.integers(-500, 500), max_size=60),
    unread=st.lists(refused, max_size=4),
)
def test_any_balances_reconcile_to_the_ore(forv, entries, remainders, unread):
    # Account totals {}: the sum of the object rows of a key, plus something booked without ansvar.
    sums: dict[tuple, D] = {}
    for e in entries:
        key = (e.kind, e.year, e.month, e.account)
        sums[key] = sums.get(key, D(0)) + e.amount
    totals = [
        Entry("rad 0", k[0], k[1], k[2], k[3], None, v + D(r))
        for (k, v), r in zip(sums.items(), remainders, strict=False)
    ]
    prefill, _, rec = distribute([*totals, *entries], forv, PERIOD, "bok.se", refused=unread)
    assert rec.balanced
    # a cell an unread amount belongs to is empty: never the sum of the lines that could be read
    assert not {(u, line, c.value) for u, line, c in rec.refused} & set(prefill.values)
    # independently: the ledger's total per column is what the file says
    with_total = {(t.kind, t.year, t.month, t.account): t.amount for t in totals}
    for col in DRIFT_PREFILL:
        expected = D(0)
        for key, v in sums.items():
            if key[3][0] in "12" or col not in columns(key[0], key[1], key[2], PERIOD.month):
                continue
            expected += with_total.get(key, v)
        t = rec.total[col]
        assert t.ledger == expected
        assert t.placed == sum((v for (_, _, c), v in prefill.values.items() if c == col.value), D(0))
        assert t.ledger == t.placed + t.not_placed
        units = sum((rec.units[u.id][col].ledger for u in forv.units), D(0))
        unknown = sum((x.amount for x in rec.not_placed if not x.unit and col in x.columns), D(0))
        assert t.ledger == units + unknown
    # every amount of a result account is in the prefill's sources or in the not placed list
    for x in rec.not_placed:
        assert x.amount and x.account[0] not in "12"


def test_reconciliation_is_exposed_for_the_callers(forv, tmp_path):
    path = tmp_path / "bok.se"
    path.write_bytes(
        b"#FLAGGA 0\r\n#SIETYP 4\r\n#RAR 0 20200101 20201231\r\n"
        b'#PSALDO 0 202001 3080 {1 "1770"} -10.01\r\n#PSALDO 0 202001 8410 {1 "1770"} 0.02\r\n'
    )
    rec = ledger.load(path, forv, PERIOD).reconciliation
    assert isinstance(rec, ledger.Reconciliation)
    lk = rec.units["lkdata"][DRIFT_PREFILL[0]]
    assert isinstance(lk, ledger.Tally) and (lk.ledger, lk.placed, lk.not_placed) == (
        D("9.99"),
        D("10.01"),
        D("-0.02"),
    )
    assert lk.difference == 0 and rec.found == {"lkdata"}
