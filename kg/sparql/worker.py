"""The query worker process: guard, negotiate, run and serialize one query at a time.

Started by :class:`kg.sparql.runner.QueryRunner` as
``python -m kg.sparql.worker FD STORE PARENT_PID MEMORY_MB``; ``FD`` is one end of
a socket pair that carries pickled messages (``multiprocessing.connection``
framing). ``STORE`` is the directory of an on-disk pyoxigraph store, or the
JSON of a :class:`~kg.sparql.client.EndpointSpec` (an external engine, which
this process then queries over HTTP: :func:`kg.sparql.remote.execute_remote`).
Being a separate process is the point: pyoxigraph cannot cancel a
query, so the parent enforces the time limit by killing this process, and
rdflib's slow pure-Python parser runs here too, where the kill also bounds
it and it does not hold the API process's GIL. For an external engine the
kill drops the connection at the deadline, and parsing and re-serializing
its answer stays off the API process too.

Protocol (parent → worker, then worker → parent)::

    (start)                          → ("ready", pid) | ("failed", SparqlError)
    ("run", id, text, accept, max_rows, max_bytes, timeout_s) → ("ok", id, Execution) | ("error", id, SparqlError)
    ("stop",)                        → process exits

The worker also exits when the parent goes away: a closed socket ends the
loop, and a watchdog thread notices a changed parent pid even while a query
runs (pyoxigraph releases the GIL while it evaluates).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.sparql.execute import Execution
    from kg.sparql.formats import ResultFormat
    from kg.sparql.guard import GuardedQuery

__all__ = ["main", "serve"]

# rdflib's parser recurses about 20 frames per nesting level; give it room in this
# single-purpose process (the default 1000 fails at ~25 nested parentheses).
_RECURSION_LIMIT = 20_000
_WATCHDOG_PERIOD_S = 0.5
# Guarding costs 1-10 ms of pure-Python parsing, often more than evaluation; the
# same texts come back (example queries, dashboards), so remember recent verdicts.
_GUARD_CACHE_SIZE = 128


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(_WATCHDOG_PERIOD_S)
        if os.getppid() != parent_pid:
            os._exit(3)


def _limit_memory(megabytes: int) -> None:
    """Cap this process's address space: an allocation beyond it aborts the worker, not the host."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _open(store: str) -> Callable[[GuardedQuery, ResultFormat, int, float], Execution]:
    """The function that runs a guarded query on ``store`` (a store directory or an endpoint's JSON)."""
    if store.startswith("{"):
        from kg.sparql.client import EndpointClient
        from kg.sparql.endpoint import EndpointSpec
        from kg.sparql.remote import execute_remote

        client = EndpointClient(EndpointSpec.from_json(store), max_connections=1)
        return lambda query, fmt, rows, timeout_s: execute_remote(client, query, fmt, rows, timeout_s)
    from kg.sparql.execute import execute
    from kg.sparql.store import open_read_only

    local = open_read_only(store)
    return lambda query, fmt, rows, _timeout_s: execute(local, query, fmt, rows)


def serve(conn: Connection, store: str, parent_pid: int) -> None:
    """Open the store (read-only, or a client of the endpoint), then answer queries until told to stop."""
    from kg.sparql.errors import QueryExecutionError, SparqlError, StoreError
    from kg.sparql.formats import negotiate
    from kg.sparql.guard import guard_query

    guarded: OrderedDict[tuple[str, int], GuardedQuery] = OrderedDict()

    def guard_cached(text: str, max_bytes: int) -> GuardedQuery:
        key = (text, max_bytes)
        if key in guarded:
            guarded.move_to_end(key)
            return guarded[key]
        query = guarded[key] = guard_query(text, max_bytes=max_bytes)  # refusals raise and are not cached
        if len(guarded) > _GUARD_CACHE_SIZE:
            guarded.popitem(last=False)
        return query

    threading.Thread(target=_watch_parent, args=(parent_pid,), name="parent-watchdog", daemon=True).start()
    try:
        run = _open(store)
        guard_query("ASK {}")  # builds rdflib's grammar now, not during the first timed query
    except SparqlError as error:
        conn.send(("failed", error))
        return
    except Exception as error:
        conn.send(("failed", StoreError(f"the SPARQL worker could not start: {type(error).__name__}: {error}")))
        return
    conn.send(("ready", os.getpid()))

    while True:
        try:
            message: Any = conn.recv()
        except (EOFError, OSError):
            return
        if not isinstance(message, tuple) or not message or message[0] != "run":
            return
        _, job_id, text, accept, max_rows, max_bytes, timeout_s = message
        try:
            query = guard_cached(text, max_bytes)
            result_format = negotiate(accept, query.form)
            reply: tuple[Any, ...] = ("ok", job_id, run(query, result_format, max_rows, timeout_s))
        except SparqlError as error:
            reply = ("error", job_id, error)
        except Exception as error:
            traceback.print_exc(file=sys.stderr)
            reply = ("error", job_id, QueryExecutionError(f"internal error: {type(error).__name__}: {error}"))
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``python -m kg.sparql.worker FD STORE PARENT_PID MEMORY_MB`` (0: no limit)."""
    args = sys.argv[1:] if argv is None else argv
    fd, store, parent_pid, memory_mb = int(args[0]), args[1], int(args[2]), int(args[3])
    if memory_mb > 0:
        _limit_memory(memory_mb)
    # The parent owns shutdown; a Ctrl-C in the terminal must not kill workers mid-reply.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.setrecursionlimit(_RECURSION_LIMIT)
    conn = Connection(fd)
    try:
        serve(conn, store, parent_pid)
    finally:
        conn.close()


if __name__ == "__main__":
    main()
