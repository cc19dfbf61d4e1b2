"""SIE 4 reader: each rule on a short inline file, encoded and line-ended as real exports are."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vss_excel.ledger import sie
from vss_excel.ledger.sie import Balance, BalanceKind
from vss_excel.model import Severity

HEAD = """\
#FLAGGA 0
#PROGRAM "Raindance Ekonomi" 5.2
#FORMAT PC8
#GEN 20201105
#SIETYP 4
#FNAMN "Linköpings kommun"
#ORGNR 212000-0449
#OMFATTN 20201031
#RAR 0 20200101 20201231
#RAR -1 20190101 20191231
#KONTO 3010 "Försäljning av tjänster"
#KONTO 5010 "Lokalhyra"
#KTYP 3010 I
#DIM 1 "Ansvar"
#DIM 6 "Projekt"
#OBJEKT 1 "100" "Lönecenter"
#OBJEKT 6 "P1" "Ombyggnad Stadshuset"
"""


def sie_bytes(text: str, encoding: str = "cp437", newline: str = "\r\n") -> bytes:
    return text.replace("\n", newline).encode(encoding)


def parse(text: str, encoding: str = "cp437", newline: str = "\r\n") -> sie.SieFile:
    return sie.parse(sie_bytes(text, encoding, newline), "huvudbok.se")


def where(f: sie.SieFile) -> list[str]:
    return [x.cell for x in f.findings]


# --- the whole file -------------------------------------------------------------------------


BASIC = (
    HEAD
    + """\
#IB 0 1510 23780.78
#UB 0 1510 20000.00
#UB -1 1510 23780.78
#RES 0 3010 -120000.00
#RES -1 3010 -110000.50
#OIB 0 1510 {1 "100"} 780.78
#OUB 0 1510 {1 "100"} 1000
#PSALDO 0 202001 3010 {} -12345.00
#PSALDO 0 202001 3010 {1 "100"} -12000.00
#PSALDO 0 202001 3010 {1 "200"} -345.00
#PSALDO 0 202002 5010 {1 "100" 6 "P1"} 4000.50 12
#PBUDGET 0 202001 3010 {} -12500
#PSALDO -1 201901 3010 {} -11000.00
"""
)


@pytest.mark.parametrize(
    ("encoding", "newline", "detected"),
    [
        ("cp437", "\r\n", "cp437"),
        ("cp437", "\n", "cp437"),
        ("cp437", "\r", "cp437"),
        ("utf-8", "\n", "utf-8"),
        ("utf-8-sig", "\r\n", "utf-8-sig"),
        ("latin-1", "\r\n", "cp1252"),  # #FORMAT PC8 says cp437, the bytes say otherwise
        ("cp1252", "\r", "cp1252"),
    ],
)
def test_a_whole_file_reads_the_same_in_every_encoding_and_line_end(encoding, newline, detected):
    f = parse(BASIC, encoding, newline)
    assert f.usable and f.findings == ()
    assert f.encoding == detected
    assert (f.program, f.format, f.sie_type, f.company, f.orgnr) == (
        "Raindance Ekonomi 5.2",
        "PC8",
        "4",
        "Linköpings kommun",
        "212000-0449",
    )
    assert f.generated == date(2020, 11, 5) and f.balances_through == date(2020, 10, 31)
    assert f.years == {0: (date(2020, 1, 1), date(2020, 12, 31)), -1: (date(2019, 1, 1), date(2019, 12, 31))}
    assert f.accounts == {"3010": "Försäljning av tjänster", "5010": "Lokalhyra"}
    assert f.account_types == {"3010": "I"}
    assert f.dimensions == {"1": "Ansvar", "6": "Projekt"}
    assert f.objects == {("1", "100"): "Lönecenter", ("6", "P1"): "Ombyggnad Stadshuset"}
    assert f.opening == {(0, "1510"): D("23780.78")}
    assert f.closing == {(0, "1510"): D("20000.00"), (-1, "1510"): D("23780.78")}
    assert f.results == {(0, "3010"): D("-120000.00"), (-1, "3010"): D("-110000.50")}
    assert f.object_opening == {(0, "1510", (("1", "100"),)): D("780.78")}
    assert f.object_closing == {(0, "1510", (("1", "100"),)): D("1000")}
    ps, pb = BalanceKind.PSALDO, BalanceKind.PBUDGET
    assert f.balances == (
        Balance(25, ps, 0, "202001", "3010", (), D("-12345.00")),
        Balance(26, ps, 0, "202001", "3010", (("1", "100"),), D("-12000.00")),
        Balance(27, ps, 0, "202001", "3010", (("1", "200"),), D("-345.00")),
        Balance(28, ps, 0, "202002", "5010", (("1", "100"), ("6", "P1")), D("4000.50"), D(12)),
        Balance(29, pb, 0, "202001", "3010", (), D("-12500")),
        Balance(30, ps, -1, "201901", "3010", (), D("-11000.00")),
    )


def test_the_result_is_immutable():
    f = parse(BASIC)
    with pytest.raises(AttributeError):
        f.balances[0].amount = D(0)  # type: ignore[misc]
    with pytest.raises(TypeError):
        f.accounts["3010"] = "x"  # type: ignore[index]


# --- signs ----------------------------------------------------------------------------------


def test_records_keep_the_sie_sign_and_report_sign_flips_it():
    f = parse(BASIC)
    income = f.balances[0]  # 3010, income: credit, negative in SIE
    cost = f.balances[3]  # 5010, cost: debit, positive in SIE
    assert income.amount == D("-12345.00") and income.report_amount == D("12345.00")
    assert cost.amount == D("4000.50") and cost.report_amount == D("-4000.50")
    assert sie.report_sign(D("-0.00")) == 0 and not sie.report_sign(D("0.00")).is_signed()
    assert not sie.report_sign(D("-0.00")).is_signed()


# --- {} totals and object rows --------------------------------------------------------------


def test_totals_are_kept_apart_from_object_rows():
    f = parse(BASIC)
    jan = [b for b in f.balances if b.kind is BalanceKind.PSALDO and b.period == "202001"]
    totals = [b for b in jan if b.is_total]
    rows = [b for b in jan if not b.is_total]
    assert [b.amount for b in totals] == [D("-12345.00")]
    # The object rows add up to the total; adding both would double count.
    assert sum(b.amount for b in rows) == totals[0].amount
    assert sum(b.amount for b in jan) == 2 * totals[0].amount


def test_pbudget_is_its_own_kind():
    f = parse(BASIC)
    assert [b.amount for b in f.balances if b.kind is BalanceKind.PBUDGET] == [D("-12500")]
    # The same key as a #PSALDO line is no duplicate: budget and outcome are separate.
    assert any(b.kind is BalanceKind.PSALDO and b.period == "202001" and b.is_total for b in f.balances)


# --- fields ---------------------------------------------------------------------------------


def test_quoted_fields_with_spaces_and_escaped_quotes():
    f = parse(
        HEAD
        + r"""#KONTO 4010 "Inköp \"övrigt\" och smått"
