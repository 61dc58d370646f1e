"""DiacriticRestorer: learns from the customer's seed articles and restores questions typed without marks."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from ingest.vietnamese_text import fold_accents
from tests.conftest import sample_pages
from vectorstore.diacritics.compact_counts import CompactCounts
from vectorstore.diacritics.restorer import DiacriticModelCorruptedError, DiacriticRestorer
from vectorstore.index_errors import IndexCorruptedError

EXTRA_SENTENCES = [
    "Hội nghị được tổ chức ở đâu và vào thời gian nào?",
    "Đoàn đại biểu đã đến thăm những địa phương nào ở đâu?",
    "Năm 2022, hội nghị toàn quốc về công tác đối ngoại nhân dân được tổ chức tại Hà Nội.",
]


@pytest.fixture(scope="module")
def seed_texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sample_pages()]  # fails if the folder is empty
    return [*texts, *EXTRA_SENTENCES]


@pytest.fixture(scope="module")
def restorer(seed_texts: list[str]) -> DiacriticRestorer:
    return DiacriticRestorer.train(seed_texts)


def test_restores_a_question_typed_without_diacritics(restorer: DiacriticRestorer) -> None:
    assert restorer.restore("hoi nghi doi ngoai nhan dan") == "hội nghị đối ngoại nhân dân"
    assert (
        restorer.restore("hoi nghi doi ngoai nhan dan nam 2022 to chuc o dau")
        == "hội nghị đối ngoại nhân dân năm 2022 tổ chức ở đâu"
    )


def test_syllables_typed_with_marks_are_kept_as_typed(restorer: DiacriticRestorer) -> None:
    # "nhận" is not what the model would choose after "đối ngoại", but the user typed it.
    assert restorer.restore("doi ngoai nhận dan") == "đối ngoại nhận dân"
    assert restorer.restore("hoi nghi doi ngoai nhân dân") == "hội nghị đối ngoại nhân dân"


def test_casing_spacing_and_punctuation_are_preserved(restorer: DiacriticRestorer) -> None:
    assert restorer.restore("HOI NGHI Doi Ngoai nhan dan tinh Vinh Phuc") == (
        "HỘI NGHỊ Đối Ngoại nhân dân tỉnh Vĩnh Phúc"
    )
    assert restorer.restore("  hoi   nghi,doi ngoai? (nhan dan)") == "  hội   nghị,đối ngoại? (nhân dân)"


def test_unknown_syllables_numbers_and_empty_input_stay_as_typed(restorer: DiacriticRestorer) -> None:
    assert restorer.restore("xyzq hoi nghi 23/6/2020 COVID-19") == "xyzq hội nghị 23/6/2020 COVID-19"
    assert restorer.restore("") == ""
    assert restorer.restore("?!") == "?!"


def test_candidates_are_distinct_and_start_with_the_best(restorer: DiacriticRestorer) -> None:
    candidates = restorer.restore_candidates("hoi nghi doi ngoai", n=3)
    assert candidates[0] == restorer.restore("hoi nghi doi ngoai")
    assert len(candidates) == 3
    assert len(set(candidates)) == 3
    assert all(fold_accents(candidate) == "hoi nghi doi ngoai" for candidate in candidates)


def test_texts_typed_without_diacritics_are_not_learned(seed_texts: list[str]) -> None:
    unaccented = " ".join(["Hoi nghi doi ngoai nhan dan to chuc tai Ha Noi."] * 200)
    restorer = DiacriticRestorer.train([*seed_texts, unaccented])
    assert restorer.restore("Hoi nghi doi ngoai nhan dan to chuc tai Ha Noi.") == (
        "Hội nghị đối ngoại nhân dân tổ chức tại Hà Nội."
    )


def test_update_adds_counts_and_changes_predictions() -> None:
    restorer = DiacriticRestorer.train(["Cái bàn này rất đẹp.", "Bàn làm việc mới."])
    assert restorer.restore("ban") == "bàn"
    before = restorer.syllable_count
    restorer.update(["Tôi gặp bạn.", "Bạn của tôi.", "Bạn bè.", "Người bạn tốt."])
    assert restorer.syllable_count == before + 11
    assert restorer.restore("ban") == "bạn"
    assert restorer.restore("gap ban") == "gặp bạn"


def test_save_and_load_round_trip(restorer: DiacriticRestorer, tmp_path: Path) -> None:
    path = tmp_path / "model" / "diacritics.json.gz"
    restorer.save(path)
    loaded = DiacriticRestorer.load(path)
    assert loaded.syllable_count == restorer.syllable_count
    for question in ["hoi nghi doi ngoai nhan dan", "cong tac doi ngoai tinh Vinh Phuc nam 2020"]:
        assert loaded.restore_candidates(question, n=3) == restorer.restore_candidates(question, n=3)
    assert not list(path.parent.glob("*.partial"))  # written atomically, nothing left behind


def test_read_only_load_restores_the_same_and_refuses_to_learn(
    restorer: DiacriticRestorer, tmp_path: Path
) -> None:
    path = tmp_path / "diacritics.json.gz"
    restorer.save(path)
    served = DiacriticRestorer.load(path, read_only=True)
    for question in ["hoi nghi doi ngoai nhan dan", "cong tac doi ngoai tinh Vinh Phuc nam 2020", "ban"]:
        assert served.restore_candidates(question, n=3) == restorer.restore_candidates(question, n=3)
    assert isinstance(served._trigrams, CompactCounts) and len(served._trigrams) == len(restorer._trigrams)
    with pytest.raises(TypeError):
        served.update(["Bạn bè."])
    with pytest.raises(TypeError):
        served.save(tmp_path / "again.json.gz")


def test_compact_counts_reads_what_it_was_given() -> None:
    table = {f"từ {i} tiếp": i + 1 for i in range(5000)}
    compact = CompactCounts(table)
    assert len(compact) == 5000 and compact.nbytes == 5000 * 12
    assert all(compact.get(key) == count for key, count in table.items())
    assert compact.get("không có", 0) == 0 and compact.get("từ 5000 tiếp", -1) == -1
    assert CompactCounts({}).get("x", 7) == 7


def test_pruned_save_is_smaller_and_still_restores(restorer: DiacriticRestorer, tmp_path: Path) -> None:
    full, pruned = tmp_path / "full.json.gz", tmp_path / "pruned.json.gz"
    restorer.save(full)
    restorer.save(pruned, min_count=2)
    assert pruned.stat().st_size < full.stat().st_size
    loaded = DiacriticRestorer.load(pruned)
    assert loaded.restore("hoi nghi doi ngoai nhan dan") == "hội nghị đối ngoại nhân dân"


def _gzip_json(path: Path, payload: object) -> Path:
    path.write_bytes(gzip.compress(json.dumps(payload).encode("utf-8")))
    return path


@pytest.mark.parametrize(
    "damage",
    ["not gzip", "truncated", "not json", "wrong format", "missing table", "negative count"],
)
def test_corrupted_file_raises_a_vietnamese_error(
    restorer: DiacriticRestorer, tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "diacritics.json.gz"
    restorer.save(path)
    payload = json.loads(gzip.decompress(path.read_bytes()))
    if damage == "not gzip":
        path.write_bytes(b"this is not a model")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "not json":
        path.write_bytes(gzip.compress(b"{unigrams: oops"))
    elif damage == "wrong format":
        _gzip_json(path, {**payload, "format": "something-else"})
    elif damage == "missing table":
        _gzip_json(path, {key: value for key, value in payload.items() if key != "trigrams"})
    else:
        _gzip_json(path, {**payload, "bigrams": {"hội nghị": -3}})
    with pytest.raises(DiacriticModelCorruptedError) as caught:
        DiacriticRestorer.load(path)
    assert isinstance(caught.value, IndexCorruptedError)
    message = str(caught.value)
    assert "mô hình khôi phục dấu" in message
    assert "hỏng" in message


def test_missing_file_is_not_reported_as_corruption(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        DiacriticRestorer.load(tmp_path / "absent.json.gz")
