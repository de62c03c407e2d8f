"""The ``kg`` command: validate, inspect, query, export, serve and view the knowledge graph.

Every command has ``--help`` with an example, exits non-zero with a clear
message on bad input (2 for a bad argument or unknown name, 1 for invalid
data), and reports progress on stderr while it loads or builds, so stdout
stays clean for ``--json`` output.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from kg.bundle_command import verify_bundle_command
from kg.core.errors import BundleError, CorpusError, EvidenceKGError, ExportError, InvalidQueryError, UnknownEntityError
from kg.export.formats import ExportFormatName
from kg.model.terms import Direction, EvidenceLevel, EvidenceType, OutcomeMeasure, StudyDesign
from kg.reader import cli as reader_cli
from kg.sparql.cli import publish_app

__all__ = ["app", "main"]

app = typer.Typer(
    name="kg",
    help="evidence-kg: a literature-evidence knowledge graph for precision oncology.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Import external evidence releases into data/.", no_args_is_help=True)
app.add_typer(import_app, name="import")
reader_cli.register(app)  # kg propose, kg eval figures|paper (kg/reader/cli.py)
eval_app = reader_cli.eval_app  # kg eval questions is below: it needs the query engine
app.add_typer(publish_app, name="publish")

F = TypeVar("F", bound=Callable[..., Any])

DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="Data directory (default: $EVIDENCE_KG_DATA, else the bundled data/)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
CivicOption = Annotated[bool, typer.Option("--civic/--no-civic", help="Include the CIViC release in data/civic/.")]


def _status(message: str) -> None:
    typer.echo(message, err=True)


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _handles_errors(command: F) -> F:
    """Turn evidence-kg errors into a clear message and an exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CorpusError as error:
            raise _fail(str(error), 1) from None
        except (UnknownEntityError, InvalidQueryError, BundleError) as error:
            raise _fail(str(error), 2) from None
        except (ExportError, EvidenceKGError) as error:
            raise _fail(str(error), 1) from None
        except FileNotFoundError as error:
            raise _fail(f"file not found: {error.filename or error}", 2) from None

    return wrapper  # type: ignore[return-value]


def _load(data: Path | None, civic: bool = True) -> Any:
    """Load and build the knowledge graph, reporting progress on stderr."""
    from kg.runtime.knowledge_graph import load_knowledge_graph

    started = time.perf_counter()
    _status("Loading data and building the graph…")

    def progress(done: int, total: int) -> None:
        _status(f"  graph: {done:,}/{total:,} records")

    kg = load_knowledge_graph(data, include_civic=civic, progress=progress)
    nodes, edges = kg.graph.number_of_nodes(), kg.graph.number_of_edges()
    _status(f"  {nodes:,} nodes, {edges:,} edges ({time.perf_counter() - started:.1f} s; data {kg.version})")
    return kg


def _print_json(payload: Any) -> None:
    import orjson

    sys.stdout.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode() + "\n")


def _print_answer(answer: Mapping[str, Any], as_json: bool) -> None:
    """An evidence answer as JSON, or as the readable text of :func:`kg.present.report.format_answer`."""
    if as_json:
        _print_json(answer)
        return
    from kg.present.report import format_answer

    typer.echo(format_answer(answer))


@app.command(epilog="Example: kg validate --data data/")
@_handles_errors
def validate(data: DataOption = None, civic: CivicOption = True, as_json: JsonOption = False) -> None:
    """Check every data file (schema, references, verbatim quotes, numbers in quotes, dates, CURIEs)."""
    from kg.curation.assemble import load_corpus

    _status("Validating…")
    corpus = load_corpus(data, include_civic=civic)
    counts = {name: count for name, count in corpus.counts().items() if count}
    if as_json:
        _print_json({"valid": True, "version": corpus.version, "counts": counts})
        return
    typer.echo(f"valid: {sum(counts.values()):,} records ({corpus.version})")
    for name, count in counts.items():
        typer.echo(f"  {name:24} {count:>8,}")