#OBJEKT 1 "1 00" "Enhet \"A\" – väst"
#PSALDO 0 202003 4010 {"1" "1 00"} 10.00
#PSALDO 0 202003 "4010" {1 "x\"y"} 20.00
#PSALDO 0 202003 4010 {1 "a}b{c"} 30.00
""",
        "utf-8",
    )
    assert f.findings == ()
    assert f.accounts["4010"] == 'Inköp "övrigt" och smått'
    assert f.objects[("1", "1 00")] == 'Enhet "A" – väst'
    assert [(b.account, b.objects, b.amount) for b in f.balances] == [
        ("4010", (("1", "1 00"),), D("10.00")),
        ("4010", (("1", 'x"y'),), D("20.00")),
        ("4010", (("1", "a}b{c"),), D("30.00")),
    ]


def test_tabs_several_spaces_indentation_and_lower_case_labels():
    f = parse(HEAD + "\t#PSALDO\t0  202004\t3010 { }\t-5.5   \n#psaldo 0 202004 5010 {} 7\n")
    assert f.findings == ()
    assert [(b.account, b.objects, b.amount) for b in f.balances] == [
        ("3010", (), D("-5.5")),
        ("5010", (), D(7)),
    ]


def test_object_lists_with_several_dimensions_are_sorted_by_dimension_number():
    f = parse(
        HEAD
        + """#PSALDO 0 202001 5010 {6 "P1" 1 "100"} 1.00
#PSALDO 0 202001 5010 {20 "01" 1 "100" 6 "P2"} 2.00
"""
    )
    assert [b.objects for b in f.balances] == [
        (("1", "100"), ("6", "P1")),
        (("1", "100"), ("6", "P2"), ("20", "01")),
    ]


def test_extra_fields_and_unknown_labels_are_ignored():
    f = parse(
        HEAD
        + """#PROSA "Exporterad för uppföljning"
