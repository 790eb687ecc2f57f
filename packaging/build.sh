#!/usr/bin/env bash
# Build the one-folder bundle and its tarball from a clean checkout of HEAD:
#   bash packaging/build.sh [OUT_DIR]        (default: dist/)
# Prints the build time and the bundle's size. Needs Python 3.11+ and the network for pip (or a pip cache).
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$src/dist}" && cd "${1:-$src/dist}" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
git -C "$src" archive --format=tar HEAD | tar -x -C "$work"          # a clean checkout: only what is committed
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check "$work" "pyinstaller>=6.10"
(cd "$work" && "$work/venv/bin/pyinstaller" --noconfirm --log-level WARN \
   --distpath "$work/dist" --workpath "$work/build" packaging/voicearchive.spec)
version=$("$work/venv/bin/python" -c 'import voicearchive; print(voicearchive.__version__)')
rm -rf "$out/voicearchive"
cp -a "$work/dist/voicearchive" "$out/voicearchive"
cp "$src/packaging/linux/"* "$out/voicearchive/"
tarball="$out/voicearchive-$version-linux-$(uname -m).tar.gz"
tar -C "$out" -czf "$tarball" voicearchive
end=$(date +%s)
echo "bundle: $out/voicearchive ($(du -sm "$out/voicearchive" | cut -f1) MB), tarball: $tarball ($(du -m "$tarball" | cut -f1) MB), built in $((end - start)) s"
