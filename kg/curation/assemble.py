"""Assemble the whole knowledge base: the curated corpus, the CIViC release beside it, and the disk cache.

Data flows one way. :mod:`kg.curation.load` reads the curated files into a
validated corpus; :mod:`kg.civic` takes that corpus and a release directory
and returns a new, merged corpus; this module is the one place that calls
both, decides whether ``data/civic/`` is used, and keeps the result in the
validated-corpus cache (:mod:`kg.curation.cache`). The importer never loads
data itself, so nothing below this module imports it.
"""

from __future__ import annotations

from pathlib import Path

from kg.civic import CivicImport, import_civic
from kg.civic.install import install_release
from kg.civic.release import find_release
from kg.core.errors import CorpusError, DataError
from kg.curation.cache import cached, fingerprint
from kg.curation.load import curated_files, default_data_dir, load_curated
from kg.model import Corpus

__all__ = ["load_corpus", "run_import"]


def load_corpus(data_dir: Path | None = None, *, include_civic: bool = True, use_cache: bool = True) -> Corpus:
    """The whole knowledge base: the curated corpus, plus the CIViC release in ``data/civic/`` when present.

    The validated result is cached on disk under a hash of every input file
    and of the code (see :mod:`kg.curation.cache`), so a second start skips validation
    and import; any change to data or code validates afresh.
    """
    data_dir = (data_dir or default_data_dir()).resolve()
    civic_dir = data_dir / "civic"
    with_civic = include_civic and civic_dir.is_dir()

    def build() -> Corpus:
        curated = load_curated(data_dir)
        if not with_civic:
            return curated
        return import_civic(civic_dir, curated).corpus

    if not use_cache:
        return build()
    inputs = [*curated_files(data_dir), *sorted(path for path in (data_dir / "texts").glob("*") if path.is_file())]
    if with_civic:
        inputs += sorted(path for path in civic_dir.iterdir() if path.is_file())
    return cached("corpus", fingerprint(inputs, salt=f"{data_dir}|civic={with_civic}"), build)


def run_import(civic_dir: Path, data_dir: Path | None = None, *, install: bool = False) -> CivicImport:
    """What ``kg import civic DIR`` runs: load the curated data of ``data_dir``, import, validate, report.

    With ``install``, a release that imported without errors is then copied
    into ``<data_dir>/civic/`` (see :mod:`kg.civic.install`), so it joins the
    knowledge graph on the next load. Raises :class:`~kg.core.errors.CorpusError`
    when the curated data or the release has errors (naming file, row and
    column), and when ``civic_dir`` is not a CIViC release directory; then
    nothing is installed.
    """
    civic_dir = Path(civic_dir)
    if not civic_dir.is_dir():
        raise CorpusError(
            [DataError(str(civic_dir), "(directory)", "(directory)", "a directory holding CIViC *Summaries.tsv files")]
        )
    data_dir = data_dir or default_data_dir()
    result = import_civic(civic_dir, load_curated(data_dir))
    if install:
        errors: list[DataError] = []
        release = find_release(civic_dir, errors)
        if release is None:  # import_civic found the same files a moment ago
            raise CorpusError(errors)
        installed = install_release(release, data_dir / "civic")
        result.report.notes.append(f"installed {len(installed)} release files into {data_dir / 'civic'}")
    return result
