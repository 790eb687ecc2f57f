#!/usr/bin/env bash
# Re-make the screenshots of the README and the user guide from the current app and the demo archive:
#   bash docs/screenshots/make.sh
# Each picture is taken by the app itself (`voicearchive open ... --screenshot`), offscreen, on a fresh case file.
set -euo pipefail
cd "$(dirname "$0")/../.."
vo=.venv/bin/voicearchive
[ -x "$vo" ] || vo=voicearchive
out=docs/screenshots
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES="qt.multimedia.*=false"
demo=(resources/demo/takeout-20261003T120000Z-001.zip resources/demo/takeout-20261003T120000Z-002.zip)
for view in recordings voices timeline; do
  name=main-window; [ "$view" = recordings ] || name="$view-view"
  VOICEARCHIVE_SCREENSHOT_VIEW=$view "$vo" open "${demo[@]}" --case "$tmp/case-$view.vacase" \
    --screenshot "$out/$name.png" >/dev/null 2>&1
  echo "$out/$name.png"
done
# The Words view on 20,000 synthetic recordings (names, streets, numbers said by four voices).
.venv/bin/python benchmarks/bench_words.py --count 20000 --screenshot "$out/words-view.png" >/dev/null 2>&1 \
  || python benchmarks/bench_words.py --count 20000 --screenshot "$out/words-view.png" >/dev/null 2>&1
echo "$out/words-view.png"
