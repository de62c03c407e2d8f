"""Install a validated CIViC release into the data directory.

``kg import civic DIR`` first imports the release (every row validated and
reconciled with the curated corpus, nothing kept on any error); only then
are the release's ``*Summaries.tsv`` files copied into ``data/civic/``,
replacing the previous release's. Our own files there (the disease
hierarchy, curator notes, README) are kept. Files are copied under temporary
names and renamed into place, so an interrupted install never leaves half
a release behind; the old release's files are removed only after the new
ones are in place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.civic.release import KINDS, Release

__all__ = ["install_release"]


def install_release(release: Release, target: Path) -> list[Path]:
    """Copy ``release``'s files into ``target`` (e.g. ``data/civic``); return the installed paths."""
    target.mkdir(parents=True, exist_ok=True)
    if release.directory.resolve() == target.resolve():
        return [release.files[kind] for kind in KINDS]
    staged: list[tuple[Path, Path]] = []
    try:
        for kind in KINDS:
            source = release.files[kind]
            temporary = target / f".installing-{source.name}"
            shutil.copyfile(source, temporary)
            staged.append((temporary, target / source.name))
    except OSError:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    installed = {final.name for _, final in staged}
    for temporary, final in staged:
        temporary.replace(final)
    for old in target.glob("*Summaries.tsv"):
        if old.name not in installed:
            old.unlink()
    return [final for _, final in staged]