@app.command(epilog="Example: kg lint --fix")
@_handles_errors
def lint(
    data: DataOption = None,
    fix: Annotated[bool, typer.Option("--fix", help="Rewrite files into canonical form.")] = False,
) -> None:
    """Check that curated data files are in canonical form (with --fix, rewrite them)."""
    from kg.curation.lint import lint_data

    result = lint_data(data, fix=fix)
    typer.echo(result.report())
    if not result.ok:
        raise typer.Exit(1)


@app.command(epilog="Example: kg stats --json")
@_handles_errors
def stats(data: DataOption = None, civic: CivicOption = True, as_json: JsonOption = False) -> None:
    """Node counts by type and edge counts by predicate."""
    kg = _load(data, civic)
    counts = kg.stats()
    if as_json:
        _print_json({"version": kg.version, **counts})
        return
    typer.echo(f"data version {kg.version}")
    for heading, table in (("nodes", counts["nodes"]), ("edges", counts["edges"])):
        typer.echo(f"{heading} ({sum(table.values()):,}):")
        for name, count in sorted(table.items(), key=lambda kv: -kv[1]):
            typer.echo(f"  {name:26} {count:>9,}")


@app.command(epilog="Example: kg export --format turtle --output kg.ttl")
@_handles_errors
def export(
    fmt: Annotated[ExportFormatName, typer.Option("--format", "-f", help="Output format.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (atomically); default: evidence-kg.<format's extension>."),
    ] = None,
    data: DataOption = None,
    civic: CivicOption = True,
) -> None:
    """Export the graph as Turtle, JSON-LD, N-Triples, RDF/XML, KGX TSV (zip) or a flat CSV."""
    from kg.export import export_format, write_export

    output = output or Path(export_format(fmt.value).file_name)
    kg = _load(data, civic)
    _status(f"Writing {fmt.value} to {output}…")
    report = write_export(kg, fmt.value, output)
    main_counts = {k: v for k, v in report.counts.items() if not k.startswith("records.")}
    counted = ", ".join(f"{count:,} {name}" for name, count in main_counts.items())
    typer.echo(
        f"wrote {report.format} to {report.path}: {report.bytes / 1e6:.1f} MB, {counted} ({report.seconds:.2f} s)"
    )


LimitOption = Annotated[int, typer.Option("--limit", help="Results per page (1–500).")]
OffsetOption = Annotated[int, typer.Option("--offset", help="Results to skip.")]
RelatedOption = Annotated[bool, typer.Option("--related/--no-related", help="Include related (nearer) matches.")]


@app.command(epilog='Example: kg evidence --therapy pyrotinib --alteration "HER2 amplification" --disease NSCLC')
@_handles_errors
def evidence(
    therapy: Annotated[
        list[str] | None, typer.Option("--therapy", "-t", help="Drug or drug class (repeatable).")
    ] = None,
    alteration: Annotated[
        list[str] | None, typer.Option("--alteration", "-a", help="Alteration or gene (repeatable).")
    ] = None,
    disease: Annotated[str | None, typer.Option("--disease", "-d", help="Disease.")] = None,
    evidence_type: Annotated[
        list[EvidenceType] | None, typer.Option("--evidence-type", help="Filter (repeatable).")
    ] = None,
    direction: Annotated[list[Direction] | None, typer.Option("--direction", help="Filter (repeatable).")] = None,
    level: Annotated[list[EvidenceLevel] | None, typer.Option("--level", help="A–E (repeatable).")] = None,
    design: Annotated[list[StudyDesign] | None, typer.Option("--design", help="Study design (repeatable).")] = None,
    measure: Annotated[
        list[OutcomeMeasure] | None, typer.Option("--measure", help="Outcome measure (repeatable).")
    ] = None,
    limit: LimitOption = 20,
    offset: OffsetOption = 0,
    related: RelatedOption = True,
    data: DataOption = None,
    civic: CivicOption = True,
    as_json: JsonOption = False,
) -> None:
    """Structured evidence query: therapy × alteration × disease, ranked and explained."""
    from kg.query.answer import evidence_answer
    from kg.query.evidence_query import EvidenceQuery

    query = EvidenceQuery(
        therapy=tuple(therapy or ()),
        alteration=tuple(alteration or ()),
        disease=disease,
        evidence_type=tuple(evidence_type or ()),
        direction=tuple(direction or ()),
        level=tuple(level or ()),
        design=tuple(design or ()),
        measure=tuple(measure or ()),
        include_related=related,
        offset=offset,
        limit=limit,
    )
    if not (query.therapy or query.alteration or query.disease):
        raise InvalidQueryError(
            "therapy/alteration/disease", None, "at least one of --therapy, --alteration, --disease"
        )
    kg = _load(data, civic)
    _print_answer(evidence_answer(kg, query), as_json)


