"""The ``kg propose`` and ``kg eval figures`` / ``kg eval paper`` commands (registered by :mod:`kg.cli`).

``kg propose TEXT_FILE`` reads a paper's plain text and proposes evidence
records (:mod:`kg.reader.papers`): ``--json`` prints them, streamed one
proposal at a time so a long text needs bounded memory; ``--yaml`` writes a
draft ``data/papers/`` file of proposed items (:mod:`kg.reader.draft`).
``kg eval`` measures the results grammar against labelled figures
(:mod:`kg.reader.evaluate`). They live here, not in ``kg/cli.py``, so the
reader's commands change with the reader.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["LARGE_FILE", "eval_app", "propose", "register"]

#: Files larger than this (bytes) get a note that they are streamed and will take a while.
LARGE_FILE = 5_000_000

eval_app = typer.Typer(
    help="Measure the reader: figures against labelled statements, a paper, answers to a question set.",
    no_args_is_help=True,
)


class Split(StrEnum):
    TUNE = "tune"
    MEASURE = "measure"
    ALL = "all"


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _json_line(value: Any) -> str:
    import orjson

    return orjson.dumps(value).decode()


def propose(
    text_file: Annotated[Path, typer.Argument(help="The paper's plain text (UTF-8), e.g. data/texts/paper.txt.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the proposals as JSON.")] = False,
    as_yaml: Annotated[
        bool, typer.Option("--yaml", help="Write a draft data/papers/<paper>.yaml of proposed items.")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where --yaml writes (default: data/papers/<paper>.yaml).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Let --yaml replace an existing file.")] = False,
    data: Annotated[
        Path | None, typer.Option("--data", help="Data directory (default: $EVIDENCE_KG_DATA, else data/).")
    ] = None,
    civic: Annotated[bool, typer.Option("--civic/--no-civic", help="Recognise CIViC's names too.")] = True,
) -> None:
    """Propose evidence records from a paper's text: entities, registry ids, design, sample size and outcomes."""
    from kg.core.errors import EvidenceKGError
    from kg.reader.sentences import TextFileError, read_sentences

    if as_json and as_yaml:
        raise _fail("choose one of --json and --yaml")
    try:
        first = next(iter(read_sentences(text_file)), None)  # bad input fails here, before the graph is loaded
    except TextFileError as error:
        raise _fail(str(error)) from None
    if first is None:
        raise _fail(f"{text_file}: no sentences found: expected the plain text of a paper")
    size = text_file.stat().st_size
    if size > LARGE_FILE:
        typer.echo(
            f"note: {text_file} is {size / 1e6:.1f} MB: it is read paragraph by paragraph (bounded memory) and "
            "proposals are written as they are found; sentence splitting takes about a minute per 2 MB",
            err=True,
        )
    try:
        _propose(text_file, as_json, as_yaml, output, force, data, civic)
    except TextFileError as error:
        raise _fail(str(error)) from None
    except EvidenceKGError as error:
        raise _fail(str(error), 1) from None


def _propose(
    text_file: Path, as_json: bool, as_yaml: bool, output: Path | None, force: bool, data: Path | None, civic: bool
) -> None:
    from kg.curation.load import default_data_dir
    from kg.reader.names import recognise
    from kg.reader.papers import Unrecognised
    from kg.reader.papers import propose as proposals_of
    from kg.reader.sentences import read_sentences
    from kg.runtime.knowledge_graph import load_knowledge_graph

    data_dir = (data or default_data_dir()).resolve()
    typer.echo("Loading the graph's names…", err=True)
    kg = load_knowledge_graph(data_dir, include_civic=civic)
    unrecognised = Unrecognised()
    proposals = proposals_of(read_sentences(text_file), lambda sentence: recognise(kg, sentence), unrecognised)
    if as_yaml:
        _write_yaml(text_file, proposals, unrecognised, output, force, data_dir)
        return
    if as_json:
        out = sys.stdout
        out.write('{"proposals": [')
        for index, proposal in enumerate(proposals):
            out.write(("," if index else "") + "\n  " + _json_line(proposal.to_json()))
            out.flush()  # a long text's proposals appear as they are found
        out.write('\n], "unrecognised": ' + _json_line(unrecognised.to_json()) + "}\n")
        if unrecognised.more:
            typer.echo(f"note: {unrecognised.more} more unrecognised names not listed", err=True)
        return
    count = 0
    for proposal in proposals:
        count += 1
        quote = " ".join(proposal.quote.text.split())
        typer.echo(f"[{proposal.quote.start}-{proposal.quote.end}] {quote}")
        for mention in (*proposal.therapy, *proposal.alterations, *proposal.diseases):
            typer.echo(f"    {mention.facet}: {mention.text} → {mention.entity}")
        for found in proposal.registry_ids:
            typer.echo(f"    registry id: {found.id} ({found.registry})")
        for figure in proposal.outcomes:
            typer.echo(
                f"    outcome: {figure.measure.value} {figure.shown_value()} {figure.unit.value}  «{figure.text}»"
            )
    typer.echo(f"{count} proposals; unrecognised names: {', '.join(unrecognised.names) or 'none'}")


