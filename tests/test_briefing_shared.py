"""The issue's own measurement (issue 13 §6): the briefing on "đối ngoại nhân dân" over the five seeds and
300 real VNTC politics/world articles, on the real embedding model. Apart from tests/test_briefing.py
because it reads ../shared (the distractor corpus), which the fast lane never needs."""

from __future__ import annotations

import re

import pytest

from assistant.briefing.topic_briefing import write_briefing
from assistant.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.shared]

# numbered by publication date: 24/06/2020, 07/07/2022, 02/12/2022
ON_TOPIC = ["000_8e02bbd58b42a3a7", "004_955a1fbb71e7f89b", "003_4d6faa8e32c1a029"]


def test_briefing_over_300_distractors_lists_only_the_seeds_on_topic(distractor_settings: Settings) -> None:
    from assistant.build import build_assistant

    briefing = write_briefing(build_assistant(distractor_settings), "đối ngoại nhân dân")
    assert [s.article_id for s in briefing.sources] == ON_TOPIC
    summary = briefing.markdown.split("## Tóm tắt\n")[1].split("\n## ")[0]
    assert len(set(re.findall(r"\[(\d)\]$", summary, re.MULTILINE))) == 3
    assert "Sáng 7/7/2022, tại Cao Bằng" in summary
    timeline = briefing.markdown.split("## Diễn biến theo thời gian\n")[1].split("\n## ")[0]
    assert "- **23/6/2020** — " in timeline and "24/06/2020" not in timeline
