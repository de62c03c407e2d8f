"""Every figure of the seed paper is carried by a curated record.

The seed paper is Pan and Zhou, Front. Oncol. 2024 (``data/texts/pan-zhou-2024-front-oncol.txt``).
The figures are listed in ``tests/data/paper_figures.yaml``, written BY HAND from the paper, never
generated from ``data/``: the point is an independent check of the curation. What "carried" means
is the checker's docstring (``tests/fixtures/figures.py``); its own tests are ``test_figure_checker.py``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.core.text import normalize_space
from tests.fixtures.figures import PAPER_TEXT_FILE, Date, Figure, FigureIndex, Text, load_figures, own_quotes

PAPER_PATH = Path(__file__).resolve().parent.parent / "data" / PAPER_TEXT_FILE
TABLE = load_figures()


@pytest.fixture(scope="module")
def paper_text() -> str:
    return normalize_space(PAPER_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def figure_index(curated_corpus) -> FigureIndex:
    return FigureIndex(curated_corpus)


def test_figure_table_is_well_formed():
    ids = [figure.id for figure in TABLE.figures]
    assert len(ids) == len(set(ids)), "figure ids must be unique"
    for figure in TABLE.figures:
        assert figure.values, f"{figure.id}: no value to look for"
        assert normalize_space(figure.figure) in normalize_space(figure.context) or "..." in figure.figure, (
            f"{figure.id}: the figure {figure.figure!r} is not written in its context {figure.context!r}"
        )


def test_every_context_is_verbatim_and_unique_in_the_paper(paper_text):
    problems = []
    for figure in TABLE.figures:
        count = paper_text.count(normalize_space(figure.context))
        if count != 1:
            problems.append(f"{figure.id}: context {figure.context!r} occurs {count} times (want exactly 1)")
    assert not problems, "\n".join(problems)


def test_every_skipped_context_is_verbatim_in_the_paper(paper_text):
    problems = [
        f"{skipped.figure!r}: context {skipped.context!r} not in the paper"
        for skipped in TABLE.skipped
        if normalize_space(skipped.context) not in paper_text
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("figure", [pytest.param(figure, id=figure.id) for figure in TABLE.figures])
def test_paper_figure_is_carried_by_a_record(figure_index, figure):
    carried, report = figure_index.check(figure)
    assert carried, report


def test_checker_rejects_a_fabricated_figure_in_a_real_context(figure_index):
    """The checker on the real corpus: a number the paper does not state in this context is not carried."""
    context = "22.2% (95% CI 10.6-40.8%)"
    for fabricated in (Decimal("22.3"), Decimal("40.9"), Text("99 Gy"), Date("2019-06-02")):
        carried, report = figure_index.check(Figure("fabricated", "22.2%", context, (fabricated,)))
        assert not carried, f"checker accepted fabricated {fabricated}: {report}"
        assert "fabricated" in report
        assert context in report


@pytest.mark.parametrize("structural", TABLE.structural, ids=[s.id for s in TABLE.structural])
def test_category_count_is_carried_by_structure(curated_corpus, paper_text, structural):
    context = normalize_space(structural.context)
    assert context in paper_text
    quoting = [
        record
        for record in curated_corpus
        for quote in own_quotes(record)
        if context in normalize_space(" ".join(quote.spans()))
    ]
    assert quoting, f"{structural.id}: no record quotes {structural.context!r}"
    if structural.rule == "children":
        counts = [
            sum(1 for other in curated_corpus if record.id in getattr(other, "parents", ())) for record in quoting
        ]
    else:
        counts = [len(getattr(record, "alterations", ())) for record in quoting]
    assert structural.count in counts, (
        f"{structural.id}: {structural.figure!r} ({structural.count}) should be carried as {structural.rule} of a "
        f"record quoting {structural.context!r}; found {counts} among {[r.id for r in quoting]}"
    )
