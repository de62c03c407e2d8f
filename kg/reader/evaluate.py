"""Measure the results grammar: recall, precision and CI-bound recall per measure, against labelled figures.

Two gold standards:

* **labelled CIViC statements** (``tests/data/civic_figures.yaml``, format
  in ``tests/data/README.md``): a figure matches a label when the measure
  is the same, the value agrees (both absent, or the same number; and every
  count or range bound the label states is the figure's too), and the
  spans overlap;
* **a curated paper** (``data/papers/*.yaml`` with its text): every
  curated outcome that states a number is a target; a figure matches it
  when the measure is the same, the figure lies in the outcome's quote, and
  the figure's numbers (value, range, k, n) are numbers of the outcome.
  Outcomes without a number (a best response, "partial remission") are not
  figures by the definition the labels use, and are not targets.

CI-bound recall counts bounds: each labelled lower and upper bound found
with its figure is one hit. Matching is one-to-one, in text order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kg.reader.figures import Figure
from kg.reader.tokens import number_value

__all__ = [
    "Gold",
    "Score",
    "format_scores",
    "load_labelled",
    "match",
    "paper_figures",
    "score_labelled",
    "score_paper",
]

_CORE = ("value", "range_low", "range_high", "numerator", "denominator")


@dataclass(frozen=True)
class Gold:
    """One target figure: its measure, numbers (as Decimals), CI bounds and where it may be found."""

    key: str  # where it comes from, for a report of misses ("eid 1041 #2", "ev:chictr-orr #0")
    measure: str
    numbers: dict[str, Decimal]
    ci: tuple[Decimal | None, Decimal | None]
    spans: tuple[tuple[int, int], ...]
    text: str
    strict_value: bool = True  # labels: the value must agree exactly; curated outcomes: figure numbers ⊆ outcome's


@dataclass
class Score:
    """Counts for one measure (or all): true positives, misses, false alarms, CI bounds labelled and found."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    ci_total: int = 0
    ci_found: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def ci_recall(self) -> float | None:
        return self.ci_found / self.ci_total if self.ci_total else None

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fn += other.fn
        self.fp += other.fp
        self.ci_total += other.ci_total
        self.ci_found += other.ci_found
        self.misses += other.misses
        self.false_alarms += other.false_alarms


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return number_value(str(value))


def _agrees(figure: Figure, gold: Gold) -> bool:
    numbers = figure.numbers()
    core = {name: numbers[name] for name in _CORE if name in numbers}
    if gold.strict_value:
        if core.get("value") != gold.numbers.get("value"):
            return False
        return all(core.get(name) == gold.numbers[name] for name in _CORE[1:] if name in gold.numbers)
    wanted = {number for name, number in gold.numbers.items() if name in _CORE}
    return bool(core) and set(core.values()) <= wanted


def _overlaps(figure: Figure, spans: Iterable[tuple[int, int]]) -> bool:
    return any(figure.start < end and start < figure.end for start, end in spans)


def match(figures: Sequence[Figure], golds: Sequence[Gold]) -> dict[str, Score]:
    """Score ``figures`` against ``golds``: one-to-one matches, per measure, plus ``"all"``."""
    scores: dict[str, Score] = defaultdict(Score)
    used: set[int] = set()
    for gold in golds:
        score = scores[gold.measure]
        lower, upper = gold.ci
        score.ci_total += (lower is not None) + (upper is not None)
        found: Figure | None = None
        for index, figure in enumerate(figures):
            if index in used or figure.measure.value != gold.measure or not _overlaps(figure, gold.spans):
                continue
            if _agrees(figure, gold):
                used.add(index)
                found = figure
                break
        if found is None:
            score.fn += 1
            score.misses.append(f"{gold.key}: {gold.measure} {_show(gold.numbers)} in {gold.text!r}")
            continue
        score.tp += 1
        score.ci_found += (lower is not None and found.number("ci_lower") == lower) + (
            upper is not None and found.number("ci_upper") == upper
        )
    for index, figure in enumerate(figures):
        if index not in used:
            scores[figure.measure.value].fp += 1
            scores[figure.measure.value].false_alarms.append(
                f"{figure.measure.value} {figure.shown_value()} in {figure.text!r}"
            )
    total = Score()
    for score in scores.values():
        total.add(score)
    result = dict(sorted(scores.items()))
    result["all"] = total
    return result


def _show(numbers: dict[str, Decimal]) -> str:
    return ", ".join(f"{name}={value}" for name, value in numbers.items() if name in _CORE) or "(no number)"


# -- labelled CIViC statements ----------------------------------------------------------------------------------------


def load_labelled(path: Path) -> list[dict[str, Any]]:
    """The statements of a labelled figures file (``tests/data/civic_figures.yaml``)."""
    import yaml

    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("statements"), list):
        raise ValueError(f"{path}: expected a mapping with a 'statements' list (see tests/data/README.md)")
    return list(document["statements"])


