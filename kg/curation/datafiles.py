"""Reading and writing curated data files (YAML) exactly.

Two things plain ``yaml.safe_load`` gets wrong for curated evidence:

* numbers: ``30.0`` would become the float 30.0 and ``0.0001`` a binary
  approximation. Here every YAML float is read as :class:`~decimal.Decimal`
  from its text, so published numbers stay exactly as published;
* duplicate keys: PyYAML keeps the last of two equal keys silently. Here a
  duplicate key is an error that names the line.

A data file is read defensively, since ``kg validate`` is the first thing
run on a curator's edit: bytes that are not UTF-8 are an error naming the
byte offset and line (never a ``UnicodeDecodeError``), a directory or an
unreadable file is an error naming it, collections nested deeper than
:data:`MAX_DEPTH` are refused before PyYAML's recursive composer could
exhaust the stack, and anchors/aliases (``&x`` / ``*x``, which data files do
not use and which let a few lines expand into billions of values) are
refused. Each record keeps the line it starts on (its ``id:`` line), taken
from the parser's own marks, so two records with one id are each reported
at their own line.

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

__all__ = [
    "MAX_DEPTH",
    "WELL_FORMED",
    "DataFileError",
    "RawRecord",
    "dump_canonical",
    "read_data_file",
    "read_text_file",
]


#: Deepest nesting of YAML collections accepted in a data file (a record needs five or six levels).
MAX_DEPTH = 64

#: What a data file must be, as error messages say it.
WELL_FORMED = "well-formed YAML: a mapping of section name to list of records"


#: Characters no data value may hold: C0 and C1 controls but tab, line feed and carriage return; DEL; lone
#: surrogates; the non-characters U+FFFE and U+FFFF. XML 1.0 cannot carry most of them at all (so RDF/XML and
#: SPARQL XML results could not), terminals act on them, and no published sentence contains them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def control_character(text: str) -> str | None:
    """``U+0007 at character 12`` for the first character of ``text`` that data may not hold, else ``None``."""
    found = CONTROL_CHARACTERS.search(text)
    return None if found is None else f"U+{ord(found.group()):04X} at character {found.start() + 1}"


class DataFileError(ValueError):
    """A data file that cannot be read, or is not well-formed YAML of the expected shape.

    ``field`` names the aspect at fault (``(file)``, ``(encoding)``) and
    ``expected`` what a valid file is, for the :class:`~kg.core.errors.DataError` built from it.
    """

    def __init__(
        self, message: str, line: int | None = None, *, field: str = "(file)", expected: str = WELL_FORMED
    ) -> None:
        self.line = line
        self.reason = message
        self.field = field
        self.expected = expected
        super().__init__(message if line is None else f"line {line}: {message}")


def read_text_file(path: Path) -> str:
    """The text of ``path`` as UTF-8; :class:`DataFileError` for a directory, an unreadable file or other bytes."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise DataFileError("this is a directory", field="(file)", expected="a file") from None
    except OSError as error:
        raise DataFileError(f"cannot be read ({error.strerror})", field="(file)", expected="a readable file") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise DataFileError(
            f"byte {error.start} (0x{raw[error.start]:02x}, column {column}) is not valid UTF-8 "
            "(save the file as UTF-8)",
            line,
            field="(encoding)",
            expected="UTF-8 text",
        ) from None


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
    """SafeLoader that reads floats as Decimal, rejects duplicate keys and aliases, and bounds nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def _next_line(self) -> int:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in types-PyYAML
        return 0 if event.start_mark is None else int(event.start_mark.line) + 1

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            line = self._next_line()
            raise DataFileError("an alias (*name): data files write every value out, without anchors and aliases", line)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                line = self._next_line()
                raise DataFileError(f"collections nested more than {MAX_DEPTH} levels deep", line)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


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

    Raises :class:`DataFileError` for a file that cannot be read as UTF-8,
    YAML syntax errors, duplicate keys, aliases, nesting deeper than
    :data:`MAX_DEPTH`, and a top level that is not a mapping of section name → list.
    """
    text = read_text_file(path)
    loader: _ExactLoader | None = None
    try:
        loader = _ExactLoader(text)  # the reader refuses non-printable characters here already
        root = loader.get_single_node()
        document = None if root is None else loader.construct_document(root)
    except DataFileError:
        raise
    except yaml.reader.ReaderError as error:  # a control character that YAML itself forbids
        at = text.count("\n", 0, error.position) + 1
        character = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or " ")
        raise DataFileError(
            f"character U+{character:04X} at offset {error.position}: YAML allows no control characters",
            at,
            field="(encoding)",
            expected="text without control characters",
        ) from None
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise DataFileError(f"not valid YAML: {error.problem}", line) from None
    except yaml.YAMLError as error:
        raise DataFileError(f"not valid YAML: {error}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if document is None:
        return []
    if not isinstance(document, dict) or not isinstance(root, yaml.MappingNode):
        raise DataFileError("the top level must be a mapping of section name to a list of records")
    item_lines = {str(loader.construct_object(key)): _item_lines(value) for key, value in root.value}
    records: list[RawRecord] = []
    for section, items in document.items():
        if not isinstance(items, list):
            raise DataFileError(f"section {section!r} must be a list of records")
        lines = item_lines.get(str(section), [])
        for index, item in enumerate(items):
            records.append(
                RawRecord(display_name, str(section), index, item, lines[index] if index < len(lines) else None)
            )
    return records


def _item_lines(section: yaml.Node) -> list[int]:
    """Line of each record of a section: its ``id:`` key when it has one, else where the item starts."""
    if not isinstance(section, yaml.SequenceNode):
        return []
    lines: list[int] = []
    for item in section.value:
        line = item.start_mark.line + 1
        if isinstance(item, yaml.MappingNode):
            for key, _ in item.value:
                if isinstance(key, yaml.ScalarNode) and key.value == "id":
                    line = key.start_mark.line + 1
                    break
        lines.append(line)
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
