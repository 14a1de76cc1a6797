"""The per-article pipeline: Article -> language -> spaCy Doc -> events -> resolved events.

`Pipeline.process_many` is pure per article (no store, no network), so it can be mapped
over partitions by `veille.batch` on processes or Dask workers.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from veille.models import Article, ArticleResult

__all__ = ["Pipeline"]


class Pipeline:
    """Loads each language's spaCy model once (lazily) and extracts events.

    Resources (spaCy loader, gazetteer, place/actor/date resolvers) can be injected for tests.
    """

    def __init__(self, *, languages: Iterable[str] = ("fr", "en"), **resources: object) -> None:
        self.languages = tuple(languages)
        self.resources = resources

    def process(self, article: Article) -> ArticleResult:
        return next(iter(self.process_many([article])))

    def process_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[ArticleResult]:
        """Yield one ArticleResult per input article, in input order."""
        for article in articles:  # placeholder until extraction lands (lead is writing it)
            yield ArticleResult(article=article, events=())

    def extract_text(
        self,
        text: str,
        *,
        language: str | None = None,
        published: str | None = None,
        title: str | None = None,
        source: str = "<text>",
    ) -> ArticleResult:
        """Convenience for evaluation adapters: run the pipeline on a raw text."""
        from veille.models import content_id

        art = Article(id=content_id(text), source=source, text=text, title=title,
                      published=published, language=language)
        return self.process(art)
