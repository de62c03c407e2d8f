"""A small pool of killable worker processes that run SPARQL queries with a hard time limit.

pyoxigraph has no query timeout and cannot cancel a running query, and the
Oxigraph server's own ``--timeout-s`` misses some queries (``NOTES.md``).
What does work is the operating system: each query runs in a worker process
(:mod:`kg.sparql.worker`) that has the store open read-only, and when the
deadline passes the worker is killed (SIGKILL) and a fresh one started in
its place. A killed query returns nothing: :class:`QueryTimeoutError` is raised,
never a partial answer. For an external engine the workers hold a connection
to it instead of the store (:mod:`kg.sparql.remote`), and the same kill drops
that connection at the deadline.

Each :meth:`QueryRunner.run` call takes one idle worker and blocks its own
thread (without the GIL) until the answer or the deadline, so with ``workers``
processes that many queries run at once and a runaway query occupies one
worker only. When all are busy a call waits up to ``queue_timeout_s`` for one
to free up, then raises :class:`ServiceBusyError`.

Workers are plain subprocesses (``python -m kg.sparql.worker``), not
``multiprocessing`` children, so the parent's ``__main__`` is never
re-imported and no fork happens in a threaded server. They are killed on
:meth:`QueryRunner.close`, at interpreter exit, and they exit by themselves
when the parent process disappears.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import subprocess
import sys
import threading
import time
import weakref
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

import kg
from kg.sparql.endpoint import EndpointSpec
from kg.sparql.errors import (
    QueryExecutionError,
    QueryTimeoutError,
    ServiceBusyError,
    ServiceClosedError,
    SparqlError,
    StoreError,
    WorkerCrashedError,
)
from kg.sparql.execute import Execution
from kg.sparql.guard import DEFAULT_MAX_QUERY_BYTES
from kg.sparql.store import StoreInfo, read_store_info

__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_MEMORY_LIMIT_MB", "DEFAULT_TIMEOUT_S", "DEFAULT_WORKERS", "QueryRunner"]

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_WORKERS = 2
#: Address-space limit of each worker; an idle worker maps ~0.5 GB, the rest is for query evaluation.
DEFAULT_MEMORY_LIMIT_MB = 2048
_STARTUP_TIMEOUT_S = 60.0
_STOP_GRACE_S = 2.0
_PACKAGE_ROOT = str(Path(kg.__file__).resolve().parent.parent)


class _Worker:
    """One worker process and the parent's end of its socket."""

    def __init__(self, store: str, memory_limit_mb: int | None) -> None:
        self.memory_limit_mb = memory_limit_mb
        parent_end, child_end = Pipe(duplex=True)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p)
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "kg.sparql.worker",
                    str(child_end.fileno()),
                    store,
                    str(os.getpid()),
                    str(memory_limit_mb or 0),
                ],
                pass_fds=(child_end.fileno(),),
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # a terminal's Ctrl-C goes to the server, which then stops the workers
            )
        finally:
            child_end.close()
        self.conn: Connection = parent_end
        self.ready = False

    @property
    def pid(self) -> int:
        return self.process.pid

    def describe_exit(self) -> tuple[str, int | None]:
        """Why the process ended, for :class:`WorkerCrashedError`."""
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            return "it stopped answering and was killed", None
        if code < 0:
            hint = ""
            if code in (-6, -9):  # Rust aborts on a failed allocation; the OOM killer sends SIGKILL
                limit = f" (limit {self.memory_limit_mb} MB)" if self.memory_limit_mb else ""
                hint = f": probably out of memory{limit}"
            return f"killed by signal {-code}{hint}", code
        return f"exit code {code}", code

    def wait_ready(self, timeout_s: float) -> None:
        """Block until the worker has opened the store; raise when it cannot."""
        if self.ready:
            return
        try:
            if not self.conn.poll(timeout_s):
                self.kill()
                raise StoreError(f"the SPARQL worker did not start within {timeout_s:g} s")
            message = self.conn.recv()
        except (EOFError, OSError):
            detail, code = self.describe_exit()
            raise WorkerCrashedError(f"it died while starting: {detail}", code) from None
        if message[0] == "failed":
            self.kill()
            raise message[1]
        self.ready = True

    def kill(self, *, close_conn: bool = True) -> None:
        """SIGKILL the process and reap it; safe to call twice.

        ``close_conn=False`` leaves the socket open for a thread that is
        waiting on it: it then sees end-of-file instead of a closed handle.
        """
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):  # a SIGKILLed process always ends
            self.process.wait(timeout=10)
        if close_conn:
            self.conn.close()

    def stop(self, grace_s: float) -> None:
        """Ask an idle worker to exit; kill it if it does not within ``grace_s``."""
        try:
            self.conn.send(("stop",))
            self.process.wait(timeout=grace_s)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        self.kill()


