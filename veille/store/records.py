"""Frozen records the store returns: stored events, mentions, articles, pages and statistics."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from veille.models import Article, Event

__all__ = ["StoredEvent", "StoredMention", "StoredArticle", "EventPage", "Stats", "WriteSummary"]


@dataclass(frozen=True)
class StoredEvent:
    """A happening in the store: its merged event and how many reports support it."""

    id: str
    event: Event
    evidence_article: str
    n_mentions: int
    n_articles: int
    n_sources: int

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        out.update(self.event.to_dict())
        out["evidence"]["article_id"] = self.evidence_article
        out["n_mentions"] = self.n_mentions
        out["n_articles"] = self.n_articles
        out["n_sources"] = self.n_sources
        return out


@dataclass(frozen=True)
class StoredMention:
    """One report of a happening: the article, the evidence span and the event as extracted there."""

    id: str
    event_id: str
    article_id: str
    article_title: str | None
    event: Event

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_id": self.event_id,
            "article_id": self.article_id,
            "article_title": self.article_title,
            "sentence": self.event.evidence.sentence,
            "start": self.event.evidence.start,
            "end": self.event.evidence.end,
            "extracted": self.event.to_dict(),
        }


@dataclass(frozen=True)
class StoredArticle:
    """An article with every source it arrived from."""

    article: Article
    sources: tuple[str, ...]
    stored_at: str

    def to_dict(self) -> dict[str, Any]:
        out = self.article.to_dict()
        out["sources"] = list(self.sources)
        out["stored_at"] = self.stored_at
        return out


@dataclass(frozen=True)
class EventPage:
    """One page of a query: the events, the total matching, and how to get the next page."""

    events: tuple[StoredEvent, ...]
    total: int
    limit: int
    offset: int
    next_cursor: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
            "next_cursor": self.next_cursor,
            "events": [e.to_dict() for e in self.events],
        }


@dataclass(frozen=True)
class Stats:
    """Counts of the events matching a filter, per day, ISO week, type and place country."""

    total: int
    by_day: tuple[tuple[str, int], ...]
    by_week: tuple[tuple[str, int], ...]
    by_type: tuple[tuple[str, int], ...]
    by_country: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        def rows(pairs: tuple[tuple[str, int], ...], key: str) -> list[dict[str, Any]]:
            return [{key: k, "count": n} for k, n in pairs]

        return {
            "total": self.total,
            "by_day": rows(self.by_day, "day"),
            "by_week": rows(self.by_week, "week"),
            "by_type": rows(self.by_type, "type"),
            "by_country": rows(self.by_country, "country"),
        }


@dataclass(frozen=True)
class WriteSummary:
    """What one write did: articles stored, already present, events created and merged into."""

    articles_new: int = 0
    articles_known: int = 0
    sources_added: int = 0
    events_new: int = 0
    events_merged: int = 0
    mentions: int = 0

    def __add__(self, other: "WriteSummary") -> "WriteSummary":
        return WriteSummary(*(a + b for a, b in zip(self.astuple(), other.astuple())))

    def astuple(self) -> tuple[int, ...]:
        return (self.articles_new, self.articles_known, self.sources_added,
                self.events_new, self.events_merged, self.mentions)
