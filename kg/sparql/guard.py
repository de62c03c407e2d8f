"""Refuse every SPARQL request that is not a plain read-only query over our data.

The endpoint runs user text on pyoxigraph, which executes ``SERVICE`` calls
over HTTP, and the benchmark baseline runs it on rdflib, which also fetches
``FROM <url>`` and ``LOAD`` sources. So before any engine sees a query, it
is parsed by a real SPARQL parser (rdflib's, which never touches the network
while parsing and translating to algebra) and refused when it is:

* not a query at all: any SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``,
  ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``, ``MOVE``, ``COPY``);
* a query using ``SERVICE`` anywhere (also nested in subqueries, ``OPTIONAL``,
  ``UNION``, ``MINUS``, ``FILTER EXISTS``);
* a query with ``FROM`` / ``FROM NAMED``: the dataset is fixed, and a remote
  IRI there would make an engine fetch it.

A second, independent check scans the query's tokens (outside strings, IRIs
and comments) for those keywords. It is cheap enough to run before a
worker is involved, and it is a safety net against parser differentials: a
query that rdflib and Oxigraph read differently must still not reach
Oxigraph with a ``SERVICE`` in it.

The rdflib parser is pure Python (pyparsing): slow on long expressions (about
5 KB/s of ``FILTER`` text here), not thread-safe, and recursive. The service
therefore runs :func:`guard_query` inside its killable worker processes,
under the query's time limit; :func:`precheck` (size and tokens) is the
part that is safe to run in the API process.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kg.sparql.errors import ForbiddenQueryError, QuerySyntaxError, QueryTooLargeError

__all__ = [
    "DEFAULT_MAX_QUERY_BYTES",
    "GuardedQuery",
    "QueryForm",
    "guard_query",
    "precheck",
]

#: Longest query text accepted, in UTF-8 bytes.
DEFAULT_MAX_QUERY_BYTES = 64 * 1024


class QueryForm(StrEnum):
    """The four SPARQL query forms."""

    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"

    @property
    def returns_graph(self) -> bool:
        """CONSTRUCT and DESCRIBE return RDF triples; SELECT and ASK return result sets."""
        return self in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)


@dataclass(frozen=True, slots=True)
class GuardedQuery:
    """A query text that passed the guard, with its form and declared prefixes.

    ``prefixes`` (name, absolute IRI) come from the query's PREFIX lines, so
    Turtle answers to CONSTRUCT/DESCRIBE read like the query that made them.
    """

    text: str
    form: QueryForm
    prefixes: tuple[tuple[str, str], ...] = ()


_UPDATE_KEYWORDS = ("INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING")
_READ_ONLY = "this endpoint is read-only and runs SPARQL queries only"
_WHY = {
    "LOAD": "this endpoint is read-only and never fetches remote data",
    "SERVICE": "federated queries would make the server call remote endpoints; query this dataset only",
    "FROM": "the dataset is fixed; remove the FROM clause (a FROM IRI could make an engine fetch remote data)",
    "FROM NAMED": "the dataset is fixed; remove the FROM NAMED clause (its IRI could make an engine fetch remote data)",
}

# Tokens that hide keywords: strings (long forms first), IRIs, comments.
_OPAQUE = re.compile(
    r"'''(?:\\.|[^\\])*?'''"
    r'|"""(?:\\.|[^\\])*?"""'
    r"|'(?:\\.|[^'\\\n\r])*'"
    r'|"(?:\\.|[^"\\\n\r])*"'
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n\r]*",
    re.DOTALL,
)
# A keyword standing alone: not part of a variable, prefixed name, language tag or blank node label.
_KEYWORD = re.compile(
    r"(?<![\w:?$@.\-])(" + "|".join(("LOAD", "SERVICE", "FROM", *_UPDATE_KEYWORDS)) + r")(?![\w:\-])",
    re.IGNORECASE,
)
_FROM_NAMED = re.compile(r"\s*NAMED(?![\w:\-])", re.IGNORECASE)
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_NEXT_WORD = re.compile(r"\s*(\w+)")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# pyparsing grammars are module-level objects that are not safe to use from two threads at once.
_PARSER_LOCK = threading.Lock()


def _expand_unicode_escapes(text: str) -> str:
    """Apply SPARQL's ``\\uXXXX`` escapes, which the spec processes before parsing."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _UNICODE_ESCAPE.sub(replace, text)


