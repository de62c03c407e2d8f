"""The suite is offline by construction: non-loopback connections fail, loopback works."""

from __future__ import annotations

import socket
import urllib.request

import pytest

from tests.network_guard import NetworkBlockedError


def test_connection_to_public_address_is_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkBlockedError, match="offline"):
        sock.connect(("93.184.216.34", 80))


def test_name_lookup_of_public_host_is_refused() -> None:
    with pytest.raises(NetworkBlockedError, match=r"example\.org"):
        urllib.request.urlopen("http://example.org/", timeout=1)


def test_loopback_is_allowed() -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        with socket.create_connection(server.getsockname(), timeout=2) as client:
            assert client.getpeername()[0] == "127.0.0.1"
    finally:
        server.close()
