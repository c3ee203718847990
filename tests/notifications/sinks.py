"""Real servers started by tests: an SMTP sink (aiosmtpd) that keeps every message it receives,
and a private Redis server that a test may stop and start (never the shared one)."""

from __future__ import annotations

import contextlib
import logging
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import redis
from aiosmtpd.controller import Controller

from tests.live import wait_until

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Keep:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        if self.sink.delay:
            time.sleep(self.sink.delay)  # a slow mail server: lets a test act mid-burst
        with self.sink.lock:
            self.sink.messages.append(message)
            self.sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


class SmtpSink:
    def __init__(self, *, delay: float = 0.0) -> None:
        self.delay = delay
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(_Keep(self), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def delivery_ids(self) -> list[str]:
        with self.lock:
            return [str(m["X-Portal-Delivery"]) for m in self.messages]


@contextmanager
def smtp_sink(*, delay: float = 0.0) -> Iterator[SmtpSink]:
    sink = SmtpSink(delay=delay)
    sink.controller.start()
    try:
        yield sink
    finally:
        sink.controller.stop()


class PrivateRedis:
    """redis-server on its own port, no persistence: a restart loses every queued message."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"

    def _client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)

    def alive(self) -> bool:
        try:
            return bool(self._client().ping())
        except redis.exceptions.ConnectionError:
            return False

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        subprocess.run(  # noqa: S603 - a fixed command line
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
            ],
            check=True,
            capture_output=True,
        )
        assert wait_until(self.alive, timeout=10), "the private Redis did not start"

    def stop(self) -> None:
        if not self.alive():
            return
        # The server closes the connection as it stops.
        with contextlib.suppress(redis.exceptions.ConnectionError):
            self._client().shutdown(nosave=True)
        assert wait_until(lambda: not self.alive(), timeout=10), "the private Redis did not stop"

    def queue_length(self) -> int:
        return int(self._client().llen("celery"))


class TcpProxy:
    """A TCP proxy on loopback in front of a real server (PostgreSQL): `cut(seconds)` drops every
    connection through it and refuses new ones for that long, as a network outage would. Only
    the processes pointed at the proxy lose the database; the shared server never stops."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = int(self.listener.getsockname()[1])
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.down_until = 0.0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def start(self) -> TcpProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.running = False
        with contextlib.suppress(OSError):
            self.listener.close()
        self._drop_all()

    def cut(self, seconds: float) -> None:
        self.down_until = time.monotonic() + seconds
        self._drop_all()

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def _drop_all(self) -> None:
        with self.lock:
            doomed = list(self.sockets)
            self.sockets.clear()
        for sock in doomed:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            if self.is_down:
                client.close()  # the database is unreachable
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets.update({client, upstream})
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
