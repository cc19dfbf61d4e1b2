#!/usr/bin/env bash
# Sets up .venv with vss-excel and LibreOffice headless; with --dev also the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
# LibreOffice is part of the job, not only of the tests: Calc saves the demo's filled workbooks as a
# real program does (and recalculates them in the tests); Writer makes the report's and the letter's PDF.
if ! command -v soffice >/dev/null 2>&1 || ! ls /usr/lib/libreoffice/program/libswlo.so >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installerar LibreOffice (headless) ..." >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            libreoffice-calc-nogui libreoffice-writer-nogui >/dev/null
    else
        echo "LibreOffice saknas: installera libreoffice-calc-nogui och libreoffice-writer-nogui (eller LibreOffice)." \
            "Utan det blir det ingen PDF, och exemplets ifyllda filer sparas utan beräknade värden." >&2
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
