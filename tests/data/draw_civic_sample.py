"""Draw the sample of CIViC statements that ``civic_figures.yaml`` labels (issue 15, "Measured").

Why a script: the labelled set is only a fair measure of an outcome extractor
if nobody chose its statements. This script chooses them with a fixed seed
from the bundled release, so anyone can re-draw the same sample and
``tests/test_civic_figures_data.py`` proves the labelled file is exactly it.

The draw, from the accepted evidence items of the release:

* 150 statements at random from those that look as if they state a figure
  (:data:`FIGURE_HINTS`: a digit shortly followed by ``%``, ``month``,
  ``week``, ``day`` or ``year``; ``HR``, ``hazard``, ``odds ratio``, ``CI``,
  ``p =`` / ``p<``; ``of 12 patients``; ``/12``; a number word followed by
  "of"), so that most labels are figures;
* 30 statements at random from all the others, to measure precision on text
  that states no figures (or states them in a form the hints miss).

``split`` comes from a second ``random.Random(SEED)``: each of the two pools
is shuffled and its first half is ``tune`` (an extractor may be tuned on it),
the rest ``measure`` (only measured on), so both halves hold the same share
of each pool.

``--extra`` draws the second, larger tuning set ``civic_figures_extra.yaml``
the same way with its own seed (:data:`EXTRA_SEED`): 190 hinted and 30 other
statements, none of them in the first sample, every one ``tune`` (the
``measure`` half of the first file stays the only held-out set).

The output is the skeleton of ``civic_figures.yaml``: every statement with its
``eid``, ``split`` and ``text`` and an empty ``figures`` list for the curator
to fill. Run from the repository root::

    python tests/data/draw_civic_sample.py --output /tmp/skeleton.yaml
    python tests/data/draw_civic_sample.py --extra --output /tmp/skeleton_extra.yaml
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "ABBREVIATIONS",
    "EXTRA_SEED",
    "FIGURE_HINTS",
    "N_EXTRA_FIGURES",
    "N_EXTRA_REST",
    "N_FIGURES",
    "N_REST",
    "RELEASE",
    "SEED",
    "TSV",
    "draw",
    "draw_extra",
    "read_statements",
    "skeleton",
    "write_skeleton",
]

SEED = 20261203
RELEASE = "01-Aug-2024"
TSV = Path(__file__).resolve().parents[2] / "data" / "civic" / f"{RELEASE}-ClinicalEvidenceSummaries.tsv"
N_FIGURES = 150
N_REST = 30
EXTRA_SEED = 20261204
N_EXTRA_FIGURES = 190
N_EXTRA_REST = 30

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred"
)
#: A statement matching any of these (or :data:`ABBREVIATIONS`) probably states an outcome figure.
FIGURE_HINTS = re.compile(
    r"\d.{0,3}?(?:%|month|week|day|year)"  # a digit within a few characters of a unit
    r"|hazard|odds ratio"
    r"|\bp ?[=<]"  # p = 0.01, p<0.001, P =
    r"|of \d+ patients|/\d"
    rf"|\b(?:{_NUMBER_WORDS})\s+of\b",
    re.IGNORECASE,
)
#: Hazard ratio and confidence interval, in capitals only ("hr" and "ci" are not these abbreviations).
ABBREVIATIONS = re.compile(r"\bHR\b|\bCI\b")


def _hinted(statement: str) -> bool:
    """Whether ``statement`` looks as if it states a figure."""
    return FIGURE_HINTS.search(statement) is not None or ABBREVIATIONS.search(statement) is not None


def read_statements(tsv: Path) -> dict[int, str]:
    """Evidence id → statement of every accepted item, split on tabs (CIViC's TSV has no quoting)."""
    lines = tsv.read_text(encoding="utf-8").split("\n")
    header = lines[0].rstrip("\r").split("\t")
    eid_col, text_col, status_col = (header.index(c) for c in ("evidence_id", "evidence_statement", "evidence_status"))
    statements: dict[int, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        cells = line.rstrip("\r").split("\t")
        if cells[status_col] == "accepted":
            statements[int(cells[eid_col])] = cells[text_col]
    return statements


def draw(statements: dict[int, str], seed: int = SEED) -> list[tuple[int, str]]:
    """The sample as ``(eid, split)`` pairs, in evidence id order."""
    hinted = sorted(eid for eid, text in statements.items() if _hinted(text))
    rest = sorted(set(statements) - set(hinted))
    rng = random.Random(seed)
    pools = [sorted(rng.sample(hinted, N_FIGURES)), sorted(rng.sample(rest, N_REST))]
    splitter = random.Random(seed)
    split: dict[int, str] = {}
    for pool in pools:
        order = list(pool)
        splitter.shuffle(order)
        half = len(order) // 2
        split.update({eid: "tune" if i < half else "measure" for i, eid in enumerate(order)})
    return sorted(split.items())


def draw_extra(statements: dict[int, str], seed: int = EXTRA_SEED) -> list[tuple[int, str]]:
    """The second sample (``civic_figures_extra.yaml``): statements not in :func:`draw`'s, all ``tune``."""
    first = {eid for eid, _ in draw(statements)}
    hinted = sorted(eid for eid, text in statements.items() if eid not in first and _hinted(text))
    rest = sorted(set(statements) - first - set(hinted))
    rng = random.Random(seed)
    return sorted((eid, "tune") for eid in [*rng.sample(hinted, N_EXTRA_FIGURES), *rng.sample(rest, N_EXTRA_REST)])


def skeleton(tsv: Path = TSV, seed: int = SEED, *, extra: bool = False) -> dict[str, Any]:
    """The unlabelled ``civic_figures.yaml`` (or, with ``extra``, ``civic_figures_extra.yaml``) for ``tsv``."""
    statements = read_statements(tsv)
    sample = draw_extra(statements, seed) if extra else draw(statements, seed)
    return {
        "version": 1,
        "seed": seed,
        "release": RELEASE,
        "statements": [{"eid": eid, "split": split, "text": statements[eid], "figures": []} for eid, split in sample],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", type=Path, default=TSV, help="CIViC ClinicalEvidenceSummaries TSV")
    parser.add_argument("--output", type=Path, help="write the skeleton here (default: standard output)")
    parser.add_argument("--extra", action="store_true", help="draw the second tuning set (civic_figures_extra.yaml)")
    args = parser.parse_args(argv)
    document = skeleton(args.tsv, EXTRA_SEED, extra=True) if args.extra else skeleton(args.tsv)
    write_skeleton(document, args.output)
    return 0


def write_skeleton(document: dict[str, Any], output: Path | None) -> None:
    """A skeleton as YAML (one statement per line, as the labelled files keep it) to ``output`` or standard output."""
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=10_000)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
