"""The command line: `voicearchive [open] PATH...`, `voicearchive scan PATH... --csv OUT`, `--version`.

Argument parsing and printing only; the work is done by the pipeline. Exit codes: 0 when the archive was read
(even if some files in it were bad), 1 when a scan was interrupted, 2 on a usage error or an archive that cannot
be read at all, always with a one-line reason and never a traceback.

Everything printed passes :func:`say`, which escapes control characters and bidi overrides (a member
name cannot clear the screen or forge a line). The CSV is written before the summary is printed, and a
closed stdout (``scan ... | head -1``) ends the run quietly. The case file and the screenshot are checked
against the evidence like every other path the app writes (``case.paths.check_outside_evidence``).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path

from voicearchive import __version__
from voicearchive.safe_text import printable

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
    s.add_argument("--language", choices=("en", "de"), default=None,
                   help="language of the summary and the CSV's texts (summary: the system's; CSV: English)")
    return p


def say(text: object = "", *, err: bool = False) -> None:
    """Print one line with every control character and bidi override escaped (``safe_text.printable``)."""
    print(printable(text), file=sys.stderr if err else sys.stdout)


def _fail(text: object) -> int:
    """Say why the command cannot go on (an error's or a Message's text in the language the environment
    or ``--language`` asks for) and return the usage exit code."""
    from voicearchive.messages import Message, render

    message = getattr(text, "message", None) if isinstance(text, BaseException) else text
    if isinstance(message, Message):
        text = render(message, _language)
    say(f"voicearchive: {text}", err=True)
    return EXIT_USAGE


_language: str | None = None  # the language of the messages of this run (``_set_language``)


def _set_language(args) -> None:
    """This run's language: ``--language``, else the environment's (``main`` sets it first)."""
    global _language
    from voicearchive.messages import language_from_env

    _language = getattr(args, "language", None) or language_from_env()


def _say_message(message, *, prefix: str = "voicearchive: ") -> None:
    """One line on stderr: a Message (or text) in the run's language."""
    from voicearchive.messages import render

    say(f"{prefix}{render(message, _language)}", err=True)


def _quiet_stdout() -> None:
    """The reader of stdout went away (``| head -1``): send the rest nowhere, and exit without a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def single_blas_thread() -> None:
    """One BLAS thread in this process unless the user chose otherwise: multi-threaded OpenBLAS collapses
    when the other core is busy (measured 4x slower voice grouping under load); parallel work runs in
    worker processes instead. Must run before numpy is first imported."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def main(argv: list[str] | None = None) -> int:
    single_blas_thread()
    args = _parser().parse_args(argv)
    _set_language(args)
    try:
        if args.command == "scan":
            try:
                return scan(args)
            except KeyboardInterrupt:
                _say_message(_msg("cli.interrupted"))
                return EXIT_INTERRUPTED
        return open_window(args)
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK


def open_window(args) -> int:
    from voicearchive.case.paths import InsideEvidenceError, check_case_path, check_outside_evidence
    from voicearchive.messages import Message

    paths = getattr(args, "paths", []) or []
    for path in paths:
        if not Path(path).exists():
            return _fail(Message.of("cli.no_such_path", path=path))
    case, screenshot = getattr(args, "case", None), getattr(args, "screenshot", None)
    try:
        if case:
            check_case_path(case, paths)
        if screenshot:
            check_outside_evidence(screenshot, paths, "case.what.screenshot")
    except InsideEvidenceError as exc:
        return _fail(exc)
    if screenshot:
        offscreen_without_display()
    from voicearchive.gui.app import run_gui

    return run_gui(paths, case, screenshot)


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
    if isinstance(value, Message):
        return render(value)
    if isinstance(value, dict):  # a Message stored inside a JSON object
        import json

        value = json.dumps(value)
    return render(Message.from_json(value) if isinstance(value, str) else value)


