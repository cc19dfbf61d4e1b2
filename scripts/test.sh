#!/usr/bin/env bash
# Sets up (LibreOffice included) and runs lint, type check and the tests. Fails when any fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
