"""Load an N-Triples export into an external engine, as one immutable store of one data version.

``kg publish oxigraph DIR`` and ``kg publish virtuoso ...`` (:mod:`kg.sparql.cli`)
call these. Each reads the data version the export declares
(:func:`kg.sparql.versions.export_version`), loads it with the engine's own
bulk loader, then reads the version and the triple count back from the
engine: a publish that does not end with the store declaring exactly that
version fails, naming what it found.

* **Oxigraph**: the ``oxigraph`` binary (``pip install oxigraph``) loads into a
  staging directory next to ``DIR``, optimizes it, checks it (``oxigraph
  query``), and only then renames it to ``DIR``. A crash never leaves a
  half-loaded store where a server would take it for finished, and a store
  holds one version: ``DIR`` must not exist yet. Serve it with ``oxigraph
  serve-read-only --location DIR``; copy it to replicas with ``oxigraph backup``.
  The binary, not pyoxigraph, loads it: the store is then in the format of the
  server that will read it.
* **Virtuoso**: the export is placed in a directory the server may read
  (``DirsAllowed``), then ``ld_dir`` + ``rdf_loader_run()`` + ``checkpoint``
  run through ``isql``, into a named graph, by default one per data version
  (``https://w3id.org/evidence-kg/graph/<version>``), so two versions can sit
  side by side in one database while a balancer switches between them. A graph
  that already holds triples is refused unless ``replace``. ``isql`` exits 0
  even when a statement fails, so its error output is read instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from kg.sparql.errors import StoreError
from kg.sparql.versions import DATASET_IRI, HAS_VERSION, VERSION_QUERY, export_version

__all__ = [
    "GRAPH_BASE",
    "PublishReport",
    "find_tool",
    "graph_for",
    "publish_oxigraph",
    "publish_virtuoso",
]

#: Named graphs of published data versions on engines that need one (Virtuoso).
GRAPH_BASE = f"{DATASET_IRI}graph/"
_COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
_UNSAFE_IN_SQL = ("'", "\\", "\n", "\r", "\x00", ">", "<", " ")
_TOOL_TIMEOUT_S = 6 * 3600


@dataclass(frozen=True, slots=True)
class PublishReport:
    """What was published where: the engine, the store or graph, the data version, the triples it holds."""

    engine: str
    location: str
    data_version: str
    triples: int
    seconds: float
    serve: str

    def to_text(self) -> str:
        return (
            f"published data version {self.data_version} to {self.engine} at {self.location}: "
            f"{self.triples:,} triples ({self.seconds:.1f} s)\n{self.serve}"
        )


def graph_for(data_version: str) -> str:
    """The named graph of a data version on an engine that loads into named graphs."""
    return GRAPH_BASE + data_version


def find_tool(explicit: str | None, *names: str) -> str:
    """The path of an engine's command-line tool: ``explicit``, else the first of ``names`` found.

    The directory of the running Python comes first, so ``pip install oxigraph``
    in the same virtual environment is found without activating it.
    """
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise StoreError(f"{explicit}: no such program")
        return found
    here = Path(sys.executable).parent
    for name in names:
        candidate = here / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
        found = shutil.which(name)
        if found is not None:
            return found
    raise StoreError(f"none of {', '.join(names)} is installed (or give its path)")


def _run(command: list[str], what: str, *, stdin: str | None = None) -> str:
    try:
        completed = subprocess.run(
            command, input=stdin, capture_output=True, text=True, timeout=_TOOL_TIMEOUT_S, check=False
        )
    except OSError as error:
        raise StoreError(f"{what}: cannot run {command[0]}: {error}") from None
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip().splitlines()[-5:]
        raise StoreError(f"{what} failed (exit code {completed.returncode}): {' | '.join(detail) or 'no output'}")
    return completed.stdout


# -- Oxigraph --------------------------------------------------------------------------------


def publish_oxigraph(
    ntriples: str | os.PathLike[str],
    destination: str | os.PathLike[str],
    *,
    oxigraph: str | None = None,
    optimize: bool = True,
) -> PublishReport:
    """Load ``ntriples`` into a new Oxigraph store at ``destination``; check it declares the export's version."""
    started = time.perf_counter()
    source = Path(ntriples)
    version = export_version(source)
    target = Path(destination)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise StoreError(
            f"{target} already exists: a store holds one data version, so publish into a new directory "
            "(and serve the new one, or copy it to replicas with oxigraph backup)"
        )
    binary = find_tool(oxigraph, "oxigraph")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.loading-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        _run(
            [binary, "load", "--location", str(staging), "--format", "application/n-triples", "--file", str(source)],
            f"loading {source} into Oxigraph",
        )
        if optimize:
            _run([binary, "optimize", "--location", str(staging)], "optimizing the Oxigraph store")
        found = _oxigraph_rows(binary, staging, VERSION_QUERY)
        if found != [version]:
            raise StoreError(f"the loaded store declares {found or 'no data version'}, expected {version!r}")
        triples = int(_oxigraph_rows(binary, staging, _COUNT_QUERY)[0])
        if target.exists():
            target.rmdir()
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return PublishReport(
        "oxigraph",
        str(target),
        version,
        triples,
        time.perf_counter() - started,
        f"serve it: oxigraph serve-read-only --location {target} --bind 127.0.0.1:7878 --timeout-s 15\n"
        "then: kg serve --sparql-endpoint http://127.0.0.1:7878/query --sparql-engine-timeout-s 15\n"
        "(Oxigraph's limit above the API's 10 s, and declared: see docs/deploy.md)",
    )


