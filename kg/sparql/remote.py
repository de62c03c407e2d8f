"""Run a guarded query on an external SPARQL engine, and check that engine before serving from it.

:func:`execute_remote` is the external-store twin of
:func:`kg.sparql.execute.execute`, and runs in the same killable worker
processes. It always asks the engine for one format it parses strictly (SPARQL
JSON results for SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE), streams the
body into pyoxigraph's parsers, keeps at most ``max_rows`` rows (one more is
read to know whether the cap cut anything, then the connection is dropped),
and serializes with the same functions as the embedded store: the formats,
the row cap and the truncation flag are the same whichever store answers,
down to the bytes. A body that does not parse to its end is never used: it
is the engine's own cancel (504) or a broken answer (502), never a shorter
answer passed off as complete.

:func:`inspect_endpoint` runs in the API process before any query is served:
it recognises the engine, reads the data versions the store declares
(:mod:`kg.sparql.versions`), and checks that the engine's own row cap cannot
silently cut an answer below ours (Virtuoso's ``ResultSetMaxRows`` cuts a
CONSTRUCT without saying so).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from itertools import islice

import pyoxigraph

from kg.sparql.client import N_TRIPLES, SPARQL_JSON, EndpointClient, EngineAnswer, in_this_thread
from kg.sparql.endpoint import EndpointSpec
from kg.sparql.engines import VIRTUOSO_ASK_VARIABLE, EngineInfo, canonical_rows, canonical_triples
from kg.sparql.errors import EngineError, StoreError
from kg.sparql.execute import Execution, serialize_boolean, serialize_solutions, serialize_triples
from kg.sparql.formats import ResultFormat
from kg.sparql.guard import GuardedQuery, QueryForm
from kg.sparql.versions import VERSION_QUERY, versions_from_rows

__all__ = ["EndpointReport", "execute_remote", "inspect_endpoint", "read_versions"]

_JSON = pyoxigraph.QueryResultsFormat.JSON


@dataclass(frozen=True, slots=True)
class EndpointReport:
    """What an endpoint is: ``spec`` with the recognised engine filled in, and the versions its store declares."""

    spec: EndpointSpec
    engine: EngineInfo
    versions: list[str]


def execute_remote(
    client: EndpointClient, query: GuardedQuery, result_format: ResultFormat, max_rows: int, timeout_s: float
) -> Execution:
    """Run ``query`` on the client's engine; serialize at most ``max_rows`` rows as ``result_format``.

    The caller must have guarded the query and negotiated a format that fits
    its form. Raises the client's errors, plus :class:`EngineError` for an
    answer of the wrong kind or one that does not parse whole.
    """
    if max_rows < 0:
        raise ValueError(f"max_rows must be >= 0, got {max_rows}")
    started = time.perf_counter()
    asked = N_TRIPLES if query.form.returns_graph else SPARQL_JSON
    with client.post(query.text, asked, timeout_s=timeout_s) as answer:
        answer.expect(asked)
        body, truncated, row_count = in_this_thread(
            lambda: _read(answer, client.spec.engine, query, result_format, max_rows)
        )
        engine_cap = answer.row_cap
    row_limit = max_rows
    if engine_cap is not None and row_count is not None and row_count >= engine_cap:
        # The engine says it stopped at its own cap: the answer is cut whatever ours is.
        truncated, row_limit = True, min(max_rows, engine_cap)
    return Execution(
        body=body,
        result_format=result_format,
        form=query.form,
        truncated=truncated,
        row_count=row_count,
        row_limit=row_limit,
        engine_ms=(time.perf_counter() - started) * 1000,
    )


def _read(
    answer: EngineAnswer, engine: str, query: GuardedQuery, result_format: ResultFormat, max_rows: int
) -> tuple[bytes, bool, int | None]:
    """Parse the answer as it streams in and serialize it: (body, whether the row cap cut it, rows)."""
    try:
        if query.form.returns_graph:
            parsed = (quad.triple for quad in pyoxigraph.parse(answer.body, format=pyoxigraph.RdfFormat.N_TRIPLES))
            return serialize_triples(canonical_triples(engine, parsed), result_format, max_rows, query.prefixes)
        results = pyoxigraph.parse_query_results(answer.body, format=_JSON)
        if query.form is QueryForm.ASK:
            return serialize_boolean(_boolean(results, answer), result_format), False, None
        if isinstance(results, pyoxigraph.QuerySolutions):
            rows = canonical_rows(engine, results)
            return serialize_solutions(results.variables, rows, result_format, max_rows)
        raise EngineError(answer.endpoint, f"a {query.form} query was answered with a boolean")
    except SyntaxError as error:
        raise answer.unreadable(error) from None


def _boolean(
    results: pyoxigraph.QueryBoolean | pyoxigraph.QuerySolutions | pyoxigraph.QueryTriples, answer: EngineAnswer
) -> pyoxigraph.QueryBoolean:
    """An ASK answer; Virtuoso's ``__ASK_RETVAL`` result set is read as the boolean it stands for.

    Virtuoso answers a true ASK with one row (``1``) and a false one with no row.
    """
    if isinstance(results, pyoxigraph.QueryBoolean):
        return results
    if isinstance(results, pyoxigraph.QuerySolutions):
        names = [variable.value for variable in results.variables]
        rows = list(islice(results, 2))  # reading past the one row also checks the body's end
        value = rows[0][0] if len(rows) == 1 else None
        known = not rows or (isinstance(value, pyoxigraph.Literal) and value.value in ("0", "1"))
        if names == [VIRTUOSO_ASK_VARIABLE] and known:
            truth = b"true" if isinstance(value, pyoxigraph.Literal) and value.value == "1" else b"false"
            parsed = pyoxigraph.parse_query_results(b'{"head":{},"boolean":' + truth + b"}", format=_JSON)
            assert isinstance(parsed, pyoxigraph.QueryBoolean)
            return parsed
    raise EngineError(answer.endpoint, "an ASK query was answered with something other than a boolean")


def read_versions(client: EndpointClient, *, timeout_s: float) -> list[str]:
    """The data versions the client's store declares (sorted; usually exactly one)."""
    return versions_from_rows(client.select(VERSION_QUERY, timeout_s=timeout_s).rows)


