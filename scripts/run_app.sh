#!/usr/bin/env bash
# Install the app's dependencies in .venv and start it (a sample survey is loaded).
# All the work is in scripts/launch.py (the same on Windows and macOS):
#   bash scripts/run_app.sh [--port 8502] [--network] [--no-browser]
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PYTHON:-python3}" scripts/launch.py app "$@"
