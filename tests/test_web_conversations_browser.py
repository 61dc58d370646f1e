"""Kept conversations in headless Chromium (issue 16 §2): two users logged in at once (two browser
contexts) each see only their own conversations; a conversation survives a reload and a restart of the
app process and reopens with its answer, links and source cards; "Sửa câu hỏi cuối" and "Trả lời lại"
replace the newest answer in place. Its own app process (login file with two viewers, hash embedder: what
is kept does not depend on the model), started twice over the same index folder. Screenshots go to
test-output/browser/."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.conversations.store import FILE_NAME, ConversationStore
from assistant.web.accounts import Account, AccountFile, ScryptParams, hash_password, write_account_file
from tests.web_fixtures import SEED_QUESTION, SHOTS, launched_chromium, logged_in_page, running_app

pytestmark = [pytest.mark.integration, pytest.mark.browser, pytest.mark.hash_embedder, pytest.mark.slow]

PASSWORD = "mật khẩu thử 2026"
FAST = ScryptParams(n=2**8, r=8, p=1)
TIMEOUT_MS = 120_000
EDITED = "Hội nghị toàn quốc công tác đối ngoại nhân dân năm 2022 khai mạc ở đâu?"
OTHER_QUESTION = "Đoàn công tác thăm tỉnh Hà Giang khi nào?"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched_chromium() as browser:
        yield browser


def _app_env(folder: Path) -> dict[str, str]:
    accounts = folder / "users.txt"
    if not accounts.exists():
        write_account_file(
            AccountFile(
                accounts,
                [Account(name, "viewer", hash_password(PASSWORD, FAST)) for name in ("an", "binh")],
            )
        )
    return {"ARCHIVE_EMBEDDING_MODE": "hash", "ARCHIVE_AUTH_FILE": str(accounts)}


# Records what the newest answer bubble shows after each change of the chat.
_RECORD_STEPS = """() => {
  window.__buoc = [];
  const chat = document.querySelector('#cuoc-tro-chuyen');
  new MutationObserver(() => {
    const bots = chat.querySelectorAll('.message.bot');
    if (!bots.length) return;
    const last = bots[bots.length - 1];
    window.__buoc.push({
      short: !!last.querySelector('strong.tra-loi-ngan'),
      link: !!last.querySelector('a.trich-dan'),
      length: last.innerText.length,
    });
  }).observe(chat, {subtree: true, childList: true, characterData: true});
}"""


def _logged_in(browser: Any, url: str, user: str) -> Any:
    """A browser context of its own (cookies apart) logged in as `user`, on the chat page."""
    page = logged_in_page(browser, url, user, PASSWORD, width=1500, height=1000)
    page.locator("#cau-hoi textarea").wait_for(timeout=TIMEOUT_MS)
    return page


def _ask(page: Any, question: str) -> None:
    """Asks and waits until the answer is kept (the conversation list names it)."""
    page.locator("#cau-hoi textarea").fill(question)
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.locator("#ds-tro-chuyen label", has_text=question).wait_for(timeout=TIMEOUT_MS)


def _listed(page: Any) -> list[str]:
    return [" ".join(text.split()) for text in page.locator("#ds-tro-chuyen label").all_inner_texts()]


def _bubbles(page: Any) -> tuple[int, int]:
    chat = page.locator("#cuoc-tro-chuyen")
    return chat.locator(".message.user").count(), chat.locator(".message.bot").count()


def test_conversations_are_per_user_and_survive_a_restart(chromium: Any, tmp_path: Path) -> None:
    index = tmp_path / "index"
    with running_app(index, tmp_path / "app1.log", _app_env(tmp_path)) as url:
        an, binh = _logged_in(chromium, url, "an"), _logged_in(chromium, url, "binh")
        an.evaluate(_RECORD_STEPS)
        _ask(an, SEED_QUESTION)
        an.locator("#cuoc-tro-chuyen .message.bot a.trich-dan").first.wait_for(timeout=TIMEOUT_MS)
        # Offline, the answer arrived in steps: the short answer alone before the final text.
        steps = an.evaluate("() => window.__buoc")
        final = steps[-1]
        assert final["link"] and final["short"]
        assert any(s["short"] and not s["link"] and s["length"] < final["length"] for s in steps), steps
        _ask(binh, OTHER_QUESTION)
        assert len(_listed(an)) == 1 and SEED_QUESTION in _listed(an)[0]
        assert len(_listed(binh)) == 1 and OTHER_QUESTION in _listed(binh)[0]

        # Edit the newest question, then regenerate: each replaces the answer in place.
        an.get_by_role("button", name="✎ Sửa câu hỏi cuối").click()
        an.get_by_role("button", name="Gửi câu hỏi đã sửa").wait_for()
        an.get_by_role("button", name="✕ Huỷ sửa").click()  # changed one's mind: nothing is replaced
        an.get_by_role("button", name="Gửi", exact=True).wait_for()
        an.wait_for_function("() => document.querySelector('#cau-hoi textarea').value === ''")
        an.get_by_role("button", name="✎ Sửa câu hỏi cuối").click()
        box = an.locator("#cau-hoi textarea")
        an.wait_for_function(
            "q => document.querySelector('#cau-hoi textarea').value === q", arg=SEED_QUESTION
        )
        box.fill(EDITED)
        an.get_by_role("button", name="Gửi câu hỏi đã sửa").click()
        an.locator("#ds-tro-chuyen label", has_text=EDITED).wait_for(timeout=TIMEOUT_MS)
        an.locator("#cuoc-tro-chuyen .message.user", has_text=EDITED).wait_for(timeout=TIMEOUT_MS)
        assert _bubbles(an) == (1, 1), "the edited question replaced the first one"
        an.get_by_role("button", name="Gửi", exact=True).wait_for()
        kept = ConversationStore(index / FILE_NAME)
        [before] = kept.summaries("an")
        an.get_by_role("button", name="↻ Trả lời lại").click()
        _wait_until(lambda: kept.summaries("an")[0].updated_at > before.updated_at)  # the new answer is kept
        an.locator("#cuoc-tro-chuyen .message.bot a.trich-dan").first.wait_for(timeout=TIMEOUT_MS)
        assert _bubbles(an) == (1, 1) and [s.turns for s in kept.summaries("an")] == [1]
        an.screenshot(path=str(SHOTS / "30_tro_chuyen_da_luu_an.png"), full_page=True)

        # A reload starts an empty chat; the list still holds the conversation.
        an.reload()
        an.locator("#ds-tro-chuyen label", has_text=EDITED).wait_for(timeout=TIMEOUT_MS)
        assert _bubbles(an) == (0, 0) and len(_listed(an)) == 1
        binh.screenshot(path=str(SHOTS / "31_tro_chuyen_da_luu_binh.png"), full_page=True)
        binh.context.close()
        an.context.close()

    owners = {row for row in _owners(index / FILE_NAME)}
    assert owners == {"an", "binh"}

    # The app process restarted over the same index folder: log in again, open it, it is all there.
    store = ConversationStore(index / FILE_NAME)
    with running_app(index, tmp_path / "app2.log", _app_env(tmp_path)) as url:
        an, binh = _logged_in(chromium, url, "an"), _logged_in(chromium, url, "binh")
        an.locator("#ds-tro-chuyen label", has_text=EDITED).wait_for(timeout=TIMEOUT_MS)
        binh.locator("#ds-tro-chuyen label", has_text=OTHER_QUESTION).wait_for(timeout=TIMEOUT_MS)
        assert len(_listed(an)) == 1 and len(_listed(binh)) == 1
        assert not any(EDITED in item or SEED_QUESTION in item for item in _listed(binh)), "never another's"
        an.locator("#ds-tro-chuyen label", has_text=EDITED).click()
        an.locator("#cuoc-tro-chuyen .message.user", has_text=EDITED).wait_for(timeout=TIMEOUT_MS)
        an.locator("#cuoc-tro-chuyen .message.bot a.trich-dan").first.wait_for(timeout=TIMEOUT_MS)
        an.locator("#nguon-trich-dan #nguon-1-1").wait_for(timeout=TIMEOUT_MS)
        assert _bubbles(an) == (1, 1)
        # It continues: the next question is a second turn of the same kept conversation.
        an.locator("#cau-hoi textarea").fill("Ai chủ trì hội nghị đó?")
        an.get_by_role("button", name="Gửi", exact=True).click()
        _wait_until(lambda: [s.turns for s in store.summaries("an")] == [2])
        an.wait_for_function(
            "() => !document.querySelector('#cuoc-tro-chuyen').innerText.includes('Đang tìm')",
            timeout=TIMEOUT_MS,
        )
        an.screenshot(path=str(SHOTS / "32_tro_chuyen_sau_khoi_dong_lai.png"), full_page=True)

        # Bình renames, exports and deletes his own; An's stays.
        binh.locator("#ds-tro-chuyen label", has_text=OTHER_QUESTION).click()
        binh.locator("#cuoc-tro-chuyen .message.user", has_text=OTHER_QUESTION).wait_for(timeout=TIMEOUT_MS)
        binh.get_by_text("Đổi tên, xoá, xuất tệp").click()
        binh.locator("#ten-moi textarea, #ten-moi input").first.fill("Hà Giang của Bình")
        binh.locator("#doi-ten").click()
        binh.locator("#ds-tro-chuyen label", has_text="Hà Giang của Bình").wait_for(timeout=TIMEOUT_MS)
        binh.locator("#xuat-tro-chuyen").click()
        binh.locator("#tai-tro-chuyen-md").wait_for(state="visible", timeout=TIMEOUT_MS)
        with binh.expect_download() as download:
            binh.locator("#tai-tro-chuyen-md").click()
        exported = Path(download.value.path()).read_text(encoding="utf-8")
        assert exported.startswith("# Hà Giang của Bình") and OTHER_QUESTION in exported
        binh.locator("#tai-tro-chuyen-docx").wait_for(state="visible")
        binh.locator("#xoa-tro-chuyen").click()
        binh.locator("#xac-nhan-xoa").get_by_text("Hà Giang của Bình").wait_for(timeout=TIMEOUT_MS)
        binh.screenshot(path=str(SHOTS / "33_xac_nhan_xoa.png"), full_page=True)
        binh.locator("#xac-nhan-xoa-nut").click()
        binh.locator("#lich-su-trang-thai").get_by_text("Đã xoá cuộc trò chuyện").wait_for(timeout=TIMEOUT_MS)
        binh.wait_for_function("() => !document.querySelector('#ds-tro-chuyen label')", timeout=TIMEOUT_MS)
        assert _bubbles(binh) == (0, 0), "the open conversation was the deleted one"
        an.context.close()
        binh.context.close()
    assert store.summaries("binh") == []
    [kept] = store.summaries("an")
    assert kept.turns == 2 and kept.title == EDITED


def _wait_until(condition: Callable[[], bool], seconds: float = TIMEOUT_MS / 1000) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.5)


def _owners(path: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT owner FROM conversations")]
