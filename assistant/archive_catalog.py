"""What the archive holds, as the user interface asks for it: one article, the filter choices, a summary
for the page header, the newest headlines (for example questions) and the statistics panel.

Why a facade: the web handlers used to reach through `assistant.index.store` into the SQLite store, so
the store's method names and row shapes were part of the UI's contract. `ArchiveCatalog` is that
contract, typed; the store behind it can change without touching the handlers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from vectorstore.archive_index import ArchiveIndex
from vectorstore.archive_stats import ArchiveStats, archive_stats
from vectorstore.store.article_store import StoredArticle


@dataclass(frozen=True)
class ArchiveSummary:
    """How many articles are searchable and the period their publication dates span."""

    articles: int
    date_from: date | None
    date_to: date | None


@dataclass(frozen=True)
class Headline:
    """A searchable article's headline and publication date."""

    article_id: str
    title: str
    published_date: date | None


class ArchiveCatalog:
    """Read-only views of the archive behind `index` for the user interface."""

    def __init__(self, index: ArchiveIndex) -> None:
        self._index = index

    def article(self, article_id: str) -> StoredArticle | None:
        """The stored article (title, text, metadata), or None when the archive has no such article."""
        return self._index.store.get_article(article_id)

    def facets(self) -> tuple[list[str], list[str]]:
        """The categories and the outlets of the searchable articles, each sorted."""
        store = self._index.store
        return store.facet_values("category"), store.facet_values("outlet")

    def summary(self) -> ArchiveSummary:
        first, last = self._index.store.date_range()
        return ArchiveSummary(self._index.store.counts()["articles"], first, last)

    def headlines(self) -> list[Headline]:
        """Every searchable article's headline, in no particular order."""
        store = self._index.store
        metadata = store.articles_metadata(store.ids_matching(None, None))
        return [
            Headline(
                article_id,
                str(row.get("title") or ""),
                date.fromisoformat(str(row["published_date"])) if row.get("published_date") else None,
            )
            for article_id, row in metadata.items()
        ]

    def stats(self) -> ArchiveStats:
        """The statistics panel's figures (see `archive_stats`)."""
        return archive_stats(self._index)
