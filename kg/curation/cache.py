"""A small on-disk cache of validated corpora, keyed by what they were built from.

Validating the curated data and importing the CIViC release takes a couple
of seconds; ``kg serve`` must answer within two seconds of starting. The
validated corpus is therefore pickled once, under a key that hashes the
content of every input file *and* of evidence-kg's own source code, so an
edit to the data or to the model invalidates it and the next load validates
from scratch. Records share their equal field-name sets before they are
pickled (:func:`kg.core.bulk.share_field_sets`), so the file and the loaded
corpus hold each distinct one once. Writes are atomic; an unreadable cache
file is ignored and rebuilt.

:func:`cache_root` is the one place that decides where evidence-kg keeps
what it builds (this corpus cache, the API's SPARQL store):
``$EVIDENCE_KG_CACHE``, else ``$XDG_CACHE_HOME/evidence-kg``, else
``~/.cache/evidence-kg``. ``EVIDENCE_KG_CACHE=off`` (or ``0``, ``no``,
``false``) means one thing everywhere: nothing built is kept between runs.
The corpus is then rebuilt on every load, and artefacts that must live on
disk while a process runs (:func:`artefact_dir`) go to a private temporary
directory removed when the process exits, never to a directory named ``off``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar, cast

from kg.core.bulk import gc_paused, share_field_sets

__all__ = [
    "CACHE_ENV_VAR",
    "CACHE_OFF",
    "KeptValues",
    "artefact_dir",
    "cache_root",
    "cached",
    "fingerprint",
    "kept_values",
]

CACHE_ENV_VAR = "EVIDENCE_KG_CACHE"
T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
_CODE_ROOT = Path(__file__).resolve().parent.parent  # the kg package: any code change invalidates the cache


#: Values of ``$EVIDENCE_KG_CACHE`` that turn the cache off (compared case-insensitively).
CACHE_OFF = frozenset({"off", "0", "no", "false"})


def cache_root() -> Path | None:
    """Directory of the cache, or None when caching is off (the one reading of ``$EVIDENCE_KG_CACHE``)."""
    configured = os.environ.get(CACHE_ENV_VAR, "").strip()
    if configured:
        return None if configured.lower() in CACHE_OFF else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "evidence-kg"


def artefact_dir(kind: str) -> Path:
    """Where artefacts of ``kind`` (``"sparql"``) are built: under :func:`cache_root`, or, with the cache off,
    under a temporary directory private to this process and removed when it exits."""
    root = cache_root()
    if root is not None:
        return root / kind
    return Path(_scratch().name) / kind


@functools.cache
def _scratch() -> tempfile.TemporaryDirectory[str]:
    """The process's private directory for artefacts while the cache is off (removed at exit)."""
    return tempfile.TemporaryDirectory(prefix="evidence-kg-nocache-")


def fingerprint(files: Iterable[Path], *, salt: str = "") -> str:
    """Hash of the given files' names and contents, of evidence-kg's source code, and of ``salt``."""
    digest = hashlib.sha256(salt.encode())
    for path in sorted({*files, *_CODE_ROOT.rglob("*.py")}):
        digest.update(str(path.name).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:  # a directory or an unreadable file: the loader reports it, naming it
            digest.update(b"(unreadable)")
    return digest.hexdigest()[:24]


def cached(kind: str, key: str, build: Callable[[], T]) -> T:
    """The cached value of ``kind`` under ``key``, built (and stored) when missing or unreadable."""
    root = cache_root()
    if root is None:
        return build()
    path = root / f"{kind}-{key}.pickle"
    if path.is_file():
        try:
            with path.open("rb") as handle, gc_paused():
                return cast(T, pickle.load(handle))  # noqa: S301 - our own cache, keyed by content hash
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            pass
    value = build()
    _share_bookkeeping(value)
    try:
        root.mkdir(parents=True, exist_ok=True)
        for stale in root.glob(f"{kind}-*.pickle"):
            stale.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=f".{kind}-", delete=False) as output:
            pickle.dump(value, output, protocol=pickle.HIGHEST_PROTOCOL)
        Path(output.name).replace(path)
    except OSError:
        pass  # a read-only home is no reason to fail: the value is still returned
    return value


@dataclass
class KeptValues(Generic[K, V]):
    """Values kept between runs (:func:`kept_values`), and whether this run added any: :meth:`save` writes them."""

    values: dict[K, V]
    path: Path | None
    added: bool = False

    def save(self) -> None:
        """Write the values, atomically, if this run computed new ones (stale files of the kind go).

        A separate step, so a caller that fails afterwards (an import refused
        for a bad row) leaves the cache as it found it.
        """
        if self.path is None or not self.added:
            return
        kind = self.path.name.rsplit("-", 1)[0]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for stale in self.path.parent.glob(f"{kind}-*.pickle"):
                if stale != self.path:
                    stale.unlink(missing_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.path.parent, prefix=f".{kind}-", delete=False) as output:
                pickle.dump(self.values, output, protocol=pickle.HIGHEST_PROTOCOL)
            Path(output.name).replace(self.path)
        except OSError:
            pass  # a read-only home is no reason to fail: the values are still returned
        self.added = False


def kept_values(kind: str, key: str, wanted: Iterable[K], compute: Callable[[K], V | None]) -> KeptValues[K, V]:
    """``compute(k)`` for every ``k`` of ``wanted``, kept between runs: only the keys not kept yet are computed.

    One file per ``kind`` and ``key`` (the key names what the values depend
    on, such as :func:`fingerprint` of the code); files of the same kind under
    another key are stale. A value of ``None`` is not kept (the caller
    computes it again where it can report what went wrong). Nothing is
    written until :meth:`KeptValues.save`, and then only if something new was
    computed: a second run over the same keys reads and never writes.
    """
    root = cache_root()
    kept: dict[K, V] = {}
    path = root / f"{kind}-{key}.pickle" if root is not None else None
    if path is not None and path.is_file():
        try:
            with path.open("rb") as handle, gc_paused():
                kept = cast("dict[K, V]", pickle.load(handle))  # noqa: S301 - our own cache, keyed by content hash
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            kept = {}
    result = KeptValues(kept, path)
    for wanted_key in wanted:
        if wanted_key in kept:
            continue
        value = compute(wanted_key)
        if value is not None:
            kept[wanted_key] = value
            result.added = True
    return result


def _share_bookkeeping(value: object) -> None:
    """Share the records' equal field-name sets (:func:`kg.core.bulk.share_field_sets`) before they are pickled.

    The pickle then holds each distinct set once, and loading it restores
    them shared: a smaller file, a faster load, 40 % less memory per record.
    """
    from kg.model import Corpus

    if isinstance(value, Corpus):
        with gc_paused():
            share_field_sets(value)
