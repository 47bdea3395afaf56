#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium for saywho's browser tests (tests/test_web_browser.py).
#
#   export SAYWHO_CHROMIUM="$(bash .ci/chromium.sh)"
#
# Uses $SAYWHO_CHROMIUM or Debian's /usr/bin/chromium; installs Debian's chromium package when it is
# missing (needs root and apt-get). Playwright drives it; Playwright's own browser downloads are never
# used. Prints nothing and exits 1 when no Chromium can be had (the browser tests then skip).
set -euo pipefail
log() { echo "chromium.sh: $*" >&2; }
want="${SAYWHO_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$want" ]; then
    if [ "$want" = /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing chromium from Debian's packages"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
    else
        log "no Chromium at $want and it cannot be installed here (needs root and apt-get)"
        exit 1
    fi
fi
echo "$want"
