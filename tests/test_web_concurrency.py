"""Ten concurrent browser sessions through gradio_client: each asks, then a follow-up in its own
session; every answer arrives and no session sees another's conversation."""

from __future__ import annotations

import concurrent.futures

import pytest

from tests.test_web_browser import app_url  # noqa: F401 - the running app fixture

pytestmark = pytest.mark.integration

TOPICS = [
    ("Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?", "Cao Bằng"),
    ("Lớp bồi dưỡng nghiệp vụ đối ngoại năm 2019 ở khách sạn nào?", "Ariyana"),
]


def _session(url: str, number: int) -> tuple[int, list[list[dict]], str]:
    from gradio_client import Client

    client = Client(url, verbose=False)
    question, expected = TOPICS[number % 2]
    first = client.predict(question, [], "", "", "Tất cả", "Tất cả", api_name="/hoi")
    history = first[0]
    follow_up = client.predict("Ai phát biểu tại đó?", history, "", "", "Tất cả", "Tất cả", api_name="/hoi")
    return number, follow_up[0], expected


def _text(content: object) -> str:
    """Gradio 6 gives message content as a string or as a list of typed parts."""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def test_ten_concurrent_sessions_keep_their_own_history(app_url: str) -> None:  # noqa: F811
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda n: _session(app_url, n), range(10)))
    for number, messages, expected in results:
        user_questions = [_text(m["content"]) for m in messages if m["role"] == "user"]
        own_question = TOPICS[number % 2][0]
        assert user_questions == [own_question, "Ai phát biểu tại đó?"], f"session {number} mixed histories"
        answers = [_text(m["content"]) for m in messages if m["role"] == "assistant"]
        assert len(answers) == 2 and expected in answers[0]
        assert all(answer.strip() and "Đã có lỗi" not in answer for answer in answers)
