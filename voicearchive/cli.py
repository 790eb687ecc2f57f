"""The command line: `voicearchive [open] PATH...`, `voicearchive scan PATH... --csv OUT`, `--version`.

Argument parsing and printing only; the work is done by the pipeline. Exit codes: 0 when the archive was read
(even if some files in it were bad), 1 when a scan was interrupted, 2 on a usage error or an archive that cannot
be read at all, always with a one-line reason and never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

from voicearchive import __version__

EXIT_OK, EXIT_INTERRUPTED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="voicearchive",
        description="See what a voice assistant kept of your home: open an Alexa or Google export, or any folder "
        "or zip of recordings; find the voices that are not the owner's; export what you flag. "
        "Offline: VoiceArchive never uses the network and never changes the archive.",
        epilog="Run without a command to open the window.",
    )
    p.add_argument("--version", action="version", version=f"VoiceArchive {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    o = sub.add_parser("open", help="open archives in the window", description="Open archives in the window.")
    o.add_argument("paths", nargs="*", metavar="PATH", help="a zip, several Takeout parts, or a folder")
    o.add_argument("--case", metavar="FILE", help="the case file to use (default: one per archive, in your data folder)")
    o.add_argument("--screenshot", metavar="PNG", help="open, wait until analysis has finished, save a picture of the "
                   "window and exit (works without a display)")

    s = sub.add_parser(
        "scan", help="import and analyse without a window, print a summary, write a CSV",
        description="Import and analyse archives without a window: print a summary and write a CSV.",
    )
    s.add_argument("paths", nargs="+", metavar="PATH", help="a zip, several Takeout parts, or a folder")
    s.add_argument("--case", metavar="FILE", help="the case file to use (default: one per archive, in your data folder)")
    s.add_argument("--csv", metavar="OUT", help="write one row per recording to this CSV file")
    s.add_argument("--flagged-only", action="store_true", help="write only the flagged recordings to the CSV")
    s.add_argument("--owner-sample", metavar="FILE", action="append", default=[],
                   help="an audio file of the owner's voice (repeatable): enrols the owner")
    s.add_argument("--no-voices", action="store_true", help="list and hash only; skip speaker analysis")
    s.add_argument("--workers", type=int, default=None, metavar="N", help="worker processes for analysis")
    c = s.add_argument_group("cluster", "run the analysis on a Dask cluster (needs voicearchive[cluster]); the "
                             "case file, hashing and every decision stay on this machine")
    c.add_argument("--cluster", metavar="ADDRESS", help="tls://HOST:PORT or tcp://HOST:PORT of a dask scheduler, "
                   "or local:N for N worker processes on this machine")
    c.add_argument("--tls-ca-file", metavar="PEM", help="the certificate authority that signed the cluster's "
                   "certificates")
    c.add_argument("--tls-cert", metavar="PEM", help="this machine's client certificate")
    c.add_argument("--tls-key", metavar="PEM", help="the client certificate's private key")
    c.add_argument("--insecure-cluster", action="store_true", help="allow plain tcp:// to another machine "
                   "(the evidence then crosses the network in clear)")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    # issue 10: offline speech-to-text for the recordings without words
    s.add_argument("--asr-model", metavar="DIR", help="a CTranslate2 Whisper model folder: checked, copied into "
                   "your data folder and used for speech-to-text (default: the last one added, else tiny.en)")
    s.add_argument("--asr-language", metavar="LANG", help="language of the recordings for speech-to-text "
                   "(e.g. de, en; default: detected)")
    s.add_argument("--no-asr", action="store_true", help="skip speech-to-text")
    return p


def single_blas_thread() -> None:
    """One BLAS thread in this process unless the user chose otherwise: multi-threaded OpenBLAS collapses
    when the other core is busy (measured 4x slower voice grouping under load); parallel work runs in
    worker processes instead. Must run before numpy is first imported."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def main(argv: list[str] | None = None) -> int:
    single_blas_thread()
    args = _parser().parse_args(argv)
    if args.command == "scan":
        try:
            return scan(args)
        except KeyboardInterrupt:
            print("voicearchive: interrupted; what was done is kept in the case file", file=sys.stderr)
            return EXIT_INTERRUPTED
    from voicearchive.gui.app import run_gui

    paths = getattr(args, "paths", []) or []
    for path in paths:
        if not Path(path).exists():
            print(f"voicearchive: {path}: no such file or folder", file=sys.stderr)
            return EXIT_USAGE
    if getattr(args, "screenshot", None):
        offscreen_without_display()
    return run_gui(paths, getattr(args, "case", None), getattr(args, "screenshot", None))


