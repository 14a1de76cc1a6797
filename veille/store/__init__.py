"""The store: DuckDB file, versioned schema, one writer, concurrent readers, idempotent writes."""
from __future__ import annotations

from veille.store.db import Store, event_from_json, event_to_json, mention_id
from veille.store.query import MAX_LIMIT, EventFilter, QueryError
from veille.store.records import EventPage, Stats, StoredArticle, StoredEvent, StoredMention, WriteSummary

__all__ = [
    "Store", "EventFilter", "QueryError", "MAX_LIMIT", "EventPage", "Stats", "StoredArticle",
    "StoredEvent", "StoredMention", "WriteSummary", "event_from_json", "event_to_json", "mention_id",
]