#FRAMTIDA 1 2 3
#SRU 3010 7410
#PSALDO 0 202001 3010 {} -1.00 5 "framtida fält"
"""
    )
    assert f.findings == ()
    assert [(b.amount, b.quantity) for b in f.balances] == [(D("-1.00"), D(5))]


def test_verifications_are_skipped_and_counted():
    f = parse(
        HEAD
        + """#VER A 1 20200105 "Hyra"
{
   #TRANS 5010 {1 "100"} 4000.00
   #TRANS 1930 {} -4000.00
}
#VER A 2 20200106 "Tom"
#PSALDO 0 202001 5010 {} 4000.00
"""
    )
    assert f.findings == ()
    assert f.transaction_count == 2
    assert [b.line for b in f.balances] == [24]


# --- broken lines ---------------------------------------------------------------------------


BROKEN = (
    HEAD  # 17 lines
    + """#PSALDO 0 202001 3010 {} -12345,00
#PSALDO 0 2020-01 3010 {} -1.00
#PSALDO 0 202013 3010 {} -1.00
#PSALDO 0 202001 3010 {}
#PSALDO 0 202001 3010 {1 "100} -1.00
#PSALDO 0 202001 3010 {1 "100" -1.00
#PSALDO 0 202001 3010 {1 "100" 6} -1.00
#PSALDO 0 202001 3010 1 -1.00
#PSALDO x 202001 3010 {} -1.00
#PSALDO 0 202001 3010 {} 12345678901234567.00
#RAR 1 2021013 20211231
#KONTO 6010
#PSALDO 0 202001 3010 {1 ""} 1.00
stray text
#PSALDO 0 202002 3010 {} -99.00
"""
)


def test_broken_lines_become_findings_with_line_numbers_and_the_rest_is_read():
    f = parse(BROKEN)
    assert f.usable
    assert where(f) == [f"rad {n}" for n in range(18, 32)]
    assert all(x.severity is Severity.FEL and x.file == "huvudbok.se" and x.sheet == "" for x in f.findings)
    assert all("användes inte" in x.message for x in f.findings)
    msg = {x.cell: x.message for x in f.findings}
    assert "'-12345,00' är inte ett tal" in msg["rad 18"]
    assert "ÅÅÅÅMM" in msg["rad 19"] and "ÅÅÅÅMM" in msg["rad 20"]
    assert "saknar fält" in msg["rad 21"]
    assert "citattecken" in msg["rad 22"]
    assert "saknar avslutande }" in msg["rad 23"]
    assert "udda antal" in msg["rad 24"]
    assert "objektlista" in msg["rad 25"]
    assert "heltal" in msg["rad 26"]
    assert "för många siffror" in msg["rad 27"]
    assert "ÅÅÅÅMMDD" in msg["rad 28"]
    assert "kontonummer och namn" in msg["rad 29"]
    assert "tom objektkod" in msg["rad 30"]
    assert "etikett" in msg["rad 31"]
    assert [(b.line, b.amount) for b in f.balances] == [(32, D("-99.00"))]
    assert 1 not in f.years and "6010" not in f.accounts


def test_a_bad_quantity_keeps_the_amount_with_a_warning():
    f = parse(HEAD + "#PSALDO 0 202001 3010 {} -1.00 abc\n")
    assert [b.amount for b in f.balances] == [D("-1.00")] and f.balances[0].quantity is None
    assert [(x.severity, x.cell) for x in f.findings] == [(Severity.VARNING, "rad 18")]


def test_a_second_line_for_the_same_saldo_is_not_used():
    f = parse(
        HEAD
        + """#PSALDO 0 202001 3010 {1 "100"} -1.00
#PSALDO 0 202001 3010 {1 "100"} -2.00
#PSALDO 0 202001 3010 {"1" "100"} -3.00
#RES 0 3010 -1.00
#RES 0 3010 -2.00
"""
    )
    assert [b.amount for b in f.balances] == [D("-1.00")]
    assert f.results == {(0, "3010"): D("-1.00")}
    assert where(f) == ["rad 19", "rad 20", "rad 22"]
    assert "rad 18" in f.findings[0].message


def test_a_period_in_no_rar_year_is_not_used():
    f = parse(
        HEAD
        + "#PSALDO 0 201812 3010 {} -1.00\n#PSALDO -1 201812 3010 {} -2.00\n#PSALDO -2 201712 3010 {} -3\n"
    )
    assert [b.amount for b in f.balances] == [D(-3)]  # year -2 has no #RAR, 2017 lies in none: not checked
    assert where(f) == ["rad 18", "rad 19"] and "utanför räkenskapsår 0" in f.findings[0].message
    assert {x.severity for x in f.findings} == {Severity.FEL}
    # A whole period outside gives one finding, not one per line.
    g = parse(HEAD + "#PSALDO 0 201812 3010 {} -1.00\n" + '#PSALDO 0 201812 3010 {1 "100"} -1.00\n')
    assert where(g) == ["rad 18"] and "de 2 raderna" in g.findings[0].message and g.balances == ()


def test_a_period_in_another_rar_year_is_read_as_that_year():
    # The month is a date; the index only points to a #RAR line. So the month decides.
    f = parse(
        HEAD
        + """#PBUDGET -1 202003 3010 {1 "100"} -5.00
