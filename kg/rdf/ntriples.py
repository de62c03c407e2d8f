"""The N-Triples writer: the triple stream rendered line by line, as fast as Python strings go.

No rdflib graph is built (see :mod:`kg.rdf.terms`); IRIs are rendered and
checked once and cached, literals are escaped only when they need it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg.rdf.escape import UnwritableError, escape_literal, iri_problem
from kg.rdf.terms import IRI, LITERAL, TYPED, Block

__all__ = ["TripleCounter", "ntriples_chunks"]

_CHUNK_LINES = 20_000


class TripleCounter:
    """Counts the triples a writer renders (for the export report)."""

    __slots__ = ("triples",)

    def __init__(self) -> None:
        self.triples = 0


class IriRenderer:
    """``<iri>`` with the IRI checked once; cached."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        rendered = self._cache.get(iri)
        if rendered is None:
            problem = iri_problem(iri)
            if problem is not None:
                raise UnwritableError(problem)
            rendered = f"<{iri}>"
            if len(self._cache) < 2_000_000:
                self._cache[iri] = rendered
        return rendered


def ntriples_chunks(blocks: Iterable[Block], counter: TripleCounter | None = None) -> Iterator[str]:
    """N-Triples text of ``blocks``, in chunks of about 20,000 lines."""
    iri = IriRenderer()
    escape = escape_literal
    lines: list[str] = []
    append = lines.append
    count = 0
    for subject, triples in blocks:
        s = iri(subject[1]) if subject[0] == IRI else "_:" + subject[1]
        for predicate, term in triples:
            kind = term[0]
            if kind == IRI:
                o = iri(term[1])
            elif kind == LITERAL:
                o = '"' + escape(term[1]) + '"'
            elif kind == TYPED:
                o = '"' + escape(term[1]) + '"^^' + iri(term[2])
            else:
                o = "_:" + term[1]
            append(f"{s} {iri(predicate)} {o} .\n")
        count += len(triples)
        if len(lines) >= _CHUNK_LINES:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)
    if counter is not None:
        counter.triples += count
