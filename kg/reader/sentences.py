"""A paper's plain text, read safely and in bounded memory: paragraphs, then sentences with their offsets.

Why pysbd: it is a well-kept, pure-Python, rule-based sentence splitter
that knows the abbreviations of scientific and clinical prose ("et al.",
"vs.", "Fig. 2", "e.g.", decimals, "P = .001"), needs no model download,
and returns character spans (NOTES.md, "Reading text offline"). It treats
a single line break as a sentence end, so text extracted from a PDF
(lines broken mid-sentence) is read paragraph by paragraph with each line
break turned into a space of the same length: offsets stay offsets into
the file's text.

Bad input gets a clear :class:`TextFileError` (never a traceback): an
empty file, a binary file (a NUL byte, or many control characters), text
that is not UTF-8 (with the byte offset and line of the first bad byte).
A large file is read in chunks and split at blank lines; a paragraph
longer than :data:`MAX_PARAGRAPH` characters is cut at a line break (or a
space), so memory stays bounded whatever the file's size.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kg.core.errors import EvidenceKGError

__all__ = [
    "MAX_PARAGRAPH",
    "Paragraph",
    "Sentence",
    "TextFileError",
    "read_paragraphs",
    "read_sentences",
    "text_sentences",
]

#: Longest paragraph handed to the sentence splitter, in characters; longer runs are cut at a line break.
MAX_PARAGRAPH = 20_000
_CHUNK = 1 << 16
_BLANK_LINE = re.compile(r"\n[ \t\f\v\r]*\n")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # tab, line breaks, \x0b and \x0c (PDF page breaks) are text


class TextFileError(EvidenceKGError):
    """A text file that cannot be read as a paper's plain text: names the file and what was expected."""


@dataclass(frozen=True)
class Paragraph:
    """A run of text between blank lines; ``start`` is its offset in the file's text."""

    start: int
    text: str


@dataclass(frozen=True)
class Sentence:
    """One sentence: its verbatim text (line breaks kept) and its span in the file's text."""

    start: int
    end: int
    text: str
    paragraph: Paragraph


def _first_bad_byte(path: Path) -> tuple[int, int, str]:
    """Byte offset, line number and reason of the first byte that is not valid UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    offset = 0
    line = 1
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return offset + error.start, line + chunk[: error.start].count(b"\n"), error.reason
            offset += len(chunk)
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            return offset + error.start, line, error.reason
    return offset, line, "unknown"


def _check_head(path: Path) -> None:
    """Refuse an empty file and a binary one before reading it as text."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise TextFileError(f"{path}: no such file: expected the plain text of a paper") from None
    if path.is_dir():
        raise TextFileError(f"{path}: is a directory: expected the plain text of a paper (a .txt file)")
    if size == 0:
        raise TextFileError(f"{path}: the file is empty: expected the plain text of a paper")
    with path.open("rb") as stream:
        head = stream.read(8192)
    if b"\x00" in head:
        where = head.index(b"\x00")
        raise TextFileError(
            f"{path}: looks like a binary file (a NUL byte at byte {where}): expected plain UTF-8 text; "
            "convert a PDF to text first (e.g. `pdftotext -layout paper.pdf paper.txt`)"
        )
    if head.startswith(b"%PDF"):
        raise TextFileError(f"{path}: is a PDF: expected plain UTF-8 text (e.g. `pdftotext paper.pdf paper.txt`)")
    sample = head.decode("utf-8", errors="ignore")
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise TextFileError(f"{path}: looks like a binary file (many control characters): expected plain UTF-8 text")


def _decoded_chunks(path: Path) -> Iterator[str]:
    """The file's text in chunks, line endings as Python reads text files ("\\r\\n" → "\\n")."""
    try:
        with path.open(encoding="utf-8", errors="strict", newline=None) as stream:
            while chunk := stream.read(_CHUNK):
                yield chunk
    except UnicodeDecodeError:
        offset, line, reason = _first_bad_byte(path)
        raise TextFileError(
            f"{path}: not UTF-8 text: byte {offset} (line {line}) is not valid UTF-8 ({reason}); "
            "expected a UTF-8 text file (convert it, e.g. `iconv -f latin1 -t utf-8`)"
        ) from None


