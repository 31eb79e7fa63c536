#!/usr/bin/env bash
# Install the app's dependencies in .venv and start it (a sample survey is loaded).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -d .venv ] || "$PY" -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install --quiet --disable-pip-version-check -r requirements.txt
# two malloc arenas for all script threads: memory comes back after a burst of users
# (pages/_ui/memory.py also caps them with mallopt; this covers threads started before the app runs)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
exec streamlit run app.py --browser.gatherUsageStats false "$@"
