"""The statement-word index only narrows the scan: the items found are those a scan of every statement finds."""

from __future__ import annotations

import random
import re

import pytest

from kg.query import mentions
from kg.query.mentions import statement_mentions


def _names(kg_full) -> list[str]:
    corpus = kg_full.corpus
    pool = [
        name
        for table in (corpus.drugs, corpus.genes, corpus.alterations, corpus.diseases, corpus.anatomical_sites)
        for record in table.values()
        for name in record.all_names()
    ]
    pool += ["PD-L1", "EGFR-TKI", "wild type", "T790M-negative", "HER2/CEP17", "respon", "resist", "3-year"]
    return sorted(set(pool))


def _full_scan(kg, names, **modes) -> frozenset[int]:
    """What statement_mentions found before the index: its own patterns over every statement."""
    folded, exact = [], []
    for name in dict.fromkeys(n for n in names if len(n.strip()) >= 3):
        if modes.get("stems"):
            pattern = mentions._WORD_EDGE + re.escape(name) + "[a-z]*"
        elif modes.get("absent"):
            core = mentions._pattern(name)
            pattern = f"(?:{mentions._ABSENT_BEFORE}{core}|{core}{mentions._ABSENT_AFTER})"
        else:
            pattern = mentions._pattern(name) + (mentions._PRIMARY if modes.get("site") else "")
        (exact if name.isupper() and len(name) <= 4 else folded).append(pattern)
    tests = [re.compile("|".join(p), f).search for p, f in ((folded, re.I), (exact, 0)) if p]
    return frozenset(i for i, item in enumerate(kg.index.items) if any(t(item.statement) for t in tests))


@pytest.mark.parametrize("modes", [{}, {"site": True}, {"stems": True}, {"absent": True}], ids=str)
def test_the_index_finds_what_a_full_scan_finds(kg_full, modes) -> None:
    names = _names(kg_full)
    rng = random.Random(20261203)
    groups = [[name] for name in rng.sample(names, 25)] + [rng.sample(names, 3) for _ in range(5)]
    found_any = False
    for group in groups:
        expected = _full_scan(kg_full, group, **modes)
        assert statement_mentions(kg_full, group, **modes) == expected, group
        found_any |= bool(expected)
    assert found_any  # the sample names statements at all
