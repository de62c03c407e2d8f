"""Integrity of the hand-labelled CIViC outcome figures (``tests/data/civic_figures.yaml``, issue 15).

The second, larger tuning set ``tests/data/civic_figures_extra.yaml`` is
checked the same way, record by record, and against its own draw
(``draw_civic_sample.py --extra``): every statement ``tune``, none of them in
the first file.

The file is the yardstick for outcome extraction on CIViC statements, so a
mistake in it misleads every measurement made with it. These tests check each
statement and each figure on its own (one test per statement, in the manner
of bioregistry's per-record tests) and say what to fix: the schema (known
keys, measure and unit from :mod:`kg.model.terms`), that every span is
``text[start:end]``, that every number is written inside its span exactly as
recorded, that each statement is the release's own text, and that the sample
is exactly what ``tests/data/draw_civic_sample.py`` draws from the bundled
release. They read the file with plain YAML and string operations only: no
extractor code, so the labels stay independent of what they measure.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.civic.tsv import read_tsv
from kg.core.errors import DataError
from kg.model.terms import Comparator, OutcomeMeasure, Unit

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "civic_figures.yaml"
SCRIPT = HERE / "data" / "draw_civic_sample.py"
RELEASE_TSV = HERE.parent / "data" / "civic" / "01-Aug-2024-ClinicalEvidenceSummaries.tsv"
WHERE = "tests/data/civic_figures.yaml"
EXTRA = HERE / "data" / "civic_figures_extra.yaml"
WHERE_EXTRA = "tests/data/civic_figures_extra.yaml"

TOP_KEYS = {"version", "seed", "release", "statements"}
STATEMENT_KEYS = {"eid", "split", "text", "figures"}
FIGURE_KEYS = {
    "measure",
    "text",
    "start",
    "end",
    "value",
    "value_comparator",
    "range_low",
    "range_high",
    "unit",
    "ci_level",
    "ci_lower",
    "ci_upper",
    "p_value",
    "p_comparator",
    "numerator",
    "denominator",
    "timepoint",
    "arm",
    "grade",
    "label",
}
REQUIRED_FIGURE_KEYS = {"measure", "text", "start", "end", "unit"}
NUMBER_FIELDS = ("value", "range_low", "range_high", "ci_lower", "ci_upper", "p_value", "numerator", "denominator")
NUMBER_WORDS = {
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
}
# A number as papers write it: 12, 0.62, 0·62 (middle dot), 0,62 (comma), .03, -9 (also with a minus sign).
NUMBER = re.compile(r"[-−]?(?:\d+(?:[.·,]\d+)?|[.·]\d+)")
RATIO_MEASURES = {OutcomeMeasure.HAZARD_RATIO, OutcomeMeasure.ODDS_RATIO, OutcomeMeasure.RISK_RATIO}
RATE_AT_TIMEPOINT = {
    OutcomeMeasure.PFS_RATE,
    OutcomeMeasure.OS_RATE,
    OutcomeMeasure.DFS_RATE,
    OutcomeMeasure.RFS_RATE,
    OutcomeMeasure.EFS_RATE,
}
TIME_UNITS = {Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS}
SHARE_UNITS = {Unit.PERCENT, Unit.PATIENTS, Unit.NONE}


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.safe_load(handle)
    return document


DOCUMENT = _load(DATA)
STATEMENTS: list[dict[str, Any]] = DOCUMENT.get("statements") or []
EXTRA_DOCUMENT = _load(EXTRA)
EXTRA_STATEMENTS: list[dict[str, Any]] = EXTRA_DOCUMENT.get("statements") or []
#: Every statement of both files with the file it is in, for the per-record test.
RECORDS = [(WHERE, statement) for statement in STATEMENTS] + [
    (WHERE_EXTRA, statement) for statement in EXTRA_STATEMENTS
]


def _record_id(record: tuple[str, dict[str, Any]]) -> str:
    where, statement = record
    return f"{'extra-' if where == WHERE_EXTRA else ''}eid{statement.get('eid')}"


def _release_statements() -> dict[int, str]:
    """Evidence id → statement, read with the project's CIViC TSV reader (not the draw script's)."""
    errors: list[DataError] = []
    table = read_tsv(RELEASE_TSV, RELEASE_TSV.name, ("evidence_id", "evidence_statement"), errors)
    assert table is not None, [str(error) for error in errors]
    return {int(row["evidence_id"]): row["evidence_statement"] for row in table}


@pytest.fixture(scope="module")
def release() -> dict[int, str]:
    return _release_statements()


def _occurs_as_written(number: str, span: str) -> bool:
    """Whether ``number`` is written in ``span`` as a whole number (so "2" is not found inside "102" or "2.5").

    A unit may follow digits without a space ("5.9mo", "7.4wk"); a number word must end at a word boundary.
    """
    after = r"(?!\d|[.·,]\d)" if number[-1].isdigit() else r"(?!\w)"
    pattern = rf"(?<![\w.·]){re.escape(number)}{after}"
    return re.search(pattern, span, flags=re.IGNORECASE) is not None


def _names(values: Iterable[StrEnum]) -> str:
    """Allowed values for a message: 'a, b, c'."""
    return ", ".join(sorted(value.value for value in values))


def _units_of(measure: OutcomeMeasure) -> set[Unit]:
    """The units a measure can take: ratios are ratios, medians and intervals are times, the rest shares or counts."""
    if measure in RATIO_MEASURES:
        return {Unit.RATIO}
    if measure.value.endswith("_median") or measure == OutcomeMeasure.TIME_TO_EVENT:
        return TIME_UNITS
    return SHARE_UNITS


def _is_number(text: str) -> bool:
    """A number in digits, or in words ("three", "Twenty two", "twenty-two")."""
    words = re.split(r"[ -]", text.lower())
    return NUMBER.fullmatch(text) is not None or all(word in NUMBER_WORDS for word in words)


def _figure_problems(statement: dict[str, Any], index: int, figure: Any, source: str = WHERE) -> list[str]:
    """Every problem of one figure, each phrased as what to fix."""
    text: str = statement["text"]
    where = f"{source}: statement eid {statement['eid']}, figure {index}"
    if not isinstance(figure, dict):
        return [f"{where}: expected a mapping of figure fields, got {figure!r}"]
    where += f" ({figure.get('text')!r})"
    problems: list[str] = []
    unknown = sorted(set(figure) - FIGURE_KEYS)
    if unknown:
        problems.append(f"{where}: unknown field(s) {unknown}; the known fields are {sorted(FIGURE_KEYS)}")
    missing = sorted(REQUIRED_FIGURE_KEYS - set(figure))
    if missing:
        problems.append(f"{where}: missing field(s) {missing}")
        return problems

    measure, unit = figure["measure"], figure["unit"]
    if measure not in set(OutcomeMeasure):
        problems.append(f"{where}, field 'measure': expected one of {_names(OutcomeMeasure)}, got {measure!r}")
    if unit not in set(Unit):
        problems.append(f"{where}, field 'unit': expected one of {_names(Unit)}, got {unit!r}")
    elif measure in set(OutcomeMeasure) and unit not in _units_of(OutcomeMeasure(measure)):
        problems.append(
            f"{where}, field 'unit': a {measure} is measured in one of {_names(_units_of(OutcomeMeasure(measure)))}, got {unit!r}"
        )
    if measure in RATE_AT_TIMEPOINT and "timepoint" not in figure:
        problems.append(f"{where}: a {measure} is a rate at a timepoint; add 'timepoint' (such as '3 years')")

    span, start, end = figure["text"], figure["start"], figure["end"]
    if not (isinstance(span, str) and span and isinstance(start, int) and isinstance(end, int)):
        problems.append(
            f"{where}: 'text' must be a non-empty string and 'start'/'end' integers, got {start!r}, {end!r}"
        )
        return problems
    if text[start:end] != span:
        found = [m.start() for m in re.finditer(re.escape(span), text)]
        hint = (
            f"the span occurs at start {found}"
            if found
            else "the span is not in the statement at all: copy it verbatim"
        )
        problems.append(
            f"{where}, fields 'start'/'end': expected text[{start}:{end}] == the span, "
            f"got {text[start:end]!r}; {hint} (end = start + {len(span)})"
        )

    for name in (*NUMBER_FIELDS, "ci_level"):
        if name not in figure:
            continue
        number = figure[name]
        if not isinstance(number, str):
            problems.append(
                f"{where}, field {name!r}: expected the number as a quoted string as written, got {number!r}"
            )
        elif not _is_number(number):
            problems.append(
                f"{where}, field {name!r}: expected a number as written (12, 0.62, 0·62, .03, 'three'), got {number!r}"
            )
        elif name != "ci_level" and not _occurs_as_written(number, span):
            problems.append(
                f"{where}, field {name!r}: {number!r} is not written in the span {span!r}; widen the span or fix the number"
            )
        elif name == "ci_level" and not _occurs_as_written(number, text):
            problems.append(f"{where}, field 'ci_level': {number!r} is not written in the statement")
    if ("ci_lower" in figure) != ("ci_upper" in figure):
        problems.append(f"{where}: a confidence interval needs both 'ci_lower' and 'ci_upper'")
    if "ci_level" in figure and "ci_lower" not in figure:
        problems.append(f"{where}: 'ci_level' without bounds; add 'ci_lower' and 'ci_upper'")
    if ("range_low" in figure) != ("range_high" in figure):
        problems.append(f"{where}: a range needs both 'range_low' and 'range_high'")
    if ("p_value" in figure) != ("p_comparator" in figure):
        problems.append(f"{where}: 'p_value' and 'p_comparator' go together")
    for name in ("value_comparator", "p_comparator"):
        if name in figure and figure[name] not in set(Comparator):
            problems.append(f"{where}, field {name!r}: expected one of {_names(Comparator)}, got {figure[name]!r}")
    if "value_comparator" in figure and "value" not in figure and "range_low" not in figure:
        problems.append(f"{where}: 'value_comparator' qualifies a value or range; add it or drop the comparator")
    if not any(name in figure for name in ("value", "range_low", "numerator", "denominator")):
        problems.append(f"{where}: a figure needs a number: 'value', a range, or 'numerator'/'denominator'")

    for name in ("arm", "grade", "label", "timepoint"):
        if name in figure and not (isinstance(figure[name], str) and figure[name].strip()):
            problems.append(f"{where}, field {name!r}: expected non-empty text, got {figure[name]!r}")
    for name in ("arm", "grade"):
        if isinstance(figure.get(name), str) and figure[name] not in text:
            problems.append(
                f"{where}, field {name!r}: {figure[name]!r} is not in the statement; name it as the text does"
            )
    timepoint = figure.get("timepoint")
    if isinstance(timepoint, str):
        count = timepoint.split()[0]
        if not (_is_number(count) and _occurs_as_written(count, text)):
            problems.append(
                f"{where}, field 'timepoint': expected 'N unit' with N as written in the statement, got {timepoint!r}"
            )
    return problems


def test_document_header() -> None:
    assert set(DOCUMENT) == TOP_KEYS, (
        f"{WHERE}: top-level keys must be exactly {sorted(TOP_KEYS)}, got {sorted(DOCUMENT)}"
    )
    assert DOCUMENT["version"] == 1, f"{WHERE}: expected version 1, got {DOCUMENT['version']!r}"
    assert DOCUMENT["seed"] == 20261203, f"{WHERE}: the sample is drawn with seed 20261203, got {DOCUMENT['seed']!r}"
    assert DOCUMENT["release"] == "01-Aug-2024", f"{WHERE}: expected release '01-Aug-2024', got {DOCUMENT['release']!r}"


def test_size_and_splits() -> None:
    eids = [str(statement.get("eid")) for statement in STATEMENTS]
    duplicates = sorted(eid for eid, n in Counter(eids).items() if n > 1)
    assert not duplicates, f"{WHERE}: each evidence id once; repeated: {duplicates}"
    assert len(STATEMENTS) >= 120, f"{WHERE}: issue 15 asks for at least 120 statements, got {len(STATEMENTS)}"
    splits = Counter(statement.get("split") for statement in STATEMENTS)
    assert set(splits) == {"tune", "measure"}, f"{WHERE}: expected both splits 'tune' and 'measure', got {dict(splits)}"
    assert abs(splits["tune"] - splits["measure"]) <= len(STATEMENTS) // 10, (
        f"{WHERE}: halves of unequal size: {dict(splits)}"
    )
    assert sum(len(statement.get("figures") or []) for statement in STATEMENTS) > 0, (
        f"{WHERE}: no figure labelled at all"
    )


@pytest.mark.parametrize("record", RECORDS, ids=_record_id)
def test_statement_record(record: tuple[str, dict[str, Any]], release: dict[int, str]) -> None:
    source, statement = record
    where = f"{source}: statement eid {statement.get('eid')}"
    assert set(statement) == STATEMENT_KEYS, (
        f"{where}: keys must be exactly {sorted(STATEMENT_KEYS)}, got {sorted(statement)}"
    )
    assert statement["split"] in {"tune", "measure"}, f"{where}, field 'split': expected tune or measure"
    eid = statement["eid"]
    assert eid in release, f"{where}: no evidence item {eid} in {RELEASE_TSV.name}"
    assert statement["text"] == release[eid], (
        f"{where}, field 'text': expected the release's statement verbatim:\n{release[eid]!r}\ngot:\n{statement['text']!r}"
    )
    figures = statement["figures"]
    assert isinstance(figures, list), f"{where}, field 'figures': expected a list ([] when the statement states none)"
    problems = [
        problem for i, figure in enumerate(figures) for problem in _figure_problems(statement, i, figure, source)
    ]
    assert not problems, "\n".join(problems)
    spans = [(f["start"], f["end"], f["measure"]) for f in figures]
    assert spans == sorted(spans), f"{where}: list the figures in text order (by start)"
    repeated = sorted(span for span, n in Counter(spans).items() if n > 1)
    assert not repeated, f"{where}: the same figure twice: {repeated}"


@pytest.mark.parametrize(
    ("where", "document", "flags"),
    [(WHERE, DOCUMENT, ()), (WHERE_EXTRA, EXTRA_DOCUMENT, ("--extra",))],
    ids=["first", "extra"],
)
def test_sample_is_what_the_draw_script_draws(
    tmp_path: Path, where: str, document: dict[str, Any], flags: tuple[str, ...]
) -> None:
    """Re-draw the sample from the bundled release and compare it with the labelled file, statement by statement."""
    output = tmp_path / "skeleton.yaml"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--tsv", str(RELEASE_TSV), "--output", str(output), *flags],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, f"{SCRIPT.name} failed: {result.stderr}"
    drawn = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert {k: drawn[k] for k in ("version", "seed", "release")} == {
        k: document[k] for k in ("version", "seed", "release")
    }
    assert all(statement["figures"] == [] for statement in drawn["statements"]), (
        "the draw writes an unlabelled skeleton"
    )
    statements = document["statements"]
    want = {s["eid"]: (s["split"], s["text"]) for s in drawn["statements"]}
    have = {s["eid"]: (s["split"], s["text"]) for s in statements}
    missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
    assert not missing and not extra, f"{where}: the sample differs from the draw: add {missing}, remove {extra}"
    wrong_split = sorted(eid for eid in want if want[eid][0] != have[eid][0])
    assert not wrong_split, f"{where}: split differs from the draw for eids {wrong_split}"
    assert [s["eid"] for s in statements] == [s["eid"] for s in drawn["statements"]], (
        f"{where}: keep statements in eid order"
    )


def test_extra_document_header() -> None:
    assert set(EXTRA_DOCUMENT) == TOP_KEYS, (
        f"{WHERE_EXTRA}: top-level keys must be exactly {sorted(TOP_KEYS)}, got {sorted(EXTRA_DOCUMENT)}"
    )
    assert EXTRA_DOCUMENT["version"] == 1, f"{WHERE_EXTRA}: expected version 1, got {EXTRA_DOCUMENT['version']!r}"
    assert EXTRA_DOCUMENT["seed"] == 20261204, (
        f"{WHERE_EXTRA}: the sample is drawn with seed 20261204, got {EXTRA_DOCUMENT['seed']!r}"
    )
    assert EXTRA_DOCUMENT["release"] == DOCUMENT["release"], (
        f"{WHERE_EXTRA}: expected release {DOCUMENT['release']!r} (the first file's), got {EXTRA_DOCUMENT['release']!r}"
    )


def test_extra_size_split_and_no_overlap() -> None:
    """220 statements, all 'tune' (the first file's 'measure' half stays the only held-out set), none in the first file."""
    eids = [statement.get("eid") for statement in EXTRA_STATEMENTS]
    duplicates = sorted(str(eid) for eid, n in Counter(eids).items() if n > 1)
    assert not duplicates, f"{WHERE_EXTRA}: each evidence id once; repeated: {duplicates}"
    assert len(EXTRA_STATEMENTS) == 220, (
        f"{WHERE_EXTRA}: expected 220 statements (190 + 30), got {len(EXTRA_STATEMENTS)}"
    )
    not_tune = sorted(str(s.get("eid")) for s in EXTRA_STATEMENTS if s.get("split") != "tune")
    assert not not_tune, f"{WHERE_EXTRA}: every statement is split 'tune'; not so for eids {not_tune}"
    overlap = sorted(str(eid) for eid in set(eids) & {statement.get("eid") for statement in STATEMENTS})
    assert not overlap, f"{WHERE_EXTRA}: eids also in {WHERE} (the draws must not overlap): {overlap}"
    assert sum(len(statement.get("figures") or []) for statement in EXTRA_STATEMENTS) > 0, (
        f"{WHERE_EXTRA}: no figure labelled at all"
    )
