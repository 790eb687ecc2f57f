"""Fill unfinished German texts of the .ts file from a Python dict ``DE = {(context, source): german}``, then
compile the .qm (a translator's helper: ``python packaging/fill_translations.py FILE.py``)."""

from __future__ import annotations

import runpy
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "voicearchive_de.ts"


def main(argv: list[str]) -> int:
    german: dict[tuple[str, str], str] = runpy.run_path(argv[0])["DE"]
    tree = ET.parse(TS)
    left = 0
    for ctx in tree.getroot().findall("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.findall("message"):
            tr = m.find("translation")
            text = german.get((name, m.findtext("source") or ""))
            if text is not None:
                tr.text = text
                tr.attrib.pop("type", None)
            elif tr.get("type") == "unfinished":
                left += 1
                print(f"unfinished: {name}: {m.findtext('source')}")
    ET.indent(tree)
    with open(TS, "wb") as f:
        f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(f, encoding="utf-8", xml_declaration=False)
    subprocess.run([str(Path(sys.executable).parent / "pyside6-lrelease"), str(TS), "-qm", str(TS.with_suffix(".qm"))],
                   check=True, capture_output=True)
    return 1 if left else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
