"""Frozen records passed between pipeline stages.

Every stage takes and returns these types; no anonymous dicts cross module boundaries.
`to_dict()` gives the JSON shape of the public output (see README / FORMAT.md).
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "PLOVER_TYPES",
    "MATERIAL_TYPES",
    "SECTORS",
    "PRECISIONS",
    "Article",
    "Actor",
    "Place",
    "Evidence",
    "Event",
    "ArticleResult",
    "IngestFailure",
    "content_id",
]

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
# acts done on the ground (as opposed to statements): where they happen is where their scene is
MATERIAL_TYPES: frozenset[str] = frozenset(
    {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "RETREAT", "AID", "CONSULT", "PROTEST"})
SECTORS: tuple[str, ...] = (
    "GOV", "LEG", "JUD", "MIL", "COP", "REB", "PTY", "CVL", "JRN", "BUS", "REL", "IGO", "NGO", "UNK",
)
PRECISIONS: tuple[str, ...] = ("city", "admin2", "admin1", "region", "country")
DatePrecision = Literal["day", "month", "year"]


def content_id(text: str) -> str:
    """Stable id of an article: sha256 of its clean text, first 16 hex digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    """One news article after ingest: clean text (header removed) plus metadata."""

    id: str
    source: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date "YYYY-MM-DD" (or full ISO datetime) or None
    modified: str | None = None
    language: str | None = None  # ISO 639-1, None until detected
    keywords: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "language": self.language,
            "text": self.text,
        }

    @property
    def published_date(self) -> str | None:
        """Publication day as YYYY-MM-DD (None if unknown)."""
        return self.published[:10] if self.published else None


@dataclass(frozen=True)
class Actor:
    """Who acts or is acted upon: display name, ISO3 country, PLOVER sector."""

    name: str | None
    country: str | None = None  # ISO 3166-1 alpha-3
    sector: str | None = None  # one of SECTORS
    wikidata: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "sector": self.sector}


@dataclass(frozen=True)
class Place:
    """A resolved location. Coordinates always come from the gazetteer, never invented."""

    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None  # ISO3
    admin1: str | None
    precision: str  # one of PRECISIONS
    confidence: float = 1.0
    feature: str | None = None  # GeoNames feature class/code, e.g. "P", "A.ADM1", "A.PCLI"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "geonameid": self.geonameid,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "admin1": self.admin1,
            "precision": self.precision,
        }


@dataclass(frozen=True)
class Evidence:
    """The sentence that supports an event; start/end are offsets into Article.text."""

    sentence: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Event:
    """One PLOVER event: (type, actor, target, place, day) with its evidence."""

    type: str
    evidence: Evidence
    mode: str | None = None
    actor: Actor | None = None
    target: Actor | None = None
    date: str | None = None  # "2021-04-07", "2020-01" or "2019"
    date_precision: str | None = None  # day | month | year
    location: Place | None = None
    background: bool = False
    confidence: float = 0.5
    negated: bool = False
    hypothetical: bool = False
    trigger: str | None = None
    cameo: str | None = None
    acled: str | None = None  # "Event type / Sub-event type"

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "mode": self.mode,
            "actor": self.actor.to_dict() if self.actor else None,
            "target": self.target.to_dict() if self.target else None,
            "date": self.date,
            "date_precision": self.date_precision,
            "location": self.location.to_dict() if self.location else None,
            "background": self.background,
            "confidence": round(self.confidence, 3),
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "trigger": self.trigger,
            "cameo": self.cameo,
            "acled": self.acled,
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True)
class ArticleResult:
    """What the pipeline returns for one article: its events and any warnings."""

    article: Article
    events: tuple[Event, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "article": self.article.to_dict(),
            "events": [e.to_dict() for e in self.events],
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


@dataclass(frozen=True)
class IngestFailure:
    """An input that could not be turned into an Article; `message` is one coded line."""

    source: str
    message: str
