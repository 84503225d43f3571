#!/usr/bin/env bash
# Installs what the browser tests need from Debian's packages, only when missing:
# chromium (driven by Microsoft.Playwright with ExecutablePath=/usr/bin/chromium; never `playwright install`)
# and fonts-wqy-zenhei (CJK glyphs, so screenshots show Chinese instead of boxes, and the bulletin chart tests can paint
# the township names: src/Bot/Charts finds it at /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 || missing+=(fonts-wqy-zenhei)
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: chromium and fonts-wqy-zenhei already installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else echo "install-test-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; fi
fi
echo "install-test-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
