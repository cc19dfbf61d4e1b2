#!/usr/bin/env bash
# Sets up .venv with vss-excel and LibreOffice headless; with --dev also the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
# LibreOffice is part of the job, not only of the tests: Calc saves the demo's filled workbooks as a
# real program does (and recalculates them in the tests); Writer makes the report's and the letter's PDF.
# With it: Swedish hyphenation patterns (hyphen-sv; without them Writer breaks a long word in a narrow
# table column anywhere, without a hyphen) and Liberation Sans, Arial's metric twin (without it the
# report's Arial falls back to a wider font, and the PDF's pages break where Word's do not).
PACKAGES="libreoffice-calc-nogui libreoffice-writer-nogui hyphen-sv fonts-liberation2"
have_all() {
    command -v soffice >/dev/null 2>&1 && ls /usr/lib/libreoffice/program/libswlo.so >/dev/null 2>&1 \
        && [ -e /usr/share/hyphen/hyph_sv_SE.dic ] \
        && ls /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf >/dev/null 2>&1
}
if ! have_all; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installerar LibreOffice (headless), svensk avstavning och typsnittet Liberation Sans ..." >&2
        apt-get update -qq
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
    else
        echo "Installera paketen $PACKAGES (Debian/Ubuntu), eller LibreOffice med svensk avstavning." \
            "Utan LibreOffice blir det ingen PDF, och exemplets ifyllda filer sparas utan beräknade värden." >&2
    fi
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
# The extras: Konsolidering.xlsm's build (xlsm) and Excel files as underlag (calamine); xlwings Lite
# in Excel does without them.
if [ "${1:-}" = "--dev" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[xlsm,calamine,dev]'
else
    .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[xlsm,calamine]'
fi
