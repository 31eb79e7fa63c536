#!/usr/bin/env bash
# Install everything the tests need on a fresh machine with only Python 3.11+,
# then run the whole suite.  Used by README ("Run the tests") and .ci/run.
# All the work is in scripts/launch.py (the same on Windows and macOS);
# extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PYTHON:-python3}" scripts/launch.py test "$@"