def read_paragraphs(path: Path, max_paragraph: int = MAX_PARAGRAPH) -> Iterator[Paragraph]:
    """The paragraphs of a text file, streamed; raises :class:`TextFileError` for input that is not a text."""
    _check_head(path)
    found = False
    for paragraph in _paragraphs(_decoded_chunks(path), str(path), max_paragraph):
        found = True
        yield paragraph
    if not found:
        raise TextFileError(f"{path}: holds only whitespace: expected the plain text of a paper")


def _paragraphs(chunks: Iterable[str], name: str, max_paragraph: int = MAX_PARAGRAPH) -> Iterator[Paragraph]:
    """Paragraphs of a text given in chunks: split at blank lines, none longer than ``max_paragraph``."""
    buffer = ""
    offset = 0  # offset of buffer[0] in the text
    for chunk in chunks:
        bad = _CONTROL.search(chunk)
        if bad is not None:
            raise TextFileError(
                f"{name}: contains a control character ({bad.group()!r}): expected plain text (a binary file?)"
            )
        buffer += chunk
        while True:
            match = _BLANK_LINE.search(buffer)
            if match is None and len(buffer) <= max_paragraph:
                break
            if match is not None and match.start() <= max_paragraph:
                cut, resume = match.start(), match.end()
            else:
                window = buffer[:max_paragraph]
                cut = max(window.rfind("\n"), window.rfind(" "))
                cut = cut if cut > 0 else max_paragraph
                resume = cut
            paragraph = buffer[:cut]
            if paragraph.strip():
                yield _trimmed(offset, paragraph)
            buffer = buffer[resume:]
            offset += resume
    if buffer.strip():
        yield _trimmed(offset, buffer)


def _trimmed(offset: int, text: str) -> Paragraph:
    stripped = text.lstrip()
    start = offset + len(text) - len(stripped)
    return Paragraph(start, stripped.rstrip())


@cache
def _segmenter() -> Any:
    import pysbd  # type: ignore[import-untyped]  # pysbd ships no type information

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _spans(paragraph: Paragraph) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph (offsets into the paragraph), by pysbd, checked against the text."""
    flat = paragraph.text.replace("\n", " ")
    spans: list[tuple[int, int]] = []
    at = 0
    for part in _segmenter().segment(flat):
        text = part.sent.rstrip()
        if not text.strip():
            continue
        start = flat.find(text, at)
        if start < 0:  # pysbd changed the text: fall back to the paragraph as one sentence
            return [(0, len(flat))]
        if spans and _continues(flat, spans[-1], start):
            spans[-1] = (spans[-1][0], start + len(text))  # "HER?\n2 in lung cancer": noise, not a sentence end
        else:
            spans.append((start, start + len(text)))
        at = start + len(text)
    return spans or [(0, len(flat))]


def _continues(flat: str, previous: tuple[int, int], start: int) -> bool:
    """Whether a segment continues the previous one: it opens in lower case, or a digit follows a "?"."""
    head = flat[start : start + 1]
    tail = flat[previous[1] - 1 : previous[1]]
    return head.islower() or (head.isdigit() and tail in {"?", "!"})


def read_sentences(path: Path) -> Iterator[Sentence]:
    """The sentences of a text file with their offsets in its text, streamed paragraph by paragraph."""
    return _sentences(read_paragraphs(path))


def text_sentences(text: str) -> Iterator[Sentence]:
    """The sentences of a text already in memory, as :func:`read_sentences` reads them from a file."""
    return _sentences(_paragraphs([text.replace("\r\n", "\n")], "text"))


def _sentences(paragraphs: Iterable[Paragraph]) -> Iterator[Sentence]:
    for paragraph in paragraphs:
        for start, end in _spans(paragraph):
            text = paragraph.text[start:end]
            lead = len(text) - len(text.lstrip())
            yield Sentence(paragraph.start + start + lead, paragraph.start + end, text.strip(), paragraph)
