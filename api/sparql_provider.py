"""The SPARQL service of one app: built in the background, handed out when ready, closed on shutdown.

Building the store means serializing the graph to N-Triples (through
:class:`~api.export_cache.ExportCache`, so an N-Triples export request reuses
the bytes) and bulk-loading it into pyoxigraph, then starting the query
workers: seconds on a large graph. App start-up must stay fast (``kg serve``
answers within 2 s), so the build runs in a daemon thread, started by the
app's lifespan (``sparql_warm_start``) or by the first ``/sparql`` request.
A request that arrives during the build waits for it, up to
``sparql_build_wait_s``, without blocking the event loop, then gets 503
with ``Retry-After``.

The store is keyed by the data version *and* a hash of the N-Triples, so a
changed exporter never serves a stale store, while a restart with the same
data reuses the store on disk (:func:`kg.sparql.store.build_store`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import threading
import time
from concurrent.futures import Future
from typing import Any

from api.errors import ApiError
from api.export_cache import ExportCache
from api.settings import ApiSettings
from kg.sparql.errors import SparqlError
from kg.sparql.service import SparqlService

__all__ = ["SparqlProvider", "store_key"]

logger = logging.getLogger("api.sparql")

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")


def store_key(data_version: str, ntriples: bytes) -> str:
    """A directory-safe store key: the data version plus a hash of the N-Triples it was built from."""
    version = _UNSAFE.sub("-", data_version).strip("-.+") or "data"
    digest = hashlib.sha256(ntriples).hexdigest()[:12]
    return f"{version[:100]}+nt-{digest}"


class SparqlProvider:
    """Builds one :class:`SparqlService` for an app, at most once, and closes it."""

    def __init__(self, exports: ExportCache, settings: ApiSettings) -> None:
        self.exports = exports
        self.settings = settings
        self._lock = threading.Lock()
        self._future: Future[SparqlService] | None = None
        self._closed = False
        self._started_at: float | None = None

    # -- lifecycle -----------------------------------------------------------------

    def open(self) -> None:
        """Accept requests again after :meth:`close` (an app's lifespan can run more than once, e.g. in tests)."""
        with self._lock:
            self._closed = False

    def start(self) -> Future[SparqlService]:
        """Start the background build if it has not started; return its future (never blocks)."""
        with self._lock:
            if self._future is None:
                self._future = Future()
                self._future.set_running_or_notify_cancel()  # nobody may cancel a shared build
                self._started_at = time.monotonic()
                threading.Thread(target=self._build, args=(self._future,), name="sparql-store", daemon=True).start()
            return self._future

    def _build(self, future: Future[SparqlService]) -> None:
        try:
            ntriples = self.exports.get("nt").body
            settings = self.settings
            options: dict[str, Any] = {
                "timeout_s": settings.sparql_timeout_s,
                "max_rows": settings.sparql_max_rows,
                "workers": settings.sparql_workers,
                "max_query_bytes": settings.sparql_max_query_bytes,
            }
            if settings.sparql_queue_timeout_s is not None:
                options["queue_timeout_s"] = settings.sparql_queue_timeout_s
            key = store_key(self.exports.kg.version, ntriples)
            service = SparqlService.from_ntriples(settings.store_root(), key, ntriples, **options)
            with self._lock:
                abandoned = self._future is not future  # closed while building
            if abandoned:
                service.close()
                logger.info("SPARQL store built after the app shut down; its workers were stopped")
                future.set_exception(RuntimeError("the app shut down while the SPARQL store was being built"))
                return
            logger.info("SPARQL store ready: %s triples (%s)", service.info.triples, service.info.path)
            future.set_result(service)
        except BaseException as error:
            logger.exception("building the SPARQL store failed")
            future.set_exception(error)

    def close(self) -> None:
        """Stop the query workers (if the service was built) and forget the service; idempotent.

        A later :meth:`open` and request start a new service over the same store
        on disk (reused, not rebuilt).
        """
        with self._lock:
            self._closed = True
            future, self._future = self._future, None
        if future is not None and future.done() and future.exception() is None:
            future.result().close()

    # -- use -----------------------------------------------------------------------

    async def service(self) -> SparqlService:
        """The ready service; waits (asynchronously) for a build in progress.

        Raises a 503 :class:`ApiError` while the store is still being built after
        ``sparql_build_wait_s``, or when building it failed.
        """
        if self._closed:
            raise ApiError(503, "service_closed", "the SPARQL service is shutting down", headers={"Retry-After": "5"})
        future = self.start()
        if not future.done():
            try:
                await asyncio.wait_for(
                    asyncio.shield(asyncio.wrap_future(future)), timeout=self.settings.sparql_build_wait_s
                )
            except TimeoutError:
                raise ApiError(
                    503,
                    "sparql_store_building",
                    "the SPARQL store is still being built; retry in a few seconds",
                    headers={"Retry-After": "5"},
                ) from None
            except BaseException:  # reported below from the future itself
                if not future.done():
                    raise
        error = future.exception()
        if error is not None and self._closed:
            raise ApiError(503, "service_closed", "the SPARQL service is shutting down", headers={"Retry-After": "5"})
        if error is not None:
            if isinstance(error, SparqlError):
                raise error
            raise ApiError(
                503,
                "sparql_unavailable",
                f"the SPARQL store could not be built: {type(error).__name__}: {error}",
            )
        return future.result()

    def status(self) -> dict[str, Any]:
        """State for /health: disabled, idle, building, ready or failed."""
        if not self.settings.sparql_enabled:
            return {"state": "disabled"}
        future = self._future
        if future is None:
            return {"state": "idle", "message": "the store is built on the first /sparql request"}
        if not future.done():
            waited = time.monotonic() - (self._started_at or time.monotonic())
            return {"state": "building", "message": f"building for {waited:.1f} s"}
        error = future.exception()
        if error is not None:
            return {"state": "failed", "message": f"{type(error).__name__}: {error}"}
        service = future.result()
        return {
            "state": "ready",
            "triples": service.info.triples,
            "timeout_s": service.timeout_s,
            "max_rows": service.max_rows,
        }
