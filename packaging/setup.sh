#!/usr/bin/env bash
# VoiceArchive set-up for a Debian/Ubuntu machine with Python 3.11+.
#   bash packaging/setup.sh run    install (idempotent) and open the bundled demo archive in the window
#   bash packaging/setup.sh test   install (idempotent) and run the whole test suite offscreen
# System libraries Qt needs are installed when run as root; otherwise the exact apt-get line is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-run}"

# Qt's runtime libraries (platform.md), fonts, the PulseAudio client QtMultimedia links, and ffmpeg-free audio.
SYSTEM_PACKAGES="libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3 fonts-dejavu-core libpulse0
 libxrandr2 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
 libxcb-shape0 libxcb-xkb1 libxcb-randr0 libxcb-xinerama0 libxcb-xfixes0 libsm6 libice6 libnss3 libasound2
 xvfb xauth"

need_python() {
  for py in python3.13 python3.12 python3.11 python3; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  echo "VoiceArchive needs Python 3.11 or newer: sudo apt-get install python3 python3-venv" >&2
  exit 2
}

system_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian/Ubuntu: assume the libraries are there
  local missing=""
  for pkg in $SYSTEM_PACKAGES; do
    # Debian 13 renamed some libraries with a t64 suffix: either name will do.
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" && continue
    dpkg-query -W -f='${Status}' "${pkg}t64" 2>/dev/null | grep -q "ok installed" && continue
    missing="$missing $pkg"
  done
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "Installing system libraries:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    local resolved=""
    for pkg in $missing; do
      if apt-cache show "$pkg" >/dev/null 2>&1; then resolved="$resolved $pkg"
      elif apt-cache show "${pkg}t64" >/dev/null 2>&1; then resolved="$resolved ${pkg}t64"; fi
    done
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $resolved >/dev/null
  else
    echo "VoiceArchive needs these system libraries. Install them with:" >&2
    echo "  sudo apt-get install$missing" >&2
    exit 2
  fi
}

venv() {
  local py; py=$(need_python)
  if [ ! -x .venv/bin/python ]; then
    if ! "$py" -m venv .venv 2>/dev/null; then
      rm -rf .venv
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        "$py" -m venv .venv
      else
        echo "Python's venv module is missing. Install it with: sudo apt-get install python3-venv" >&2; exit 2
      fi
    fi
  fi
  # Re-install only when the dependencies changed (idempotent and quick on the second run).
  local stamp=.venv/.voicearchive-installed want
  want=$(sha256sum pyproject.toml | cut -c1-64)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! .venv/bin/python -c 'import voicearchive' 2>/dev/null; then
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,cluster,asr,fast]'
    echo "$want" > "$stamp"
  fi
}

system_packages
venv
demo=(resources/demo/takeout-20261003T120000Z-001.zip resources/demo/takeout-20261003T120000Z-002.zip)
case "$what" in
  run)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "No display here: scanning the demo archive on the command line instead of opening the window."
      exec .venv/bin/voicearchive scan "${demo[@]}" --case .venv/demo.vacase
    fi
    exec .venv/bin/voicearchive open "${demo[@]}"
    ;;
  test)
    export QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES="qt.multimedia.*=false"
    exec .venv/bin/python -m pytest -q -p no:cacheprovider "${@:2}"
    ;;
  *) echo "usage: bash packaging/setup.sh run|test" >&2; exit 2 ;;
esac
