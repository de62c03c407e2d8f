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

``query`` blocks its thread (not the GIL) until the answer; call it from a
threadpool (``def`` endpoint or ``run_in_threadpool``), never directly on the
event loop.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Any

from kg.sparql.formats import ensure_answerable
from kg.sparql.guard import DEFAULT_MAX_QUERY_BYTES, QueryForm, precheck
from kg.sparql.runner import DEFAULT_MAX_ROWS, DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIMEOUT_S, DEFAULT_WORKERS, QueryRunner
from kg.sparql.store import StoreInfo, build_store

__all__ = ["SparqlResult", "SparqlService"]


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


class SparqlService:
    """A read-only SPARQL 1.1 query service over an on-disk pyoxigraph store.

    ``store_dir`` is a store built by :func:`kg.sparql.store.build_store`
    (or use :meth:`from_ntriples`). ``timeout_s`` is the hard wall-clock
    limit per query, ``max_rows`` the row cap, ``workers`` the number of
    queries that can run at once, ``max_query_bytes`` the longest accepted
    query text, ``queue_timeout_s`` the longest wait for a free worker
    (default ``timeout_s``), ``memory_limit_mb`` each worker's address-space
    cap. Close it (or use ``with``) to stop the worker processes.
    """

    def __init__(
        self,
        store_dir: str | os.PathLike[str],
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        max_rows: int = DEFAULT_MAX_ROWS,
        workers: int = DEFAULT_WORKERS,
        max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
        queue_timeout_s: float | None = None,
        memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB,
    ) -> None:
        self.max_query_bytes = max_query_bytes
        self._runner = QueryRunner(
            store_dir,
            workers=workers,
            timeout_s=timeout_s,
            max_rows=max_rows,
            max_query_bytes=max_query_bytes,
            queue_timeout_s=queue_timeout_s,
            memory_limit_mb=memory_limit_mb,
        )

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
    def info(self) -> StoreInfo:
        """The served store: data version, triple count, build time."""
        return self._runner.info

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
        """Stop the worker processes; idempotent."""
        self._runner.close()

    def __enter__(self) -> SparqlService:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
