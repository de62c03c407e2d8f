"""``kg verify-bundle FILE``: does a citable answer still hold against the current data, and if not, what changed.

The command lives here rather than in :mod:`kg.cli` (which registers it)
so the CLI module stays a list of commands. Exit codes: 0 the answer still
holds (perhaps on a newer data version), 1 it changed (each change is
listed: items gone or new, ranks, numbers), 2 the file is not a readable
bundle (or an argument is bad), 3 the bundle does not match its own content
hash (it was edited or corrupted after it was made), 4 the current data does
not load (its errors are printed), so that case is never mistaken for a change.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["verify_bundle_command"]


def _value(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:79] + "…"


def _line(change: dict[str, Any]) -> str:
    where = " ".join(part for part in (change.get("item"), change.get("field")) if part)
    kind = str(change["change"]).replace("_", " ")
    if change["change"] in ("item_gone", "item_new"):
        rank = change["was"] if change["change"] == "item_gone" else change["now"]
        return f"  {kind}: {where} (rank {rank})" if rank is not None else f"  {kind}: {where}"
    if change["change"] == "unanswerable":
        return f"  {kind}: {change['now']}"
    if change["change"] in ("conflict_gone", "conflict_new"):
        disputes = change["was"] if change["change"] == "conflict_gone" else change["now"]
        return f"  {kind}: {change['item']} (supports) vs {disputes} (does not support)"
    return f"  {kind}: {where}: {_value(change['was'])} → {_value(change['now'])}"


def verify_bundle_command(
    file: Annotated[Path, typer.Argument(help="A bundle saved from /evidence, /ask or /synthesis with bundle=true.")],
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Data directory (default: $EVIDENCE_KG_DATA, else the bundled data/)."),
    ] = None,
    civic: Annotated[bool, typer.Option("--civic/--no-civic", help="Include the CIViC release in data/civic/.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Say whether a saved answer bundle still holds against the current data, and what changed if not."""
    import orjson

    from kg.core.errors import BundleError, CorpusError
    from kg.query.bundle import read_bundle, verify_bundle
    from kg.runtime.knowledge_graph import load_knowledge_graph

    try:
        raw = file.read_bytes()
    except IsADirectoryError:
        raise BundleError(str(file), None, "a bundle file, not a directory") from None
    except OSError as error:
        raise BundleError(str(file), None, f"a readable file ({error.strerror or error})") from None
    bundle = read_bundle(raw, str(file))
    typer.echo("Loading data and building the graph…", err=True)
    try:
        kg = load_knowledge_graph(data, include_civic=civic)
    except CorpusError as error:
        typer.echo(f"error: the current data does not load, so the bundle cannot be checked:\n{error}", err=True)
        raise typer.Exit(4) from None
    result = verify_bundle(kg, bundle, str(file))
    if as_json:
        sys.stdout.write(orjson.dumps(result.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        typer.echo(f"{file}: {result.status} — {result.message}")
        typer.echo(
            f"  {result.kind} answer made on data {result.bundle_data_version}; current data {result.current_data_version}"
        )
        for change in result.changes:
            typer.echo(_line(dict(change)))
    raise typer.Exit(result.exit_code)
