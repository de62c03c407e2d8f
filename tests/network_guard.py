"""Fail any test that opens a non-loopback connection.

Some libraries download at import time (the kgx package fetches the Biolink
model, rdflib fetches remote JSON-LD contexts, SPARQL SERVICE clauses reach
out). The suite must run offline by construction, so every socket connect
and name lookup is checked: loopback is allowed, anything else raises
:class:`NetworkBlockedError` naming the address.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

__all__ = ["NetworkBlockedError", "install", "is_loopback"]

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "testserver"}


class NetworkBlockedError(RuntimeError):
    """A test tried to reach the network beyond 127.0.0.1."""


def is_loopback(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host in _LOCAL_NAMES or host == "":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _check_address(address: Any) -> None:
    if isinstance(address, tuple) and address:
        host = address[0]
    elif isinstance(address, (str, bytes)):  # AF_UNIX path
        return
    else:
        host = address
    if not is_loopback(host):
        raise NetworkBlockedError(f"test suite is offline: refused connection to {address!r}")


_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex
_original_getaddrinfo = socket.getaddrinfo


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check_address(address)
    return _original_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check_address(address)
    return _original_connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not is_loopback(host):
        raise NetworkBlockedError(f"test suite is offline: refused name lookup of {host!r}")
    return _original_getaddrinfo(host, *args, **kwargs)


def install() -> None:
    """Patch the socket module for the rest of this process."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo  # type: ignore[assignment]
