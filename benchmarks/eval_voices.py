"""Evaluate voice grouping, owner matching and flags on a folder of ``<speaker>/<clip>`` audio.

    python benchmarks/eval_voices.py DIR [--encoder voicearchive|resemblyzer] [--clip-s 1 2 3] [--markdown OUT.md]

Every utterance is cut into consecutive command-length clips (1, 2, 3 s) and embedded once (cached in a
temporary .npz, see ``voice_clips.py``). Then, for each clip length, it prints:

- **EER**: pairwise equal error rate of cosine similarity, same speaker vs different speakers;
- **owner, largest group**: for each speaker as the owner, an archive holding all the owner's clips and
  ``--per-stranger`` clips of every other speaker, analysed with no user decision (the owner is the largest
  group and the threshold automatic): ROC AUC of ``owner_similarity`` (owner clips vs the others), the share
  of owner clips wrongly flagged and of strangers' clips flagged at the app's own threshold;
- **owner, enrolled**: the same with the owner enrolled from 3 of their clips (held out) and every other
  speaker's clips complete, plus whether enrolling a speaker who is absent gives the "no match" message;
- **groups**: adjusted Rand index of ``analyse_voices``'s groups (unique voices count as singletons) against
  the speakers, beside average-linkage with fixed cosine cuts and HDBSCAN when scikit-learn is installed
  (the baselines issue 3 names; they are never used by the app).

Shares count "uncertain" clips (too little speech) as not flagged; the share of uncertain clips is printed.

``--commands``: command-length archives (0.8-1.5 s clips) in several shapes and variants, see
``eval_commands.py``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # multi-threaded BLAS collapses on a busy machine

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from voice_clips import ENCODERS, ClipSet, embed_clips, features_of, roc_auc  # noqa: E402

from voicearchive.voices.owner import Decisions, analyse_voices  # noqa: E402

ENROL_N = 3


# ---------------------------------------------------------------------------------------------------------
# metrics


def eer(same: np.ndarray, diff: np.ndarray) -> float:
    """Equal error rate of accepting ``same`` and rejecting ``diff`` by one cosine cut."""
    cuts = np.unique(np.concatenate([same, diff]))
    s, d = np.sort(same), np.sort(diff)
    frr = np.searchsorted(s, cuts, side="left") / len(s)
    far = 1 - np.searchsorted(d, cuts, side="left") / len(d)
    i = int(np.argmin(np.abs(frr - far)))
    return float((frr[i] + far[i]) / 2)


def ari(labels: np.ndarray, truth: np.ndarray) -> float:
    """Adjusted Rand index; label -1 (unique voice) counts as a singleton cluster each."""
    a = np.asarray(labels).copy()
    nxt = a.max(initial=-1) + 1
    for i in np.flatnonzero(a < 0):
        a[i] = nxt
        nxt += 1
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(truth, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(table, (ai, bi), 1)

    def pairs(v):
        return float((v * (v - 1) / 2).sum())

    n = len(a)
    s, sa, sb = pairs(table), pairs(table.sum(1)), pairs(table.sum(0))
    expected = sa * sb / (n * (n - 1) / 2)
    return (s - expected) / (0.5 * (sa + sb) - expected)


# ---------------------------------------------------------------------------------------------------------
# scenarios


def pairwise_eer(cs: ClipSet) -> float:
    idx = np.flatnonzero(cs.has_speech)
    x = cs.embeddings[idx]
    spk = np.array(cs.speakers)[idx]
    sim = x @ x.T
    iu = np.triu_indices(len(x), 1)
    same = spk[:, None] == spk[None, :]
    return eer(sim[iu][same[iu]], sim[iu][~same[iu]])


def owner_scenario(cs: ClipSet, owner: str, per_stranger: int | None, enrol: bool) -> dict:
    spk = np.array(cs.speakers)
    own = np.flatnonzero(spk == owner)
    decisions = Decisions()
    if enrol:
        enrolled, own = own[:ENROL_N], own[ENROL_N:]
        decisions.enrolled = [cs.embeddings[i] for i in enrolled if cs.has_speech[i]]
    others = []
    for s in sorted(set(cs.speakers) - {owner}):
        idx = np.flatnonzero(spk == s)
        others.extend(idx[:per_stranger] if per_stranger else idx)
    others = np.array(others)
    rep = analyse_voices(features_of(cs, np.concatenate([own, others])), {}, decisions)
    res = rep.results

    def sims(idx):
        values = (res[cs.keys[i]].owner_similarity for i in idx)
        return np.array([v for v in values if v is not None])

    def flagged(idx, judged_only: bool = False) -> float:
        rows = [res[cs.keys[i]] for i in idx if not (judged_only and res[cs.keys[i]].uncertain)]
        return float(np.mean([r.flagged for r in rows])) if rows else float("nan")

    uncertain = np.mean([res[cs.keys[i]].uncertain for i in np.concatenate([own, others])])
    return {
        "auc": roc_auc(sims(own), sims(others)) if len(sims(own)) and len(sims(others)) else float("nan"),
        "owner_flagged": flagged(own),
        "strangers_flagged": flagged(others),
        "strangers_judged": flagged(others, judged_only=True),
        "threshold": rep.threshold,
        "uncertain": uncertain,
        "owner_ok": rep.owner_group is not None
        and rep.group(rep.owner_group).representative.startswith(owner + "/"),
        "message": rep.message,
    }


def no_match_check(cs: ClipSet, owner: str) -> bool:
    """Enrol ``owner`` and analyse an archive without them: does the report say nothing matches?"""
    spk = np.array(cs.speakers)
    own = np.flatnonzero(spk == owner)[:ENROL_N]
    rest = np.flatnonzero(spk != owner)
    d = Decisions(enrolled=[cs.embeddings[i] for i in own if cs.has_speech[i]])
    message = analyse_voices(features_of(cs, rest), {}, d).message
    return message is not None and message.code.startswith("voices.enrol.no_")  # no recording / no voice matches


def grouping_scores(cs: ClipSet) -> tuple[dict[str, tuple[float, float]], float]:
    """ARI and share of clips in a group, for the app and the baselines that are installed; and the share
    of (one-voice) clips in which the app reported a second voice."""
    idx = np.arange(len(cs.keys))
    spk = np.array(cs.speakers)
    t = time.perf_counter()
    rep = analyse_voices(features_of(cs, idx), {}, Decisions())
    app_s = time.perf_counter() - t
    labels = np.array([rep.results[k].group for k in cs.keys])
    out = {f"app: spectral + centroid cut ({app_s:.2f} s)": (ari(labels, spk), float(np.mean(labels >= 0)))}
    spans = float(np.mean([bool(rep.results[k].other_voice_spans) for k in cs.keys]))
    try:
        from sklearn.cluster import HDBSCAN, AgglomerativeClustering
    except ImportError:
        return out, spans
    x = cs.embeddings[cs.has_speech]
    truth = spk[cs.has_speech]
    for cut in (0.70, 0.75, 0.80):
        agg = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=1 - cut)
        lab = agg.fit_predict(x)
        counts = np.bincount(lab)
        lab = np.where(counts[lab] >= 3, lab, -1)
        out[f"average linkage, cosine cut {cut:.2f}"] = (ari(lab, truth), float(np.mean(lab >= 0)))
    for mcs in (3, 5):
        lab = HDBSCAN(min_cluster_size=mcs, metric="cosine", copy=True).fit_predict(x)
        out[f"HDBSCAN min_cluster_size={mcs}"] = (ari(lab, truth), float(np.mean(lab >= 0)))
    return out, spans


# ---------------------------------------------------------------------------------------------------------


def _nanmean(values: list[float]) -> float:
    finite = [v for v in values if not np.isnan(v)]
    return float(np.mean(finite)) if finite else float("nan")


def evaluate(root: Path, encoder: str, clip_lengths: list[float], per_stranger: int) -> list[str]:
    lines = [f"## {root} ({encoder} encoder)", ""]
    for clip_s in clip_lengths:
        cs = embed_clips(root, encoder, clip_s)
        speakers = sorted(set(cs.speakers))
        lines += [f"### {clip_s:g} s clips: {len(cs.keys)} clips, {len(speakers)} speakers", ""]
        lines += [f"pairwise EER: {100 * pairwise_eer(cs):.1f}%", ""]
        for title, per, enrol in (
            (f"owner = largest group (others {per_stranger} clips each)", per_stranger, False),
            (f"owner enrolled from {ENROL_N} clips", None, True),
        ):
            rows = [owner_scenario(cs, s, per, enrol) for s in speakers]
            if enrol:
                false_alarms = sum(bool(r["message"]) for r in rows)
            lines += [
                f"{title}:",
                "",
                "| owner | AUC | threshold | owner flagged | strangers flagged | (of those judged) | uncertain |",
                "|---|---|---|---|---|---|---|",
            ]
            for s, r in zip(speakers, rows):
                found = "" if r["owner_ok"] else " (owner group missed)"
                lines.append(
                    f"| {s}{found} | {r['auc']:.4f} | {r['threshold']:.3f} | {100 * r['owner_flagged']:.1f}% "
                    f"| {100 * r['strangers_flagged']:.1f}% | {100 * r['strangers_judged']:.1f}% "
                    f"| {100 * r['uncertain']:.1f}% |"
                )
            keys = ("auc", "owner_flagged", "strangers_flagged", "strangers_judged", "uncertain")
            mean = {k: _nanmean([r[k] for r in rows]) for k in keys}
            lines.append(
                f"| **mean** | **{mean['auc']:.4f}** (min {min(r['auc'] for r in rows):.4f}) | | "
                f"**{100 * mean['owner_flagged']:.1f}%** | **{100 * mean['strangers_flagged']:.1f}%** "
                f"| {100 * mean['strangers_judged']:.1f}% | {100 * mean['uncertain']:.1f}% |"
            )
            lines.append("")
        hits = sum(no_match_check(cs, s) for s in speakers)
        lines += [
            f"enrolled speaker absent from the archive -> 'no match' message: {hits}/{len(speakers)}; "
            f"present -> message anyway: {false_alarms}/{len(speakers)}",
            "",
        ]
        scores, spans = grouping_scores(cs)
        lines += ["| grouping | ARI | clips in a group |", "|---|---|---|"]
        for name, (a, share) in scores.items():
            lines.append(f"| {name} | {a:.3f} | {100 * share:.0f}% |")
        lines += ["", f"one-voice clips in which a second voice was reported: {100 * spans:.1f}%", ""]
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dirs", type=Path, nargs="+", help="folders of <speaker>/<clip> audio")
    p.add_argument("--encoder", choices=sorted(ENCODERS), default="voicearchive")
    p.add_argument("--clip-s", type=float, nargs="+", default=[1.0, 2.0, 3.0])
    p.add_argument("--per-stranger", type=int, default=8, help="clips of each other speaker in the owner scenario")
    p.add_argument("--markdown", type=Path, help="also write the tables to this file")
    p.add_argument("--commands", action="store_true",
                   help="command-length archives instead (eval_commands.py: shapes, variants, K -/+ 0.2)")
    a = p.parse_args(argv)
    lines: list[str] = []
    if a.commands:
        from eval_commands import evaluate as evaluate_commands
        from voicearchive.voices.owner_set import K

        for root in a.dirs:
            part = evaluate_commands(root, (K - 0.2, K, K + 0.2))
            print("\n".join(part), flush=True)
            lines += part
        if a.markdown:
            a.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return 0
    for root in a.dirs:
        part = evaluate(root, a.encoder, a.clip_s, a.per_stranger)
        print("\n".join(part), flush=True)
        lines += part
    if a.markdown:
        a.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