#PBUDGET -1 202004 3010 {1 "100"} -6.00
#PBUDGET -1 202005 3010 {1 "100"} 12,50
#PSALDO -2 202006 3010 {} -7
"""
    )
    assert [(b.kind, b.year, b.period, b.amount) for b in f.balances] == [
        (BalanceKind.PBUDGET, 0, "202003", D("-5.00")),
        (BalanceKind.PBUDGET, 0, "202004", D("-6.00")),
        (BalanceKind.PSALDO, 0, "202006", D(-7)),  # an index with no #RAR: the month decides too
    ]
    assert [(u.year, u.period) for u in f.unread] == [(0, "202005")]  # its cells are this year's
    moved = [x for x in f.findings if x.severity is Severity.VARNING]
    assert [x.cell for x in moved] == ["rad 18", "rad 21"]  # one per kind and index, not per line
    assert "2 rader med årsnr -1 (räkenskapsåret 2019-01-01–2019-12-31 enligt #RAR)" in moved[0].message
    assert "raderna lästes som årsnr 0" in moved[0].message and "budgeten för 2020" in moved[0].message
    assert "1 rad med årsnr -2 (som saknar #RAR) har perioden 202006 i årsnr 0:s" in moved[1].message
    assert "raden lästes som årsnr 0" in moved[1].message and "utfallet för 2020" in moved[1].message


def test_a_copy_under_the_wrong_index_is_dropped_silently_and_a_different_one_gives_way():
    f = parse(
        HEAD
        + """#PBUDGET 0 202003 3010 {} -5.00
#PBUDGET -1 202003 3010 {} -5.0
#PSALDO 0 201912 3010 {} -1.00
#PSALDO -1 201912 3010 {} -2.00
"""
    )
    assert [(b.kind, b.year, b.period, b.amount) for b in f.balances] == [
        (BalanceKind.PBUDGET, 0, "202003", D("-5.00")),
        (BalanceKind.PSALDO, -1, "201912", D("-2.00")),
    ]
    (x,) = f.findings  # the copy on line 19 gives none: nothing is lost
    assert x.cell == "rad 20" and x.severity is Severity.VARNING
    assert x.message.startswith(
        "#PSALDO: 1 rad med årsnr 0 och perioden 201912 i årsnr -1:s räkenskapsår 2019-01-01–2019-12-31 "
        "har andra belopp än raderna med årsnr -1 för samma period, konto och objekt (den första: rad 20 "
        "mot rad 21)."
    )
    assert x.message.endswith(
        "Raderna med årsnr -1, där årsnr och period stämmer med #RAR, används; den med årsnr 0 inte."
    )


def test_an_object_named_twice_keeps_its_first_name_and_the_other_names_aside():
    f = parse(
        HEAD
        + """#OBJEKT 1 "100" "Lönecenter"
#OBJEKT 1 "100" "Annat namn"
#OBJEKT 1 "100" "Annat namn"
#OBJEKT 6 "P1" "Ombyggnad Stadshuset"
"""
    )
    assert f.findings == ()  # whether it matters depends on the amounts: the ledger judges
    assert f.objects[("1", "100")] == "Lönecenter"
    assert f.object_conflicts == {("1", "100"): ((16, "Lönecenter"), (19, "Annat namn"))}


def test_a_name_with_a_stray_quote_is_read_as_written():
    f = parse(
        HEAD
        + """#KONTO 1684 "Fordringar hos leverant"r"
