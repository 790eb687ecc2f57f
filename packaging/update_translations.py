"""Refresh the German user interface texts: lupdate over every GUI module, then lrelease.

    .venv/bin/python packaging/update_translations.py          # update .ts, compile .qm
    .venv/bin/python packaging/update_translations.py --check  # exit 1 if a text lacks German

``pyside6-lupdate`` finds ``self.tr("...")`` (context: the class) and ``tr("...")`` calls. The GUI
modules translate through a module-level ``tr()`` wrapper around ``QCoreApplication.translate``
with the module's own context, which lupdate files under an empty context; this script moves those
texts to the wrapper's context. Texts declared as data (menus, shortcut actions, column headers,
detail fields) are translated at run time with ``tr(variable)``, invisible to lupdate, so they are
added from the tables themselves. German translations already in the .ts file are kept (matched by
context and text, then by text alone); new texts are marked unfinished for a translator.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUI = ROOT / "voicearchive" / "gui"
TS = ROOT / "resources" / "translations" / "voicearchive_de.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent
WRAPPER = re.compile(r'def tr\(text: str\) -> str:\s*return QCoreApplication\.translate\("(\w+)", text\)')


def data_texts() -> dict[str, list[str]]:
    """Texts the GUI translates through ``tr(variable)``, by context."""
    from voicearchive.gui import actions, detail_view, recordings_model, workers

    return {
        "workers": list(workers.STAGE_TEXT.values()),
        "actions": [title for _id, title in actions.MENUS]
        + [t for a in actions.ACTIONS for t in (a.text, a.description)],
        "RecordingsModel": [c.header for c in recordings_model.COLUMNS],
        "DetailView": [name for _id, name in detail_view.DetailView.FIELDS],
    }


def wrapper_calls() -> dict[str, list[str]]:
    """``tr("literal")`` calls lupdate misses (inside f-strings), by their wrapper's context."""
    out: dict[str, list[str]] = {}
    for file_name, context in wrapper_contexts().items():
        tree = ast.parse((GUI / file_name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                out.setdefault(context, []).append(node.args[0].value)
    return out


def wrapper_contexts() -> dict[str, str]:
    """File name -> the context its ``tr()`` wrapper translates in."""
    out = {}
    for path in sorted(GUI.glob("*.py")):
        found = WRAPPER.search(path.read_text(encoding="utf-8"))
        if found:
            out[path.name] = found.group(1)
    return out


def run_lupdate() -> ET.ElementTree:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "new.ts"
        sources = [str(p) for p in sorted(GUI.glob("*.py"))]
        subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-no-obsolete", "-locations", "none",
                        "-target-language", "de_DE", "-ts", str(out)], check=True, capture_output=True)
        located = Path(tmp) / "located.ts"  # a second pass with locations, to know each text's file
        subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-no-obsolete", "-locations", "absolute",
                        "-ts", str(located)], check=True, capture_output=True)
        files: dict[str, set[str]] = {}
        for message in ET.parse(located).getroot().iter("message"):
            text = message.findtext("source") or ""
            for loc in message.findall("location"):
                files.setdefault(text, set()).add(Path(loc.get("filename", "")).name)
        tree = ET.parse(out)
    _assign_contexts(tree, files)
    return tree


def _assign_contexts(tree: ET.ElementTree, files: dict[str, set[str]]) -> None:
    root = tree.getroot()
    wrappers = wrapper_contexts()
    for ctx in list(root.findall("context")):
        if ctx.findtext("name"):
            continue
        root.remove(ctx)
        for message in ctx.findall("message"):
            text = message.findtext("source") or ""
            for file_name in sorted(files.get(text, ())):
                if file_name in wrappers:
                    _add(root, wrappers[file_name], [text])
    for name, texts in [*wrapper_calls().items(), *data_texts().items()]:
        _add(root, name, texts)


def _context(root: ET.Element, name: str) -> ET.Element:
    for ctx in root.findall("context"):
        if ctx.findtext("name") == name:
            return ctx
    ctx = ET.SubElement(root, "context")
    ET.SubElement(ctx, "name").text = name
    return ctx


def _add(root: ET.Element, context: str, texts: Iterable[str]) -> None:
    ctx = _context(root, context)
    have = {m.findtext("source") for m in ctx.findall("message")}
    for text in texts:
        if text and text not in have:
            message = ET.SubElement(ctx, "message")
            ET.SubElement(message, "source").text = text
            ET.SubElement(message, "translation", type="unfinished")
            have.add(text)


def merge_known(tree: ET.ElementTree, old: Path) -> int:
    """Copy finished translations from ``old``; returns how many texts are still unfinished."""
    exact: dict[tuple[str, str], str] = {}
    by_text: dict[str, str] = {}
    if old.exists():
        for ctx in ET.parse(old).getroot().findall("context"):
            name = ctx.findtext("name") or ""
            for m in ctx.findall("message"):
                tr = m.find("translation")
                if tr is not None and tr.get("type") not in ("unfinished", "obsolete", "vanished") and tr.text:
                    exact[(name, m.findtext("source") or "")] = tr.text
                    by_text.setdefault(m.findtext("source") or "", tr.text)
    unfinished = 0
    for ctx in tree.getroot().findall("context"):
        name = ctx.findtext("name") or ""
        ctx[:] = [ctx.find("name")] + sorted(ctx.findall("message"), key=lambda m: m.findtext("source") or "")
        for m in ctx.findall("message"):
            text = m.findtext("source") or ""
            tr = m.find("translation")
            known = exact.get((name, text)) or by_text.get(text)
            if known:
                tr.text = known
                tr.attrib.pop("type", None)
            else:
                tr.set("type", "unfinished")
                unfinished += 1
    root = tree.getroot()
    root[:] = sorted(root.findall("context"), key=lambda c: c.findtext("name") or "")
    root.set("language", "de_DE")
    return unfinished


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report texts that lack German; change nothing")
    args = parser.parse_args()
    tree = run_lupdate()
    unfinished = merge_known(tree, TS)
    if args.check:
        print(f"{unfinished} texts lack a German translation")
        return 1 if unfinished else 0
    ET.indent(tree)
    TS.parent.mkdir(parents=True, exist_ok=True)
    with open(TS, "wb") as f:
        f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(f, encoding="utf-8", xml_declaration=False)
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True, capture_output=True)
    print(f"{TS.relative_to(ROOT)}: {unfinished} texts lack a German translation; compiled {QM.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
