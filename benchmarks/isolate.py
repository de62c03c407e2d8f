"""Run a measurement in a fresh interpreter, and read memory: current RSS, peak RSS, sampled peaks.

Peak RSS only means something per process (``ru_maxrss`` never goes down),
so every build is measured in its own child interpreter: it starts with
nothing but Python, and its peak is the build's. The child's result (any
picklable value) comes back with its peak RSS.
"""

from __future__ import annotations

import importlib
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["ChildFailedError", "RssSampler", "child_env", "current_rss_mib", "peak_rss_mib", "run_isolated"]

T = TypeVar("T")
_PAGE = resource.getpagesize()


class ChildFailedError(RuntimeError):
    """The isolated measurement raised; the message holds the child's traceback."""


def current_rss_mib() -> float:
    """Resident set size of this process now, in MiB (from ``/proc/self/statm``)."""
    with Path("/proc/self/statm").open(encoding="ascii") as handle:
        return int(handle.read().split()[1]) * _PAGE / 2**20


def peak_rss_mib() -> float:
    """Highest resident set size this process has had, in MiB (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RssSampler:
    """Highest RSS seen while the block runs, sampled every ``interval`` seconds by a thread.

    For measurements inside a process that already holds other data (the
    rdflib graph loaded next to the knowledge graph): the growth of the
    peak over the RSS at the start is the operation's own cost. Sampling
    can miss a spike shorter than ``interval``.
    """

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.start_mib = 0.0
        self.peak_mib = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_mib = max(self.peak_mib, current_rss_mib())

    def __enter__(self) -> RssSampler:
        self.start_mib = self.peak_mib = current_rss_mib()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.peak_mib = max(self.peak_mib, current_rss_mib())

    @property
    def growth_mib(self) -> float:
        return self.peak_mib - self.start_mib


def child_env(**extra: str) -> dict[str, str]:
    """This process's environment, with the repository on ``PYTHONPATH`` (children run ``-m benchmarks.…``)."""
    root = str(Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else ""), **extra}


def run_isolated(func: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, float]:
    """``func(*args, **kwargs)`` in a fresh interpreter: (result, the child's peak RSS in MiB).

    The child is ``python -m benchmarks.isolate`` (not ``multiprocessing``,
    which would re-import the caller's ``__main__``): the call is pickled to
    its stdin, the result pickled back to a file. ``func`` must be importable
    (a module-level function of ``benchmarks``). Raises :class:`ChildFailedError`
    with the child's traceback if it raised, or if it died without answering
    (killed for memory, for instance).
    """
    with tempfile.TemporaryDirectory(prefix="kg-bench-child-") as tmp:
        out = Path(tmp) / "result.pickle"
        payload = pickle.dumps((func.__module__, func.__qualname__, args, kwargs))
        completed = subprocess.run([sys.executable, "-m", "benchmarks.isolate", str(out)], input=payload, check=False)
        if not out.is_file():
            raise ChildFailedError(f"{func.__qualname__} died without a result (exit code {completed.returncode})")
        with out.open("rb") as handle:
            ok, result, peak = pickle.load(handle)
    if not ok:
        raise ChildFailedError(f"{func.__qualname__} failed in its child process:\n{result}")
    return result, peak


def _child_main(out: str) -> None:
    module, name, args, kwargs = pickle.loads(sys.stdin.buffer.read())
    try:
        func = getattr(importlib.import_module(module), name)
        answer: tuple[bool, Any, float] = (True, func(*args, **kwargs), peak_rss_mib())
    except BaseException:
        answer = (False, traceback.format_exc(), peak_rss_mib())
    with Path(out).open("wb") as handle:
        pickle.dump(answer, handle, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    _child_main(sys.argv[1])
