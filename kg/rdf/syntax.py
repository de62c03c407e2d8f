"""The two line-based syntaxes the emitter writes directly: N-Triples and Turtle.

A :class:`Syntax` renders terms (IRIs, typed-literal suffixes, predicates)
and assembles one subject's ``"predicate object"`` parts into text. IRIs are
checked (:func:`kg.rdf.escape.iri_problem`) and rendered once, then cached:
an export renders the same few thousand IRIs hundreds of thousands of times.

N-Triples writes every IRI in full, one triple per line. Turtle declares the
prefixes of :func:`kg.rdf.prefixes.export_prefixes`, shortens IRIs where that
is safe, writes ``a`` for ``rdf:type`` and groups a subject's triples with
``;``. Literal escaping is the same in both (:func:`kg.rdf.escape.escape_literal`).
"""

from __future__ import annotations

from kg.core.identifiers import own_prefixes
from kg.rdf.escape import UnwritableError, iri_problem
from kg.rdf.namespace import RDF
from kg.rdf.prefixes import IriShortener, export_prefixes, is_safe_local

__all__ = ["NTRIPLES", "TURTLE", "NTriplesSyntax", "Syntax", "TurtleSyntax"]

_RDF_TYPE = str(RDF.type)
_CACHE_LIMIT = 2_000_000


class Syntax:
    """Rendering rules of one syntax; subclasses say how IRIs look and how a subject's triples are joined."""

    name = "abstract"
    media_type = ""

    def __init__(self) -> None:
        self._iris: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        """The IRI as written in this syntax (checked once, cached)."""
        rendered = self._iris.get(iri)
        if rendered is None:
            problem = iri_problem(iri)
            if problem is not None:
                raise UnwritableError(problem)
            rendered = self._render_iri(iri)
            if len(self._iris) < _CACHE_LIMIT:
                self._iris[iri] = rendered
        return rendered

    def predicate(self, iri: str) -> str:
        """A predicate as written (Turtle writes ``a`` for ``rdf:type``)."""
        return self.iri(iri)

    def own_id(self, _curie: str, iri: str) -> str:
        """One of our ids (the CURIE, whose IRI is ``iri``) as written; not cached here (the emitter caches)."""
        return self.iri(iri)

    def datatype_suffix(self, datatype: str) -> str:
        """What follows a typed literal's closing quote: ``^^<...>`` or ``^^xsd:decimal``."""
        return "^^" + self.iri(datatype)

    def header(self) -> str:
        """Text before the first triple."""
        return ""

    def _render_iri(self, iri: str) -> str:
        return f"<{iri}>"

    def block(self, subject: str, parts: list[str]) -> str:
        """One subject's triples, from its ``"predicate object"`` parts."""
        raise NotImplementedError


class NTriplesSyntax(Syntax):
    """N-Triples: one ``<s> <p> o .`` line per triple, every IRI in full."""

    name = "nt"
    media_type = "application/n-triples"

    def block(self, subject: str, parts: list[str]) -> str:
        head = subject + " "
        return head + (" .\n" + head).join(parts) + " .\n"


class TurtleSyntax(Syntax):
    """Turtle: prefixes, shortened IRIs, ``a``, and one statement per subject joined with ``;``."""

    name = "turtle"
    media_type = "text/turtle"

    def __init__(self) -> None:
        super().__init__()
        self._shortener = IriShortener()
        self._own_prefixes = frozenset(own_prefixes())

    def iri(self, iri: str) -> str:
        rendered = self._iris.get(iri)
        if rendered is None:
            # A shortened name only holds letters, digits, _ . - after a declared namespace: always a valid IRI.
            rendered = self._shortener.shorten(iri) or super().iri(iri)
            if len(self._iris) < _CACHE_LIMIT:
                self._iris[iri] = rendered
        return rendered

    def own_id(self, curie: str, iri: str) -> str:
        # Our CURIE is already the prefixed name when its local part is a plain name (most are).
        prefix, _, local = curie.partition(":")
        if prefix in self._own_prefixes and is_safe_local(local):
            return curie
        return self.iri(iri)

    def predicate(self, iri: str) -> str:
        return "a" if iri == _RDF_TYPE else self.iri(iri)

    def header(self) -> str:
        return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in export_prefixes().items()) + "\n"

    def block(self, subject: str, parts: list[str]) -> str:
        return subject + " " + " ;\n    ".join(parts) + " .\n"


def NTRIPLES() -> NTriplesSyntax:
    """A fresh N-Triples syntax (its caches live as long as one export)."""
    return NTriplesSyntax()


def TURTLE() -> TurtleSyntax:
    """A fresh Turtle syntax (its caches live as long as one export)."""
    return TurtleSyntax()
