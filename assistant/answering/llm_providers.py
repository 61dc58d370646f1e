"""LLM providers chosen by `settings.llm_mode`, and streaming with deadlines that never hang the user.

`ollama` uses langchain-ollama's `ChatOllama`; `openai` uses langchain-openai's `ChatOpenAI` with a
`base_url`, which covers vLLM, llama.cpp server, LM Studio and OpenAI. The stream runs in a worker
thread and is read through a queue with a first-token and an overall deadline, so a server that
accepts the connection and then stalls costs at most the timeout.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any

from assistant.settings import Settings

logger = logging.getLogger(__name__)

_DONE = object()


class LLMUnavailableError(RuntimeError):
    """The LLM could not give an answer (down, error, timeout, empty or garbage output). Vietnamese."""


def llm_display_name(settings: Settings) -> str:
    if settings.llm_mode == "none":
        return "Ngoại tuyến (trích xuất)"
    return f"{settings.llm_mode} · {settings.llm_model}"


def build_chat_model(settings: Settings) -> Any:
    """The LangChain chat model for the settings, or None in offline mode."""
    if settings.llm_mode == "none":
        return None
    if not settings.llm_base_url:
        raise LLMUnavailableError("Chưa đặt ARCHIVE_LLM_BASE_URL cho mô hình ngôn ngữ.")
    timeout = settings.llm_timeout_s
    if settings.llm_mode == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError as exc:
            raise LLMUnavailableError("Cần cài gói langchain-ollama: pip install langchain-ollama") from exc
        return ChatOllama(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            temperature=0,
            client_kwargs={"timeout": timeout},
        )
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise LLMUnavailableError("Cần cài gói langchain-openai: pip install langchain-openai") from exc
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key.get_secret_value(),
        timeout=timeout,
        max_retries=0,
        temperature=0,
        streaming=True,
    )


def stream_chat(model: Any, messages: list[Any], timeout_s: float) -> Iterator[str]:
    """Text deltas of the model's answer. Raises `LLMUnavailableError` on any failure or deadline."""
    channel: queue.Queue[object] = queue.Queue()
    stop = threading.Event()

    def produce() -> None:
        try:
            for chunk in model.stream(messages):
                if stop.is_set():
                    return
                content = chunk.content if isinstance(chunk.content, str) else ""
                if content:
                    channel.put(content)
            channel.put(_DONE)
        except Exception as exc:  # the client raises many error types; all mean "no answer"
            channel.put(exc)

    threading.Thread(target=produce, name="llm-stream", daemon=True).start()
    deadline = time.monotonic() + timeout_s
    produced = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LLMUnavailableError(f"quá thời gian chờ {timeout_s:g} giây")
            try:
                item = channel.get(timeout=remaining)
            except queue.Empty as exc:
                raise LLMUnavailableError(f"quá thời gian chờ {timeout_s:g} giây") from exc
            if item is _DONE:
                if not produced:
                    raise LLMUnavailableError("mô hình trả về câu trả lời rỗng")
                return
            if isinstance(item, Exception):
                raise LLMUnavailableError(_describe(item)) from item
            produced = True
            yield str(item)
    finally:
        stop.set()


def _describe(error: Exception) -> str:
    text = str(error)
    status = getattr(error, "status_code", None) or getattr(
        getattr(error, "response", None), "status_code", None
    )
    if status:
        return f"máy chủ trả lỗi HTTP {status}"
    if "connect" in text.lower() or "connection" in type(error).__name__.lower():
        return "không kết nối được máy chủ mô hình"
    if "json" in text.lower() or "decode" in text.lower():
        return "máy chủ trả dữ liệu không hợp lệ"
    return f"lỗi {type(error).__name__}"