def precheck(text: str, *, max_bytes: int = DEFAULT_MAX_QUERY_BYTES) -> None:
    """Cheap checks that need no parser: type, size, and forbidden keywords among the tokens.

    Raises :class:`QueryTooLargeError` or :class:`ForbiddenQueryError`;
    returns ``None`` when the text may go on to :func:`guard_query`.
    """
    if not isinstance(text, str):
        raise TypeError(f"query must be str, not {type(text).__name__}")
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        raise QueryTooLargeError(
            f"query text is {size} bytes; the limit is {max_bytes} bytes", size=size, limit=max_bytes
        )
    if not text.strip():
        raise QuerySyntaxError("the query is empty", 1, 1)
    bare = _OPAQUE.sub(" ", _expand_unicode_escapes(text))
    for match in _KEYWORD.finditer(bare):
        keyword = match.group(1).upper()
        if keyword == "FROM":
            named = _FROM_NAMED.match(bare, match.end())
            feature = "FROM NAMED" if named else "FROM"
            raise ForbiddenQueryError(feature, _WHY[feature])
        if keyword in _WHY:
            raise ForbiddenQueryError(keyword, _WHY[keyword])
        following = _NEXT_WORD.match(bare, match.end())
        if keyword in ("INSERT", "DELETE") and following and following.group(1).upper() in ("DATA", "WHERE"):
            keyword = f"{keyword} {following.group(1).upper()}"
        raise ForbiddenQueryError(f"SPARQL Update ({keyword})", _READ_ONLY)


def guard_query(text: str, *, max_bytes: int = DEFAULT_MAX_QUERY_BYTES) -> GuardedQuery:
    """Parse ``text`` as a SPARQL 1.1 query and refuse anything but a read-only local query.

    Returns the query with its :class:`QueryForm`. Raises
    :class:`QuerySyntaxError` (with line and column when the parser gives
    them), :class:`ForbiddenQueryError` or :class:`QueryTooLargeError`.
    Nothing is fetched: rdflib only parses and translates here, it never
    evaluates.
    """
    precheck(text, max_bytes=max_bytes)
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _PARSER_LOCK:
        try:
            try:
                tree = parseQuery(text)
            except ParseException as query_error:
                _refuse_if_update(text, parseUpdate, ParseException)
                raise _syntax_error(query_error) from None
            # Refuse on the raw parse tree first: a forbidden query gets that
            # message even when it also has a semantic error.
            _refuse_forbidden(tree)
            try:
                algebra = translateQuery(tree)
            except RecursionError:
                raise
            except Exception as error:  # rdflib raises bare Exception, e.g. for an unknown prefix
                raise QuerySyntaxError(_semantic_detail(error)) from None
        except RecursionError:
            raise QueryTooLargeError(
                "the query is nested too deeply for the SPARQL parser; flatten nested groups or expressions"
            ) from None
    _refuse_forbidden(algebra.algebra)
    return GuardedQuery(text=text, form=_form_of(algebra.algebra.name), prefixes=_declared_prefixes(tree))


def _declared_prefixes(tree: Any) -> tuple[tuple[str, str], ...]:
    """The PREFIX declarations with absolute IRIs, in order (a relative one depends on BASE: skipped)."""
    declared: dict[str, str] = {}
    for declaration in tree[0] if len(tree) else ():
        if getattr(declaration, "name", "") == "PrefixDecl":
            # CompValue.get returns the key itself for a missing key, so test membership.
            iri = str(declaration["iri"]) if "iri" in declaration else ""
            if _ABSOLUTE_IRI.match(iri):
                declared[str(declaration["prefix"]) if "prefix" in declaration else ""] = iri
    return tuple(declared.items())


