"""A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions and Ollama chat APIs, for tests.

It records every request body and replies as scripted: `mode` is "ok", "error500", "hang" (stalls past
the client's timeout but stops promptly at shutdown) or "garbage" (a body that is not valid JSON). The
reply text may be a string or a function of the request (to answer with the right source number); a
function that raises is answered with HTTP 500 and recorded in `reply_errors`, which the tests check.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = str | Callable[[dict[str, Any]], str]


class ScriptedLLMServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ok"
        self.reply: Reply = "Xin chào [1]."
        self.requests: list[dict[str, Any]] = []
        self.reply_errors: list[Exception] = []
        self.stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def reply_text(self, body: dict[str, Any]) -> str:
        return self.reply(body) if callable(self.reply) else self.reply


class _Handler(BaseHTTPRequestHandler):
    server: ScriptedLLMServer

    def log_message(self, *args: object) -> None:  # keep test output clean
        return

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append({"path": self.path, "body": body})
        mode = self.server.mode
        if mode == "error500":
            self._send(500, "application/json", b'{"error": {"message": "internal error"}}')
            return
        if mode == "hang":
            self.server.stopping.wait(30)
            return
        if mode == "garbage":
            self._send(200, "application/json", b"<html>not json")
            return
        try:
            text = self.server.reply_text(body)
        except Exception as exc:  # a broken script must fail its test, not pass as an "LLM down" fallback
            self.server.reply_errors.append(exc)
            self._send(500, "application/json", b'{"error": {"message": "scripted reply failed"}}')
            return
        pieces = [text[i : i + 12] for i in range(0, len(text), 12)]
        if self.path.startswith("/api/chat"):
            self._ollama(body, pieces)
        else:
            self._openai(body, pieces, text)

    def _send(self, status: int, content_type: str, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _openai(self, body: dict[str, Any], pieces: list[str], text: str) -> None:
        base = {"id": "chatcmpl-test", "created": int(time.time()), "model": body.get("model", "test")}
        if not body.get("stream"):
            message = {"role": "assistant", "content": text}
            payload = {
                **base,
                "object": "chat.completion",
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            }
            self._send(200, "application/json", json.dumps(payload).encode())
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in pieces:
            chunk = {
                **base,
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
            }
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        last = {
            **base,
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        }
        self.wfile.write(f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode())

    def _ollama(self, body: dict[str, Any], pieces: list[str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.end_headers()
        stamp = "2026-01-01T00:00:00Z"
        for piece in pieces:
            line = {
                "model": body.get("model"),
                "created_at": stamp,
                "message": {"role": "assistant", "content": piece},
                "done": False,
            }
            self.wfile.write((json.dumps(line) + "\n").encode())
            self.wfile.flush()
        final = {
            "model": body.get("model"),
            "created_at": stamp,
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": "stop",
        }
        self.wfile.write((json.dumps(final) + "\n").encode())


@contextmanager
def scripted_llm_server() -> Iterator[ScriptedLLMServer]:
    server = ScriptedLLMServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
