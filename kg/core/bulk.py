"""Bulk construction without garbage-collector pauses, and records that share their bookkeeping.

Building the graph or the index allocates hundreds of thousands of small,
long-lived objects; CPython's cyclic collector runs again and again while
they are created and finds nothing to free, which doubled build times here.
Pausing it for the duration of a bulk build (and collecting once after) is
the standard remedy.

Every pydantic record also carries ``__pydantic_fields_set__``, the set of
fields given explicitly: a ``set`` per record and per nested model (quote,
cross-reference, outcome), 200–700 bytes each, and about 40 % of the
corpus's memory (1 GB of 2.6 GB at 440,000 evidence items), although there
are only a few hundred distinct ones. :func:`share_field_sets` makes equal
sets one shared object. Records are frozen, so pydantic never adds to the
set in place (``model_copy`` copies it before changing it); reading it
(``model_fields_set``, ``model_dump(exclude_unset=True)``) is unchanged.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from pydantic import BaseModel

__all__ = ["FREEZE_AT_RECORDS", "FieldSetPool", "freeze_heap", "gc_paused", "share_field_sets"]


#: Builds of at least this many records freeze what they made (see :func:`gc_paused`).
FREEZE_AT_RECORDS = 50_000


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block (re-enabled even on error).

    ``freeze=True`` then moves every object alive at the end of the block to
    the collector's permanent generation (:func:`gc.freeze`), for builds of
    millions of long-lived objects: otherwise the first collections after
    the build walk all of them (over a second each for a 100× graph: a
    server's first requests waited seconds), and every later full collection
    does again. Frozen objects are still freed by reference counting; only
    a reference cycle among them would outlive its last use.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def freeze_heap() -> None:
    """Collect once, then move every live object out of the cyclic collector's reach, for a server.

    A server holds its graph for its whole life. Below :data:`FREEZE_AT_RECORDS`
    a build does not freeze it (tests build many graphs in one process), but
    even the bundled corpus is 200,000 tracked objects, and each full
    collection walks them all: 120 ms here, paid by whichever request
    triggered it (the uncached /evidence p99 was 150 ms against a p50 of
    28 ms). Call this once the graph and its index are built, in a process
    that will keep them; objects created later are collected as usual.
    """
    gc.collect()
    gc.freeze()


class FieldSetPool:
    """One shared ``__pydantic_fields_set__`` per distinct set of field names."""

    __slots__ = ("_pool",)

    def __init__(self) -> None:
        self._pool: dict[frozenset[str], set[str]] = {}

    def share(self, model: BaseModel) -> None:
        """Give ``model`` (not its nested models) the pool's equal field set."""
        fields = model.__pydantic_fields_set__
        key = frozenset(fields)
        shared = self._pool.get(key)
        if shared is None:
            self._pool[key] = fields
        elif shared is not fields:
            object.__setattr__(model, "__pydantic_fields_set__", shared)

    def share_all(self, records: Iterable[BaseModel]) -> None:
        """:meth:`share` for every record and every model nested in it."""
        from kg.model.walk import iter_nested

        share = self.share
        for record in records:
            for _, model in iter_nested(record):
                share(model)


def share_field_sets(records: Iterable[BaseModel]) -> None:
    """Make equal ``__pydantic_fields_set__`` of ``records`` and their nested models one object each."""
    FieldSetPool().share_all(records)