def _oxigraph_rows(binary: str, location: Path, query: str) -> list[str]:
    """The first column's values of a SELECT run by ``oxigraph query`` on a closed store."""
    output = _run(
        [binary, "query", "--location", str(location), "--query", query, "--results-format", "json"],
        f"checking the Oxigraph store {location}",
    )
    try:
        results = json.loads(output)
        name = results["head"]["vars"][0]
        return [row[name]["value"] for row in results["results"]["bindings"] if name in row]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise StoreError(f"unexpected answer from oxigraph query: {error}: {output[:200]!r}") from None


# -- Virtuoso --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Isql:
    """A way to run SQL on one Virtuoso: the isql binary, ``host:port``, and credentials."""

    binary: str
    address: str
    user: str
    password: str

    def run(self, statements: list[str], what: str) -> list[str]:
        """Run the statements; their output lines. Any ``*** Error`` is raised (isql itself exits 0)."""
        script = "".join(f"{statement};\n" for statement in statements)
        command = [self.binary, self.address, self.user, self.password, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF"]
        try:
            completed = subprocess.run(
                [*command, "ECHO=OFF"],
                input=script,
                capture_output=True,
                text=True,
                timeout=_TOOL_TIMEOUT_S,
                check=False,
            )
        except OSError as error:
            raise StoreError(f"{what}: cannot run {self.binary}: {error}") from None
        errors = [line for line in (completed.stderr + completed.stdout).splitlines() if line.startswith("*** Error")]
        if completed.returncode != 0 or errors:
            detail = errors[0] if errors else (completed.stderr.strip().splitlines() or ["no output"])[-1]
            detail = detail.replace(self.password, "***") if self.password else detail
            raise StoreError(f"{what} failed on Virtuoso at {self.address}: {detail}")
        return [line.rstrip() for line in completed.stdout.splitlines() if line.strip()]

    def single(self, statement: str, what: str) -> str:
        lines = self.run([statement], what)
        if len(lines) != 1:
            raise StoreError(f"{what}: expected one value from Virtuoso, got {lines[:5]}")
        return lines[0].strip()


def _sql_safe(value: str, what: str) -> str:
    if any(character in value for character in _UNSAFE_IN_SQL):
        raise StoreError(f"{what} {value!r} may not contain quotes, backslashes, spaces, angle brackets or line breaks")
    return value


def publish_virtuoso(
    ntriples: str | os.PathLike[str],
    *,
    address: str,
    load_dir: str | os.PathLike[str],
    graph: str | None = None,
    user: str,
    password: str,
    replace: bool = False,
    isql: str | None = None,
) -> PublishReport:
    """Bulk-load ``ntriples`` into a named graph of the Virtuoso at ``address`` (its SQL port, ``host:port``).

    ``load_dir`` is a directory that the server may read (listed in its
    ``DirsAllowed``) and that has the same path for the server as here; the
    export is linked or copied into it. ``graph`` defaults to
    :func:`graph_for` the export's version.
    """
    started = time.perf_counter()
    source = Path(ntriples).resolve()
    version = export_version(source)
    graph = _sql_safe(graph or graph_for(version), "graph IRI")
    directory = Path(load_dir).resolve()
    if not directory.is_dir():
        raise StoreError(f"{directory}: no such directory (it must be one the Virtuoso server may read: DirsAllowed)")
    name = _sql_safe(f"evidence-kg-{version}.nt", "file name")
    _sql_safe(str(directory), "load directory")
    sql = _Isql(find_tool(isql, "isql-vt", "isql"), address, user, password)

    # Every value put into these statements passed _sql_safe: no quote, bracket or space can end it early.
    count = f"SPARQL SELECT COUNT(*) FROM <{graph}> WHERE {{ ?s ?p ?o }}"  # noqa: S608
    held = int(sql.single(count, "counting the graph's triples"))
    if held and not replace:
        raise StoreError(
            f"graph <{graph}> already holds {held:,} triples: a graph holds one data version; "
            "publish into another graph (--graph) or clear this one first (--replace)"
        )
    if held:
        sql.run([f"SPARQL CLEAR GRAPH <{graph}>"], "clearing the graph")
    staged = directory / name
    if staged != source:
        staged.unlink(missing_ok=True)
        try:
            os.link(source, staged)
        except OSError:
            shutil.copyfile(source, staged)
    path = str(staged)
    sql.run(
        [
            f"DELETE FROM DB.DBA.load_list WHERE ll_file = '{path}'",  # noqa: S608
            f"ld_dir('{directory}', '{name}', '{graph}')",
            "rdf_loader_run()",
            "checkpoint",
        ],
        f"bulk-loading {path}",
    )
    state = sql.single(
        f"SELECT sprintf('%d|%s', ll_state, coalesce(ll_error, '')) FROM DB.DBA.load_list WHERE ll_file = '{path}'",  # noqa: S608
        "reading the bulk loader's outcome",
    )
    code, _, error = state.partition("|")
    if code != "2" or error:
        raise StoreError(f"Virtuoso did not load {path} (state {code}): {error or 'unfinished'}")
    versions = sql.run(
        [f"SPARQL SELECT DISTINCT ?v FROM <{graph}> WHERE {{ <{DATASET_IRI}> <{HAS_VERSION}> ?v }}"],  # noqa: S608
        "reading the loaded data version",
    )
    if [line.strip() for line in versions] != [version]:
        raise StoreError(f"graph <{graph}> declares {versions or 'no data version'}, expected {version!r}")
    triples = int(sql.single(count, "counting the loaded triples"))
    return PublishReport(
        "virtuoso",
        f"<{graph}> on {address}",
        version,
        triples,
        time.perf_counter() - started,
        f"then: kg serve --sparql-endpoint http://HOST:8890/sparql --sparql-graph {graph}",
    )