def offscreen_without_display(env=None) -> bool:
    """A screenshot needs no screen: on Linux with no display (and no platform chosen) draw offscreen
    instead of letting Qt abort on the missing xcb plugin. True when it chose offscreen."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return False
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return False
    env["QT_QPA_PLATFORM"] = "offscreen"
    return True


def _meta_text(value) -> str:
    """A stored summary value (a plain string or a stored Message) as text."""
    from voicearchive.messages import Message, render

    if not value:
        return ""
    if isinstance(value, dict):  # a Message stored inside a JSON object
        import json

        value = json.dumps(value)
    return render(Message.from_json(value) if isinstance(value, str) else value)


def _progress_printer(quiet: bool):
    last = [0.0]

    def show(p) -> None:
        if quiet or not sys.stderr.isatty() and p.stage != "done":
            return
        now = time.monotonic()
        if now - last[0] < 0.2 and p.stage != "done":
            return
        last[0] = now
        count = f"{p.done:,}/{p.total:,}" if p.total else ""
        eta = f", about {p.eta_s:.0f} s left" if p.eta_s else ""
        from voicearchive.messages import language_from_env, render

        message = render(p.message, language_from_env())
        print(f"\r{p.stage:<10} {count} {message}{eta}".ljust(79)[:79], end="", file=sys.stderr, flush=True)

    return show


def open_case(paths: list[str], case: str | None, reader):
    """The case file for these archives: --case, or the default one keyed by the archive's identity."""
    from voicearchive.case.paths import default_case_path
    from voicearchive.case.store import CaseStore

    if case:
        return CaseStore(Path(case))
    label = Path(paths[0]).name or "archive"
    return CaseStore(default_case_path(reader.tree.identity(), label))


