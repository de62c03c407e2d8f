"""A deterministic synthetic corpus: the real one (seed paper + CIViC) scaled by replication.

``synthetic_corpus(10)`` is the bundled corpus plus nine replicas. Each
replica copies every evidence item, source, study (with its arms),
population, outcome and assertion under fresh ids (``ev:civic-1041-r3``),
with every reference between replicated records rewired to the same replica,
and with varied numbers: outcome values, intervals, ranges, counts and
p-values are multiplied by a per-item factor in [0.85, 1.0] (kept at the
published precision), so CI lower ≤ value ≤ CI upper and k ≤ n still hold;
the numbers stated in the statement and quote are rewritten to match.
Study and population sizes vary the same way; study names get a replica
suffix (studies are named entities and must stay unambiguous).

The entity vocabulary (drugs, genes, alterations, molecular profiles,
diseases, registries) and the one patient case are shared, not copied:
a larger knowledge base about the same oncology has more evidence about
the same entities, so every question finds ``scale`` times more items.

Records are built with ``model_copy(update=...)`` (no re-validation: 440,000
items validate in minutes, copy in seconds), and share their equal
field-name sets as the loader's records do (:func:`kg.core.bulk.share_field_sets`,
applied by :mod:`kg.curation.cache`), but they are valid: replicated
sources have no text file, so replicated quotes carry a locator, and an item
whose varied numbers would break a rule keeps the original numbers.
``tests/test_benchmarks_smoke.py`` re-validates a sample with pydantic and
runs the cross-record rules over a small replicated corpus.

This is the project's one synthetic corpus: the scaled benchmarks use
:func:`synthetic_corpus` by scale, the graph view's size tests and
benchmarks use :func:`synthetic_knowledge_graph` by node count, and the
SPARQL service benchmark loads the export of such a graph.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from kg.core.bulk import FieldSetPool
from kg.core.text import number_text, numbers_in_text
from kg.model import Assertion, Corpus, EvidenceItem, Outcome, Population, Record, Source, Study
from kg.model.base import Quote

if TYPE_CHECKING:
    from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["BASES", "base_corpus", "replicate", "synthetic_corpus", "synthetic_knowledge_graph"]

#: Base corpora: the whole bundled knowledge base, or the curated seed paper and registries only (fast, for smoke tests).
BASES = ("full", "curated")

_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
_OUTCOME_DECIMALS = ("value", "range_low", "range_high", "ci_lower", "ci_upper", "p_value")
_OUTCOME_INTEGERS = ("numerator", "denominator")


def base_corpus(base: str = "full") -> Corpus:
    """The real corpus to scale: ``full`` (curated + CIViC, via ``load_corpus``) or ``curated``."""
    from kg.curation.assemble import load_corpus
    from kg.curation.load import load_curated

    if base == "full":
        return load_corpus()
    if base == "curated":
        return load_curated()
    raise ValueError(f"unknown base {base!r}; expected one of {', '.join(BASES)}")


def synthetic_corpus(scale: int, base: str | Corpus = "full") -> Corpus:
    """The base corpus plus ``scale - 1`` replicas (``scale=1`` is the base itself)."""
    if scale < 1 or int(scale) != scale:
        raise ValueError(f"scale must be a whole number ≥ 1, not {scale!r}")
    corpus = base_corpus(base) if isinstance(base, str) else base
    if scale == 1:
        return corpus
    scaled = Corpus(texts=dict(corpus.texts), version=f"{corpus.version}+synthetic-x{scale}")
    for record in corpus:
        scaled.add(record)
    for copy in range(1, int(scale)):
        for record in replicate(corpus, copy):
            scaled.add(record)
    return scaled


def replica_nodes(corpus: Corpus) -> int:
    """Graph nodes one replica adds: its sources, studies and arms, populations, items and outcomes, assertions."""
    return (
        len(corpus.sources)
        + sum(1 + len(study.arms) for study in corpus.studies.values())
        + len(corpus.populations)
        + sum(1 + len(item.outcomes) for item in corpus.evidence.values())
        + len(corpus.assertions)
    )


def synthetic_knowledge_graph(nodes: int, base: str | Corpus = "curated") -> KnowledgeGraph:
    """The base corpus replicated just enough for its graph to have at least ``nodes`` nodes.

    The graph has the shape of the real one (entities shared by many items,
    sources quoted by many, the seed question's entities), so a view drawn
    from it behaves like a view of the real graph; a view of exactly ``n``
    nodes is this graph drawn with ``max_nodes=n``.
    """
    from kg.runtime.knowledge_graph import KnowledgeGraph

    corpus = base_corpus(base) if isinstance(base, str) else base
    size = KnowledgeGraph.from_corpus(corpus).graph.number_of_nodes()
    scale = 1 + max(0, math.ceil((nodes - size) / replica_nodes(corpus)))
    return KnowledgeGraph.from_corpus(synthetic_corpus(scale, corpus))


# -- ids --------------------------------------------------------------------------------------
def _fresh(copy: int) -> Callable[[str], str]:
    suffix = f"-r{copy}"

    def fresh(record_id: str) -> str:
        return record_id + suffix

    return fresh


def _fresh_opt(fresh: Callable[[str], str], value: str | None) -> str | None:
    return None if value is None else fresh(value)


def _distinct(text: str) -> str:
    """An equal but separate string object (a real larger corpus does not share its texts)."""
    return (text + " ")[:-1]


# -- numbers ----------------------------------------------------------------------------------
def _factor(copy: int, index: int) -> Decimal:
    """A deterministic factor in [0.85, 1.00] for one item of one replica."""
    return Decimal(100 - (copy * 7919 + index * 104729) % 16) / 100


def _scale_decimal(value: Decimal, factor: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent > 0:
        return value
    return (value * factor).quantize(Decimal(1).scaleb(exponent))


def _scale_int(value: int, factor: Decimal, minimum: int) -> int:
    return max(minimum, int((value * factor).to_integral_value()))


def _consistent(outcome: dict[str, Any]) -> bool:
    def get(name: str) -> Any:
        return outcome.get(name)

    lower, upper, value = get("ci_lower"), get("ci_upper"), get("value")
    if (
        lower is not None
        and upper is not None
        and (lower > upper or (value is not None and not lower <= value <= upper))
    ):
        return False
    low, high = get("range_low"), get("range_high")
    if low is not None and high is not None and low > high:
        return False
    k, n = get("numerator"), get("denominator")
    if k is not None and n is not None and (k > n or n < 1 or k < 0):
        return False
    p = get("p_value")
    return p is None or Decimal(0) <= p <= Decimal(1)


def _varied_outcomes(item: EvidenceItem, factor: Decimal) -> tuple[list[dict[str, Any]], dict[str, str]] | None:
    """New number fields per outcome, and old → new number text; None when a rule would break."""
    frozen = {number_text(o.ci_level) for o in item.outcomes if o.ci_level is not None}
    changes: list[dict[str, Any]] = []
    texts: dict[str, str] = {}
    for outcome in item.outcomes:
        update: dict[str, Any] = {}
        for name in _OUTCOME_DECIMALS:
            old = getattr(outcome, name)
            if old is not None and number_text(old) not in frozen:
                update[name] = _scale_decimal(old, factor)
        for name in _OUTCOME_INTEGERS:
            old = getattr(outcome, name)
            if old is not None and number_text(old) not in frozen:
                update[name] = _scale_int(old, factor, 1 if name == "denominator" else 0)
        merged = {**{n: getattr(outcome, n) for n in (*_OUTCOME_DECIMALS, *_OUTCOME_INTEGERS)}, **update}
        if not _consistent(merged):
            return None
        for name, new in update.items():
            old_text, new_text = number_text(getattr(outcome, name)), number_text(new)
            if texts.setdefault(old_text, new_text) != new_text:
                return None  # one number text would need two replacements
        changes.append(update)
    return changes, texts


def _rewrite_numbers(text: str, texts: dict[str, str]) -> str:
    return _NUMBER.sub(lambda m: texts.get(m.group(), m.group()), text)


# -- records ----------------------------------------------------------------------------------
_POOL = FieldSetPool()
M = TypeVar("M", bound=BaseModel)


def _pooled(model: M) -> M:
    """``model`` with the pool's shared field-name set (copies get a set of their own)."""
    _POOL.share(model)
    return model


def _quote(quote: Quote, fresh: Callable[[str], str], copy: int, text: str | None = None) -> Quote:
    return _pooled(
        quote.model_copy(
            update={
                "source": fresh(quote.source),
                "text": _distinct(quote.text) if text is None else text,
                "locator": quote.locator or f"synthetic replica {copy} of {quote.source}",
            }
        )
    )


def _source(record: Source, fresh: Callable[[str], str]) -> Source:
    return _pooled(
        record.model_copy(
            update={
                "id": fresh(record.id),
                "reported_in": _fresh_opt(fresh, record.reported_in),
                "text_file": None,  # replicated quotes are not in the original text (their numbers vary)
                "short_citation": _distinct(record.short_citation),
                "xrefs": tuple(_pooled(x.model_copy()) for x in record.xrefs),
            }
        )
    )


def _study(record: Study, fresh: Callable[[str], str], copy: int, factor: Decimal) -> Study:
    return _pooled(
        record.model_copy(
            update={
                "id": fresh(record.id),
                "name": f"{record.name} r{copy}",
                "sample_size": _scale_int(record.sample_size, factor, 1) if record.sample_size else record.sample_size,
                "arms": tuple(_pooled(arm.model_copy(update={"id": fresh(arm.id)})) for arm in record.arms),
                "sources": tuple(fresh(s) for s in record.sources),
                "provenance": tuple(_quote(q, fresh, copy) for q in record.provenance),
            }
        )
    )


def _population(record: Population, fresh: Callable[[str], str], copy: int, factor: Decimal) -> Population:
    return _pooled(
        record.model_copy(
            update={
                "id": fresh(record.id),
                "study": _fresh_opt(fresh, record.study),
                "parent": _fresh_opt(fresh, record.parent),
                "size": _scale_int(record.size, factor, 1) if record.size else record.size,
                "provenance": tuple(_quote(q, fresh, copy) for q in record.provenance),
            }
        )
    )


def _outcome(outcome: Outcome, fresh: Callable[[str], str], update: dict[str, Any]) -> Outcome:
    return _pooled(
        outcome.model_copy(
            update={
                **update,
                "arm": _fresh_opt(fresh, outcome.arm),
                "comparator_arm": _fresh_opt(fresh, outcome.comparator_arm),
                "population": _fresh_opt(fresh, outcome.population),
            }
        )
    )


def _evidence(item: EvidenceItem, fresh: Callable[[str], str], copy: int, index: int) -> EvidenceItem:
    statement, quote_text = _distinct(item.statement), None
    changes: list[dict[str, Any]] = [{} for _ in item.outcomes]
    if item.outcomes:
        varied = _varied_outcomes(item, _factor(copy, index))
        if varied is not None:
            new_changes, texts = varied
            new_statement = _rewrite_numbers(item.statement, texts)
            new_quote = _rewrite_numbers(item.quote.text, texts)
            stated = numbers_in_text(" … ".join((new_quote, *item.quote.continuation)))
            if all(number_text(v) in stated for update in new_changes for v in update.values()):
                changes, statement, quote_text = new_changes, new_statement, new_quote
    return _pooled(
        item.model_copy(
            update={
                "id": fresh(item.id),
                "statement": statement,
                "study": _fresh_opt(fresh, item.study),
                "population": _fresh_opt(fresh, item.population),
                "outcomes": tuple(_outcome(o, fresh, u) for o, u in zip(item.outcomes, changes, strict=True)),
                "quote": _quote(item.quote, fresh, copy, quote_text),
                "cites": tuple(fresh(s) for s in item.cites),
                "xrefs": tuple(_pooled(x.model_copy()) for x in item.xrefs),
            }
        )
    )


def _assertion(record: Assertion, fresh: Callable[[str], str]) -> Assertion:
    return _pooled(
        record.model_copy(
            update={
                "id": fresh(record.id),
                "evidence_items": tuple(fresh(e) for e in record.evidence_items),
                "source": fresh(record.source),
            }
        )
    )


def replicate(corpus: Corpus, copy: int) -> Iterator[Record]:
    """Replica number ``copy`` (≥ 1) of the replicated record types, in section order."""
    fresh = _fresh(copy)
    for source in corpus.sources.values():
        yield _source(source, fresh)
    for index, study in enumerate(corpus.studies.values()):
        yield _study(study, fresh, copy, _factor(copy, index))
    for index, population in enumerate(corpus.populations.values()):
        yield _population(population, fresh, copy, _factor(copy, index))
    for index, item in enumerate(corpus.evidence.values()):
        yield _evidence(item, fresh, copy, index)
    for assertion in corpus.assertions.values():
        yield _assertion(assertion, fresh)
