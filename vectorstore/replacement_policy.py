"""What an ingest does with an article whose id is already stored with other content.

Ids come from file names and from JSON Lines `id` fields, so anyone who can hand in a file can name a
stored article. Two policies:

- `REPLACE_ANY` (the command line, run by whoever administers the index folder): the new text becomes
  the current version and the old one is kept (`article_versions`); the report says «thay thế bài …
  (phiên bản cũ được giữ)», never a quiet "updated".
- `ReplacePolicy.add_only(confirmed)` (web uploads): only the ids a user explicitly chose and confirmed
  may be replaced. Any other collision is stored as a new article under the next free id
  (`<id>-2`, `<id>-3` …), so an upload can add to the archive but never change what is there. The
  same body under the same id with only the headline or date changed is reported as a duplicate of the
  stored article, which stays as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ingest.models import CleanArticle
from ingest.report import FileStatus
from vectorstore.store.article_store import ArticleStore


@dataclass(frozen=True)
class ReplacePolicy:
    """Which stored articles an ingest may replace with changed content (the old version is kept)."""

    replace_any: bool = True
    confirmed_ids: frozenset[str] = frozenset()

    @classmethod
    def add_only(cls, confirmed_ids: frozenset[str] = frozenset()) -> ReplacePolicy:
        return cls(replace_any=False, confirmed_ids=confirmed_ids)

    def may_replace(self, article_id: str) -> bool:
        return self.replace_any or article_id in self.confirmed_ids


REPLACE_ANY = ReplacePolicy()


@dataclass(frozen=True)
class Decision:
    """What to do with one clean article: its status, the article to store (renamed when its id was
    taken) and the Vietnamese reason shown in the report."""

    status: FileStatus
    article: CleanArticle
    reason: str | None = None


def decide(
    store: ArticleStore,
    article: CleanArticle,
    policy: ReplacePolicy,
    run_text_hashes: dict[str, str],
    run_ids: set[str],
) -> Decision:
    """Classify `article` against the store and this run (`run_text_hashes`: body hash -> id stored by
    the run; `run_ids`: ids the run stored). For "unchanged"/"duplicate" the decision's article id is
    the stored article the source belongs to."""
    article_id = article.article_id
    state = store.article_state(article_id)
    if state is not None and state[0] == article.content_hash and state[1] in {"indexed", "stored"}:
        return Decision("unchanged", article)  # stored: the embedding stage gives it its vectors
    taken_in_run = article_id in run_ids  # only a renamed article of this run can hold it
    # A replacement the user confirmed for this id happens even if the text is stored elsewhere (an
    # earlier upload of the same file became `<id>-2`): that choice was about this article.
    confirmed = state is not None and not taken_in_run and article_id in policy.confirmed_ids
    owner = run_text_hashes.get(article.text_hash) or store.find_by_text_hash(article.text_hash)
    if owner is not None and owner != article_id and not confirmed:
        return Decision("duplicate", replace(article, article_id=owner), f"cùng nội dung với bài {owner}")
    if state is None and not taken_in_run:
        return Decision("indexed", article)
    if state is not None and state[0] == article.content_hash:
        return Decision("updated", article)  # the same content, left half-indexed: indexed again
    current = store.get_article(article_id)
    if current is not None and not taken_in_run and policy.may_replace(article_id):
        return Decision(
            "replaced",
            article,
            f"thay thế bài «{current.title}» (phiên bản cũ được giữ) — bản cũ là phiên bản {current.version}",
        )
    if owner == article_id:
        return Decision(
            "duplicate", article, f"cùng nội dung với bài {article_id}; bài đã có được giữ nguyên"
        )
    new_id = free_article_id(store, article_id, run_ids)
    taken_by = (
        f"bài «{current.title}» với nội dung khác; bài đó được giữ nguyên"
        if current is not None
        else "một bài khác của lần nạp này"
    )
    return Decision(
        "renamed",
        replace(article, article_id=new_id),
        f"mã {article_id} đã thuộc {taken_by}, tệp này được lưu thành bài mới {new_id}",
    )


def free_article_id(store: ArticleStore, article_id: str, run_ids: set[str]) -> str:
    """`<id>-2`, `<id>-3` …: the first id never stored (not even as a deleted article's history) and
    not used by this run."""
    counter = 2
    while True:
        candidate = f"{article_id}-{counter}"
        if candidate not in run_ids and not store.has_versions(candidate):
            return candidate
        counter += 1
