"""Bulk construction without garbage-collector pauses.

Building the graph or the index allocates hundreds of thousands of small,
long-lived objects; CPython's cyclic collector runs again and again while
they are created and finds nothing to free, which doubled build times here.
Pausing it for the duration of a bulk build (and collecting once after) is
the standard remedy.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block (re-enabled even on error)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