#KONTO\t2943 L"neskatt
#OBJEKT 1 "200" "Kontor "Nord"
#KONTO 3020 "Ofullständig
"""
    )
    assert f.accounts["1684"] == 'Fordringar hos leverant"r' and f.accounts["2943"] == 'L"neskatt'
    assert f.objects[("1", "200")] == 'Kontor "Nord'
    assert where(f) == ["rad 21"] and "3020" not in f.accounts  # no closing quote: no name to take


def test_an_unclosed_verification_is_reported_and_what_follows_is_read():
    f = parse(HEAD + '#VER A 1 20200105 "Hyra"\n{\n#TRANS 5010 {} 1.00\n#PSALDO 0 202001 5010 {} 1.00\n')
    assert [b.line for b in f.balances] == [21]
    assert where(f) == ["rad 19"] and "avslutas aldrig" in f.findings[0].message
    assert f.findings[0].severity is Severity.VARNING  # verifications are not read: no amount lost


def test_a_verification_cut_off_at_the_end_of_the_file():
    f = parse(HEAD + '#VER A 1 20200105 "Hyra"\n{\n#TRANS 5010 {} 1.00\n')
    assert where(f) == ["rad 19"] and "avkortad" in f.findings[0].message
    assert f.findings[0].severity is Severity.FEL  # what came after the cut is missing


def test_a_checksummed_file_without_its_closing_checksum_is_cut_off():
    text = HEAD.replace("#FLAGGA 0\n", "#FLAGGA 0\n#KSUMMA\n") + "#PSALDO 0 202001 3010 {} -1.00\n"
    assert parse(text + "#KSUMMA 1234567890\n").findings == ()
    f = parse(text)
    assert [x.cell for x in f.findings] == [""] and "avkortad" in f.findings[0].message
    assert len(f.balances) == 1  # what is there is still read; the finding says it is not all


def test_many_broken_lines_give_a_bounded_number_of_findings():
    f = parse(HEAD + "#PSALDO 0 202001 3010 {} x\n" * 250)
    assert len(f.findings) == sie.MAX_LINE_FINDINGS + 1
    assert "Ytterligare 150 rader" in f.findings[-1].message
    one = parse(HEAD + "#PSALDO 0 202001 3010 {} x\n" * (sie.MAX_LINE_FINDINGS + 1))
    assert "Ytterligare 1 rad har fel" in one.findings[-1].message  # the number agrees


# --- not SIE at all -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "tom"),
        (b"  \r\n\r\n", "tom"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(100), "Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "Office"),
        (b"%PDF-1.7\n", "PDF"),
        (b"\x01\x02\x00\x00\xff" * 50, "binärfil"),
        (b"Konto;Belopp\n3010;-100\n", "börjar inte med SIE-poster"),
    ],
)
def test_a_file_that_is_not_sie_gives_one_finding(data, says):
    f = sie.parse(data, "fel.se")
    assert not f.usable and f.balances == ()
    assert len(f.findings) == 1 and f.findings[0].severity is Severity.FEL
    assert says in f.findings[0].message and f.findings[0].file == "fel.se"


def test_read_from_disk(tmp_path: Path):
    p = tmp_path / "huvudbok.se"
    p.write_bytes(sie_bytes(BASIC))
    f = sie.read(p)
    assert f.usable and f.source == "huvudbok.se" and len(f.balances) == 6
    assert not sie.read(tmp_path / "saknas.se").usable
    assert not sie.read(tmp_path).usable
    big = sie.read(p, max_bytes=100)
    assert not big.usable and "för stor" in big.findings[0].message


# --- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        (b"#FLAGGA 0\n", "ascii"),
        ('#KONTO 3010 "Försäljning"\n'.encode(), "utf-8"),
        (b"\xef\xbb\xbf#KONTO 3010 x\n", "utf-8-sig"),
        ('#FORMAT PC8\n#KONTO 3010 "Försäljning"\n'.encode("cp437"), "cp437"),
        ('#KONTO 3010 "Försäljning"\n'.encode("cp437"), "cp437"),  # no #FORMAT: still cp437
        ('#FORMAT PC8\n#KONTO 3010 "Försäljning"\n'.encode("latin-1"), "cp1252"),
        ('#KONTO 3010 "ÅÄÖ\x81"\n'.encode("latin-1"), "latin-1"),  # a byte cp1252 lacks
        ('#KONTO 3010 "ÅÄÖ åäö"\n'.encode("cp437"), "cp437"),
        ('#KONTO 3010 "ÅÄÖ åäö"\n'.encode("iso-8859-15"), "cp1252"),
        ('#FORMAT ISO\n#KONTO 3010 "\u2591"\n'.encode("cp437"), "cp1252"),  # a tie: #FORMAT decides
        ("\ufeff#FLAGGA 0\n".encode("utf-16"), "utf-16"),
    ],
)
def test_detect_encoding(data: bytes, codec: str):
    assert sie.detect_encoding(data) == codec


def test_a_bom_on_a_file_that_is_not_utf8():
    data = b"\xef\xbb\xbf" + sie_bytes(BASIC, "cp437")
    f = sie.parse(data, "x.se")
    assert f.encoding == "cp437" and f.company == "Linköpings kommun" and f.findings == ()


def test_utf16_files_are_read():
    f = sie.parse(BASIC.encode("utf-16"), "x.se")
    assert f.usable and f.encoding == "utf-16" and len(f.balances) == 6


# --- round trip -----------------------------------------------------------------------------

NAME_CHARS = st.characters(
    codec="ascii", min_codepoint=32, max_codepoint=126, exclude_characters="\\"
) | st.sampled_from("åäöÅÄÖéü")
names = st.text(NAME_CHARS, max_size=12)
codes = st.text(NAME_CHARS, min_size=1, max_size=6)
DIMS = ("1", "2", "6", "20")
object_lists = st.lists(st.tuples(st.sampled_from(DIMS), codes), max_size=3, unique_by=lambda p: p[0]).map(
    lambda pairs: tuple(sorted(pairs, key=lambda p: int(p[0])))
)
amounts = st.integers(-(10**15) + 1, 10**15 - 1).map(lambda n: D(n).scaleb(-2))
balance_keys = st.tuples(
    st.sampled_from(BalanceKind),
    st.sampled_from((0, -1)),
    st.integers(1, 12),
    st.sampled_from(("3010", "4010", "5010", "7699")),
    object_lists,
)


def quoted(s: str) -> str:
    return '"' + s.replace('"', '\\"') + '"'


def write_sie(balances: list[Balance], accounts: dict[str, str], objects: dict[tuple[str, str], str]) -> str:
    lines = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", "#RAR 0 20200101 20201231", "#RAR -1 20190101 20191231"]
    lines += [f"#KONTO {a} {quoted(n)}" for a, n in accounts.items()]
    lines += [f"#OBJEKT {d} {quoted(c)} {quoted(n)}" for (d, c), n in objects.items()]
    for b in balances:
        objs = " ".join(f"{d} {quoted(c)}" for d, c in b.objects)
        lines.append(f"#{b.kind.value} {b.year} {b.period} {b.account} {{{objs}}} {b.amount}")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(balance_keys, amounts), max_size=25, unique_by=lambda r: r[0]),
    accounts=st.dictionaries(st.sampled_from(("3010", "4010", "5010")), names, max_size=3),
    objects=st.dictionaries(st.tuples(st.sampled_from(DIMS), codes), names, max_size=4),
    encoding=st.sampled_from(("cp437", "utf-8", "utf-8-sig", "cp1252")),
    newline=st.sampled_from(("\r\n", "\n", "\r")),
)
def test_balances_written_as_sie_read_back_the_same(rows, accounts, objects, encoding, newline):
    header_lines = 5 + len(accounts) + len(objects)
    balances = [
        Balance(header_lines + i + 1, kind, year, f"{2020 + year}{month:02d}", account, objs, amount)
        for i, ((kind, year, month, account, objs), amount) in enumerate(rows)
    ]
    text = write_sie(balances, accounts, objects)
    f = sie.parse(sie_bytes(text, encoding, newline), "rundtur.se")
    assert f.findings == ()
    assert list(f.balances) == balances
    assert f.accounts == accounts and f.objects == objects
    if not text.isascii():
        assert f.encoding == encoding


# --- more of the format's corners -----------------------------------------------------------


def test_a_brace_on_the_ver_line_and_ignored_labels_with_broken_quotes():
    f = parse(
        HEAD
        + """#VER A 1 20200105 "Hyra" {