@app.command(epilog='Example: kg ask "what evidence supports pyrotinib in HER2-amplified NSCLC?"')
@_handles_errors
def ask(
    question: Annotated[str, typer.Argument(help="A question in plain words.")],
    limit: LimitOption = 20,
    offset: OffsetOption = 0,
    related: RelatedOption = True,
    data: DataOption = None,
    civic: CivicOption = True,
    as_json: JsonOption = False,
) -> None:
    """Free-text question: recognised entities, a ranked results list and a summary."""
    from kg.query.ask import ask as ask_question

    kg = _load(data, civic)
    answer = ask_question(kg, question, offset=offset, limit=limit, include_related=related)
    _print_answer(answer, as_json)


@app.command(epilog="Example: kg serve --port 8000   (then open http://127.0.0.1:8000/graph)")
@_handles_errors
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8000,
    data: DataOption = None,
    civic: CivicOption = True,
    sparql_endpoint: Annotated[
        str | None,
        typer.Option(help="Answer /sparql from this external SPARQL engine (see docs/deploy.md).", show_default=False),
    ] = None,
    sparql_graph: Annotated[str | None, typer.Option(help="Graph of the data on that engine (Virtuoso).")] = None,
    sparql_engine_timeout_s: Annotated[
        float | None,
        typer.Option(
            help="That engine's own time limit in seconds, if it has one (Oxigraph's --timeout-s): an answer "
            "ending later is refused as possibly cut (see docs/deploy.md).",
            min=0.001,
            show_default=False,
        ),
    ] = None,
    allow_version_mismatch: Annotated[
        bool, typer.Option("--allow-version-mismatch", help="Serve from an engine whose store holds another version.")
    ] = False,
) -> None:
    """Start the HTTP API and graph view (uvicorn).

    The server answers at once: the graph loads in the background (about a
    second with a warm cache), /health says "loading" meanwhile and requests
    wait for it. Invalid data is reported here and by /health (503). With
    --sparql-endpoint the graph loads first, and the server refuses to start
    when the engine's store holds another data version.
    """
    import uvicorn

    from api.app import create_app
    from api.settings import ApiSettings
    from kg.core.bulk import freeze_heap
    from kg.runtime.knowledge_graph import load_knowledge_graph

    def loader() -> Any:
        try:
            kg = load_knowledge_graph(data, include_civic=civic)
            kg.index  # noqa: B018 - built now, not by the first request
        except CorpusError as error:
            _status(f"error: {error}")
            raise
        freeze_heap()  # no full collection will walk the graph again (see kg.core.bulk.freeze_heap)
        _status(f"  graph ready: {kg.graph.number_of_nodes():,} nodes (data {kg.version})")
        return kg

    if sparql_endpoint is None and (sparql_graph is not None or sparql_engine_timeout_s is not None):
        given = "--sparql-graph" if sparql_graph is not None else "--sparql-engine-timeout-s"
        raise InvalidQueryError(given, sparql_graph or sparql_engine_timeout_s, "--sparql-endpoint URL as well")
    settings = ApiSettings(
        sparql_endpoint=sparql_endpoint,
        sparql_graph=sparql_graph,
        sparql_engine_timeout_s=sparql_engine_timeout_s,
        sparql_allow_version_mismatch=allow_version_mismatch,
    )
    if sparql_endpoint is not None:
        from kg.sparql.cli import check_endpoint

        try:
            endpoint = settings.endpoint_spec()  # checked before the graph is loaded
        except ValueError as error:
            raise InvalidQueryError("--sparql-endpoint", sparql_endpoint, f"a usable endpoint ({error})") from None
        kg = check_endpoint(endpoint, loader, allow_version_mismatch, settings.sparql_max_rows)
        _status(f"Serving on http://{host}:{port} (docs: /docs, graph view: /graph); SPARQL from {sparql_endpoint}")
        uvicorn.run(create_app(kg, settings=settings), host=host, port=port, log_level="info")
        return
    _status(f"Serving on http://{host}:{port} (docs: /docs, graph view: /graph); loading data in the background…")
    uvicorn.run(create_app(loader=loader, settings=settings), host=host, port=port, log_level="info")


