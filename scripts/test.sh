#!/usr/bin/env bash
# Install everything the tests need on a fresh machine with only Python 3.11+,
# then run the whole suite.  Used by README ("Run the tests") and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ -z "${VIRTUAL_ENV:-}" ] && [ "${PE_NO_VENV:-}" != "1" ]; then
  [ -d .venv ] || "$PY" -m venv .venv
  # shellcheck disable=SC1091
  . .venv/bin/activate
  PY=python
fi
"$PY" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# Debian packages: headless chromium for the browser tests, CJK fonts for
# charts exported as images.  Installed only when missing.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

exec "$PY" -m pytest -q "$@"
