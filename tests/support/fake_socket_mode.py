"""The fake Slack's Socket Mode: a WebSocket endpoint on 127.0.0.1, spoken to by slack_sdk's
own Socket Mode client (``slack_sdk.socket_mode.builtin``), as Slack's is.

``apps.connections.open`` (called with the app-level token, ``xapp-…``) hands out its
``ws://`` URL. Events go out as Slack's envelopes (``events_api``, ``slash_commands``),
each with an ``envelope_id`` the client must acknowledge; what the client sent back (and
the response payload of a slash command) is recorded. Pings are answered with pongs, as
the client expects, or it would think the connection stale.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
import time
import uuid
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FakeSocketMode:
    def __init__(self) -> None:
        self.port = 0
        self._server: socket.socket | None = None
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        self.acks: dict[str, dict[str, Any]] = {}
        self.sent: list[dict[str, Any]] = []
        self._acked = threading.Condition(self._lock)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link/?ticket={uuid.uuid4().hex}"

    def start(self) -> FakeSocketMode:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        self.port = server.getsockname()[1]
        self._server = server
        threading.Thread(target=self._accept, name="fake-socket-mode", daemon=True).start()
        return self

    def stop(self) -> None:
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            try:
                client.close()
            except OSError:
                pass
        if self._server is not None:
            self._server.close()
            self._server = None

    def connected(self) -> int:
        with self._lock:
            return len(self._clients)

    # ------------------------------------------------------------------ envelopes

    def send(self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool = False) -> str:
        """Send an envelope to every connected client; returns its envelope_id."""
        envelope_id = uuid.uuid4().hex
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
            "retry_attempt": 0,
            "retry_reason": "",
        }
        data = json.dumps(envelope).encode()
        with self._lock:
            self.sent.append(envelope)
            for client in list(self._clients):
                try:
                    client.sendall(_frame(0x1, data))
                except OSError:
                    self._clients.remove(client)
        return envelope_id

    def event(self, event: dict[str, Any]) -> str:
        return self.send(
            "events_api",
            {
                "token": "verification",
                "team_id": "T0FAKE",
                "api_app_id": "AFAKE0001",
                "event": event,
                "type": "event_callback",
                "event_id": f"Ev{uuid.uuid4().hex[:10]}",
                "event_time": int(time.time()),
            },
        )

    def slash_command(self, command: str, text: str, channel: str, user: str) -> str:
        return self.send(
            "slash_commands",
            {
                "token": "verification",
                "team_id": "T0FAKE",
                "channel_id": channel,
                "user_id": user,
                "command": command,
                "text": text,
                "response_url": "https://hooks.invalid/commands/1",
                "trigger_id": "1.2.3",
            },
            accepts_response_payload=True,
        )

    def wait_ack(self, envelope_id: str, seconds: float = 5.0) -> dict[str, Any] | None:
        """The client's acknowledgement of an envelope (None if it never came)."""
        deadline = time.monotonic() + seconds
        with self._acked:
            while envelope_id not in self.acks:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._acked.wait(left)
            return self.acks[envelope_id]

    # ------------------------------------------------------------------ the WebSocket

    def _accept(self) -> None:
        while self._server is not None:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = client.recv(4096)
                if not chunk:
                    return
                request += chunk
            headers = {}
            for line in request.decode("latin-1").split("\r\n")[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            accept = base64.b64encode(
                hashlib.sha1((headers["sec-websocket-key"] + _GUID).encode()).digest()
            ).decode()
            client.sendall(
                (
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
                ).encode()
            )
            with self._lock:
                self._clients.append(client)
            client.sendall(_frame(0x1, json.dumps({"type": "hello", "num_connections": 1}).encode()))
            while True:
                opcode, payload = _read_frame(client)
                if opcode == 0x8:
                    return
                if opcode == 0x9:  # ping: pong with the same payload
                    with self._lock:
                        client.sendall(_frame(0xA, payload))
                elif opcode == 0x1:
                    message = json.loads(payload)
                    if "envelope_id" in message:
                        with self._acked:
                            self.acks[message["envelope_id"]] = message
                            self._acked.notify_all()
        except (OSError, ValueError, KeyError):
            return
        finally:
            with self._lock:
                if client in self._clients:
                    self._clients.remove(client)
            try:
                client.close()
            except OSError:
                pass


def _frame(opcode: int, payload: bytes) -> bytes:
    """A server frame: final, unmasked."""
    head = bytes([0x80 | opcode])
    if len(payload) < 126:
        head += bytes([len(payload)])
    elif len(payload) < 1 << 16:
        head += bytes([126]) + struct.pack("!H", len(payload))
    else:
        head += bytes([127]) + struct.pack("!Q", len(payload))
    return head + payload


def _read_exact(client: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = client.recv(count - len(data))
        if not chunk:
            raise OSError("closed")
        data += chunk
    return data


def _read_frame(client: socket.socket) -> tuple[int, bytes]:
    first, second = _read_exact(client, 2)
    opcode = first & 0x0F
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", _read_exact(client, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", _read_exact(client, 8))
    mask = _read_exact(client, 4) if second & 0x80 else b"\0\0\0\0"
    data = _read_exact(client, length)
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(data))
