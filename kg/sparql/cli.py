"""``kg publish oxigraph|virtuoso``: load the export into an external SPARQL engine.

Registered by :mod:`kg.cli` as the ``publish`` group. Each command takes an
N-Triples export (``--input``, written by ``kg export --format nt``) or writes
one from the data first, loads it with :mod:`kg.sparql.publish`, and prints
what the store now holds and how to serve it. A failure prints one line
naming what went wrong and exits 1; nothing half-loaded is left in place.
Heavy imports wait until a command runs: ``kg --help`` stays fast.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from kg.core.errors import EvidenceKGError, InvalidQueryError

if TYPE_CHECKING:
    from kg.sparql.endpoint import EndpointSpec

__all__ = ["publish_app"]

publish_app = typer.Typer(
    help="Load the graph into an external SPARQL engine (one immutable store per data version).",
    no_args_is_help=True,
)

F = TypeVar("F", bound=Callable[..., Any])

InputOption = Annotated[
    Path | None,
    typer.Option(
        "--input", "-i", help="N-Triples export to load (kg export --format nt); default: export the data now."
    ),
]
DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="Data directory to export when no --input is given (default: the bundled data/)."),
]
CivicOption = Annotated[bool, typer.Option("--civic/--no-civic", help="Include the CIViC release in the export.")]


def _handles_errors(command: F) -> F:
    """A clear one-line error and exit code 1 instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except EvidenceKGError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2 if isinstance(error, InvalidQueryError) else 1) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def _export(given: Path | None, data: Path | None, civic: bool, directory: Path) -> Any:
    """The N-Triples file to load: ``given``, or a fresh export in ``directory`` (removed afterwards)."""
    if given is not None:
        yield given
        return
    from kg.export import write_export
    from kg.runtime.knowledge_graph import load_knowledge_graph

    typer.echo("Loading data and writing the N-Triples export…", err=True)
    kg = load_knowledge_graph(data, include_civic=civic)
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".kg-export-") as work:
        path = Path(work) / "kg.nt"
        report = write_export(kg, "nt", path)
        typer.echo(f"  exported {report.counts.get('triples', 0):,} triples (data {kg.version})", err=True)
        yield path


@publish_app.command(
    "oxigraph",
    epilog="Example: kg publish oxigraph /srv/kg/oxigraph-v1 --input kg.nt   "
    "(then: oxigraph serve-read-only --location /srv/kg/oxigraph-v1 --bind 127.0.0.1:7878 --timeout-s 15)",
)
@_handles_errors
def publish_oxigraph_command(
    directory: Annotated[Path, typer.Argument(help="New store directory (must not exist yet, or be empty).")],
    input_file: InputOption = None,
    data: DataOption = None,
    civic: CivicOption = True,
    oxigraph: Annotated[str | None, typer.Option(help="The oxigraph binary (default: found on PATH).")] = None,
    optimize: Annotated[bool, typer.Option("--optimize/--no-optimize", help="Compact the store for reading.")] = True,
) -> None:
    """Load the export into a new Oxigraph store directory, then check the data version it declares."""
    from kg.sparql.publish import publish_oxigraph

    with _export(input_file, data, civic, directory.resolve().parent) as source:
        typer.echo(f"Loading {source} into Oxigraph at {directory}…", err=True)
        report = publish_oxigraph(source, directory, oxigraph=oxigraph, optimize=optimize)
    typer.echo(report.to_text())


@publish_app.command(
    "virtuoso",
    epilog="Example: kg publish virtuoso --address 127.0.0.1:1111 --load-dir /var/lib/virtuoso/load --input kg.nt",
)
@_handles_errors
def publish_virtuoso_command(
    load_dir: Annotated[
        Path,
        typer.Option("--load-dir", help="Directory the Virtuoso server may read (in its DirsAllowed), same path here."),
    ],
    address: Annotated[str, typer.Option(help="Virtuoso's SQL port, host:port.")] = "127.0.0.1:1111",
    graph: Annotated[
        str | None,
        typer.Option(help="Named graph to load into (default: https://w3id.org/evidence-kg/graph/<version>)."),
    ] = None,
    user: Annotated[str, typer.Option(help="Virtuoso user allowed to bulk-load.")] = "dba",
    password: Annotated[
        str | None,
        typer.Option(
            envvar="EVIDENCE_KG_VIRTUOSO_PASSWORD", help="Its password (or set the variable).", show_default=False
        ),
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Clear the graph first if it holds triples.")] = False,
    input_file: InputOption = None,
    data: DataOption = None,
    civic: CivicOption = True,
    isql: Annotated[str | None, typer.Option(help="Virtuoso's isql (default: isql-vt, else isql).")] = None,
) -> None:
    """Bulk-load the export into a named graph of a running Virtuoso, then check the version it declares."""
    from kg.sparql.publish import publish_virtuoso

    if not password:
        raise InvalidQueryError(
            "--password", password, "the password of the Virtuoso user (or EVIDENCE_KG_VIRTUOSO_PASSWORD)"
        )
    with _export(input_file, data, civic, load_dir) as source:
        typer.echo(f"Loading {source} into Virtuoso at {address}…", err=True)
        report = publish_virtuoso(
            source,
            address=address,
            load_dir=load_dir,
            graph=graph,
            user=user,
            password=password,
            replace=replace,
            isql=isql,
        )
    typer.echo(report.to_text())


def check_endpoint(endpoint: EndpointSpec, load: Callable[[], Any], allow_mismatch: bool, max_rows: int) -> Any:
    """What ``kg serve --sparql-endpoint`` does before it starts: load the graph, check the engine against it.

    ``load()`` gives the knowledge graph whose data version the engine's
    store must declare (the endpoint itself was checked when it was made).
    Raises (so the server does not start) when the engine cannot be reached,
    caps answers below ``max_rows``, or its store declares another version
    and ``allow_mismatch`` is off. Returns the loaded graph.
    """
    from kg.sparql.remote import inspect_endpoint
    from kg.sparql.versions import check_version

    url = endpoint.url
    kg = load()
    expected: str = kg.version
    report = inspect_endpoint(endpoint, max_rows=max_rows, timeout_s=10.0)
    check_version(expected, report.versions, url, allow_mismatch=allow_mismatch)
    held = ", ".join(report.versions) or "no data version"
    engine = f"{report.engine.name} {report.engine.version or ''}".strip()
    typer.echo(f"  SPARQL store at {url}: {engine}, data {held}", err=True)
    if report.versions != [expected]:
        typer.echo(f"  warning: serving data {expected} with a store of {held} (--allow-version-mismatch)", err=True)
    return kg
