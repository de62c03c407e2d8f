"""The external-engine client's rules, against a loopback HTTP server that answers like the engines do.

The real engines are tested in ``tests/engines/`` (and skipped where not
installed); this module runs everywhere. Its server replays, over real HTTP
and byte for byte, the answers measured from Oxigraph and Virtuoso, plus
the transport failures no engine can be made to produce on demand: a body
cut off mid-way, a body that trickles in, an HTML page with 200. Every one
must end as a typed error, or as an answer flagged as cut: never as a
shorter answer passed off as complete.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator

import pyoxigraph
import pytest

from kg.sparql import (
    EngineCancelledError,
    EngineError,
    QuerySyntaxError,
    QueryTimeoutError,
    QueryTooCostlyError,
    StoreError,
)
from kg.sparql.client import EndpointClient
from kg.sparql.endpoint import EndpointSpec
from kg.sparql.engines import OXIGRAPH_CANCELLED
from kg.sparql.formats import ResultFormat
from kg.sparql.guard import guard_query
from kg.sparql.remote import execute_remote
from tests.test_server import free_port

JSON = "application/sparql-results+json"
VIRTUOSO = "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"
HEAD = b'{"head":{"vars":["s"]},"results":{"bindings":['
ROWS = b",".join(b'{"s":{"type":"uri","value":"http://example.org/s%d"}}' % i for i in range(5))
COMPLETE = HEAD + ROWS + b"]}}"
#: Virtuoso's JSON for two blank nodes, spaced as it writes them.
VIRTUOSO_BNODES = (
    b'\n{ "head": { "link": [], "vars": ["s", "o"] },\n  "results": { "distinct": false, "ordered": true, "bindings": [\n'
    b'    { "s": { "type": "bnode", "value": "nodeID://b10000" }\t, "o": { "type": "literal", "value": "nodeID://not-a-bnode" }},\n'
    b'    { "s": { "type": "bnode", "value": "nodeID://b10001" }\t, "o": { "type": "typed-literal", '
    b'"datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1" }} ] } }'
)

Reply = Callable[["_Handler"], None]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    replies: dict[str, Reply] = {}  # noqa: RUF012 - one table per server, set on a subclass
    server_header = "Oxigraph/0.5.13"

    def version_string(self) -> str:
        return self.server_header

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.replies[self.path](self)

    def start(self, status: int = 200, content_type: str = JSON, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)

    def whole(self, body: bytes, status: int = 200, content_type: str = JSON, **headers: str) -> None:
        self.start(status, content_type, **headers)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def chunked(self, parts: list[bytes], *, finish: bool = True, pause_s: float = 0.0, **headers: str) -> None:
        self.start(**headers)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for part in parts:
            try:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):  # the client gave up: what the test wants
                self.close_connection = True
                return
            time.sleep(pause_s)
        if finish:
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.close_connection = True

    def cut_by_length(self) -> None:
        """Announce the whole body, send less of it, and hang up."""
        self.start()
        self.send_header("Content-Length", str(len(COMPLETE)))
        self.end_headers()
        self.wfile.write(COMPLETE[:-10])
        self.close_connection = True

    def log_message(self, *_args: object) -> None:
        pass


def _split(body: bytes, size: int) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


REPLIES: dict[str, tuple[str, Reply]] = {
    "/complete": ("Oxigraph/0.5.13", lambda h: h.chunked(_split(COMPLETE, 7))),
    "/oxigraph-cancelled": ("Oxigraph/0.5.13", lambda h: h.chunked([HEAD, OXIGRAPH_CANCELLED.encode()])),
    # A cancelled CONSTRUCT, as Oxigraph 0.5.13 sent it here (curl): 200, N-Triples, and only the message.
    "/oxigraph-cancelled-construct": (
        "Oxigraph/0.5.13",
        lambda h: h.chunked([OXIGRAPH_CANCELLED.encode()], content_type="application/n-triples"),
    ),
    # Oxigraph 0.5 with --timeout-s 1, a query cancelled while skipping its OFFSET: after the limit, a well-formed
    # answer with no rows and no sign that it was cut (tests/engines/test_engine_timeouts.py provokes it for real).
    "/oxigraph-cut-unsaid": ("Oxigraph/0.5.13", lambda h: (time.sleep(1.2), h.whole(HEAD + b"]}}"))[1]),
    "/virtuoso-partial": (
        VIRTUOSO,
        lambda h: h.whole(COMPLETE, X_SQL_State="S1TAT", X_SQL_Message="RC...: Returning incomplete results"),
    ),
    "/virtuoso-timeout-500": (
        VIRTUOSO,
        lambda h: h.whole(HEAD + b"Virtuoso S1TAT Error RC...: Returning incomplete results", 500, "text/plain"),
    ),
    # Virtuoso 7.2 on a loaded machine cancels at the time limit with this instead of S1TAT (seen in CI).
    "/virtuoso-cancelled-500": (
        VIRTUOSO,
        lambda h: h.whole(b"Virtuoso HY008 Error SR203: Async statement killed by SQLCancel.", 500, "text/plain"),
    ),
    "/virtuoso-timeout-500-long": (  # megabytes of partial results first, the error last
        VIRTUOSO,
        lambda h: h.whole(
            HEAD + ROWS * 20_000 + b"\nVirtuoso S1TAT Error RC...: incomplete results", 500, "text/plain"
        ),
    ),
    "/virtuoso-estimate": (
        VIRTUOSO,
        lambda h: h.whole(
            b"Virtuoso 42000 Error The estimated execution time 516 (sec) exceeds the limit of 400 (sec).",
            500,
            "text/plain",
        ),
    ),
    "/virtuoso-capped": (VIRTUOSO, lambda h: h.whole(COMPLETE, X_SPARQL_MaxRows="5")),
    "/virtuoso-bnodes": (VIRTUOSO, lambda h: h.chunked(_split(VIRTUOSO_BNODES, 5))),
    "/syntax": ("Oxigraph/0.5.13", lambda h: h.whole(b"error at 1:9: expected one of DESCRIBE", 400, "text/plain")),
    "/crash": ("Oxigraph/0.5.13", lambda h: h.whole(b"internal error", 500, "text/plain")),
    "/html": ("nginx", lambda h: h.whole(b"<html>maintenance</html>", 200, "text/html")),
    "/cut-chunked": ("Oxigraph/0.5.13", lambda h: h.chunked([HEAD, ROWS], finish=False)),
    "/cut-length": ("Oxigraph/0.5.13", lambda h: h.cut_by_length()),
    "/trickle": ("Oxigraph/0.5.13", lambda h: h.chunked([HEAD, *_split(ROWS, 1)], pause_s=0.3)),
}


@pytest.fixture(scope="module")
def engine_like() -> Iterator[str]:
    """A loopback server answering each path like an engine did (one Server header per path)."""
    servers = []
    urls: dict[str, str] = {}
    for path, (server_header, reply) in REPLIES.items():
        handler = type("Handler", (_Handler,), {"replies": {path: reply}, "server_header": server_header})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        urls[path] = f"http://127.0.0.1:{server.server_address[1]}{path}"
    yield urls  # type: ignore[misc]
    for server in servers:
        server.shutdown()
        server.server_close()


def _run(
    url: str,
    engine: str = "sparql",
    *,
    max_rows: int = 100,
    timeout_s: float = 20,
    query: str = "SELECT ?s WHERE { ?s ?p ?o }",
    fmt: ResultFormat = ResultFormat.CSV,
    engine_timeout_s: float | None = None,
):
    with EndpointClient(EndpointSpec(url, engine=engine, engine_timeout_s=engine_timeout_s)) as client:
        return execute_remote(client, guard_query(query), fmt, max_rows, timeout_s)


def test_a_complete_streamed_answer_is_kept_whole(engine_like) -> None:
    answer = _run(engine_like["/complete"])
    assert not answer.truncated and answer.row_count == 5
    assert answer.body.decode().splitlines() == ["s"] + [f"http://example.org/s{i}" for i in range(5)]
    capped = _run(engine_like["/complete"], max_rows=3)
    assert capped.truncated and capped.row_count == 3 and capped.row_limit == 3


def test_oxigraph_cancel_message_is_a_timeout(engine_like) -> None:
    with pytest.raises(EngineCancelledError, match="its own time limit") as caught:
        _run(engine_like["/oxigraph-cancelled"])
    assert OXIGRAPH_CANCELLED in caught.value.engine_signal
    with pytest.raises(EngineCancelledError):
        construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        _run(engine_like["/oxigraph-cancelled-construct"], query=construct, fmt=ResultFormat.N_TRIPLES)


def test_an_answer_ending_after_the_engines_own_limit_is_a_timeout(engine_like) -> None:
    with pytest.raises(EngineCancelledError, match="its own time limit") as caught:
        _run(engine_like["/oxigraph-cut-unsaid"], "oxigraph", engine_timeout_s=1)
    assert "own time limit of 1 s" in caught.value.engine_signal and caught.value.http_status == 504
    # The same bytes before the limit are an answer: a limit longer than the wait, and a fast answer under a short one.
    assert _run(engine_like["/oxigraph-cut-unsaid"], "oxigraph", engine_timeout_s=5).row_count == 0
    assert _run(engine_like["/complete"], "oxigraph", engine_timeout_s=1).row_count == 5


def test_an_engine_time_limit_must_be_positive() -> None:
    for bad in (0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="positive number of seconds"):
            EndpointSpec("http://127.0.0.1:7878/query", engine_timeout_s=bad)


@pytest.mark.parametrize("path", ["/virtuoso-partial", "/virtuoso-timeout-500", "/virtuoso-timeout-500-long"])
def test_virtuoso_partial_results_are_a_timeout(engine_like, path) -> None:
    with pytest.raises(EngineCancelledError) as caught:
        _run(engine_like[path], "virtuoso")
    assert "S1TAT" in caught.value.engine_signal
    assert caught.value.http_status == 504


def test_virtuoso_statement_cancelled_at_the_limit_is_a_timeout(engine_like) -> None:
    with pytest.raises(EngineCancelledError) as caught:
        _run(engine_like["/virtuoso-cancelled-500"], "virtuoso")
    assert "SR203" in caught.value.engine_signal
    assert caught.value.http_status == 504


def test_virtuoso_cost_estimate_refusal_is_a_504_of_its_own(engine_like) -> None:
    with pytest.raises(QueryTooCostlyError) as caught:
        _run(engine_like["/virtuoso-estimate"], "virtuoso")
    assert caught.value.http_status == 504 and caught.value.code == "query_too_costly"
    assert "516" in caught.value.engine_message


def test_an_engine_row_cap_flags_the_answer_as_cut(engine_like) -> None:
    answer = _run(engine_like["/virtuoso-capped"], "virtuoso")
    assert answer.truncated and answer.row_limit == 5 and answer.row_count == 5
    spec = EndpointSpec(engine_like["/virtuoso-capped"], engine="virtuoso")
    with EndpointClient(spec) as client, pytest.raises(EngineError, match="row cap of 5"):
        client.select("SELECT ?s WHERE { ?s ?p ?o }", timeout_s=10)


def test_virtuoso_blank_nodes_and_booleans_are_read_right_across_chunks(engine_like) -> None:
    with EndpointClient(EndpointSpec(engine_like["/virtuoso-bnodes"], engine="virtuoso")) as client:
        result = client.select("SELECT ?s ?o WHERE { ?s ?p ?o }", timeout_s=10)
    assert result.variables == ("s", "o")
    (s1, o1), (s2, o2) = result.rows
    assert isinstance(s1, pyoxigraph.BlankNode) and s1.value == "b10000" and s2.value == "b10001"
    assert o1 == pyoxigraph.Literal("nodeID://not-a-bnode")  # a literal is never rewritten
    assert o2 == pyoxigraph.Literal("true", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


def test_errors_from_the_engine(engine_like) -> None:
    with pytest.raises(QuerySyntaxError, match="rejected by the query engine"):
        _run(engine_like["/syntax"])
    with pytest.raises(EngineError, match="HTTP 500: internal error") as crash:
        _run(engine_like["/crash"])
    assert crash.value.http_status == 502
    with pytest.raises(EngineError, match="it answered text/html"):
        _run(engine_like["/html"])


@pytest.mark.parametrize("path", ["/cut-chunked", "/cut-length"])
def test_a_body_cut_off_is_never_an_answer(engine_like, path) -> None:
    with pytest.raises(EngineError, match="cut off"):
        _run(engine_like[path])


def test_a_body_that_trickles_in_stops_at_the_deadline(engine_like) -> None:
    # Every read gets a byte within the read timeout: only the deadline between chunks stops it.
    with pytest.raises(QueryTimeoutError) as caught:
        _run(engine_like["/trickle"], timeout_s=1.0)
    assert not isinstance(caught.value, EngineCancelledError)


def test_nothing_listening_is_unreachable() -> None:
    with pytest.raises(StoreError, match="cannot reach"):
        _run(f"http://127.0.0.1:{free_port()}/query")


def test_endpoint_urls_are_checked() -> None:
    for bad in ("ftp://127.0.0.1/q", "127.0.0.1:7878/query", "http:///query", "http://user:secret@127.0.0.1/q"):
        with pytest.raises(ValueError, match="SPARQL endpoint"):
            EndpointSpec(bad)
    with pytest.raises(ValueError, match="absolute IRI"):
        EndpointSpec("http://127.0.0.1/q", default_graph="relative")
    spec = EndpointSpec("http://127.0.0.1:8890/sparql", "urn:g", "virtuoso")
    assert EndpointSpec.from_json(spec.to_json()) == spec


def test_a_server_error_that_speaks_of_a_timeout_is_a_504() -> None:
    from kg.sparql.engines import error_for_status

    qlever_like = '{"status": "ERROR", "exception": "Timeout after 10 seconds while computing a join"}'
    assert type(error_for_status(500, qlever_like, 10, "http://x")) is QueryTimeoutError
    assert type(error_for_status(500, "out of memory", 10, "http://x")) is EngineError
    assert type(error_for_status(400, "unknown prefix timeout:", 10, "http://x")) is QuerySyntaxError


def test_records_are_never_built_from_a_cancelled_or_missing_store(engine_like) -> None:
    """The record store reads through the client: a cancelled CONSTRUCT or an unreachable store raises."""
    from kg.runtime.resolve import NAMED_TYPES
    from kg.sparql.record_store import store_records

    with pytest.raises(EngineCancelledError, match="its own time limit"):
        store_records(EndpointSpec(engine_like["/oxigraph-cancelled-construct"], engine="oxigraph"), NAMED_TYPES)
    with pytest.raises(StoreError, match="cannot reach"):
        store_records(EndpointSpec(f"http://127.0.0.1:{free_port()}/query"), NAMED_TYPES)