@app.command(epilog="Example: kg view --output view.html --focus pyrotinib --depth 2")
@_handles_errors
def view(
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
    focus: Annotated[str | None, typer.Option(help="Entity (name, synonym or id) to centre on.")] = None,
    depth: Annotated[int, typer.Option(help="Hops around the focus (1–4).", min=1, max=4)] = 2,
    full: Annotated[bool, typer.Option("--full", help="Draw the whole graph (precomputed layout).")] = False,
    data: DataOption = None,
    civic: CivicOption = True,
) -> None:
    """Write the interactive graph view as one standalone, offline HTML file."""
    from kg.view import write_view

    kg = _load(data, civic)
    _status(f"Writing view to {output}…")
    result = write_view(kg, output, focus=focus, depth=depth, full=full)
    typer.echo(str(result) if result is not None else f"wrote {output}")


@import_app.command("civic", epilog="Example: kg import civic ../shared/data/civic-2024-08-01")
@_handles_errors
def import_civic(
    directory: Annotated[Path, typer.Argument(help="Directory holding a CIViC release's *Summaries.tsv files.")],
    data: DataOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report only; do not install.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Import a CIViC release: validate every row, reconcile with curated entities, install it into data/civic/.

    Nothing is installed when any row is wrong: the errors name file, row and column.
    """
    from kg.curation.assemble import run_import

    if not directory.is_dir():
        raise InvalidQueryError("DIR", str(directory), "an existing directory with CIViC *Summaries.tsv files")
    _status(f"Importing CIViC from {directory}…")
    result = run_import(directory, data, install=not dry_run)
    if as_json:
        _print_json(result.report.as_dict())
    else:
        typer.echo(result.report.to_text())


app.command(
    "verify-bundle", epilog="Example: kg verify-bundle answer.json   (exit 0 holds, 1 changed, 2 unreadable, 3 altered)"
)(_handles_errors(verify_bundle_command))


@eval_app.command("questions", epilog="Example: kg eval questions tests/data/questions.yaml --fail-under 0.95")
@_handles_errors
def eval_questions(
    file: Annotated[Path, typer.Argument(help="Question file (format: tests/data/README.md).")],
    data: DataOption = None,
    civic: CivicOption = True,
    as_json: JsonOption = False,
    fail_under: Annotated[
        float | None,
        typer.Option("--fail-under", min=0, max=1, help="Exit 1 when accuracy at 5, overall or of any kind, is lower."),
    ] = None,
) -> None:
    """Ask every question of FILE and print accuracy at 1 and at 5 per kind, then each failure with why."""
    from kg.query.evaluate import evaluate, load_questions

    questions = load_questions(file)
    report = evaluate(_load(data, civic), questions, str(file))
    if as_json:
        _print_json(report.to_dict())
    else:
        typer.echo("\n".join(report.lines()))
    if fail_under is not None and any(row["at5"] < fail_under for row in report.by_kind().values()):
        raise typer.Exit(1)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    app()


if __name__ == "__main__":
    main()
