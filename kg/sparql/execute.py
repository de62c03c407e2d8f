"""Run one guarded query on an open pyoxigraph store, with a row cap, and serialize it.

This is the part of a query's life that happens inside a worker process (see
:mod:`kg.sparql.worker`); it is a plain function so that it can be tested
and profiled in-process too.

Row cap: results are read lazily and reading stops after ``max_rows``
solutions (or triples), plus one more to know whether anything was cut off.
A capped answer says so (``truncated=True`` with the ``row_limit``); how
many rows the full answer would have had is not known, because computing it
is exactly the work the cap avoids.

The serializers are shared with :mod:`kg.sparql.remote`, which feeds them
an external engine's parsed answer, so both stores answer in identical bytes.

Serialization is pyoxigraph's. Its result-set serializers only write a whole
result iterator, so the kept rows are written as SPARQL TSV (each term in its
N-Triples form, as ``str(term)`` gives it) and read back with
:func:`pyoxigraph.parse_query_results` into a result set that pyoxigraph then
serializes in the requested format; TSV keeps every RDF term exactly.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

import pyoxigraph

from kg.sparql.errors import QueryExecutionError, QuerySyntaxError
from kg.sparql.formats import ResultFormat
from kg.sparql.guard import GuardedQuery, QueryForm

__all__ = ["Execution", "execute", "serialize_boolean", "serialize_solutions", "serialize_triples"]

_SOLUTION_FORMATS = {
    ResultFormat.JSON: pyoxigraph.QueryResultsFormat.JSON,
    ResultFormat.XML: pyoxigraph.QueryResultsFormat.XML,
    ResultFormat.CSV: pyoxigraph.QueryResultsFormat.CSV,
    ResultFormat.TSV: pyoxigraph.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    ResultFormat.TURTLE: pyoxigraph.RdfFormat.TURTLE,
    ResultFormat.N_TRIPLES: pyoxigraph.RdfFormat.N_TRIPLES,
}
_OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+)")
#: An RDF term as pyoxigraph gives it in a solution.
Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple


@dataclass(frozen=True, slots=True)
class Execution:
    """A serialized answer. ``row_count`` is the number of solutions or triples sent (None for ASK)."""

    body: bytes
    result_format: ResultFormat
    form: QueryForm
    truncated: bool
    row_count: int | None
    row_limit: int
    engine_ms: float


def execute(store: pyoxigraph.Store, query: GuardedQuery, result_format: ResultFormat, max_rows: int) -> Execution:
    """Evaluate ``query`` on ``store`` and serialize at most ``max_rows`` rows as ``result_format``.

    The caller must have guarded the query (:func:`kg.sparql.guard.guard_query`)
    and negotiated a format that fits its form. Raises
    :class:`QuerySyntaxError` when Oxigraph rejects a query rdflib accepted,
    :class:`QueryExecutionError` for failures during evaluation.
    """
    if max_rows < 0:
        raise ValueError(f"max_rows must be >= 0, got {max_rows}")
    if result_format.for_graphs != query.form.returns_graph:
        raise ValueError(f"{result_format.value} cannot serialize {query.form} results")
    started = time.perf_counter()
    try:
        results = store.query(query.text)
        if isinstance(results, pyoxigraph.QueryBoolean):
            body, truncated, row_count = serialize_boolean(results, result_format), False, None
        elif isinstance(results, pyoxigraph.QuerySolutions):
            body, truncated, row_count = serialize_solutions(results.variables, results, result_format, max_rows)
        else:
            body, truncated, row_count = serialize_triples(results, result_format, max_rows, query.prefixes)
    except SyntaxError as error:
        raise _oxigraph_syntax_error(error) from None
    except (OSError, ValueError, TypeError, RuntimeError) as error:
        raise QueryExecutionError(f"the query failed while running: {error}") from None
    return Execution(
        body=body or b"",
        result_format=result_format,
        form=query.form,
        truncated=truncated,
        row_count=row_count,
        row_limit=max_rows,
        engine_ms=(time.perf_counter() - started) * 1000,
    )


def serialize_boolean(result: pyoxigraph.QueryBoolean, result_format: ResultFormat) -> bytes:
    """An ASK answer in ``result_format``."""
    return result.serialize(format=_SOLUTION_FORMATS[result_format]) or b""


def serialize_solutions(
    variables: Sequence[pyoxigraph.Variable],
    rows: Iterable[Iterable[Term | None]],
    result_format: ResultFormat,
    max_rows: int,
) -> tuple[bytes, bool, int]:
    """At most ``max_rows`` solutions in ``result_format``: (body, whether more existed, rows kept).

    ``rows`` give their values in the order of ``variables`` (``None`` where
    unbound), as pyoxigraph's solutions do. One row past the cap is read and no
    further, so an engine's stream is left unread after it.
    """
    kept_rows = list(islice(rows, max_rows + 1))
    truncated = len(kept_rows) > max_rows
    del kept_rows[max_rows:]
    lines = ["\t".join(str(variable) for variable in variables)]
    for row in kept_rows:
        # str(term) is the N-Triples form, which escapes tabs and newlines in literals.
        lines.append("\t".join("" if value is None else str(value) for value in row))
    tsv = ("\n".join(lines) + "\n").encode("utf-8")
    kept = pyoxigraph.parse_query_results(tsv, format=pyoxigraph.QueryResultsFormat.TSV)
    return kept.serialize(format=_SOLUTION_FORMATS[result_format]) or b"", truncated, len(kept_rows)


def serialize_triples(
    results: Iterable[pyoxigraph.Triple],
    result_format: ResultFormat,
    max_rows: int,
    prefixes: tuple[tuple[str, str], ...],
) -> tuple[bytes, bool, int]:
    """At most ``max_rows`` triples in ``result_format`` (Turtle with the query's prefixes)."""
    triples = list(islice(results, max_rows + 1))
    truncated = len(triples) > max_rows
    del triples[max_rows:]
    body = pyoxigraph.serialize(
        triples,
        format=_GRAPH_FORMATS[result_format],
        prefixes=dict(prefixes) if result_format is ResultFormat.TURTLE and prefixes else None,
    )
    return body or b"", truncated, len(triples)


def _oxigraph_syntax_error(error: SyntaxError) -> QuerySyntaxError:
    message = str(error)
    position = _OXIGRAPH_POSITION.search(message)
    if position:
        line, column = int(position.group(1)), int(position.group(2))
        detail = _OXIGRAPH_POSITION.sub("", message, count=1).strip(" :") or message
        return QuerySyntaxError(f"{detail} (rejected by the query engine)", line, column)
    return QuerySyntaxError(f"{message} (rejected by the query engine)")