class _ProgressPrinter:
    """The progress line on stderr: rewritten in place on a terminal (``finish`` ends it with a newline),
    only the final line elsewhere."""

    def __init__(self, quiet: bool, lang: str | None = None) -> None:
        from voicearchive.messages import language_from_env

        self.quiet, self.last, self.open_line = quiet, 0.0, False
        self.lang = lang or language_from_env()
        self.tty = sys.stderr.isatty()

    def __call__(self, p) -> None:
        if self.quiet or (not self.tty and p.stage != "done"):
            return
        now = time.monotonic()
        if now - self.last < 0.2 and p.stage != "done":
            return
        self.last = now
        from voicearchive.messages import CATALOGUE, format_number, render

        lang = self.lang
        count = f"{format_number(p.done, lang)}/{format_number(p.total, lang)}" if p.total else ""
        eta = render(_msg("cli.progress_eta", seconds=float(p.eta_s)), lang) if p.eta_s else ""
        code = f"cli.stage.{p.stage}"
        stage = render(_msg(code), lang) if code in CATALOGUE else p.stage
        line = printable(f"{stage:<10} {count} {render(p.message, lang)}{eta}")
        if self.tty:
            print(f"\r{line}".ljust(80)[:80], end="", file=sys.stderr, flush=True)
            self.open_line = True
        else:
            print(line, file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.open_line:
            print(file=sys.stderr, flush=True)
            self.open_line = False


def _progress_printer(quiet: bool, lang: str | None = None) -> _ProgressPrinter:
    return _ProgressPrinter(quiet, lang)


def open_case(paths: list[str], case: str | None, reader):
    """The case file for these archives: --case, or the default one keyed by the archive's identity;
    refused (``CaseError``) when it lies inside the evidence."""
    from voicearchive.case.paths import default_case_path
    from voicearchive.case.store import CaseStore

    if case:
        return CaseStore(Path(case), evidence_roots=paths)
    from voicearchive.case.paths import InsideEvidenceError
    from voicearchive.case.store import CaseError

    label = Path(paths[0]).name or "archive"
    try:
        path = default_case_path(reader.tree.identity(), label, evidence_roots=paths)
    except InsideEvidenceError as exc:
        raise CaseError(exc.message) from None
    return CaseStore(path, evidence_roots=paths)


def scan(args) -> int:
    """Refuse a missing path or sample and a bad cluster address; start the workers now when the evidence is
    large (``_early_workers``); refuse a CSV or case file inside the evidence; then scan."""
    from voicearchive.case.paths import InsideEvidenceError, check_case_path
    from voicearchive.messages import Message

    for path in args.paths:
        if not Path(path).exists():
            return _fail(Message.of("cli.no_such_path", path=path))
    for sample in args.owner_sample:
        if not Path(sample).is_file():
            return _fail(Message.of("cli.no_such_sample", path=sample))
    if args.cluster:  # refused before any work and before any connection
        reason = check_cluster_args(args)
        if reason:
            return _fail(Message.of("cli.cluster_refused", reason=reason))
    pool = _early_workers(args)  # first: they get ready while this process imports, checks, lists and hashes
    try:
        if args.csv:
            from voicearchive.export import ExportError, check_destination

            try:  # refuse before any work: the CSV must never be written into the evidence
                check_destination(args.csv, args.paths)
            except ExportError as exc:
                return _fail(exc)
        if args.case:
            try:  # nor the case file: an evidence file must never become a case file
                check_case_path(args.case, args.paths)
            except InsideEvidenceError as exc:
                return _fail(exc)
        return _scan(args, pool)
    finally:
        if pool is not None:  # the pipeline owns it once given; this only stops one an early refusal left
            pool.shutdown(cancel=True)


def _early_workers(args):
    """Worker processes started before the archive is even opened, when the evidence is large enough for them
    (:func:`executors.roots_want_pool`): they import the analysis and load the encoder (0.3-0.4 s of CPU each)
    while this process imports, lists and hashes, on a core that would otherwise idle for those 0.3 s. The
    pipeline stops them if the listing shows too little new audio. None for a cluster or without voices."""
    from voicearchive.executors import early_pool
    from voicearchive.jobs import default_workers

    if args.no_voices or getattr(args, "cluster", None):
        return None
    return early_pool(args.paths, args.workers or default_workers())


def _scan(args, pool) -> int:
    from voicearchive.archive import open_archive
    from voicearchive.archive.source import ArchiveError
    from voicearchive.case.store import CaseError, describe_error
    from voicearchive.messages import Message
    from voicearchive.pipeline import Cancelled

    try:
        reader = open_archive(args.paths)
    except ArchiveError as exc:
        return _fail(Message.of("cli.archive_unreadable", reason=exc.message))
    try:
        store = open_case(args.paths, args.case, reader)
    except CaseError as exc:
        reader.close()
        return _fail(exc)
    executor = None
    if getattr(args, "cluster", None) and not args.no_voices:
        executor = _connect_cluster(args)
        if executor is None:
            reader.close()
            store.close()
            return EXIT_USAGE
    progress = _progress_printer(args.quiet, _language)
    from voicearchive.executors import ExecutorLost

    with reader, store, _closing(executor):
        try:
            return _scan_case(args, reader, store, progress, executor, pool)
        except Cancelled:
            return EXIT_INTERRUPTED
        except ExecutorLost as exc:
            progress.finish()
            _say_message(exc.message)
            return EXIT_INTERRUPTED
        except CaseError as exc:
            progress.finish()
            return _fail(exc)
        except sqlite3.DatabaseError as exc:  # met outside a transaction (a read of a damaged page)
            progress.finish()
            return _fail(describe_error(store.path, exc))


def read_sample(path: Path) -> bytes:
    """An owner sample's bytes; ``EnrolmentError`` before reading a file larger than any voice sample."""
    from voicearchive.messages import Message
    from voicearchive.pipeline import EnrolmentError
    from voicearchive.voices.enrolment import MAX_SAMPLE_BYTES

    if path.stat().st_size > MAX_SAMPLE_BYTES:
        raise EnrolmentError(Message.of("pipeline.enrol_too_large", mb=MAX_SAMPLE_BYTES // (1024 * 1024)))
    return path.read_bytes()


def _scan_case(args, reader, store, progress, executor=None, pool=None) -> int:
    from voicearchive.messages import render
    from voicearchive.pipeline import Pipeline

    lang = _language  # set by main
    pipeline = Pipeline(args.paths, store, on_progress=progress, cancel=threading.Event(),
                        workers=args.workers, reader=reader, executor=executor, warm_pool=pool)
    try:
        summary = pipeline.import_archive(warm_workers=not args.no_voices)
        report = None
        if not args.no_voices:
            for sample in args.owner_sample:
                try:
                    pipeline.enrol(Path(sample).name, read_sample(Path(sample)))
                except Exception as exc:  # a bad sample is a usage error, said plainly
                    from voicearchive.messages import reason_of

                    progress.finish()
                    reason = reason_of(exc) or type(exc).__name__
                    return _fail(_msg("cli.bad_sample", path=sample, reason=reason))
            report = pipeline.analyse()
            if not args.no_asr:
                progress.finish()
                _transcribe(pipeline, store, args)
    finally:
        pipeline.close()  # workers started for an analysis that did not need them
        progress.finish()
    items = store.items()
    problems = store.problems()
    written = None
    if args.csv:  # first: a reader of the summary that goes away (| head) must not cost the CSV
        from voicearchive.export import ExportError, write_csv

        try:
            written = write_csv(items, args.csv, flagged_only=args.flagged_only, evidence_roots=args.paths,
                                problems=problems, lang=args.language or "en")
        except ExportError as exc:
            return _fail(exc)
        except OSError as exc:
            from voicearchive.archive.streams import reason as os_reason

            return _fail(_msg("export.unwritable", path=args.csv, reason=os_reason(exc)))
    print_summary(summary, items, report, store, csv_path=args.csv, lang=lang, problems=problems)
    if written is not None:
        say(render(_msg("cli.csv_written", n=written, path=args.csv), lang))
    return EXIT_OK


def _transcribe(pipeline, store, args) -> None:
    """Speech-to-text after the voice analysis; says plainly when it cannot run (issue 10)."""
    from voicearchive.messages import render
    from voicearchive.transcripts import asr

    name = None
    if args.asr_model:
        from voicearchive.case.paths import InsideEvidenceError, check_outside_evidence

        try:  # the model is copied into the data folder: never into the evidence
            check_outside_evidence(asr.user_models_dir() / "model", args.paths, "case.what.model")
        except InsideEvidenceError as exc:
            _say_message(_msg("cli.asr_model_refused", reason=exc.message))
            return
        try:
            name = asr.add_model(args.asr_model).name
        except asr.ModelError as exc:
            _say_message(_msg("cli.asr_model_refused", reason=exc.message))
            return
    if args.asr_language:
        store.set("asr_language", args.asr_language)
    why = pipeline.transcribe(model=name, language=args.asr_language)
    if why is not None and (args.asr_model or args.asr_language):
        _say_message(why)
    elif why is not None and not args.quiet:
        _say_message(_msg("cli.note", note=why), prefix="")


def check_cluster_args(args):
    """The reason (a Message) --cluster cannot be used as given (checked before any connection), or None."""
    from voicearchive.cluster import ClusterError, check_address

    try:
        check_address(args.cluster, insecure=args.insecure_cluster)
    except ClusterError as exc:
        return exc.message
    for flag in ("tls_ca_file", "tls_cert", "tls_key"):
        value = getattr(args, flag)
        if value and not Path(value).is_file():
            return _msg("cli.no_such_file", option=f"--{flag.replace('_', '-')}", path=value)
    return None


def _connect_cluster(args):
    """The Dask executor for --cluster, or None after saying why not (on stderr)."""
    from voicearchive.cluster import ClusterError, connect

    reason = check_cluster_args(args)
    if reason is None:
        try:
            executor = connect(args.cluster, tls_ca_file=args.tls_ca_file, tls_cert=args.tls_cert,
                               tls_key=args.tls_key, insecure=args.insecure_cluster)
        except ClusterError as exc:
            reason = exc.message
        else:
            if not args.quiet:
                _say_message(executor.describe(), prefix="")
            return executor
    _say_message(_msg("cli.cluster_refused", reason=reason))
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


def _msg(code: str, **params):
    from voicearchive.messages import Message

    return Message.of(code, **params)


def print_summary(summary, items, report, store, *, csv_path: str | None = None, lang: str = "en",
                  problems=None) -> None:
    """The summary on stdout. Every problem is counted where it is: files not read (the listing's
    problems) and audio that could not be read or decoded; recordings gone since the last scan too."""
    from voicearchive.messages import format_number, render

    problems = summary.problems if problems is None else problems
    say(render(_msg("cli.archive", format=summary.source_format or _msg("cli.format_unknown"), n=summary.recordings,
                    seconds=float(summary.seconds)), lang))
    for source, n in sorted(summary.by_source.items()):
        say(f"  {source}: {format_number(n, lang)}")
    with_audio = sum(1 for i in items if i.rec.has_audio)
    no_audio = sum(1 for i in items if not i.rec.member_path)
    say(render(_msg("cli.counts", audio=with_audio, no_audio=no_audio, transcript=summary.with_transcript,
                    not_for=summary.not_for_assistant), lang))
    machine = sum(1 for i in items if i.machine is not None)
    if machine:
        say(render(_msg("cli.machine", n=machine), lang))
    gone = [i for i in items if i.rec.extra.get("gone")]
    bad_audio = [i for i in items if i.rec.member_path and i.rec.problem and not i.rec.extra.get("gone")]
    count = len(problems) + len(bad_audio)
    say(render(_msg("cli.problems", n=count, files=len(problems), audio=len(bad_audio)), lang))
    lines = [f"{p.archive}: {p.member_path}: {render(p.message, lang)}" if p.member_path
             else f"{p.archive}: {render(p.message, lang)}" for p in problems]
    lines += [f"{i.rec.archive}: {i.rec.member_path}: {render(i.rec.problem, lang)}" for i in bad_audio]
    for line in lines[:8]:
        say(f"    {line}")
    if len(lines) > 8:
        code = "cli.more_problems_csv" if csv_path else "cli.more_problems_no_csv"
        say(render(_msg(code, n=len(lines) - 8, csv=csv_path or ""), lang))
    if gone:
        say(render(_msg("cli.gone", n=len(gone)), lang))
    if report is None:
        return
    from voicearchive.voices.summary import case_voice_lines

    for line in case_voice_lines(store, items, lang):
        say(line)
