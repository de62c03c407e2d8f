"""Reading and writing curated data files (YAML) exactly.

Two things plain ``yaml.safe_load`` gets wrong for curated evidence:

* numbers: ``30.0`` would become the float 30.0 and ``0.0001`` a binary
  approximation. Here every YAML float is read as :class:`~decimal.Decimal`
  from its text, so published numbers stay exactly as published;
* duplicate keys: PyYAML keeps the last of two equal keys silently. Here a
  duplicate key is an error that names the line.

:func:`dump_canonical` writes records back in one canonical form (sections
in a fixed order, fields in model order, defaults left out) so that
``kg lint --fix`` can normalise curators' edits and diffs stay small.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

__all__ = ["DataFileError", "RawRecord", "dump_canonical", "read_data_file", "record_lines"]


class DataFileError(ValueError):
    """A data file that is not well-formed YAML of the expected shape."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(message if line is None else f"line {line}: {message}")


@dataclass(frozen=True)
class RawRecord:
    """One record as read from a data file, before validation."""

    file: str
    section: str
    index: int
    data: Any
    line: int | None

    @property
    def label(self) -> str:
        """How error messages name the record: its id when it has one, else its position."""
        record_id = self.data.get("id") if isinstance(self.data, dict) else None
        where = f" (line {self.line})" if self.line else ""
        if isinstance(record_id, str) and record_id:
            return f"{record_id}{where}"
        return f"{self.section}[{self.index}]{where}"


class _ExactLoader(yaml.SafeLoader):
    """SafeLoader that reads floats as Decimal and rejects duplicate keys."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | float:
    text = loader.construct_scalar(node)
    cleaned = str(text).replace("_", "")
    if cleaned.lower().lstrip("+-") in {".inf", ".nan"}:
        return float(loader.construct_yaml_float(node))
    return Decimal(cleaned)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise DataFileError(f"duplicate key {key!r} in one mapping", key_node.start_mark.line + 1)
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_ExactLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_data_file(path: Path, display_name: str) -> list[RawRecord]:
    """Read one data file into raw records, one per list item of each section.

    Raises :class:`DataFileError` for YAML syntax errors, duplicate keys, and
    a top level that is not a mapping of section name → list.
    """
    text = path.read_text(encoding="utf-8")
    try:
        document = yaml.load(text, Loader=_ExactLoader)  # noqa: S506 - SafeLoader subclass
    except DataFileError:
        raise
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise DataFileError(f"not valid YAML: {error.problem}", line) from None
    except yaml.YAMLError as error:
        raise DataFileError(f"not valid YAML: {error}") from None
    if document is None:
        return []
    if not isinstance(document, dict):
        raise DataFileError("the top level must be a mapping of section name to a list of records")
    lines = record_lines(text)
    records: list[RawRecord] = []
    for section, items in document.items():
        if not isinstance(items, list):
            raise DataFileError(f"section {section!r} must be a list of records")
        for index, item in enumerate(items):
            record_id = item.get("id") if isinstance(item, dict) else None
            line = lines.get(record_id) if isinstance(record_id, str) else None
            records.append(RawRecord(display_name, str(section), index, item, line))
    return records


_ID_LINE = re.compile(r"^\s*-?\s*id:\s*['\"]?([^'\"\s#]+)")


def record_lines(text: str) -> dict[str, int]:
    """Line number of each ``id:`` in a data file, for error messages."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _ID_LINE.match(line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


class _CanonicalDumper(yaml.SafeDumper):
    """SafeDumper for records: Decimals as plain numbers, enums as their values."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: ARG002
        super().increase_indent(flow, False)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = str(value)
    tag = "tag:yaml.org,2002:float" if "." in text or "E" in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


def _represent_enum(dumper: yaml.SafeDumper, value: Enum) -> yaml.ScalarNode:
    return dumper.represent_str(str(value.value))


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_CanonicalDumper.add_representer(Decimal, _represent_decimal)
_CanonicalDumper.add_multi_representer(Enum, _represent_enum)
_CanonicalDumper.add_representer(str, _represent_str)
_CanonicalDumper.add_representer(tuple, yaml.SafeDumper.represent_list)


def dump_canonical(sections: dict[str, list[dict[str, Any]]]) -> str:
    """The canonical YAML text of a data file's sections."""
    document = {name: items for name, items in sections.items() if items}
    return yaml.dump(
        document,
        Dumper=_CanonicalDumper,
        sort_keys=False,
        allow_unicode=True,
        width=110,
        default_flow_style=False,
    )