def _label_gold(eid: Any, index: int, label: dict[str, Any]) -> Gold:
    numbers = {name: _decimal(label.get(name)) for name in _CORE}
    return Gold(
        key=f"eid {eid} #{index}",
        measure=str(label["measure"]),
        numbers={name: number for name, number in numbers.items() if number is not None},
        ci=(_decimal(label.get("ci_lower")), _decimal(label.get("ci_upper"))),
        spans=((int(label["start"]), int(label["end"])),),
        text=str(label.get("text", "")),
    )


def score_labelled(
    statements: Iterable[dict[str, Any]], extract: Callable[[str], Sequence[Figure]], split: str = "all"
) -> tuple[dict[str, Score], int]:
    """Scores of ``extract`` over the labelled statements of ``split`` (tune, measure or all), and their count."""
    total: dict[str, Score] = defaultdict(Score)
    count = 0
    for statement in statements:
        if split != "all" and statement.get("split") != split:
            continue
        count += 1
        text = str(statement["text"])
        golds = [_label_gold(statement["eid"], i, label) for i, label in enumerate(statement.get("figures") or [])]
        for measure, score in match(extract(text), golds).items():
            if measure != "all":
                for line in (*score.misses, *score.false_alarms):
                    _ = line
                score.misses = [f"eid {statement['eid']}: {m}" if not m.startswith("eid") else m for m in score.misses]
                score.false_alarms = [f"eid {statement['eid']}: {m}" for m in score.false_alarms]
                total[measure].add(score)
    result = dict(sorted(total.items()))
    overall = Score()
    for score in result.values():
        overall.add(score)
    result["all"] = overall
    return result, count


# -- a curated paper ----------------------------------------------------------------------------------------------


def _locate(text: str, quote: str, start: int = 0) -> tuple[int, int] | None:
    """Offsets of ``quote`` in ``text`` from ``start``, whitespace runs matching any whitespace."""
    pattern = r"\s+".join(re.escape(part) for part in quote.split())
    found = re.compile(pattern).search(text, start)
    return (found.start(), found.end()) if found else None


def paper_golds(corpus: Any, source_id: str) -> tuple[str, list[Gold]]:
    """The text of ``source_id`` and a target for every numbered outcome of its evidence items."""
    from kg.core.vocab import NodeType

    text = corpus.texts[source_id]
    golds: list[Gold] = []
    for item in corpus.records.get(NodeType.EVIDENCE, {}).values():
        if item.quote.source != source_id or not item.outcomes:
            continue
        spans: list[tuple[int, int]] = []
        at = 0
        for part in item.quote.spans():
            found = _locate(text, part, at)
            if found is None:
                found = _locate(text, part)
            if found is not None:
                spans.append(found)
                at = found[1]
        for index, outcome in enumerate(item.outcomes):
            numbers = {name: Decimal(value) for name, value in outcome.numbers().items()}
            if not any(name in _CORE for name in numbers):
                continue
            golds.append(
                Gold(
                    key=f"{item.id} #{index}",
                    measure=outcome.measure.value,
                    numbers=numbers,
                    ci=(outcome.ci_lower, outcome.ci_upper),
                    spans=tuple(spans),
                    text=item.quote.full_text(),
                    strict_value=False,
                )
            )
    return text, golds


def paper_figures(text: str) -> list[Figure]:
    """The figures of a paper's text read as ``kg propose`` reads it: sentence by sentence (pysbd)."""
    from dataclasses import replace

    from kg.reader.results import extract_figures
    from kg.reader.sentences import text_sentences

    figures: list[Figure] = []
    for sentence in text_sentences(text):
        for figure in extract_figures(sentence.text).figures:
            figures.append(replace(figure, start=figure.start + sentence.start, end=figure.end + sentence.start))
    return figures


def score_paper(corpus: Any, source_id: str, extract: Callable[[str], Sequence[Figure]]) -> dict[str, Score]:
    """Scores of ``extract`` over a curated paper's text against its curated outcomes."""
    text, golds = paper_golds(corpus, source_id)
    return match(extract(text), golds)


def _ratio(value: float | None) -> str:
    return "  -  " if value is None else f"{value:5.3f}"


def format_scores(title: str, scores: dict[str, Score], details: bool = False) -> str:
    """A table: per measure, targets, found, false alarms, recall, precision, CI-bound recall."""
    lines = [title, f"  {'measure':22} {'gold':>5} {'tp':>4} {'fp':>4} {'recall':>7} {'precision':>9} {'CI-bound':>8}"]
    for measure, score in scores.items():
        if measure == "all":
            continue
        lines.append(_row(measure, score))
    lines.append(_row("all", scores["all"]))
    if details:
        total = scores["all"]
        lines += ["  misses:"] + [f"    {line}" for line in total.misses]
        lines += ["  false alarms:"] + [f"    {line}" for line in total.false_alarms]
    return "\n".join(lines)


def _row(measure: str, score: Score) -> str:
    return (
        f"  {measure:22} {score.tp + score.fn:5} {score.tp:4} {score.fp:4} {_ratio(score.recall):>7} "
        f"{_ratio(score.precision):>9} {_ratio(score.ci_recall):>8}"
    )
