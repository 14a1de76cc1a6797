"""Running the real pipeline on short texts written for the tests (shared by the extraction,
type and actor test modules)."""
from __future__ import annotations

from veille.models import ArticleResult, Event
from veille.pipeline import Pipeline

PUBLISHED = "2024-05-15"


def result(pipeline: Pipeline, text: str, language: str, published: str = PUBLISHED) -> ArticleResult:
    """The pipeline's result for one text; every event must be backed by its exact sentence."""
    res = pipeline.extract_text(text, language=language, published=published)
    for e in res.events:
        assert res.article.text[e.evidence.start:e.evidence.end] == e.evidence.sentence
    return res


def events(pipeline: Pipeline, text: str, language: str, published: str = PUBLISHED) -> list[Event]:
    return list(result(pipeline, text, language, published).events)


def news(evs: list[Event], etype: str) -> list[Event]:
    """The events of one type told as news (not background)."""
    return [e for e in evs if e.type == etype and not e.background]
