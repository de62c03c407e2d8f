"""The SPARQL guard: real parsing, clear refusals, no network, no engine involved."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.sparql.errors import (
    ForbiddenQueryError,
    NotAcceptableError,
    QuerySyntaxError,
    QueryTimeoutError,
    QueryTooLargeError,
    ServiceBusyError,
    SparqlError,
    WorkerCrashedError,
)
from kg.sparql.guard import GuardedQuery, QueryForm, guard_query, precheck

EX = "PREFIX ex: <http://example.org/> "


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", QueryForm.SELECT),
        ("select distinct ?s where { ?s ?p ?o } order by ?s limit 3", QueryForm.SELECT),
        ("ASK { ?s ?p ?o }", QueryForm.ASK),
        ("CONSTRUCT WHERE { ?s ?p ?o }", QueryForm.CONSTRUCT),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", QueryForm.CONSTRUCT),
        ("DESCRIBE <http://example.org/s1>", QueryForm.DESCRIBE),
        (EX + "DESCRIBE ?s WHERE { ?s ex:p ?o }", QueryForm.DESCRIBE),
        (EX + "SELECT ?s WHERE { ?s ex:p/ex:q* ?o . FILTER NOT EXISTS { ?s ex:r ?x } }", QueryForm.SELECT),
    ],
)
def test_accepts_read_only_queries_and_returns_their_form(query: str, form: QueryForm) -> None:
    guarded = guard_query(query)
    assert guarded == GuardedQuery(text=query, form=form, prefixes=guarded.prefixes)
    assert guarded.form.returns_graph == (form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE))


def test_returns_declared_absolute_prefixes() -> None:
    guarded = guard_query(
        "BASE <http://b/> PREFIX ex: <http://e/> PREFIX : <http://d/> PREFIX r: <rel/> CONSTRUCT WHERE { ?s ex:p ?o }"
    )
    assert guarded.prefixes == (("ex", "http://e/"), ("", "http://d/"))


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT DATA"),
        ("DELETE DATA { <http://a> <http://b> <http://c> }", "DELETE DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("delete where { ?s ?p ?o }", "DELETE WHERE"),
        ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
        ("CLEAR ALL", "CLEAR"),
        ("DROP GRAPH <http://g>", "DROP"),
        ("CREATE GRAPH <http://g>", "CREATE"),
        ("ADD DEFAULT TO <http://g>", "ADD"),
        ("MOVE DEFAULT TO <http://g>", "MOVE"),
        ("COPY DEFAULT TO <http://g>", "COPY"),
        (EX + "INSERT DATA { ex:a ex:b ex:c } ; DROP ALL", "INSERT DATA"),
        ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "DROP"),
    ],
)
def test_refuses_sparql_update(query: str, named: str) -> None:
    with pytest.raises(ForbiddenQueryError) as caught:
        guard_query(query)
    error = caught.value
    assert error.http_status == 400
    assert "SPARQL Update" in error.feature and named in error.feature
    assert "read-only" in str(error)


@pytest.mark.parametrize(
    "query",
    [
        "LOAD <http://example.org/x>",
        "LOAD SILENT <http://example.org/x> INTO GRAPH <http://g>",
        "load <file:///etc/passwd>",
    ],
)
def test_refuses_load(query: str) -> None:
    with pytest.raises(ForbiddenQueryError) as caught:
        guard_query(query)
    assert caught.value.feature == "LOAD"
    assert "LOAD is not allowed" in str(caught.value)


SERVICE_QUERIES = {
    "top level": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "silent, variable endpoint": "SELECT * WHERE { ?x ?y ?e . SERVICE SILENT ?e { ?s ?p ?o } }",
    "in OPTIONAL": "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://x/> { ?s ?q ?r } } }",
    "in UNION": "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <http://x/> { ?s ?p ?o } } }",
    "in subquery": "SELECT * WHERE { ?s ?p ?o { SELECT ?s WHERE { SERVICE <http://x/> { ?s ?p ?o } } } }",
    "deeply nested": "SELECT * WHERE { ?s ?p ?o OPTIONAL { SELECT * WHERE { { ?a ?b ?c } UNION "
    "{ GRAPH ?g { MINUS { SERVICE <http://x/> { ?a ?b ?c } } } } } } }",
    "in FILTER EXISTS": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }",
    "in MINUS": "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <http://x/> { ?s ?p ?o } } }",
    "in CONSTRUCT": "CONSTRUCT WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    "in ASK": "ASK { SERVICE <http://x/> { ?s ?p ?o } }",
    "lower case": "select * where { service <http://x/> { ?s ?p ?o } }",
    "unicode-escaped keyword": r"SELECT * WHERE { \u0053ERVICE <http://x/> { ?s ?p ?o } }",
}


@pytest.mark.parametrize("query", SERVICE_QUERIES.values(), ids=SERVICE_QUERIES.keys())
def test_refuses_service_anywhere(query: str) -> None:
    with pytest.raises(ForbiddenQueryError) as caught:
        guard_query(query)
    assert caught.value.feature == "SERVICE"
    assert "SERVICE is not allowed" in str(caught.value)


def test_parser_check_catches_what_the_token_scan_misses() -> None:
    # "?o .SERVICE": the token scan skips words glued to a '.', the algebra walk does not.
    query = "SELECT * WHERE { ?s ?p ?o .SERVICE <http://x/> { ?s ?p ?o } }"
    precheck(query)  # passes the cheap scan...
    with pytest.raises(ForbiddenQueryError) as caught:
        guard_query(query)  # ...but not the parser
    assert caught.value.feature == "SERVICE"


@pytest.mark.parametrize(
    ("query", "feature"),
    [
        ("SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM NAMED"),
        ("select * from named <http://example.org/g> where { ?s ?p ?o }", "FROM NAMED"),
        ("CONSTRUCT { ?s ?p ?o } FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }", "FROM"),
        ("ASK FROM <http://example.org/x> { ?s ?p ?o }", "FROM"),
        ("DESCRIBE ?s FROM <http://example.org/x> WHERE { ?s ?p ?o }", "FROM"),
    ],
)
def test_refuses_dataset_clauses(query: str, feature: str) -> None:
    with pytest.raises(ForbiddenQueryError) as caught:
        guard_query(query)
    assert caught.value.feature == feature
    assert "dataset is fixed" in str(caught.value)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s <http://x/FROM#SERVICE> "LOAD FROM SERVICE" . ?service ?from ?load }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> FROM <http://y/> LOAD",
        'SELECT * WHERE { ?s ?p """multi\nline SERVICE { }\n""" }',
        "PREFIX from: <http://f/> PREFIX service: <http://s/> SELECT ?insert WHERE { ?insert from:service service:load }",
        "PREFIX ex: <http://e/> SELECT ?s WHERE { ?s ex:a-service ?o ; ex:drop ?d ; ex:from.x ?f }",
        'SELECT ?s WHERE { ?s ?p "copy"@en }',
        "SELECT ?s WHERE { _:delete ?p ?s }",
    ],
)
def test_keywords_inside_strings_iris_comments_and_names_are_fine(query: str) -> None:
    assert guard_query(query).form is QueryForm.SELECT


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_string_literal_content_is_data_not_syntax(content: str) -> None:
    escaped = content.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    query = f'SELECT ?s WHERE {{ ?s ?p ?o FILTER(?o != "{escaped}") }}'
    assert guard_query(query).form is QueryForm.SELECT


@pytest.mark.parametrize(
    ("query", "line", "column", "says"),
    [
        ("SELEC * WHERE { ?s ?p ?o }", 1, 1, "expected a query"),
        ("SELECT * WHERE {\n  ?s ?p ?o\n} LIMT 3", 3, 3, "unexpected 'LIMT'"),
        ("SELECT * WHERE { ?s ?p ?o ", 1, 27, "ends too early"),
        ("SELECT ?s WHERE {\n  ?s ?p }", 2, 3, "cannot be parsed"),
    ],
)
def test_syntax_errors_say_where(query: str, line: int, column: int, says: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        guard_query(query)
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert says in str(error)
    assert f"line {line}, column {column}" in str(error)
    assert error.http_status == 400
    assert error.as_dict()["error"] == "syntax_error"


def test_unknown_prefix_is_a_syntax_error_naming_the_prefix() -> None:
    with pytest.raises(QuerySyntaxError, match=r"unknown prefix 'ex:'.*PREFIX ex:"):
        guard_query("SELECT * WHERE { ?s ex:p ?o }")


@pytest.mark.parametrize("query", ["", "   \n\t"])
def test_empty_query_is_refused(query: str) -> None:
    with pytest.raises(QuerySyntaxError, match="empty"):
        guard_query(query)


def test_size_limit() -> None:
    query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 200
    with pytest.raises(QueryTooLargeError) as caught:
        guard_query(query, max_bytes=100)
    assert caught.value.limit == 100
    assert caught.value.size == len(query.encode())
    assert "limit is 100 bytes" in str(caught.value)
    guard_query(query, max_bytes=1000)


def test_too_deep_nesting_is_a_clear_error_not_a_crash() -> None:
    query = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    with pytest.raises(QueryTooLargeError, match="nested too deeply"):
        guard_query(query)


def test_non_string_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        guard_query(b"SELECT * {}")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "error",
    [
        QuerySyntaxError("bad", 2, 5),
        ForbiddenQueryError("SERVICE", "because"),
        QueryTooLargeError("too big", size=10, limit=5),
        NotAcceptableError("image/png", ["text/csv"], "SELECT"),
        QueryTimeoutError(1.5),
        ServiceBusyError(2.0, 2),
        WorkerCrashedError("killed by signal 9", -9),
    ],
)
def test_errors_survive_the_process_boundary(error: SparqlError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.as_dict() == error.as_dict()
    assert copy.http_status == error.http_status


def test_timeout_error_says_so() -> None:
    error = QueryTimeoutError(2.0)
    assert "timed out" in str(error)
    assert error.http_status == 504
    assert error.as_dict() == {"error": "query_timeout", "message": str(error), "timeout_s": 2.0}


@pytest.mark.parametrize("query", ["# only a comment", "#Ü?þ\U000fdfe1\x14", "PREFIX ex: <http://example.org/>"])
def test_a_request_with_no_operation_is_a_syntax_error(query: str) -> None:
    """rdflib parses these as an empty update whose operation list is None (schemathesis found the 500)."""
    with pytest.raises(QuerySyntaxError) as caught:
        guard_query(query)
    assert caught.value.http_status == 400


def test_every_public_name_of_the_package_resolves() -> None:
    """``kg.sparql`` imports lazily from a table; every name in ``__all__`` must be in it."""
    import kg.sparql

    assert all(getattr(kg.sparql, name) is not None for name in kg.sparql.__all__)
