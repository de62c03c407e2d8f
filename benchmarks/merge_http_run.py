"""``python -m benchmarks.merge_http_run RESULTS.json HTTP.json``: put a later HTTP run into a full run's results.

Issue 18's before/after section (:mod:`benchmarks.before_after`) compares an HTTP run measured after a change with
the full run's own; this command merges the two (and CPU shares, and the measurer's notes) and renders the report
again (:mod:`benchmarks.report`). It is its own module so that the report, which renders the section, and the
section's code do not import each other.
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.before_after import merge_http

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Merge a later HTTP run (and CPU shares) into a full run's results; write its JSON and Markdown again."""
    import argparse

    from benchmarks.report import render_markdown

    parser = argparse.ArgumentParser(prog="python -m benchmarks.merge_http_run", description=main.__doc__)
    parser.add_argument("results", type=Path, help="RESULTS.json of a full run (rewritten, with its .md)")
    parser.add_argument("http_run", type=Path, help="the JSON of a `python -m benchmarks --only http` run")
    parser.add_argument("--cpu-share", type=Path, nargs=2, metavar=("BEFORE", "AFTER"), help="cpu_share JSON lines")
    parser.add_argument("--note", action="append", default=[], help="a bullet under the before/after section")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text(encoding="utf-8"))
    http_run = json.loads(args.http_run.read_text(encoding="utf-8"))
    shares = None
    if args.cpu_share:
        before, after = (
            [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            for path in args.cpu_share
        )
        shares = {"before": before, "after": after}
    merged = merge_http(results, http_run, shares, args.note)
    args.results.write_text(json.dumps(merged, indent=1, default=str) + "\n", encoding="utf-8")
    args.results.with_suffix(".md").write_text(render_markdown(merged), encoding="utf-8")
    print(f"wrote {args.results} and {args.results.with_suffix('.md')}")


if __name__ == "__main__":
    main()
