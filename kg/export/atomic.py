"""Atomic file writes: a reader sees the old file or the complete new one, never a partial one.

The content goes to a temporary file in the *same directory* (so the final
``os.replace`` is a rename within one filesystem, atomic on POSIX and
Windows), is flushed and fsynced, then replaces the target. If anything
fails on the way (the writer raises, the disk fills up, the process is
interrupted by an exception), the temporary file is removed and the target
is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["atomic_write"]


def atomic_write(path: Path, chunks: Iterable[bytes]) -> int:
    """Write ``chunks`` to ``path`` atomically; return the number of bytes written."""
    path = Path(path)
    directory = path.parent
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".partial")
    size = 0
    try:
        # mkstemp creates the file private (0600); give it the target's mode, or the usual 0644.
        Path(temporary).chmod(path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(path)  # os.replace: atomic within one directory
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temporary).unlink()
        raise
    return size