def _write_yaml(
    text_file: Path, proposals: Any, unrecognised: Any, output: Path | None, force: bool, data_dir: Path
) -> None:
    from kg.reader.draft import draft_slug, write_draft

    slug = draft_slug(text_file)
    target = output or data_dir / "papers" / f"{slug}.yaml"
    if target.exists() and not force:
        raise _fail(f"{target} exists: a draft never replaces a file (use --output PATH, or --force)")
    resolved = text_file.resolve()
    try:
        text_ref = resolved.relative_to(data_dir).as_posix()
    except ValueError:
        text_ref = f"texts/{text_file.name}"
        typer.echo(
            f"note: copy {text_file} to {data_dir / text_ref} (with its licence in data/LICENSES.md) before kg validate",
            err=True,
        )
    report = write_draft(proposals, unrecognised, output=target, text_file=text_ref, slug=slug)
    typer.echo(
        f"wrote {report.path}: {report.items} proposed evidence items, {report.outcomes} outcomes "
        f"({report.outcomes_in_notes} more in curator notes); unrecognised names: "
        f"{', '.join(report.unrecognised) or 'none'}"
    )
    typer.echo("next: kg validate, then check each item and set curation.status: accepted (README, 'Adding a paper')")


@eval_app.command("figures", epilog="Example: kg eval figures tests/data/civic_figures.yaml --split tune")
def eval_figures(
    file: Annotated[Path, typer.Argument(help="Labelled figures (format: tests/data/README.md).")],
    split: Annotated[Split, typer.Option("--split", help="Which half to score.")] = Split.ALL,
    details: Annotated[bool, typer.Option("--details", help="List misses and false alarms (tune split only).")] = False,
) -> None:
    """Recall, precision and CI-bound recall of the results grammar per measure, on labelled CIViC statements."""
    from kg.reader.evaluate import format_scores, load_labelled, score_labelled
    from kg.reader.results import extract_figures

    if details and split is not Split.TUNE:
        raise _fail("--details lists labels; the measure half is only measured, so --details needs --split tune")
    try:
        statements = load_labelled(file)
    except FileNotFoundError:
        raise _fail(f"file not found: {file}") from None
    except (ValueError, OSError) as error:
        raise _fail(str(error)) from None
    scores, count = score_labelled(statements, lambda text: extract_figures(text).figures, split.value)
    typer.echo(format_scores(f"{file} ({split.value}: {count} statements)", scores, details=details))


@eval_app.command("paper", epilog="Example: kg eval paper src:pan-zhou-2024")
def eval_paper(
    source: Annotated[str, typer.Argument(help="The curated paper's source id.")] = "src:pan-zhou-2024",
    data: Annotated[Path | None, typer.Option("--data", help="Data directory (default: data/).")] = None,
    details: Annotated[bool, typer.Option("--details", help="List misses and false alarms.")] = False,
) -> None:
    """Recall, precision and CI-bound recall against a curated paper's outcomes, reading its text as kg propose does."""
    from kg.core.errors import EvidenceKGError
    from kg.curation.load import default_data_dir, load_curated
    from kg.reader.evaluate import format_scores, paper_figures, score_paper

    data_dir = data or default_data_dir()
    try:
        corpus = load_curated(data_dir)
    except EvidenceKGError as error:
        raise _fail(str(error), 1) from None
    if source not in corpus.texts:
        raise _fail(f"no curated source with a text file named {source!r}")
    scores = score_paper(corpus, source, paper_figures)
    typer.echo(format_scores(f"{source} (curated outcomes as targets)", scores, details=details))


def register(app: typer.Typer) -> None:
    """Add ``kg propose`` and ``kg eval`` to the ``kg`` command."""
    app.command("propose", epilog="Example: kg propose data/texts/pan-zhou-2024-front-oncol.txt --json")(propose)
    app.add_typer(eval_app, name="eval")
