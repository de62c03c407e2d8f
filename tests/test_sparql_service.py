"""The SPARQL service end to end: real pyoxigraph store, real worker processes, real parsers.

One module-scoped service serves most tests; the tests that kill or crash
workers use their own small runners so that they cannot disturb the others.
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result

from kg.sparql import (
    ForbiddenQueryError,
    NotAcceptableError,
    QueryForm,
    QueryRunner,
    QuerySyntaxError,
    QueryTimeoutError,
    QueryTooLargeError,
    ResultFormat,
    ServiceBusyError,
    ServiceClosedError,
    SparqlService,
    StoreError,
    WorkerCrashedError,
    build_store,
    load_rdflib_graph,
    negotiate,
    open_read_only,
    run_rdflib_baseline,
)
from kg.sparql.store import read_store_info

EX = "http://example.org/"
PREFIX = f"PREFIX ex: <{EX}> "
SUBJECTS = 1000
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
# A cross product over ~3,000 triples (2.7e10 rows): COUNT must see every row, so it never ends.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SPECIAL_TEXT = 'tab\there, line\nbreak, "quotes", back\\slash, é 中文 🧬'


def synthetic_ntriples(subjects: int = SUBJECTS) -> bytes:
    """~3 triples per subject, plus one subject with awkward literals and a blank node."""
    lines = []
    for i in range(subjects):
        s = f"<{EX}s{i}>"
        lines.append(f'{s} <{EX}label> "item {i}" .')
        lines.append(f'{s} <{EX}value> "{i}"^^<http://www.w3.org/2001/XMLSchema#integer> .')
        lines.append(f"{s} <{EX}next> <{EX}s{(i + 1) % subjects}> .")
    escaped = SPECIAL_TEXT.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    lines.append(f'<{EX}special> <{EX}text> "{escaped}" .')
    lines.append(f'<{EX}special> <{EX}label> "bonjour"@fr .')
    lines.append(f"<{EX}special> <{EX}part> _:b1 .")
    lines.append(f'_:b1 <{EX}label> "a blank node" .')
    return ("\n".join(lines) + "\n").encode("utf-8")


TRIPLES = 3 * SUBJECTS + 4


@pytest.fixture(scope="module")
def ntriples() -> bytes:
    return synthetic_ntriples()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, ntriples: bytes) -> Path:
    return build_store(tmp_path_factory.mktemp("sparql"), "test-1", ntriples).path


@pytest.fixture(scope="module")
def service(store_dir: Path) -> Iterator[SparqlService]:
    with SparqlService(store_dir, timeout_s=20, max_rows=50, workers=2) as svc:
        yield svc


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(condition, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def sparql_xml(body: bytes) -> Result:
    return Result.parse(io.BytesIO(body), format="xml")


# -- store ---------------------------------------------------------------------------------


def test_store_is_built_once_per_data_version(tmp_path: Path, ntriples: bytes) -> None:
    first = build_store(tmp_path, "v1", ntriples)
    assert (first.triples, first.data_version, first.reused) == (TRIPLES, "v1", False)
    assert first.pyoxigraph_version == pyoxigraph.__version__
    again = build_store(tmp_path, "v1", b"this is not read when the store exists")
    assert again.reused and again.path == first.path and again.built_at == first.built_at
    other = build_store(tmp_path, "v2", ntriples[: ntriples.index(b"\n") + 1])
    assert other.triples == 1 and other.path != first.path
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.path.name, other.path.name])  # no leftovers


def test_store_from_file_and_file_object(tmp_path: Path, ntriples: bytes) -> None:
    source = tmp_path / "kg.nt"
    source.write_bytes(ntriples)
    assert build_store(tmp_path / "a", "v1", source).triples == TRIPLES
    with source.open("rb") as handle:
        assert build_store(tmp_path / "b", "v1", handle).triples == TRIPLES
    store = open_read_only(build_store(tmp_path / "a", "v1", source).path)
    assert len(store) == TRIPLES


def test_store_refuses_bad_input(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="invalid N-Triples"):
        build_store(tmp_path, "v1", b"<http://a> <http://b> broken .\n")
    assert not any(tmp_path.iterdir())  # the failed build left nothing behind
    with pytest.raises(ValueError, match="data version"):
        build_store(tmp_path, "../escape", b"")
    with pytest.raises(TypeError):
        build_store(tmp_path, "v1", "<a> <b> <c> .")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="no complete SPARQL store"):
        open_read_only(tmp_path / "missing")
    with pytest.raises(StoreError):
        SparqlService(tmp_path / "missing")


def test_service_reports_its_store(service: SparqlService) -> None:
    assert service.info.triples == TRIPLES
    assert service.info.data_version == "test-1"
    assert read_store_info(service.info.path) == service.info


# -- SELECT / ASK / CONSTRUCT / DESCRIBE in every format ------------------------------------

SELECT_THREE = PREFIX + "SELECT ?s ?label ?value WHERE { ?s ex:label ?label ; ex:value ?value } ORDER BY ?value LIMIT 3"
EXPECTED_ROWS = [(f"{EX}s{i}", f"item {i}", i) for i in range(3)]


def test_select_json(service: SparqlService) -> None:
    result = service.query(SELECT_THREE)
    assert result.media_type == "application/sparql-results+json"
    assert (result.query_form, result.row_count, result.truncated) == (QueryForm.SELECT, 3, False)
    data = json.loads(result.body)
    assert data["head"]["vars"] == ["s", "label", "value"]
    rows = [(b["s"]["value"], b["label"]["value"], int(b["value"]["value"])) for b in data["results"]["bindings"]]
    assert rows == EXPECTED_ROWS
    assert data["results"]["bindings"][0]["value"]["datatype"] == XSD_INTEGER
    assert result.elapsed_ms > 0


def test_select_xml(service: SparqlService) -> None:
    result = service.query(SELECT_THREE, "application/sparql-results+xml")
    assert result.media_type == "application/sparql-results+xml"
    parsed = sparql_xml(result.body)
    rows = [(str(row.s), str(row.label), row.value.toPython()) for row in parsed]
    assert rows == EXPECTED_ROWS


def test_select_csv(service: SparqlService) -> None:
    result = service.query(SELECT_THREE, "text/csv")
    assert result.media_type == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(result.body.decode("utf-8"))))
    assert rows[0] == ["s", "label", "value"]
    assert [(s, label, int(value)) for s, label, value in rows[1:]] == EXPECTED_ROWS


def test_select_tsv(service: SparqlService) -> None:
    result = service.query(SELECT_THREE, "text/tab-separated-values")
    assert result.media_type == "text/tab-separated-values; charset=utf-8"
    parsed = Result.parse(io.BytesIO(result.body), format="tsv")
    rows = [(str(row.s), str(row.label), int(row.value)) for row in parsed]
    assert rows == EXPECTED_ROWS


@pytest.mark.parametrize("accept", [None, "application/sparql-results+xml", "text/tab-separated-values"])
def test_awkward_terms_survive_serialization(service: SparqlService, accept: str | None) -> None:
    query = PREFIX + "SELECT ?p ?o ?x WHERE { ex:special ?p ?o OPTIONAL { ?o ex:label ?x } } ORDER BY ?p"
    result = service.query(query, accept)
    if accept is None:
        parsed = Result.parse(io.BytesIO(result.body), format="json")
    else:
        parsed = Result.parse(io.BytesIO(result.body), format="xml" if "xml" in accept else "tsv")
    rows = {str(row.p): (row.o, row.x) for row in parsed}
    assert rows[f"{EX}text"] == (Literal(SPECIAL_TEXT), None)
    assert rows[f"{EX}label"] == (Literal("bonjour", lang="fr"), None)
    blank, label = rows[f"{EX}part"]
    assert isinstance(blank, BNode) and label == Literal("a blank node")


def test_empty_and_variable_free_results(service: SparqlService) -> None:
    empty = json.loads(service.query(PREFIX + "SELECT ?s WHERE { ?s ex:nothing ?o }").body)
    assert empty == {"head": {"vars": ["s"]}, "results": {"bindings": []}}
    one_empty_row = json.loads(service.query("SELECT * WHERE {}").body)
    assert one_empty_row["results"]["bindings"] == [{}]


@pytest.mark.parametrize(
    ("accept", "read"),
    [
        (None, lambda body: json.loads(body)["boolean"]),
        ("application/sparql-results+xml", lambda body: sparql_xml(body).askAnswer),
        ("text/csv", lambda body: body.decode().strip() == "true"),
        ("text/tab-separated-values", lambda body: body.decode().strip() == "true"),
    ],
)
def test_ask(service: SparqlService, accept: str | None, read) -> None:
    yes = service.query(PREFIX + "ASK { ex:s1 ex:next ex:s2 }", accept)
    no = service.query(PREFIX + "ASK { ex:s2 ex:next ex:s1 }", accept)
    assert (read(yes.body), read(no.body)) == (True, False)
    assert yes.query_form is QueryForm.ASK and yes.row_count is None and not yes.truncated


@pytest.mark.parametrize(("accept", "rdflib_format"), [(None, "turtle"), ("application/n-triples", "nt")])
def test_construct(service: SparqlService, accept: str | None, rdflib_format: str) -> None:
    query = PREFIX + "CONSTRUCT { ?s ex:follows ?o } WHERE { ?o ex:next ?s } ORDER BY ?s LIMIT 1000"
    result = service.query(query, accept, max_rows=5000)
    graph = Graph().parse(data=result.body, format=rdflib_format)
    assert len(graph) == result.row_count == SUBJECTS
    assert (URIRef(f"{EX}s2"), URIRef(f"{EX}follows"), URIRef(f"{EX}s1")) in graph
    if accept is None:
        assert result.media_type == "text/turtle; charset=utf-8"
        assert result.body.startswith(b"@prefix ex: <http://example.org/>")  # the query's prefixes
    else:
        assert result.media_type == "application/n-triples"


@pytest.mark.parametrize(("accept", "rdflib_format"), [("text/turtle", "turtle"), ("application/n-triples", "nt")])
def test_describe(service: SparqlService, accept: str, rdflib_format: str) -> None:
    result = service.query(f"DESCRIBE <{EX}s7>", accept)
    assert result.query_form is QueryForm.DESCRIBE
    graph = Graph().parse(data=result.body, format=rdflib_format)
    s7 = URIRef(f"{EX}s7")
    assert graph.value(s7, URIRef(f"{EX}label")) == Literal("item 7")
    assert graph.value(s7, URIRef(f"{EX}next")) == URIRef(f"{EX}s8")
    assert graph.value(s7, URIRef(f"{EX}value")) == Literal(7)


# -- content negotiation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "form", "expected"),
    [
        (None, QueryForm.SELECT, ResultFormat.JSON),
        ("", QueryForm.ASK, ResultFormat.JSON),
        ("*/*", QueryForm.SELECT, ResultFormat.JSON),
        ("*/*", QueryForm.CONSTRUCT, ResultFormat.TURTLE),
        ("application/json", QueryForm.SELECT, ResultFormat.JSON),
        ("application/xml", QueryForm.SELECT, ResultFormat.XML),
        ("text/csv;q=0.5, application/sparql-results+xml", QueryForm.SELECT, ResultFormat.XML),
        ("text/csv, application/sparql-results+json", QueryForm.SELECT, ResultFormat.CSV),
        ("text/*", QueryForm.SELECT, ResultFormat.CSV),
        ("text/html, text/csv;q=0.9, */*;q=0.1", QueryForm.SELECT, ResultFormat.CSV),
        ("application/sparql-results+json;q=0, */*", QueryForm.SELECT, ResultFormat.XML),
        ("text/turtle; charset=utf-8", QueryForm.DESCRIBE, ResultFormat.TURTLE),
        ("application/n-triples, text/turtle;q=0.8", QueryForm.CONSTRUCT, ResultFormat.N_TRIPLES),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", QueryForm.SELECT, ResultFormat.XML),
    ],
)
def test_negotiate(accept: str | None, form: QueryForm, expected: ResultFormat) -> None:
    assert negotiate(accept, form) is expected


@pytest.mark.parametrize(
    ("accept", "form"),
    [
        ("image/png", QueryForm.SELECT),
        ("text/turtle", QueryForm.SELECT),
        ("application/sparql-results+json", QueryForm.CONSTRUCT),
        ("text/csv;q=0", QueryForm.SELECT),
        ("nonsense", QueryForm.ASK),
    ],
)
def test_negotiate_refuses_with_the_supported_list(accept: str, form: QueryForm) -> None:
    with pytest.raises(NotAcceptableError) as caught:
        negotiate(accept, form)
    assert caught.value.http_status == 406
    assert caught.value.supported[0] in str(caught.value)


def test_service_406(service: SparqlService) -> None:
    with pytest.raises(NotAcceptableError, match="supported media types"):
        service.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "text/turtle")
    with pytest.raises(NotAcceptableError, match="image/png"):
        service.query("CONSTRUCT WHERE { ?s ?p ?o }", "image/png")


# -- refusals and bad queries go through the service too -------------------------------------


@pytest.mark.parametrize(
    ("query", "feature"),
    [
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "SPARQL Update (INSERT DATA)"),
        ("DELETE WHERE { ?s ?p ?o }", "SPARQL Update (DELETE WHERE)"),
        ("LOAD <http://example.org/x>", "LOAD"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { ?s ?p ?o OPTIONAL { { SELECT * { SERVICE <http://x/> { ?s ?p ?o } } } } }", "SERVICE"),
        ("SELECT * WHERE { ?s ?p ?o .SERVICE <http://x/> { ?s ?p ?o } }", "SERVICE"),  # found by the worker's parser
        ("SELECT * FROM <http://example.org/kg.nt> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM NAMED <http://example.org/g> WHERE { ?s ?p ?o }", "FROM NAMED"),
    ],
)
def test_service_refuses_forbidden_queries(service: SparqlService, query: str, feature: str) -> None:
    with pytest.raises(ForbiddenQueryError) as caught:
        service.query(query)
    assert caught.value.feature == feature
    assert caught.value.http_status == 400


def test_service_syntax_error(service: SparqlService) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        service.query("SELECT ?s WHERE {\n  ?s ?p ?o\n} LIMT 3")
    assert (caught.value.line, caught.value.column) == (3, 3)
    assert caught.value.as_dict()["error"] == "syntax_error"


def test_service_size_limit(store_dir: Path) -> None:
    with SparqlService(store_dir, workers=1, max_query_bytes=200) as small:
        with pytest.raises(QueryTooLargeError):
            small.query("SELECT * WHERE { ?s ?p ?o } #" + "x" * 300)
        assert small.query("ASK {}").body == b'{"head":{},"boolean":true}'


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def _answer(self) -> None:
        self.hits.append(f"{self.command} {self.path}")
        if self.command == "POST":
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recording_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request it receives."""
    hits: list[str] = []
    handler = type("Handler", (_RecordingHandler,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_nothing_is_fetched(service: SparqlService, recording_server: tuple[str, list[str]], tmp_path: Path) -> None:
    base, hits = recording_server
    # Control: the engine itself does call SERVICE endpoints, so the guard is what stops it.
    list(pyoxigraph.Store().query(f"SELECT * WHERE {{ SERVICE <{base}/control> {{ ?s ?p ?o }} }}"))
    assert hits == ["POST /control"]
    hits.clear()
    attempts = [
        f"SELECT * WHERE {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{base}/nested> {{ ?s ?p ?x }} }} }}",
        f"SELECT * FROM <{base}/data.nt> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{base}/named.nt> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"LOAD <{base}/load.nt>",
    ]
    graph = load_rdflib_graph(synthetic_ntriples(3))
    for query in attempts:
        with pytest.raises(ForbiddenQueryError):
            service.query(query)
        with pytest.raises(ForbiddenQueryError):
            run_rdflib_baseline(graph, query)  # rdflib would fetch FROM/LOAD/SERVICE sources
    assert hits == []


# -- row cap ---------------------------------------------------------------------------------


def test_row_cap_truncates_and_says_so(service: SparqlService) -> None:
    result = service.query("SELECT * WHERE { ?s ?p ?o }")
    assert (result.truncated, result.row_count, result.row_limit) == (True, 50, 50)
    assert len(json.loads(result.body)["results"]["bindings"]) == 50
    headers = result.headers()
    assert headers["X-SPARQL-Truncated"] == "true" and headers["X-SPARQL-Row-Limit"] == "50"

    exact = service.query("SELECT * WHERE { ?s ?p ?o } LIMIT 50")
    assert (exact.truncated, exact.row_count) == (False, 50)
    assert "X-SPARQL-Truncated" not in exact.headers()

    graph = service.query("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples", max_rows=10)
    assert (graph.truncated, graph.row_count, graph.row_limit) == (True, 10, 10)
    assert len(graph.body.splitlines()) == 10


def test_row_cap_makes_an_unbounded_cross_product_cheap(service: SparqlService) -> None:
    # Results stream lazily, so reading stops at the cap instead of materializing 2.7e10 rows.
    result = service.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "text/csv")
    assert result.truncated and result.row_count == 50
    assert len(list(csv.reader(io.StringIO(result.body.decode())))) == 51


# -- time limit, concurrency, crashes, shutdown -----------------------------------------------


def test_runaway_query_is_killed_while_another_query_completes(service: SparqlService) -> None:
    pids_before = set(service.runner.worker_pids)
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        try:
            outcome["result"] = service.query(RUNAWAY, timeout_s=1.0)
        except QueryTimeoutError as error:
            outcome["error"] = error
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    wait_until(lambda: service.runner.idle_workers < 2)  # the runaway holds a worker
    short = service.query(PREFIX + "SELECT ?o WHERE { ex:s1 ex:label ?o }")
    answered_while_runaway_ran = thread.is_alive()
    thread.join(timeout=60)

    assert json.loads(short.body)["results"]["bindings"] == [{"o": {"type": "literal", "value": "item 1"}}]
    assert answered_while_runaway_ran
    assert "result" not in outcome, "the runaway query finished normally"
    error = outcome["error"]
    assert isinstance(error, QueryTimeoutError)
    assert "timed out" in str(error) and error.http_status == 504 and error.timeout_s == 1.0
    assert outcome["seconds"] < 30  # type: ignore[operator]

    # The worker that ran it was killed and replaced; later queries work.
    pids_after = set(service.runner.worker_pids)
    killed = pids_before - pids_after
    assert len(killed) == 1 and len(pids_after) == 2
    assert not any(is_alive(pid) for pid in killed)
    for _ in range(3):
        assert json.loads(service.query(PREFIX + "ASK { ex:s1 ex:next ex:s2 }").body)["boolean"] is True


def test_crash_busy_and_recovery(store_dir: Path) -> None:
    with QueryRunner(store_dir, workers=1, timeout_s=30, queue_timeout_s=0.2) as runner:
        (pid,) = runner.worker_pids
        outcome: dict[str, BaseException] = {}

        def runaway() -> None:
            try:
                runner.run(RUNAWAY)
            except WorkerCrashedError as error:
                outcome["error"] = error

        thread = threading.Thread(target=runaway)
        thread.start()
        wait_until(lambda: runner.idle_workers == 0)

        # The only worker is busy: a second query is refused, not queued forever.
        with pytest.raises(ServiceBusyError) as busy:
            runner.run("ASK {}")
        assert busy.value.http_status == 503 and "retry" in str(busy.value)

        # The worker dies mid-query: a clear error, and a fresh worker takes its place.
        os.kill(pid, signal.SIGKILL)
        thread.join(timeout=30)
        crash = outcome["error"]
        assert isinstance(crash, WorkerCrashedError)
        assert "signal 9" in str(crash) and crash.http_status == 500
        (new_pid,) = runner.worker_pids
        assert new_pid != pid
        assert runner.run("ASK {}").body == b'{"head":{},"boolean":true}'

        # A worker that died while idle is replaced transparently: the query never started.
        os.kill(new_pid, signal.SIGKILL)
        wait_until(lambda: _has_exited(new_pid))
        assert runner.run("ASK {}").body == b'{"head":{},"boolean":true}'
        assert runner.worker_pids != [new_pid]


def _has_exited(pid: int) -> bool:
    """All threads of ``pid`` are gone (only an unreaped zombie leader may remain), so its sockets are closed."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        return state == "Z" and len(os.listdir(f"/proc/{pid}/task")) == 1
    except OSError:
        return not is_alive(pid)


def test_close_stops_every_worker_even_a_busy_one(store_dir: Path) -> None:
    runner = QueryRunner(store_dir, workers=2, timeout_s=30)
    pids = runner.worker_pids
    outcome: dict[str, BaseException] = {}

    def runaway() -> None:
        try:
            runner.run(RUNAWAY)
        except ServiceClosedError as error:
            outcome["error"] = error

    thread = threading.Thread(target=runaway)
    thread.start()
    wait_until(lambda: runner.idle_workers == 1)
    runner.close()
    thread.join(timeout=30)
    assert isinstance(outcome["error"], ServiceClosedError)
    assert not any(is_alive(pid) for pid in pids)
    with pytest.raises(ServiceClosedError):
        runner.run("ASK {}")
    runner.close()  # idempotent


# -- the rdflib baseline ---------------------------------------------------------------------


def test_rdflib_baseline_agrees_with_the_service(service: SparqlService, ntriples: bytes) -> None:
    graph = load_rdflib_graph(ntriples)
    baseline = run_rdflib_baseline(graph, SELECT_THREE)
    rows = [
        (b["s"]["value"], b["label"]["value"], int(b["value"]["value"]))
        for b in json.loads(baseline.body)["results"]["bindings"]
    ]
    assert rows == EXPECTED_ROWS
    assert baseline.row_count == 3 and baseline.media_type == "application/sparql-results+json"
    constructed = run_rdflib_baseline(graph, PREFIX + "CONSTRUCT WHERE { ex:s1 ?p ?o }", "application/n-triples")
    served = service.query(PREFIX + "CONSTRUCT WHERE { ex:s1 ?p ?o }", "application/n-triples")
    assert set(Graph().parse(data=constructed.body, format="nt")) == set(Graph().parse(data=served.body, format="nt"))
    with pytest.raises(NotAcceptableError):
        run_rdflib_baseline(graph, "SELECT * {}", "text/tab-separated-values")


_SERVER_SCRIPT = """
import sys, threading, time
from kg.sparql import SparqlService
service = SparqlService(sys.argv[1], workers=2)
if sys.argv[2] == "hang":  # a worker is busy with a runaway query when the server is killed
    threading.Thread(target=service.query, args=(sys.argv[3],), kwargs={"timeout_s": 120}, daemon=True).start()
    while service.runner.idle_workers == 2:
        time.sleep(0.01)
print(" ".join(map(str, service.runner.worker_pids)), flush=True)
if sys.argv[2] == "hang":
    time.sleep(120)
# "exit": leave without calling close()
"""


def _gone(pid: int) -> bool:
    """Exited (an orphan may linger as a zombie until its new parent reaps it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def test_no_orphan_workers_when_the_server_exits_or_dies(store_dir: Path) -> None:
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    servers = {
        mode: subprocess.Popen(
            [sys.executable, "-c", _SERVER_SCRIPT, str(store_dir), mode, RUNAWAY],
            cwd=repo,
            stdout=subprocess.PIPE,
            text=True,
        )
        for mode in ("exit", "hang")
    }
    try:
        pids = {mode: [int(pid) for pid in server.stdout.readline().split()] for mode, server in servers.items()}
        assert all(len(found) == 2 for found in pids.values()), pids
        # Forgot close(): the workers are stopped at interpreter exit.
        assert servers["exit"].wait(timeout=30) == 0
        # Killed outright mid-query (no cleanup code runs): the busy worker notices its parent is gone.
        servers["hang"].kill()
        servers["hang"].wait(timeout=30)
        wait_until(lambda: all(_gone(pid) for found in pids.values() for pid in found))
    finally:
        for server in servers.values():
            server.kill()
            server.wait()
            server.stdout.close()