#TRANS 5010 {} 1.00
#TRANS 1930 {} -1.00
}
#PROSA "ett citattecken som aldrig slutar
#PSALDO 0 202001 5010 {} 1.00
"""
    )
    assert f.findings == () and f.transaction_count == 2 and [b.line for b in f.balances] == [23]


def test_stray_braces_and_transactions_outside_a_verification():
    f = parse(HEAD + "}\n#TRANS 5010 {} 1.00\n#PSALDO 0 202001 5010 {} 1.00\n")
    assert where(f) == ["rad 18", "rad 19"] and len(f.balances) == 1
    assert {x.severity for x in f.findings} == {Severity.VARNING}


def test_hierarchical_dimensions():
    f = parse(HEAD + '#UNDERDIM 21 "Underavdelning" 20\n#PSALDO 0 202001 4010 {21 "0101"} 13200.00\n')
    assert f.dimensions["21"] == "Underavdelning" and f.subdimensions == {"21": "20"}
    assert f.balances[0].objects == (("21", "0101"),)


LABELS = ("#PSALDO", "#PBUDGET", "#RAR", "#KONTO", "#VER", "#TRANS", "#RES")
WORDS = ("0", "-1", "202001", "20200101", "3010", "{", "}", "{}", "1", "-1.00", "1,5", "x", "å")
ODD = ('"', '\\"', '"a b"', '"100"', "\t", "  ", "\r")
SIEISH = st.sampled_from((*LABELS, *WORDS, *ODD))


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(st.lists(SIEISH, max_size=8).map(" ".join), max_size=30))
def test_no_line_however_broken_stops_the_rest(lines):
    # The } closes any verification a random line opened, so nothing may swallow the last line.
    text = HEAD + "\n".join(lines) + "\n}\n#PSALDO 0 202012 7699 {} 1.00\n"
    for encoding in ("cp437", "utf-8"):
        f = sie.parse(text.encode(encoding), "x.se")
        assert f.usable
        assert all(x.cell.startswith("rad ") or x.cell == "" for x in f.findings)
        assert [(b.period, b.amount) for b in f.balances if b.account == "7699"] == [("202012", D("1.00"))]


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300))
def test_any_bytes_give_a_result_not_an_exception(data):
    f = sie.parse(data, "x.se")
    assert f.usable or len(f.findings) == 1


@pytest.mark.parametrize(
    "line",
    [
        "#PSALDO 0 000001 3010 {} 1.00",  # no year 0
        "#PSALDO 0 202001 3010 {} \u0661\u0662",  # digits, but not ASCII ones
        "#PSALDO \u0660 202001 3010 {} 1.00",
        "#PSALDO 99999999999999999999 202001 3010 {} 1.00",
        '#PSALDO 0 202001 3010 {\u00b2 "1"} 1.00',
        "#PSALDO 0 202001 3010 {" + "9" * 5000 + ' "1"} 1.00',
        "#RAR 0 \u0662\u0660\u0662\u0660\u0660\u0661\u0660\u0661 20201231",
    ],
)
def test_odd_numbers_are_refused_not_misread(line: str):
    f = parse(HEAD + line + "\n", "utf-8")
    assert len(f.findings) <= 1 and len(f.balances) <= 1
    if f.balances:  # a dimension need not be a number; it sorts after the numbered ones
        assert f.balances[0].objects[0][1] == "1"
    else:
        assert where(f) == ["rad 18"]


@given(text=st.text(st.sampled_from("ab\n"), max_size=60), chunk=st.integers(1, 8))
def test_lines_are_split_the_same_a_chunk_at_a_time(text, chunk):
    assert list(sie._lines(text, chunk)) == text.split("\n")


# --- the fast path --------------------------------------------------------------------------


def _exact(balances: list[Balance]) -> list[tuple[Balance, str, str]]:
    # Decimal("1.5") == Decimal("1.50"): the text shows digits the == would not.
    return [(b, str(b.amount), str(b.quantity)) for b in balances]


def _fast_only(line: str) -> sie._Parser:
    """The parser run on one line with the general path refused: only the fast path can read it."""

    def refuse(self: sie._Parser, no: int, text: str) -> None:
        raise AssertionError(f"the general path got {text!r}")

    parser = sie._Parser("x")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sie._Parser, "general", refuse)
        parser.run([line])
    return parser


@pytest.mark.parametrize(
    ("line", "year", "objects", "amount", "quantity"),
    [
        ("#PSALDO 0 202001 3010 {} -12345.00", 0, (), "-12345.00", None),
        ('#PSALDO 0 202001 3010 {1 "100"} -12345.00', 0, (("1", "100"),), "-12345.00", None),
        ('#PSALDO -1 201912 3010 {6 "P 1" 1 "100"} 12345 3', -1, (("1", "100"), ("6", "P 1")), "12345", "3"),
        ('#PBUDGET "0" "202001" "3010" {"1" "100"} -1.5\r', 0, (("1", "100"),), "-1.5", None),
        ("\t#PSALDO  0\t202001 3010 { }  7", 0, (), "7", None),
    ],
)
def test_common_lines_take_the_fast_path(line, year, objects, amount, quantity):
    assert sie._FAST.match(line)
    parser = _fast_only(line)
    assert parser.findings == []
    [b] = parser.balances
    assert (b.year, b.account, b.objects) == (year, "3010", objects)
    assert (str(b.amount), None if b.quantity is None else str(b.quantity)) == (amount, quantity)


def _both_paths(parser_line: str) -> list[Balance]:
    fast, general = sie._Parser("x"), sie._Parser("x")
    fast.run([parser_line])
    general.general(1, parser_line)
    assert [(f.cell, f.message) for f in fast.findings] == [(f.cell, f.message) for f in general.findings]
    assert _exact(fast.balances) == _exact(general.balances)
    return general.balances


SEP = st.sampled_from([" ", "\t", "  ", " \t"])
GAP = st.sampled_from(["", " ", "\t"])
NUMBER = st.from_regex(r"-?[0-9]{1,15}(\.[0-9]{1,6})?", fullmatch=True)


@st.composite
def fast_lines(draw: st.DrawFn) -> tuple[str, Balance]:
    """A #PSALDO / #PBUDGET line of the shape the fast path reads, and the balance it says."""

    def field(text: str) -> str:
        return f'"{text}"' if draw(st.booleans()) else text

    kind = draw(st.sampled_from(BalanceKind))
    year = draw(st.integers(-999_999_999, 999_999_999))
    period = f"{draw(st.integers(1900, 2099))}{draw(st.integers(1, 12)):02d}"
    account = draw(st.text("0123456789", min_size=1, max_size=10))
    dims = draw(st.lists(st.integers(1, 99).map(str), unique=True, max_size=3))
    codes = [draw(st.text("AZaz09 -_.åÖ", min_size=1, max_size=6)) for _ in dims]
    pairs = [f'{field(d)}{draw(SEP)}"{c}"' for d, c in zip(dims, codes, strict=True)]
    objects = "{" + draw(GAP) + draw(SEP).join(pairs) + draw(GAP) + "}"
    amount, quantity = draw(NUMBER), draw(st.none() | NUMBER)
    tail = ("" if quantity is None else draw(SEP) + quantity) + draw(st.sampled_from(["", "\r", " ", " \r"]))
    line = (
        f"{draw(GAP)}#{kind.value}{draw(SEP)}{field(str(year))}{draw(SEP)}{field(period)}{draw(SEP)}"
        f"{field(account)}{draw(GAP)}{objects}{draw(GAP)}{amount}{tail}"
    )
    said = tuple(sorted(zip(dims, codes, strict=True), key=lambda p: int(p[0])))
    qty = None if quantity is None else D(quantity)
    return line, Balance(1, kind, year, period, account, said, D(amount), qty)