def scan(args) -> int:
    from voicearchive.archive import open_archive
    from voicearchive.archive.source import ArchiveError
    from voicearchive.pipeline import Cancelled, Pipeline

    for path in args.paths:
        if not Path(path).exists():
            print(f"voicearchive: {path}: no such file or folder", file=sys.stderr)
            return EXIT_USAGE
    for sample in args.owner_sample:
        if not Path(sample).is_file():
            print(f"voicearchive: --owner-sample {sample}: no such file", file=sys.stderr)
            return EXIT_USAGE
    if args.cluster:  # refused before any work and before any connection
        reason = check_cluster_args(args)
        if reason:
            print(f"voicearchive: --cluster: {reason}", file=sys.stderr)
            return EXIT_USAGE
    if args.csv:
        from voicearchive.export import ExportError, check_destination

        try:  # refuse before any work: the CSV must never be written into the evidence
            check_destination(args.csv, args.paths)
        except ExportError as exc:
            print(f"voicearchive: {exc}", file=sys.stderr)
            return EXIT_USAGE
    try:
        reader = open_archive(args.paths)
    except ArchiveError as exc:
        print(f"voicearchive: cannot read the archive: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from voicearchive.case.store import CaseError

    try:
        store = open_case(args.paths, args.case, reader)
    except CaseError as exc:
        reader.close()
        print(f"voicearchive: {exc}", file=sys.stderr)
        return EXIT_USAGE
    cancel = threading.Event()
    executor = None
    if getattr(args, "cluster", None) and not args.no_voices:
        executor = _connect_cluster(args)
        if executor is None:
            reader.close()
            store.close()
            return EXIT_USAGE
    with reader, store, _closing(executor):
        pipeline = Pipeline(args.paths, store, on_progress=_progress_printer(args.quiet), cancel=cancel,
                            workers=args.workers, reader=reader, executor=executor)
        from voicearchive.executors import ExecutorLost

        try:
            summary = pipeline.import_archive()
            report = None
            if not args.no_voices:
                for sample in args.owner_sample:
                    try:
                        pipeline.enrol(Path(sample).name, Path(sample).read_bytes())
                    except Exception as exc:  # a bad sample is a usage error, said plainly
                        print(f"\nvoicearchive: --owner-sample {sample}: {exc}", file=sys.stderr)
                        return EXIT_USAGE
                report = pipeline.analyse()
                if not args.no_asr:
                    _transcribe(pipeline, store, args)
        except Cancelled:
            return EXIT_INTERRUPTED
        except ExecutorLost as exc:
            from voicearchive.messages import language_from_env, render

            print(f"\nvoicearchive: {render(exc.message, language_from_env())}", file=sys.stderr)
            return EXIT_INTERRUPTED
        finally:
            if not args.quiet and sys.stderr.isatty():
                print(file=sys.stderr)
        items = store.items()
        print_summary(summary, items, report, store)
        if args.csv:
            from voicearchive.export import ExportError, write_csv

            try:
                write_csv(items, args.csv, flagged_only=args.flagged_only, evidence_roots=args.paths)
            except (ExportError, OSError) as exc:
                print(f"voicearchive: {exc}", file=sys.stderr)
                return EXIT_USAGE
            written = sum(1 for i in items if i.flagged) if args.flagged_only else len(items)
            print(f"CSV: {written:,} rows written to {args.csv}")
    return EXIT_OK


def _transcribe(pipeline, store, args) -> None:
    """Speech-to-text after the voice analysis; says plainly when it cannot run (issue 10)."""
    from voicearchive.transcripts import asr

    name = None
    if args.asr_model:
        try:
            name = asr.add_model(args.asr_model).name
        except asr.ModelError as exc:
            print(f"\nvoicearchive: --asr-model: {exc}", file=sys.stderr)
            return
    if args.asr_language:
        store.set("asr_language", args.asr_language)
    why = pipeline.transcribe(model=name, language=args.asr_language)
    if why is not None and (args.asr_model or args.asr_language):
        print(f"\nvoicearchive: {why}", file=sys.stderr)
    elif why is not None and not args.quiet:
        print(f"\nNote: {why}", file=sys.stderr)


def check_cluster_args(args) -> str | None:
    """The reason --cluster cannot be used as given (checked before any connection), or None."""
    from voicearchive.cluster import ClusterError, check_address
    from voicearchive.messages import language_from_env, render

    try:
        check_address(args.cluster, insecure=args.insecure_cluster)
    except ClusterError as exc:
        return render(exc.message, language_from_env())
    for flag in ("tls_ca_file", "tls_cert", "tls_key"):
        value = getattr(args, flag)
        if value and not Path(value).is_file():
            return f"--{flag.replace('_', '-')} {value}: no such file"
    return None


def _connect_cluster(args):
    """The Dask executor for --cluster, or None after saying why not (on stderr)."""
    from voicearchive.cluster import ClusterError, connect
    from voicearchive.messages import language_from_env, render

    reason = check_cluster_args(args)
    if reason is None:
        try:
            executor = connect(args.cluster, tls_ca_file=args.tls_ca_file, tls_cert=args.tls_cert,
                               tls_key=args.tls_key, insecure=args.insecure_cluster)
        except ClusterError as exc:
            reason = render(exc.message, language_from_env())
        else:
            if not args.quiet:
                print(render(executor.describe(), language_from_env()), file=sys.stderr)
            return executor
    print(f"voicearchive: --cluster: {reason}", file=sys.stderr)
    return None


class _closing:
    """Close the cluster connection (and a LocalCluster it started) when the scan ends."""

    def __init__(self, executor) -> None:
        self.executor = executor

    def __enter__(self):
        return self.executor

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.close()


def print_summary(summary, items, report, store) -> None:
    print(f"Archive: {summary.source_format or 'unknown'}; {summary.recordings:,} recordings "
          f"(read in {summary.seconds:.1f} s)")
    for source, n in sorted(summary.by_source.items()):
        print(f"  {source}: {n:,}")
    with_audio = sum(1 for i in items if i.rec.has_audio)
    no_audio = sum(1 for i in items if not i.rec.member_path)
    print(f"  with audio: {with_audio:,}; listed without audio: {no_audio:,}; with transcript: "
          f"{summary.with_transcript:,}; not meant for the assistant: {summary.not_for_assistant:,}")
    machine = sum(1 for i in items if i.machine is not None)
    if machine:
        print(f"  with a machine transcript (speech-to-text): {machine:,}")
    bad_audio = [i for i in items if i.rec.member_path and i.rec.problem]
    count = len(summary.problems) + len(bad_audio)
    print(f"  problems: {count:,}")
    lines = [str(p) for p in summary.problems] + [f"{i.rec.archive}: {i.rec.member_path}: {i.rec.problem}"
                                                   for i in bad_audio]
    for line in lines[:8]:
        print(f"    {line}")
    if len(lines) > 8:
        print(f"    … and {len(lines) - 8:,} more (the CSV's problem column has them all)")
    if report is None:
        return
    from voicearchive.voices.summary import voice_lines

    for line in voice_lines(store.voice_groups(), store.voice_meta(), items):
        print(line)
