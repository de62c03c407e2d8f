"""The SPARQL service facade: one call from query text and Accept header to response bytes.

:class:`SparqlService` is what the HTTP router (``GET|POST /sparql``, SPARQL
1.1 Protocol) wraps. Everything it returns is ready to send:

* :meth:`SparqlService.query` gives a :class:`SparqlResult` whose ``body``
  and ``media_type`` go straight into the response, and whose
  :meth:`SparqlResult.headers` say whether the row cap cut the answer;
* everything that goes wrong raises a :class:`~kg.sparql.errors.SparqlError`
  carrying ``http_status`` (400 bad or forbidden query, 406 bad Accept, 503
  busy/unavailable, 504 timed out, 500 crash) and ``as_dict()`` for the JSON
  error body, so the router needs a single ``except SparqlError`` clause.

One interface, two stores: an on-disk pyoxigraph store built from the export
(the default; :class:`~kg.sparql.runner.QueryRunner`'s workers open it
read-only) or an external SPARQL 1.1 engine given by an
:class:`~kg.sparql.client.EndpointSpec` (the same workers query it over HTTP:
:mod:`kg.sparql.remote`). Either way the same guard runs before anything is
sent, the same row cap and formats apply, and the same time limit kills the
worker. :meth:`SparqlService.describe` says which engine answers, where, and
which data version its store declares; with ``expected_version`` a service
refuses (:class:`~kg.sparql.errors.DataVersionMismatchError`) a store of
another version unless ``allow_version_mismatch``, and :meth:`verify` repeats
that check on an external store, whose content can change under a running
server.

``query`` blocks its thread (not the GIL) until the answer; call it from a
threadpool (``def`` endpoint or ``run_in_threadpool``), never directly on the
event loop.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import asdict, dataclass, replace
from types import TracebackType
from typing import IO, Any

import pyoxigraph

from kg.sparql.client import EndpointClient, in_this_thread
from kg.sparql.endpoint import EndpointSpec
from kg.sparql.formats import ResultFormat, ensure_answerable
from kg.sparql.guard import DEFAULT_MAX_QUERY_BYTES, QueryForm, precheck
from kg.sparql.remote import inspect_endpoint, read_versions
from kg.sparql.runner import DEFAULT_MAX_ROWS, DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIMEOUT_S, DEFAULT_WORKERS, QueryRunner
from kg.sparql.store import StoreInfo, build_store
from kg.sparql.versions import VERSION_QUERY, check_version, versions_from_rows

__all__ = ["SparqlResult", "SparqlService", "StoreDescription"]

#: How long a verified external store's data version is trusted before :meth:`SparqlService.verify` reads it again.
DEFAULT_VERIFY_INTERVAL_S = 10.0
#: Time limit of the service's own small queries (data version, row-cap probe); no more than the query limit.
_CHECK_TIMEOUT_S = 30.0


@dataclass(frozen=True, slots=True)
class StoreDescription:
    """What answers the queries, for ``/health``.

    ``engine`` is ``pyoxigraph`` for the embedded store, else what the external
    engine's ``Server`` header said (``oxigraph``, ``virtuoso``, ``qlever``,
    ``sparql`` when not recognised); ``endpoint`` its URL (``None`` when
    embedded); ``data_versions`` every version the store declares (exactly one
    for a well-published store); ``data_version`` that one, else ``None``.
    """

    engine: str
    engine_version: str | None
    endpoint: str | None
    graph: str | None
    data_versions: tuple[str, ...]
    triples: int | None = None

    @property
    def data_version(self) -> str | None:
        return self.data_versions[0] if len(self.data_versions) == 1 else None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["data_versions"] = list(self.data_versions)
        data["data_version"] = self.data_version
        return data


@dataclass(frozen=True, slots=True)
class SparqlResult:
    """A complete, serialized answer.

    ``row_count`` is the number of solutions (SELECT) or triples
    (CONSTRUCT/DESCRIBE) in ``body``, ``None`` for ASK. ``truncated`` means the
    row cap ``row_limit`` cut the answer: more rows exist, and how many is
    not known. ``elapsed_ms`` is the wall time of the whole call.
    """

    body: bytes
    media_type: str
    truncated: bool
    row_count: int | None
    elapsed_ms: float
    row_limit: int
    query_form: QueryForm

    def headers(self) -> dict[str, str]:
        """Response headers for this answer: content type, and the row cap when it applied."""
        headers = {"Content-Type": self.media_type, "Vary": "Accept"}
        if self.row_count is not None:
            headers["X-SPARQL-Row-Count"] = str(self.row_count)
        if self.truncated:
            headers["X-SPARQL-Truncated"] = "true"
            headers["X-SPARQL-Row-Limit"] = str(self.row_limit)
            headers["Warning"] = f'199 - "result truncated to the first {self.row_limit} rows"'
        return headers


def _versions_in(body: bytes) -> list[str]:
    results = pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)
    assert isinstance(results, pyoxigraph.QuerySolutions)
    return versions_from_rows((row[0],) for row in results)


class SparqlService:
    """A read-only SPARQL 1.1 query service over an on-disk pyoxigraph store or an external engine.

    ``store`` is a store built by :func:`kg.sparql.store.build_store` (or use
    :meth:`from_ntriples`), or an :class:`EndpointSpec`: then the engine is
    inspected first (:func:`kg.sparql.remote.inspect_endpoint`: reachable,
    data version, row cap). ``expected_version`` is the data version this
    server serves; a store declaring anything else is refused unless
    ``allow_version_mismatch``. ``timeout_s`` is the hard wall-clock
    limit per query, ``max_rows`` the row cap, ``workers`` the number of
    queries that can run at once, ``max_query_bytes`` the longest accepted
    query text, ``queue_timeout_s`` the longest wait for a free worker
    (default ``timeout_s``), ``memory_limit_mb`` each worker's address-space
    cap. Close it (or use ``with``) to stop the worker processes.
    """

    def __init__(
        self,
        store: str | os.PathLike[str] | EndpointSpec,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        max_rows: int = DEFAULT_MAX_ROWS,
        workers: int = DEFAULT_WORKERS,
        max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
        queue_timeout_s: float | None = None,
        memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB,
        expected_version: str | None = None,
        allow_version_mismatch: bool = False,
        verify_interval_s: float = DEFAULT_VERIFY_INTERVAL_S,
    ) -> None:
        self.max_query_bytes = max_query_bytes
        self.expected_version = expected_version
        self.allow_version_mismatch = allow_version_mismatch
        self.verify_interval_s = verify_interval_s
        self._client: EndpointClient | None = None
        self._verified_at = time.monotonic()
        self._verify_lock = threading.Lock()
        check_s = min(_CHECK_TIMEOUT_S, timeout_s)
        if isinstance(store, EndpointSpec):
            report = inspect_endpoint(store, max_rows=max_rows, timeout_s=check_s)
            self._check(report.versions, report.spec.url)
            store = report.spec
            self._description = StoreDescription(
                report.engine.name, report.engine.version, store.url, store.default_graph, tuple(report.versions)
            )
        self._runner = QueryRunner(
            store,
            workers=workers,
            timeout_s=timeout_s,
            max_rows=max_rows,
            max_query_bytes=max_query_bytes,
            queue_timeout_s=queue_timeout_s,
            memory_limit_mb=memory_limit_mb,
        )
        if isinstance(store, EndpointSpec):
            self._client = EndpointClient(store, max_connections=1)  # for verify(); the workers have their own
        else:
            try:
                answer = self._runner.run(VERSION_QUERY, ResultFormat.JSON.value, timeout_s=check_s)
                versions = in_this_thread(lambda: _versions_in(answer.body))
                info = self._runner.info
                assert info is not None
                self._check(versions, str(info.path))
            except BaseException:
                self._runner.close()
                raise
            self._description = StoreDescription(
                "pyoxigraph", pyoxigraph.__version__, None, None, tuple(versions), info.triples
            )

    def _check(self, versions: list[str], where: str) -> None:
        if self.expected_version is not None:
            check_version(self.expected_version, versions, where, allow_mismatch=self.allow_version_mismatch)

    @classmethod
    def from_ntriples(
        cls,
        root: str | os.PathLike[str],
        data_version: str,
        ntriples: bytes | os.PathLike[str] | IO[bytes],
        **options: Any,
    ) -> SparqlService:
        """Build (or reuse) the store of ``data_version`` under ``root``, then serve it."""
        info = build_store(root, data_version, ntriples)
        return cls(info.path, **options)

    @property
    def info(self) -> StoreInfo | None:
        """The embedded store: its key, triple count, build time (``None`` for an external engine)."""
        return self._runner.info

    def describe(self) -> StoreDescription:
        """Which engine answers, where, and the data versions its store declared when last read."""
        return self._description

    def needs_verification(self) -> bool:
        """Whether :meth:`verify` would ask the store again (external, and checked too long ago)."""
        return self._client is not None and time.monotonic() - self._verified_at >= self.verify_interval_s

    def verify(self) -> StoreDescription:
        """Read an external store's data versions again, at most every ``verify_interval_s``; check them.

        An external engine can be reloaded, or a balancer can send us to
        another one, while this server runs: a store that no longer declares
        the expected version raises :class:`DataVersionMismatchError` (and an
        unreachable one :class:`StoreError`) on every call until it does again.
        The embedded store is immutable; for it this does nothing.
        """
        if self._client is None:
            return self._description
        with self._verify_lock:
            if time.monotonic() - self._verified_at >= self.verify_interval_s:
                versions = read_versions(self._client, timeout_s=min(_CHECK_TIMEOUT_S, self.timeout_s))
                self._description = replace(self._description, data_versions=tuple(versions))
                self._check(versions, self._client.spec.url)
                self._verified_at = time.monotonic()  # only a passing check is trusted for the interval
        return self._description

    @property
    def timeout_s(self) -> float:
        return self._runner.timeout_s

    @property
    def max_rows(self) -> int:
        return self._runner.max_rows

    @property
    def runner(self) -> QueryRunner:
        """The worker pool (for monitoring: ``worker_pids``)."""
        return self._runner

    def query(
        self,
        text: str,
        accept: str | None = None,
        *,
        timeout_s: float | None = None,
        max_rows: int | None = None,
    ) -> SparqlResult:
        """Run a SPARQL query and return the serialized answer in the negotiated format.

        ``accept`` is the request's Accept header (``None``: the default
        format). Raises a :class:`~kg.sparql.errors.SparqlError` subclass on
        any failure; see the module docstring for the HTTP mapping.
        """
        started = time.perf_counter()
        precheck(text, max_bytes=self.max_query_bytes)
        ensure_answerable(accept)
        execution = self._runner.run(text, accept, timeout_s=timeout_s, max_rows=max_rows)
        return SparqlResult(
            body=execution.body,
            media_type=execution.result_format.media_type,
            truncated=execution.truncated,
            row_count=execution.row_count,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            row_limit=execution.row_limit,
            query_form=execution.form,
        )

    def close(self) -> None:
        """Stop the worker processes (and drop the connection to an external engine); idempotent."""
        self._runner.close()
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> SparqlService:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
