"""The hand-written labelled statements (tests/data/civic_figures_written.yaml) are well formed and scored.

They cover kinds of figures before the grammar is changed for them; a span that
is not its text, or a measure that is not one, would score nothing silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kg.model.terms import OutcomeMeasure, Unit
from kg.reader.evaluate import load_labelled, score_labelled
from kg.reader.results import extract_figures

WRITTEN = Path(__file__).resolve().parent.parent / "data" / "civic_figures_written.yaml"


def _statements() -> list[dict[str, Any]]:
    return list(yaml.safe_load(WRITTEN.read_text(encoding="utf-8"))["statements"])


def test_every_span_is_its_text_and_every_measure_and_unit_exist() -> None:
    measures, units = {m.value for m in OutcomeMeasure}, {u.value for u in Unit}
    eids = [statement["eid"] for statement in _statements()]
    assert len(eids) == len(set(eids)), f"{WRITTEN.name}: repeated eids"
    for statement in _statements():
        assert str(statement["eid"]).startswith("w"), f"{WRITTEN.name}: eid {statement['eid']} is not a wNN id"
        text = statement["text"]
        for index, figure in enumerate(statement["figures"]):
            where = f"{WRITTEN.name}: eid {statement['eid']}, figure {index}"
            assert text[figure["start"] : figure["end"]] == figure["text"], f"{where}: span is not its text"
            assert figure["measure"] in measures, f"{where}: unknown measure {figure['measure']!r}"
            assert figure["unit"] in units, f"{where}: unknown unit {figure['unit']!r}"


def test_the_scorer_reads_the_file_and_the_grammar_is_precise_on_it() -> None:
    scores, count = score_labelled(load_labelled(WRITTEN), lambda text: extract_figures(text).figures, split="tune")
    assert count == len(_statements())
    total = scores["all"]
    assert total.tp + total.fn == sum(len(s["figures"]) for s in _statements())
    assert total.precision is not None and total.precision >= 0.95
