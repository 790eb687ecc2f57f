#!/usr/bin/env bash
# Install VoiceArchive's desktop integration for the current user (no root needed):
# the menu entry, the icon in every size, the AppStream metadata, and the MIME type that makes
# double-clicking a takeout-*.zip offer VoiceArchive. Run again to update; --uninstall removes it all.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
icons="$here/../../resources/icons"
[ -d "$icons" ] || icons="$(python3 -c 'import voicearchive.resources as r; print(r.resource("icons"))')"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
id=org.voicearchive.VoiceArchive

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$data/applications/$id.desktop" "$data/metainfo/$id.metainfo.xml" "$data/mime/packages/voicearchive-mime.xml"
  rm -f "$data"/icons/hicolor/*/apps/$id.png "$data/icons/hicolor/scalable/apps/$id.svg"
else
  install -Dm644 "$here/$id.desktop" "$data/applications/$id.desktop"
  install -Dm644 "$here/$id.metainfo.xml" "$data/metainfo/$id.metainfo.xml"
  install -Dm644 "$here/voicearchive-mime.xml" "$data/mime/packages/voicearchive-mime.xml"
  install -Dm644 "$icons/voicearchive.svg" "$data/icons/hicolor/scalable/apps/$id.svg"
  for s in 16 32 48 64 128 256; do
    install -Dm644 "$icons/voicearchive-$s.png" "$data/icons/hicolor/${s}x${s}/apps/$id.png"
  done
  # A bundle (packaging/build.sh) has no `voicearchive` on PATH: point Exec at the bundle's binary.
  if [ -n "${VOICEARCHIVE_EXEC:-}" ]; then
    sed -i "s|^Exec=voicearchive|Exec=$VOICEARCHIVE_EXEC|" "$data/applications/$id.desktop"
  fi
fi
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q "$data/icons/hicolor" || true
if [ "${1:-}" = "--uninstall" ]; then done_what=removed; else done_what=installed; fi
echo "VoiceArchive desktop integration $done_what under $data"
