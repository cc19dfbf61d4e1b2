"""tomllib's English syntax errors as Swedish sentences: where, what, and how to fix it."""

from __future__ import annotations

import ast
import re
import tomllib

KEY_HINT = (
    "En rad skrivs nyckel = värde. Ett nyckelnamn får bara innehålla a–z, A–Z, 0–9, _ och - "
    '(inte å, ä, ö eller mellanslag), och en text står inom citattecken: namn = "Ekonomi".'
)
VALUE_HINT = (
    'En text står inom citattecken ("Klar"), ett tal skrivs med punkt (3.5), ett datum som '
    '2020-06-30, sant och falskt som true och false, en lista inom hakparenteser: ["a", "b"].'
)
BACKSLASH_HINT = "Skriv \\\\ för ett omvänt snedstreck i en text, eller använd enkla citattecken: 'C:\\mapp'."

# (English message of tomllib, as a regular expression) -> (what is wrong, how to fix it)
_MESSAGES: tuple[tuple[str, str, str], ...] = (
    (r"Expected '=' after a key in a key/value pair", "här väntades '=' efter ett nyckelnamn", KEY_HINT),
    (r"Invalid initial character for a key part", "ett nyckelnamn börjar med ett otillåtet tecken", KEY_HINT),
    (r"Invalid statement", "raden är varken nyckel = värde, [tabell] eller [[tabell]]", KEY_HINT),
    (r"Invalid value", "värdet går inte att läsa", VALUE_HINT),
    (r"Invalid date or datetime", "datumet finns inte", "Ett datum skrivs ÅÅÅÅ-MM-DD, t.ex. 2020-06-30."),
    (
        r"Expected newline or end of document after a statement",
        "efter värdet står något mer på samma rad",
        "Varje nyckel = värde står på en egen rad, ett tal skrivs med punkt (3.5, inte 3,5) och en "
        "kommentar börjar med #.",
    ),
    (
        r"Cannot declare (.*) twice",
        "tabellen [{0}] står två gånger",
        "En tabell med enkla hakparenteser får bara finnas en gång; samla dess nycklar där.",
    ),
    (
        r"Cannot overwrite a value",
        "nyckeln har redan ett värde i samma tabell",
        "En nyckel får bara anges en gång per tabell; ta bort den ena raden.",
    ),
    (
        r"Cannot (?:mutate immutable|redefine) namespace (.*)",
        "tabellen [{0}] har redan angetts på ett annat sätt",
        "Skriv [namn] för en tabell och [[namn]] för en post i en lista av tabeller, inte båda.",
    ),
    (
        r"Duplicate inline table key (.*)",
        "nyckeln {0} står två gånger inom samma {{ }}",
        "En nyckel får bara anges en gång per tabell.",
    ),
    (
        r"Unterminated string",
        "en text saknar sitt avslutande citattecken",
        'En text börjar och slutar med " på samma rad (eller med """ för flera rader).',
    ),
    (r"Unclosed array", "en lista saknar sin avslutande ]", VALUE_HINT),
    (
        r"Unclosed inline table",
        "en tabell inom {{ }} saknar sin avslutande }}",
        "Skriv hela { … } på en rad.",
    ),
    (
        r"Expected '\]' at the end of a table declaration",
        "tabellnamnet saknar sin avslutande ]",
        "En tabell skrivs [namn] på en egen rad.",
    ),
    (
        r"Expected '\]\]' at the end of an array declaration",
        "tabellnamnet saknar sina avslutande ]]",
        "En post i en lista av tabeller skrivs [[namn]] på en egen rad.",
    ),
    (r"Unescaped '\\' in a string", "en text har ett omvänt snedstreck (\\)", BACKSLASH_HINT),
    (
        r"Invalid hex value|Escaped character is not a Unicode scalar value",
        "en text har en ogiltig \\u-kod",
        BACKSLASH_HINT,
    ),
    (
        r"Illegal character '\\n'",
        "en text saknar sitt avslutande citattecken på raden",
        'En text börjar och slutar med " på samma rad (eller med """ för flera rader).',
    ),
    (
        r"(?:Illegal|Found invalid) character (.*)",
        "otillåtet tecken {0}",
        "En text får inte innehålla tabbar eller styrtecken; ta bort tecknet eller skriv om raden.",
    ),
    (r"Expected (.*)", "här väntades {0}", VALUE_HINT),
)
_WHERE = re.compile(r"^(?P<msg>.*) \(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$", re.S)


def sentence(error: tomllib.TOMLDecodeError, text: str) -> str:
    """'inte giltig TOML på rad 3, kolumn 5 – här väntades … Raden: … Tips: …' (no English)."""
    m = _WHERE.match(str(error))
    english = m.group("msg") if m else str(error)
    line = int(m.group("line")) if m and m.group("line") else None
    if line is not None and m is not None:
        where = f"på rad {line}, kolumn {m.group('col')}"
    else:
        where = "i slutet av filen"
    what, hint = "felaktig TOML", VALUE_HINT
    for pattern, swedish, tip in _MESSAGES:
        found = re.fullmatch(pattern, english, re.S)
        if found:
            what, hint = swedish.format(*(_arg(g) for g in found.groups())), tip
            break
    quoted = ""
    lines = text.splitlines()
    if line is not None and 0 < line <= len(lines) and lines[line - 1].strip():
        shown = "".join(c if c.isprintable() else "�" for c in lines[line - 1].strip())
        quoted = f" Raden: ”{shown[:80] + '…' if len(shown) > 80 else shown}”."
    return f"inte giltig TOML {where} – {what}.{quoted} Tips: {hint}"


def _arg(text: str) -> str:
    """A key or character as tomllib prints it (Python repr) -> as a user would write it."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    if isinstance(value, tuple):
        return ".".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 1 and not value.isprintable():
        return f"U+{ord(value):04X}"
    return f"'{value}'" if isinstance(value, str) else text
