"""Ten browser sessions at once through gradio_client against the real app: each asks its own question,
then a follow-up in the same session. Every answer arrives, each follow-up is understood from its own
session's history, and no session's conversation or sources panel holds another session's question."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.web_fixtures import RunningApp, message_text

pytestmark = pytest.mark.integration

# (question, follow-up, article the whole conversation is about); all twenty texts are distinct.
SESSIONS = [
    ("Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 tổ chức ở đâu?", "Ai chủ trì hội nghị đó?", "004_955a1fbb71e7f89b"),
    ("hoi nghi toan quoc cong tac doi ngoai nhan dan nam 2022 to chuc o dau", "Có bao nhiêu đại biểu tham dự hội nghị đó?", "004_955a1fbb71e7f89b"),
    ("Lớp bồi dưỡng kỹ năng nghiệp vụ đối ngoại năm 2019 tổ chức ở đâu?", "Ai phát biểu khai mạc lớp đó?", "002_6ae507ffac44b24d"),
    ("lop boi duong ky nang nghiep vu doi ngoai nam 2019 o khach san nao", "Lớp đó do cơ quan nào phối hợp tổ chức?", "002_6ae507ffac44b24d"),
    ("Hội nghị cập nhật kiến thức công tác đối ngoại nhân dân năm 2020 tổ chức ở đâu?", "Ai phát biểu tại hội nghị đó?", "000_8e02bbd58b42a3a7"),
    ("hoi nghi cap nhat kien thuc doi ngoai nhan dan nam 2020 o dau", "Hội nghị đó diễn ra ngày nào?", "000_8e02bbd58b42a3a7"),
    ("Hội nghị tập huấn phổ biến Chỉ thị 25-CT/TW ở Vĩnh Phúc tổ chức ở đâu?", "Ai là giảng viên tại hội nghị đó?", "001_9a84a7000a87e853"),
    ("Chỉ thị 25-CT/TW của Ban Bí thư về vấn đề gì?", "Hội nghị phổ biến chỉ thị đó có bao nhiêu người tham dự?", "001_9a84a7000a87e853"),
    ("Tập huấn công tác đối ngoại nhân dân cho 18 Liên hiệp địa phương phía Nam tập trung vào nội dung gì?", "Ai tham dự buổi tập huấn đó?", "003_4d6faa8e32c1a029"),
    ("tap huan doi ngoai nhan dan cho 18 lien hiep dia phuong khu vuc phia nam", "Buổi tập huấn đó do ai đề xuất?", "003_4d6faa8e32c1a029"),
]  # fmt: skip
REPORT = ROOT / "test-output" / "web_concurrency.json"


@pytest.fixture(scope="module")
def app_url(web_app: RunningApp) -> str:
    """The session's app (conftest's `web_app`, shared with the browser and soak tests)."""
    return web_app.url


def _conversation(url: str, number: int, start: threading.Barrier) -> dict[str, Any]:
    from gradio_client import Client

    client = Client(url, verbose=False)  # one client = one browser session (its own session hash)
    question, follow_up, _ = SESSIONS[number]
    start.wait(timeout=120)
    began = time.monotonic()
    first = client.predict(question, "", "", "Tất cả", "Tất cả", api_name="/hoi")
    second = client.predict(follow_up, "", "", "Tất cả", "Tất cả", api_name="/hoi")
    return {"first": first, "second": second, "seconds": time.monotonic() - began}


def test_ten_concurrent_sessions_keep_their_own_history(app_url: str) -> None:
    start = threading.Barrier(len(SESSIONS))
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(SESSIONS)) as pool:
        futures = [pool.submit(_conversation, app_url, n, start) for n in range(len(SESSIONS))]
        results = [future.result(timeout=600) for future in futures]
    wall = time.monotonic() - began
    for number, (result, (question, follow_up, article)) in enumerate(zip(results, SESSIONS, strict=True)):
        messages, panel = result["second"][0], result["second"][1]
        users = [message_text(m["content"]) for m in messages if m["role"] == "user"]
        answers = [message_text(m["content"]) for m in messages if m["role"] == "assistant"]
        assert users == [question, follow_up], f"session {number} shows another conversation: {users}"
        assert len(answers) == 2 and all('href="#nguon-' in answer for answer in answers), answers
        assert all("Đã có lỗi" not in answer for answer in answers)
        newest, _, earlier = panel.partition("id='luot-1'")
        assert f"data-ma-bai='{article}'" in newest, f"session {number}: the follow-up lost its context"
        assert f"data-ma-bai='{article}'" in earlier
        others = {text for n, (q, f, _) in enumerate(SESSIONS) if n != number for text in (q, f)}
        shown = "\n".join(users + answers) + panel
        leaked = [text for text in others if f"«{text}»" in panel or text in users]
        assert not leaked and question in shown, f"session {number} holds {leaked}"
    if "Cao Bằng" not in message_text(results[0]["first"][0][-1]["content"]):
        pytest.fail("the acceptance question lost its answer under load")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        json.dumps(
            {
                "sessions": len(SESSIONS),
                "questions": 2 * len(SESSIONS),
                "wall_seconds": round(wall, 2),
                "slowest_session_seconds": round(max(r["seconds"] for r in results), 2),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


def test_a_new_session_starts_empty(app_url: str) -> None:
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    messages, panel = client.predict(api_name="/cuoc_tro_chuyen_moi")
    assert messages == [] and "Nguồn trích dẫn" in panel
    messages = client.predict("Còn năm 2019 thì sao?", "", "", "Tất cả", "Tất cả", api_name="/hoi")[0]
    assert [message_text(m["content"]) for m in messages if m["role"] == "user"] == ["Còn năm 2019 thì sao?"]
