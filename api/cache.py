"""Answers of /evidence and /ask cached as bytes, keyed by the exact request.

An app serves one immutable knowledge graph (one data version), so the
answer to a given query string never changes while the app lives. The
first request pays for resolution, ranking and serialization; a repeat
costs one dict lookup and skips even FastAPI's parameter validation, which
is what lets /evidence run near the speed of an endpoint returning constant
bytes. The cache is bounded both in entries and in bytes (a page of 500
results can weigh megabytes), only stores 200 answers, and says ``X-Cache:
hit`` / ``miss`` so benchmarks can tell the two paths apart.
"""

from __future__ import annotations

from collections import OrderedDict

from starlette.requests import Request
from starlette.responses import Response

from api.query_route import Handler, QueryRoute

__all__ = ["CachedRoute", "ResponseCache"]

#: Answers larger than this are not cached (they would evict many small ones).
MAX_ENTRY_BYTES = 1 << 20


class ResponseCache:
    """A least-recently-used map of request key → (body, media type), bounded in count and bytes.

    Only touched from the event loop thread, so it needs no lock.
    """

    def __init__(self, max_entries: int, max_bytes: int = 64 << 20) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, bytes], tuple[bytes, str]] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple[str, bytes]) -> tuple[bytes, str] | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: tuple[str, bytes], body: bytes, media_type: str) -> None:
        if self.max_entries <= 0 or len(body) > MAX_ENTRY_BYTES:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old[0])
        self._entries[key] = (body, media_type)
        self._bytes += len(body)
        while self._entries and (len(self._entries) > self.max_entries or self._bytes > self.max_bytes):
            _, (evicted, _) = self._entries.popitem(last=False)
            self._bytes -= len(evicted)


class CachedRoute(QueryRoute):
    """A :class:`~api.query_route.QueryRoute` that answers repeats of a successful GET from ``app.state.response_cache``.

    Validation, errors and the OpenAPI document are the route's own; only
    a 200 answer is stored, so an error is recomputed (and stays exact).
    """

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def cached_handler(request: Request) -> Response:
            cache: ResponseCache | None = getattr(request.app.state, "response_cache", None)
            if cache is None or request.method != "GET":
                return await handler(request)
            key = (request.scope["path"], request.scope["query_string"])
            entry = cache.get(key)
            if entry is not None:
                return Response(content=entry[0], media_type=entry[1], headers={"X-Cache": "hit"})
            response = await handler(request)
            if response.status_code == 200 and isinstance(response.body, bytes):
                cache.put(key, response.body, response.media_type or "application/json")
                response.headers["X-Cache"] = "miss"
            return response

        return cached_handler
