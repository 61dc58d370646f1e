"""The Content-Security-Policy of every page and response: a second wall behind the escaping.

Even if some article or LLM text ever slipped through as an image, a frame, a CSS `url()` or a fetch, the
browser refuses to load it from anywhere but this app ("nothing leaves the machine"). Gradio's page needs
its own inline scripts and styles (and `eval` for some components), so those are allowed, from 'self' only.
The header is added by a plain ASGI middleware on the FastAPI app Gradio builds (`launch(app_kwargs=…)`),
which leaves streamed responses (the chat's server-sent events) untouched.
"""

from __future__ import annotations

from typing import Any

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'none'; object-src 'none'; "
    "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline' 'unsafe-eval'"
)
_HEADER = b"content-security-policy"


class ContentSecurityPolicyMiddleware:
    """ASGI middleware: sets the policy on every HTTP response (replacing any the app set)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != _HEADER]
                headers.append((_HEADER, CONTENT_SECURITY_POLICY.encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_policy)


def with_content_policy(launch_kwargs: dict[str, Any]) -> dict[str, Any]:
    """`launch_kwargs` (e.g. from `gradio_login`) with the policy middleware added to `app_kwargs`,
    keeping any middleware already there."""
    app_kwargs = dict(launch_kwargs.get("app_kwargs", {}))
    app_kwargs["middleware"] = [
        *app_kwargs.get("middleware", []),
        Middleware(ContentSecurityPolicyMiddleware),
    ]
    return {**launch_kwargs, "app_kwargs": app_kwargs}
