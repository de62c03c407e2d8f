"""Markdown cells and tables of the benchmark report: the one place numbers are formatted for RESULTS.md."""

from __future__ import annotations

from typing import Any

__all__ = ["body_size", "number", "spread", "table"]


def number(value: float | None, digits: int = 1, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{unit}"


def spread(summary: dict[str, Any] | None, digits: int = 1) -> str:
    if not summary:
        return "—"
    if summary.get("n", 0) <= 1:
        return f"{summary['median']:,.{digits}f}"
    return f"{summary['median']:,.{digits}f} ({summary['p10']:,.{digits}f}–{summary['p90']:,.{digits}f})"


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def body_size(size: int | dict[str, Any]) -> str:
    """A body size, or the median size of a workload's answers."""
    return f"{size:,}" if isinstance(size, int) else f"{size['median']:,.0f} (median)"
