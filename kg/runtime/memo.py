"""The knowledge graph's one memo: bounded tables of values derived from an immutable graph.

A loaded knowledge graph never changes, so anything computed from it alone
(an evidence item's payload, an explanation, a union of posting sets, a
laid-out view, health counts) can be kept for as long as the graph lives.
Every such cache is a :class:`MemoTable` of the graph's :class:`Memo`
(``kg.memo``), declared by the module that uses it as a typed
:class:`MemoSpec` with its bound::

    PAYLOADS: MemoSpec[str, dict[str, Any]] = MemoSpec("evidence payloads", max_entries=1_000_000)
    payload = kg.memo.table(PAYLOADS).get_or_compute(item_id, lambda: build(item_id))

so the caches are found in one place (``kg.memo.describe()`` lists them
with their sizes), die with their graph (nothing global keeps a dead graph
or index alive, as an ``lru_cache`` keyed by the graph would), and are
cleared together (``kg.memo.clear()``: what a benchmark of first-time
answers does).

Each table is a least-recently-used map bounded in entries. Tables are
shared by the event loop and the threadpool of the API, so each has a
lock; :meth:`MemoTable.compute_once` also makes concurrent requests for the
same missing key wait for one computation (a large view takes seconds to
lay out), without blocking requests for other keys.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

__all__ = ["Memo", "MemoSpec", "MemoTable", "union_of_postings"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class MemoSpec(Generic[K, V]):
    """The declaration of one per-graph cache: its name (unique per memo) and its bound."""

    name: str
    max_entries: int

    def __post_init__(self) -> None:
        if self.max_entries < 1:
            raise ValueError(f"memo table {self.name!r}: max_entries must be ≥ 1, not {self.max_entries}")


class MemoTable(Generic[K, V]):
    """A least-recently-used map bounded in entries; ``None`` is not a storable value."""

    def __init__(self, spec: MemoSpec[K, V]) -> None:
        self.spec = spec
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[K, threading.Lock] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        """The value kept for ``key`` (marked recently used), or None."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def get_many(self, keys: list[K]) -> list[V | None]:
        """The values kept for ``keys`` (each marked recently used; None where missing), under one lock.

        An answer page looks up tens of parts at once: one lock for all.
        """
        found: list[V | None] = []
        append = found.append
        with self._lock:
            get = self._entries.get
            move = self._entries.move_to_end
            for key in keys:  # one pass: each key is looked up, then marked, while its hash is fresh
                value = get(key)
                if value is not None:
                    move(key)
                append(value)
        return found

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` for ``key`` (evicting the least recently used beyond the bound); returns ``value``."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.spec.max_entries:
                self._entries.popitem(last=False)
        return value

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        """The kept value, or ``compute()`` kept (two threads missing at once may both compute: cheap values)."""
        value = self.get(key)
        return self.put(key, compute()) if value is None else value

    def compute_once(self, key: K, compute: Callable[[], V]) -> V:
        """Like :meth:`get_or_compute`, but concurrent misses of one key wait for a single computation."""
        value = self.get(key)
        if value is not None:
            return value
        with self._lock:
            pending = self._pending.setdefault(key, threading.Lock())
        with pending:
            value = self.get(key)
            if value is not None:
                return value
            try:
                return self.put(key, compute())
            finally:
                with self._lock:
                    self._pending.pop(key, None)

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._entries.clear()


class Memo:
    """Every per-graph cache of one knowledge graph, as named, bounded tables (see the module docstring)."""

    def __init__(self) -> None:
        self._tables: dict[str, MemoTable[Any, Any]] = {}
        self._lock = threading.Lock()

    def table(self, spec: MemoSpec[K, V]) -> MemoTable[K, V]:
        """The table declared by ``spec`` (created empty on first use)."""
        table = self._tables.get(spec.name)
        if table is None:
            with self._lock:
                table = self._tables.setdefault(spec.name, MemoTable(spec))
        if table.spec is not spec and table.spec != spec:  # identity first: a spec is a module constant
            raise ValueError(f"memo table {spec.name!r} is declared twice: {table.spec} and {spec}")
        return cast("MemoTable[K, V]", table)

    def clear(self) -> None:
        """Forget every kept value of every table (the tables stay declared)."""
        with self._lock:
            tables = list(self._tables.values())
        for table in tables:
            table.clear()

    def describe(self) -> dict[str, dict[str, int]]:
        """Per table: how many entries it holds and its bound."""
        return {
            name: {"entries": len(table), "max_entries": table.spec.max_entries}
            for name, table in sorted(self._tables.items())
        }


_EMPTY: frozenset[int] = frozenset()


def union_of_postings(
    postings: Mapping[str, frozenset[int]],
    table: str,
    terms: frozenset[str],
    unions: MemoTable[tuple[str, frozenset[str]], frozenset[int]],
) -> frozenset[int]:
    """The union of ``terms``' posting sets in one ``table`` of an index (item or group numbers).

    The posting set itself when only one term has any (posting sets are frozen when built, so they are shared,
    never copied); a union of several is kept in ``unions`` (hierarchies repeat the same unions).
    """
    sets = [found for found in map(postings.get, terms) if found]
    if not sets:
        return _EMPTY
    if len(sets) == 1:
        return sets[0]
    return unions.get_or_compute((table, terms), lambda: frozenset[int]().union(*sets))
