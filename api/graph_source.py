"""The served knowledge graph: given up front, or loading in the background.

Loading the bundled data (curated corpus plus CIViC) takes seconds, and
``kg serve`` must answer its first request within 2 s of starting. With a
``loader``, :func:`api.app.create_app` returns at once and the graph loads in
a daemon thread: ``/health/ping`` answers immediately, and requests that need
the graph wait for it (asynchronously, up to ``graph_load_wait_s``) and then
get 503 with ``Retry-After``. A load that fails is logged and reported by
every request as a 503 naming the error, never as a 500.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future

from api.errors import ApiError
from kg.runtime.knowledge_graph import KnowledgeGraph

__all__ = ["GraphSource"]

logger = logging.getLogger("api")

Loader = Callable[[], KnowledgeGraph]


class GraphSource:
    """One knowledge graph, available now (``kg``) or after a background ``loader`` finishes."""

    def __init__(self, kg: KnowledgeGraph | None = None, loader: Loader | None = None) -> None:
        if kg is None and loader is None:
            raise ValueError("give a knowledge graph or a loader")
        self._future: Future[KnowledgeGraph] = Future()
        self._future.set_running_or_notify_cancel()
        self._loader = loader
        self._lock = threading.Lock()
        self._started = False
        if kg is not None:
            self._future.set_result(kg)
            self._started = True

    def start(self, on_loaded: Callable[[KnowledgeGraph], None] | None = None) -> None:
        """Start loading in a daemon thread (idempotent); ``on_loaded`` runs with the graph once loaded."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._load, args=(on_loaded,), name="kg-load", daemon=True).start()

    def _load(self, on_loaded: Callable[[KnowledgeGraph], None] | None) -> None:
        assert self._loader is not None
        try:
            kg = self._loader()
            if on_loaded is not None:
                on_loaded(kg)
        except BaseException as error:
            logger.exception("loading the knowledge graph failed")
            self._future.set_exception(error)
            return
        logger.info("knowledge graph %s loaded", kg.version)
        self._future.set_result(kg)

    @property
    def loaded(self) -> KnowledgeGraph | None:
        """The graph if it is ready, else None (never blocks)."""
        if self._future.done() and self._future.exception() is None:
            return self._future.result()
        return None

    def state(self) -> str:
        """``ready``, ``loading`` or ``failed``."""
        if not self._future.done():
            return "loading"
        return "failed" if self._future.exception() is not None else "ready"

    def _unavailable(self) -> ApiError:
        error = self._future.exception() if self._future.done() else None
        if error is not None:
            return ApiError(
                503,
                "data_unavailable",
                f"the knowledge graph could not be loaded: {type(error).__name__}: {error}",
            )
        return ApiError(
            503, "loading", "the knowledge graph is still loading; retry in a few seconds", headers={"Retry-After": "2"}
        )

    def wait(self, timeout: float) -> KnowledgeGraph:
        """Block (in a worker thread) until the graph is ready; 503 :class:`ApiError` after ``timeout``."""
        try:
            return self._future.result(timeout=timeout)
        except Exception:
            raise self._unavailable() from None

    async def get(self, timeout: float) -> KnowledgeGraph:
        """Wait without blocking the event loop until the graph is ready; 503 :class:`ApiError` after ``timeout``."""
        ready = self.loaded
        if ready is not None:
            return ready
        if not self._future.done():
            # Timed out, or the load failed: either way reported below from the future.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(self._future)), timeout=timeout)
        ready = self.loaded
        if ready is None:
            raise self._unavailable()
        return ready