def _refuse_if_update(text: str, parse_update: Any, parse_exception: type[Exception]) -> None:
    """Raise :class:`ForbiddenQueryError` when ``text`` is a SPARQL Update request."""
    try:
        request = parse_update(text)
    except parse_exception:
        return
    # A request of comments or a bare prologue parses with `request` None: no operation.
    operations = [getattr(op, "name", "") for op in getattr(request, "request", None) or ()]
    if not operations:
        return  # an empty update (only a prologue) is not an update worth naming
    if "Load" in operations:
        raise ForbiddenQueryError("LOAD", _WHY["LOAD"])
    names = ", ".join(sorted({_UPDATE_NAMES.get(name, name) for name in operations}))
    raise ForbiddenQueryError(f"SPARQL Update ({names})", _READ_ONLY)


_UPDATE_NAMES = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}


def _refuse_forbidden(node: object) -> None:
    """Walk a parse tree or algebra and raise on SERVICE and dataset clauses, wherever they are."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack: list[object] = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                raise ForbiddenQueryError("SERVICE", _WHY["SERVICE"])
            if item.name == "DatasetClause":
                feature = "FROM NAMED" if "named" in item else "FROM"
                raise ForbiddenQueryError(feature, _WHY[feature])
            if item.name == "Load":
                raise ForbiddenQueryError("LOAD", _WHY["LOAD"])
            stack.extend(item.values())
        elif isinstance(item, (ParseResults, list, tuple, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


def _semantic_detail(error: Exception) -> str:
    """Reword rdflib's algebra-translation errors (it raises bare ``Exception``)."""
    message = str(error) or type(error).__name__
    prefix = re.match(r"Unknown namespace prefix : (\S*)", message)
    if prefix:
        name = prefix.group(1)
        return f"unknown prefix {name + ':'!r}; declare it first: PREFIX {name}: <...>"
    return message


def _form_of(algebra_name: str) -> QueryForm:
    forms = {
        "SelectQuery": QueryForm.SELECT,
        "AskQuery": QueryForm.ASK,
        "ConstructQuery": QueryForm.CONSTRUCT,
        "DescribeQuery": QueryForm.DESCRIBE,
    }
    try:
        return forms[algebra_name]
    except KeyError:
        raise QuerySyntaxError(f"unsupported query form {algebra_name!r}") from None


def _syntax_error(error: Any) -> QuerySyntaxError:
    """A clear syntax error from pyparsing's exception: what was found where, with line/column."""
    line = getattr(error, "lineno", None)
    column = getattr(error, "col", None)
    found = _found_text(error)
    expected = str(getattr(error, "msg", "") or "")
    # pyparsing names grammar rules ("Expected SelectQuery"); say what the user can act on.
    if expected.startswith("Expected end of text"):
        detail = f"unexpected {found} after the end of the query"
    elif expected.startswith("Expected {SelectQuery"):
        detail = f"expected a query (SELECT, ASK, CONSTRUCT or DESCRIBE, after any PREFIX/BASE), found {found}"
    elif found == _END:
        detail = "the query ends too early (is a '}', ')' or ']' missing?)"
    else:
        detail = f"the query cannot be parsed from {found} on (the error is at or after this point)"
    source_line = getattr(error, "line", "")
    if source_line and column is not None:
        detail += f"\n  {source_line}\n  {' ' * (column - 1)}^"
    return QuerySyntaxError(detail, line, column)


_END = "the end of the query"


def _found_text(error: Any) -> str:
    text = getattr(error, "pstr", "") or ""
    loc = getattr(error, "loc", None)
    if loc is None or not text[loc:].strip():
        return _END
    token = re.match(r"\S{1,30}", text[loc:])
    return repr(token.group(0)) if token else "whitespace"