@given(case=fast_lines())
def test_fast_shaped_lines_take_the_fast_path(case):
    line, said = case
    assert sie._FAST.match(line)
    parser = _fast_only(line)
    assert parser.findings == []
    assert _exact(parser.balances) == _exact([said])


@given(case=fast_lines())
def test_the_fast_path_and_the_general_path_agree(case):
    line, said = case
    assert sie._FAST.match(line)
    assert _exact(_both_paths(line)) == _exact([said])


FIELD_VARIANTS = st.sampled_from(["0", "-1", '"0"', "1,5", "x", '"', "202001", '"202001"', "202013", "3010"])
AMOUNTS = st.sampled_from(["-12345.00", "1", "12.", "+5", ".5", "1.1234567", "1" * 16, "1,5", '"1.00"', ""])
OBJECTS = st.sampled_from(
    ["{}", "{ }", '{1 "100"}', '{6 "P1" 1 "1 0"}', '{1 "a\\"b"}', '{1 "}"}', "{1}", "{", "x"]
)


@given(fields=st.tuples(FIELD_VARIANTS, FIELD_VARIANTS, FIELD_VARIANTS, OBJECTS, AMOUNTS, AMOUNTS))
def test_the_fast_path_and_the_general_path_agree_on_odd_lines(fields):
    _both_paths(" ".join(("#PSALDO", *fields)).rstrip())


def test_an_unreadable_line_under_the_wrong_index_leaves_a_line_under_the_right_one_standing():
    f = parse(HEAD + '#PBUDGET 0 202003 3010 {1 "100"} -5.00\n#PBUDGET -1 202003 3010 {1 "100"} 5,00\n')
    assert [(b.year, b.amount) for b in f.balances] == [(0, D("-5.00"))]
    assert f.unread == ()  # its cell is not left empty: the line whose index and month agree is read
    assert where(f) == ["rad 19"] and f.findings[0].severity is Severity.FEL  # the line is not used