def _kill_all(workers: set[_Worker]) -> None:
    for worker in list(workers):
        worker.kill()


class QueryRunner:
    """Run queries in ``workers`` killable processes over a read-only store.

    ``store`` is a store made by :func:`kg.sparql.store.build_store`, or an
    external engine's :class:`~kg.sparql.client.EndpointSpec` (then ``info``
    is ``None``, and each worker queries the engine over its own connection).
    ``timeout_s`` and ``max_rows`` are defaults that :meth:`run` can lower or
    raise per call; ``queue_timeout_s`` (default: ``timeout_s``) bounds the
    wait for a free worker; ``memory_limit_mb`` caps each worker's address
    space (``None``: no cap), so a runaway ``ORDER BY`` kills its worker, not
    the machine. The constructor starts the workers and waits
    until they have opened the store, so a broken store fails here, not at
    the first query. Use as a context manager or call :meth:`close`.
    """

    def __init__(
        self,
        store: str | os.PathLike[str] | EndpointSpec,
        *,
        workers: int = DEFAULT_WORKERS,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        max_rows: int = DEFAULT_MAX_ROWS,
        max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
        queue_timeout_s: float | None = None,
        memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB,
        startup_timeout_s: float = _STARTUP_TIMEOUT_S,
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        if timeout_s <= 0:
            raise ValueError(f"timeout_s must be > 0, got {timeout_s}")
        if max_rows < 0:
            raise ValueError(f"max_rows must be >= 0, got {max_rows}")
        self.endpoint = store if isinstance(store, EndpointSpec) else None
        self.info: StoreInfo | None = None
        if isinstance(store, EndpointSpec):
            self._store_arg = store.to_json()
        else:
            self.info = read_store_info(Path(store))  # StoreError early for a missing or unfinished store
            self._store_arg = str(Path(store))
        self.workers = workers
        self.timeout_s = timeout_s
        self.max_rows = max_rows
        self.max_query_bytes = max_query_bytes
        self.queue_timeout_s = timeout_s if queue_timeout_s is None else queue_timeout_s
        self.startup_timeout_s = startup_timeout_s
        self.memory_limit_mb = memory_limit_mb
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._closed = False
        self._job_ids = itertools.count(1)
        self._finalizer = weakref.finalize(self, _kill_all, self._all)
        try:
            started = [self._spawn() for _ in range(workers)]
            for worker in started:
                worker.wait_ready(startup_timeout_s)
        except BaseException:
            self.close()
            raise
        with self._cond:
            self._idle.extend(started)

    # -- pool bookkeeping ---------------------------------------------------

    def _spawn(self) -> _Worker:
        worker = _Worker(self._store_arg, self.memory_limit_mb)
        with self._cond:
            self._all.add(worker)
        return worker

    def _acquire(self) -> _Worker:
        deadline = time.monotonic() + self.queue_timeout_s
        with self._cond:
            while not self._idle:
                if self._closed:
                    raise ServiceClosedError("the SPARQL service is closed")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ServiceBusyError(self.queue_timeout_s, self.workers)
                self._cond.wait(remaining)
            if self._closed:
                raise ServiceClosedError("the SPARQL service is closed")
            return self._idle.pop()

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            if not self._closed:
                self._idle.append(worker)
                self._cond.notify()
                return
        worker.stop(_STOP_GRACE_S)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and put a fresh one (starting in the background) in its place."""
        worker.kill()
        with self._cond:
            self._all.discard(worker)
            if self._closed:
                return
        replacement = self._spawn()
        with self._cond:
            if self._closed:
                replacement.kill()
                self._all.discard(replacement)
                return
            self._idle.append(replacement)
            self._cond.notify()

    @property
    def idle_workers(self) -> int:
        """How many workers are free right now (for ``/health`` and tests)."""
        with self._cond:
            return len(self._idle)

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (for monitoring and tests)."""
        with self._cond:
            return sorted(worker.pid for worker in self._all)

    # -- running queries ----------------------------------------------------

    def run(
        self,
        text: str,
        accept: str | None = None,
        *,
        timeout_s: float | None = None,
        max_rows: int | None = None,
    ) -> Execution:
        """Guard, run and serialize ``text`` in a worker; the answer or a :class:`SparqlError`.

        The time limit covers the worker's whole job (parsing and guarding,
        evaluation, serialization). Raises :class:`QueryTimeoutError` when it
        passes (the worker is killed and replaced), :class:`WorkerCrashedError`
        when the worker dies, :class:`ServiceBusyError` when no worker frees up
        in time, and the guard's and negotiation's errors for bad requests.
        """
        limit = self.timeout_s if timeout_s is None else timeout_s
        rows = self.max_rows if max_rows is None else max_rows
        if limit <= 0:
            raise ValueError(f"timeout_s must be > 0, got {limit}")
        for attempt in range(2):
            worker = self._acquire()
            try:
                worker.wait_ready(self.startup_timeout_s)
            except SparqlError:
                self._replace(worker)
                raise
            job_id = next(self._job_ids)
            try:
                if worker.process.poll() is not None:
                    raise BrokenPipeError  # died while idle (e.g. the OOM killer)
                worker.conn.send(("run", job_id, text, accept, rows, self.max_query_bytes, limit))
            except (OSError, ValueError):
                # The worker died while idle: the query never started, so try once more on a fresh one.
                self._replace(worker)
                if attempt == 0:
                    continue
                raise WorkerCrashedError("it was not running when the query was sent") from None
            return self._await(worker, job_id, limit)
        raise AssertionError("unreachable")  # pragma: no cover

    def _await(self, worker: _Worker, job_id: int, limit: float) -> Execution:
        try:
            answered = worker.conn.poll(limit)
        except (OSError, ValueError):
            answered = True  # closed under us; recv() below reports it
        if not answered:
            self._replace(worker)
            raise QueryTimeoutError(limit)
        try:
            message: Any = worker.conn.recv()
        except (EOFError, OSError, ValueError):
            closed = self._closed
            detail, code = worker.describe_exit()
            self._replace(worker)
            if closed:
                raise ServiceClosedError("the SPARQL service was closed while the query ran") from None
            raise WorkerCrashedError(detail, code) from None
        kind, answered_id, payload = message
        if answered_id != job_id:  # pragma: no cover - one job per worker at a time
            self._replace(worker)
            raise QueryExecutionError(f"worker answered job {answered_id} instead of {job_id}")
        self._release(worker)
        if kind == "error":
            raise payload
        assert isinstance(payload, Execution)
        return payload

    # -- shutdown -----------------------------------------------------------

    def close(self) -> None:
        """Stop every worker (idle ones politely, busy ones by SIGKILL); idempotent."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            busy = [worker for worker in self._all if worker not in idle]
            self._cond.notify_all()
        for worker in idle:
            worker.stop(_STOP_GRACE_S)
        for worker in busy:
            worker.kill(close_conn=False)  # the thread running its query sees EOF and cleans up
        with self._cond:
            self._all.clear()
        self._finalizer.detach()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> QueryRunner:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
