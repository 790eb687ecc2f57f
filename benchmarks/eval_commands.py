"""Command-length archives: owner wrongly flagged, strangers flagged, AUC and true-owner AUC, per archive shape.

Used by ``eval_voices.py --commands`` (and runnable alone: ``python benchmarks/eval_commands.py DIR...``).

Clips are command-length (each 0.8-1.5 s, ``voice_clips.COMMAND_S``) cut from every utterance of a
``<speaker>/<clip>`` folder (degrade it first with ``degrade.py``). For each speaker as the owner, archives of
several shapes, each analysed with no user decision:

- ``household``: all the owner's clips, two recurring strangers (``RECURRING`` clips each) and one clip of each
  of five one-off voices; and its variants ``no strangers`` (the owner alone) and ``half owner`` (every second
  owner clip removed: strangers about 40%);
- ``few strangers``: the owner and one clip each of three other speakers;
- ``many strangers``: the owner and ten clips of every other speaker (strangers outnumber the owner).

And once per folder, every clip of every speaker as one archive in which no one speaks most (a leak from several
homes): how many voices are shown, how much of the archive the voice taken for the owner's holds, the grouping's
ARI against the speakers, and the verdict (``all_voices_line``). No target is set for it yet.

Printed per shape (means over the owners): owner clips wrongly flagged, strangers' clips flagged (uncertain
clips count as not flagged), AUC of the app's deciding score (owner vs strangers) and the AUC of plain cosine to
the *true* owner set (members leave-one-out): the encoder's own limit on that archive. With K values (``--stability``,
always from ``eval_voices.py --commands``) the flag rates and the worst owner's share offered as the owner's voice
at each K, for every shape.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from voice_clips import ClipSet, embed_clips, features_of, roc_auc  # noqa: E402

from voicearchive.voices.owner import Decisions, analyse_voices  # noqa: E402

RECURRING = 20
SHAPES = ("household", "no strangers", "half owner", "few strangers", "many strangers")


def archive(cs: ClipSet, owner: str, shape: str) -> tuple[np.ndarray, np.ndarray]:
    spk = np.array(cs.speakers)
    own = np.flatnonzero((spk == owner) & cs.has_speech)
    others = sorted(set(cs.speakers) - {owner})
    rot = sorted(set(cs.speakers)).index(owner)
    others = others[rot % len(others):] + others[: rot % len(others)]
    pick = lambda s, n: list(np.flatnonzero((spk == s) & cs.has_speech)[:n])  # noqa: E731
    strangers: list[int] = []
    if shape in ("household", "half owner"):
        for s in others[:2]:
            strangers += pick(s, RECURRING)
        for s in others[2:7]:
            strangers += pick(s, 1)
    elif shape == "few strangers":
        for s in others[:3]:
            strangers += pick(s, 1)
    elif shape == "many strangers":
        for s in others:
            strangers += pick(s, 10)
    if shape == "half owner":
        own = own[::2]
    return own, np.array(strangers, dtype=int)


def true_owner_scores(cs: ClipSet, own: np.ndarray, strangers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = cs.embeddings
    total = x[own].sum(axis=0)
    loo = np.einsum("ij,ij->i", x[own], total - x[own]) / np.linalg.norm(total - x[own], axis=1)
    return loo, x[strangers] @ (total / np.linalg.norm(total))


def run(cs: ClipSet, owner: str, shape: str, k: float | None = None) -> dict:
    own, strangers = archive(cs, owner, shape)
    d = Decisions() if k is None else Decisions(k=k)
    idx = np.concatenate([own, strangers]).astype(int)
    rates = {cs.keys[i]: int(cs.rates[i]) for i in idx} if cs.rates is not None else None
    rep = analyse_voices(features_of(cs, idx), {}, d, rates)
    res = rep.results
    flag = lambda idx: float(np.mean([res[cs.keys[i]].flagged for i in idx])) if len(idx) else float("nan")  # noqa
    score = lambda idx: np.array([res[cs.keys[i]].score for i in idx if res[cs.keys[i]].score is not None])  # noqa
    shown = rep.group(rep.owner_group).keys if rep.owner_group is not None else []
    offered = len(set(shown) & {cs.keys[i] for i in own}) / max(len(own), 1)
    taken = len(set(shown) & {cs.keys[i] for i in strangers}) / len(strangers) if len(strangers) else float("nan")
    t_pos, t_neg = true_owner_scores(cs, own, strangers) if len(strangers) else (np.zeros(0), np.zeros(0))
    return {
        "owner_flagged": flag(own),
        "strangers_flagged": flag(strangers),
        "strangers_judged": flag([i for i in strangers if not res[cs.keys[i]].uncertain]),
        "auc": roc_auc(score(own), score(strangers)),
        "true_auc": roc_auc(t_pos, t_neg),
        "offered": offered,
        "taken": taken,
        "uncertain": float(np.mean([res[k].uncertain for k in res])),
        "level": rep.reliability_level,
        "one_voice": rep.reliability is not None and rep.reliability.code == "voices.reliability.one_voice",
        "doubt": rep.owner_doubt is not None,
    }


def _mean(rows: list[dict], key: str) -> float:
    v = [r[key] for r in rows if not np.isnan(r[key])]
    return float(np.mean(v)) if v else float("nan")


def _pct(v: float) -> str:
    return "n/a" if np.isnan(v) else f"{100 * v:.1f}%"


def _auc(v: float) -> str:
    return "n/a" if np.isnan(v) else f"{v:.3f}"


def verdict_lines(by_shape: dict[str, list[dict]]) -> list[str]:
    """Whether the reliability verdicts are honest: per verdict, what the flags did on those archives."""
    rows = [r for shape_rows in by_shape.values() for r in shape_rows]
    lines = [
        "Verdicts against what the flags did (every shape; \"one voice\": fewer than 3 judged recordings outside "
        "the owner set, which the verdict says instead of its level's usual words):",
        "",
        "| verdict | archives | judged strangers flagged, mean (min) | owner wrongly flagged, mean (max) |",
        "|---|---|---|---|",
    ]
    for level in ("good", "fair", "poor"):
        for one_voice in (False, True):
            got = [r for r in rows if r["level"] == level and r["one_voice"] == one_voice]
            if not got:
                continue
            judged = [r["strangers_judged"] for r in got if not np.isnan(r["strangers_judged"])]
            strangers = f"{_pct(float(np.mean(judged)))} ({_pct(min(judged))})" if judged else "n/a"
            lines.append(
                f"| {level}{', one voice' if one_voice else ''} | {len(got)} | {strangers} "
                f"| {_pct(_mean(got, 'owner_flagged'))} ({_pct(max(r['owner_flagged'] for r in got))}) |"
            )
    return lines + [""]


def doubt_line(by_shape: dict[str, list[dict]]) -> str:
    """Where the owner line warns of a close rival (``owner.owner_doubt``), and whether it warns where the owner
    was taken wrongly (the owner's voice shown holding under half of the owner's recordings)."""
    per = ", ".join(f"{shape} {sum(r['doubt'] for r in rows)}" for shape, rows in by_shape.items())
    rows = [r for shape_rows in by_shape.values() for r in shape_rows]
    wrong = [r for r in rows if r["offered"] < 0.5]
    return (f"Owner line warns of a voice heard at least half as often: {per} (of {len(rows)} archives); owner "
            f"taken wrongly in {len(wrong)}, warned in {sum(r['doubt'] for r in wrong)} of them")


def all_voices_line(cs: ClipSet) -> str:
    """Every clip of every speaker as one archive, in which no one speaks most: the voices shown, the share the
    voice taken for the owner's holds and how many speakers it mixes, the ARI of the voices shown against the
    speakers (unique voices as singletons), and the verdict."""
    from eval_voices import ari

    from voicearchive.messages import render

    idx = np.arange(len(cs.keys))
    rep = analyse_voices(features_of(cs, idx), {}, Decisions())
    labels = np.array([rep.results[k].group for k in cs.keys])
    speakers = np.array(cs.speakers)
    owner = rep.group(rep.owner_group) if rep.owner_group is not None else None
    mixed = len(set(speakers[labels == owner.id])) if owner is not None else 0
    held = f"{owner.size} of {len(labels)} clips ({mixed} speakers)" if owner is not None else "none"
    return (f"All {len(set(speakers))} speakers as one archive (no one speaks most): {len(rep.groups)} voices shown, "
            f"the owner's voice holds {held}, ARI {ari(labels, speakers):.3f}; verdict {rep.reliability_level}: "
            f"{render(rep.reliability, 'en')}; owner line warns: "
            f"{render(rep.owner_doubt, 'en') if rep.owner_doubt is not None else 'no'}")


def evaluate(root: Path, k_values: tuple[float, ...] = ()) -> list[str]:
    cs = embed_clips(root, "voicearchive", 0.0)
    speakers = sorted(set(cs.speakers))
    speech = cs.speech_s[cs.has_speech]
    lines = [
        f"### {root.name}: {len(cs.keys)} command clips (0.8-1.5 s; speech after trimming median "
        f"{np.median(speech):.2f} s, {100 * np.mean(speech < 0.8):.0f}% under 0.8 s), {len(speakers)} owners",
        "",
        "| archive | owner wrongly flagged (max) | strangers flagged (of judged) | AUC | true-owner AUC | owner "
        "offered as owner's voice (min) | strangers in it | verdicts |",
        "|---|---|---|---|---|---|---|---|",
    ]
    by_shape = {}
    by_k: dict[float, dict[str, list[dict]]] = {k: {} for k in k_values}
    for shape in SHAPES:
        for k in k_values:  # K innermost per archive would regroup each time; the grouping does not depend on K
            by_k[k][shape] = [run(cs, s, shape, k) for s in speakers]
        rows = [run(cs, s, shape) for s in speakers]
        by_shape[shape] = rows
        levels = {lv: sum(r["level"] == lv for r in rows) for lv in ("good", "fair", "poor")}
        lines.append(
            f"| {shape} | {_pct(_mean(rows, 'owner_flagged'))} ({_pct(max(r['owner_flagged'] for r in rows))}) "
            f"| {_pct(_mean(rows, 'strangers_flagged'))} ({_pct(_mean(rows, 'strangers_judged'))}) "
            f"| {_auc(_mean(rows, 'auc'))} "
            f"| {_auc(_mean(rows, 'true_auc'))} | {_pct(_mean(rows, 'offered'))} "
            f"({_pct(min(r['offered'] for r in rows))}) | {_pct(_mean(rows, 'taken'))} "
            f"| {', '.join(f'{v} {lv}' for lv, v in levels.items() if v)} |"
        )
    lines.append("")
    lines.append(doubt_line(by_shape))
    lines += ["", all_voices_line(cs), ""]
    lines += verdict_lines(by_shape)
    if k_values:
        ks = " / ".join(f"{k:.1f}" for k in k_values)
        lines += [
            f"Stability, K = {ks} (means over the owners; in brackets the largest move from the middle K, in points; "
            "the owner's voice offered: the worst owner at each K):",
            "",
            "| archive | owner wrongly flagged | strangers flagged | owner offered (min) |",
            "|---|---|---|---|",
        ]
        mid = k_values[len(k_values) // 2]
        for shape in SHAPES:
            cells = []
            for key, agg in (("owner_flagged", _mean), ("strangers_flagged", _mean),
                             ("offered", lambda rows, key: min(r[key] for r in rows))):
                values = [agg(by_k[k][shape], key) for k in k_values]
                if all(np.isnan(v) for v in values):
                    cells.append("n/a")
                    continue
                move = max(abs(v - agg(by_k[mid][shape], key)) for v in values)
                cells.append(" / ".join(_pct(v).rstrip("%") for v in values) + f"% ({100 * move:.1f})")
            lines.append(f"| {shape} | " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def main(argv: list[str] | None = None) -> int:
    import argparse

    from voicearchive.voices.owner_set import K

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dirs", type=Path, nargs="+")
    p.add_argument("--stability", action="store_true", help=f"also K = {K} -/+ 0.2, for every shape")
    a = p.parse_args(argv)
    ks = (K - 0.2, K, K + 0.2) if a.stability else ()
    for root in a.dirs:
        print("\n".join(evaluate(root, ks)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
