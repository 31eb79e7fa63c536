#!/usr/bin/env bash
# Install the app's dependencies in .venv and start it (a sample survey is loaded).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -d .venv ] || "$PY" -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec streamlit run app.py --browser.gatherUsageStats false "$@"
