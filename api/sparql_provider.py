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

With ``sparql_endpoint`` set, nothing is built: the background step inspects
the external engine instead (reachable, the data version its store declares
against this app's, its row cap) and starts the workers that query it. A
store of another version fails that step (503 on ``/sparql`` and
``/health``) unless ``sparql_allow_version_mismatch``; while serving, the
version is read again every few seconds (:meth:`SparqlService.verify`), so a
store that changes under a running replica takes it out of a balancer's
rotation instead of answering from other data.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import threading
import time
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from api.export_cache import ExportCache
from api.settings import ApiSettings
from kg.sparql.endpoint import EndpointSpec
from kg.sparql.errors import SparqlError

if TYPE_CHECKING:
    from kg.sparql.service import SparqlService

__all__ = ["SparqlProvider", "store_key"]

logger = logging.getLogger("api.sparql")

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")
#: How often an external engine that could not be set up is tried again.
_RETRY_EXTERNAL_S = 5.0


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
        """Start the background build if it has not started; return its future (never blocks).

        An external engine that could not be set up (unreachable, wrong data
        version) is tried again, at most every few seconds: it may come back.
        """
        with self._lock:
            failed = self._future is not None and self._future.done() and self._future.exception() is not None
            if failed and self.external and time.monotonic() - (self._started_at or 0.0) >= _RETRY_EXTERNAL_S:
                self._future = None
            if self._future is None:
                self._future = Future()
                self._future.set_running_or_notify_cancel()  # nobody may cancel a shared build
                self._started_at = time.monotonic()
                threading.Thread(target=self._build, args=(self._future,), name="sparql-store", daemon=True).start()
            return self._future

    @property
    def external(self) -> bool:
        """Whether an external engine answers (``sparql_endpoint``), not the embedded store."""
        return self.settings.sparql_endpoint is not None

    def endpoint_spec(self) -> EndpointSpec:
        """The external endpoint of the settings (a bad URL is a ``ValueError`` naming it)."""
        return self.settings.endpoint_spec()

    def version_options(self) -> dict[str, Any]:
        """The data version the store must declare: this app's graph's (waits for it to load)."""
        return {
            "expected_version": self.exports.kg.version,
            "allow_version_mismatch": self.settings.sparql_allow_version_mismatch,
        }

    def _build(self, future: Future[SparqlService]) -> None:
        # Imported here, in the build thread: pyoxigraph, httpx and the worker pool
        # are not needed before the first SPARQL store is, and start-up stays fast.
        from kg.sparql.service import SparqlService

        try:
            settings = self.settings
            options: dict[str, Any] = {
                "timeout_s": settings.sparql_timeout_s,
                "max_rows": settings.sparql_max_rows,
                "workers": settings.sparql_workers,
                "max_query_bytes": settings.sparql_max_query_bytes,
            }
            if settings.sparql_queue_timeout_s is not None:
                options["queue_timeout_s"] = settings.sparql_queue_timeout_s
            if self.external:
                service = SparqlService(self.endpoint_spec(), **options, **self.version_options())
            else:
                ntriples = self.exports.get("nt").body
                key = store_key(self.exports.kg.version, ntriples)
                service = SparqlService.from_ntriples(
                    settings.store_root(), key, ntriples, **options, **self.version_options()
                )
            with self._lock:
                abandoned = self._future is not future  # closed while building
            if abandoned:
                service.close()
                logger.info("SPARQL store built after the app shut down; its workers were stopped")
                future.set_exception(RuntimeError("the app shut down while the SPARQL store was being built"))
                return
            logger.info("SPARQL store ready: %s", service.describe().as_dict())
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
        service = future.result()
        if service.needs_verification():
            await run_in_threadpool(service.verify)  # a SparqlError (503) while the store is wrong or away
        return service

    async def health(self) -> dict[str, Any]:
        """:meth:`status`, after checking an external store again when that is due.

        Raises a 503 :class:`ApiError` while an external store is still being
        checked, and when it is unreachable, declares another data version or
        could not be set up: a replica that cannot answer from the right data
        must stay out of a balancer's rotation. The embedded store only reports.
        """
        if self.external and not self._closed:
            if not self.start().done():
                raise ApiError(
                    503,
                    "sparql_store_building",
                    "the external SPARQL store is still being checked; retry in a few seconds",
                    headers={"Retry-After": "5"},
                )
            try:
                await self.service()
            except SparqlError as error:
                raise ApiError(503, error.code, error.message, headers={"Retry-After": "5"}) from None
        return self.status()

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
        described = service.describe()
        return {
            "state": "ready",
            "engine": described.engine,
            "engine_version": described.engine_version,
            "endpoint": described.endpoint,
            "graph": described.graph,
            "data_version": described.data_version,
            "triples": described.triples,
            "timeout_s": service.timeout_s,
            "max_rows": service.max_rows,
        }