def inspect_endpoint(spec: EndpointSpec, *, max_rows: int, timeout_s: float) -> EndpointReport:
    """Recognise the engine at ``spec``, read its data versions, and check its row cap.

    Raises :class:`StoreError` when the engine cannot be reached, when a
    Virtuoso is asked without a graph (its default dataset is every graph it
    holds, its own system graphs included), and when the engine caps answers
    below ``max_rows + 1`` rows, which would let it cut an answer that the
    row cap then could not flag.
    """
    with EndpointClient(spec, max_connections=1) as client:
        versions = read_versions(client, timeout_s=timeout_s)
        engine = client.engine
        if "virtuoso" in (engine.name, spec.engine) and spec.default_graph is None:
            raise StoreError(
                f"{spec.url} is a Virtuoso, whose default dataset is the union of all its graphs (its system "
                "graphs included): give the graph of the published data (--sparql-graph, printed by kg publish virtuoso)"
            )
        if engine.name != "sparql" or spec.engine == "sparql":
            spec = replace(spec, engine=engine.name)  # else keep the engine named by the caller (a proxy hid it)
        client.spec = spec
        _check_row_cap(client, max_rows + 1, timeout_s)
    return EndpointReport(spec, engine, versions)


def _check_row_cap(client: EndpointClient, wanted: int, timeout_s: float) -> None:
    """Refuse an engine that returns fewer than ``wanted`` rows or triples while its store holds more."""
    url = client.spec.url
    advice = (
        f"raise the engine's own row cap above {wanted - 1} (Virtuoso: ResultSetMaxRows in [SPARQL]) "
        "or lower this server's row cap"
    )
    with client.post(f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {wanted}", SPARQL_JSON, timeout_s=timeout_s) as answer:
        answer.expect(SPARQL_JSON)
        if answer.row_cap is not None and answer.row_cap < wanted:  # said in a header: no need to read the rows
            raise StoreError(f"the SPARQL engine at {url} caps answers at {answer.row_cap} rows; {advice}")
        rows = in_this_thread(lambda: _count_rows(answer))
    if rows < wanted:
        count = client.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout_s=timeout_s).rows[0][0]
        if isinstance(count, pyoxigraph.Literal) and int(count.value) > rows:
            raise StoreError(f"the SPARQL engine at {url} returned {rows} of {count.value} rows; {advice}")
        return  # the store is smaller than the cap: nothing it holds can be cut
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {wanted}"
    with client.post(construct, N_TRIPLES, timeout_s=timeout_s) as answer:
        answer.expect(N_TRIPLES)
        triples = in_this_thread(lambda: _count_triples(answer))
    if triples < wanted:
        raise StoreError(f"the SPARQL engine at {url} cut a CONSTRUCT of {wanted} triples at {triples}; {advice}")


def _count_rows(answer: EngineAnswer) -> int:
    try:
        results = pyoxigraph.parse_query_results(answer.body, format=_JSON)
        return sum(1 for _ in results) if isinstance(results, pyoxigraph.QuerySolutions) else 0
    except SyntaxError as error:
        raise answer.unreadable(error) from None


def _count_triples(answer: EngineAnswer) -> int:
    try:
        return sum(1 for _ in pyoxigraph.parse(answer.body, format=pyoxigraph.RdfFormat.N_TRIPLES))
    except SyntaxError as error:
        raise answer.unreadable(error) from None
