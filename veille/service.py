"""The service layer: the use cases that the CLI and the HTTP API both call.

Processing (`process_inputs`, `run_paths`, `submit_article`) turns inputs into stored events;
queries (`query_events`, `get_event`, `get_article`, `stats`) read the store. Nothing here
prints or knows about HTTP.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from veille.errors import Errors, InputError, VeilleError
from veille.models import Article, ArticleResult, IngestFailure, content_id
from veille.store import EventFilter, EventPage, Stats, Store, StoredArticle, StoredEvent, StoredMention, WriteSummary

__all__ = [
    "PipelineLike",
    "AlreadyStored",
    "RunSummary",
    "SubmitResult",
    "process_inputs",
    "run_paths",
    "submit_article",
    "query_events",
    "get_event",
    "get_article",
    "stats",
]


class PipelineLike(Protocol):
    """Anything with `process_many` (the real `veille.pipeline.Pipeline`, or a fake in tests)."""

    def process_many(self, articles: Iterable[Article], batch_size: int = ...) -> Iterator[ArticleResult]: ...


Reader = Callable[..., Iterable["Article | IngestFailure"]]


@dataclass(frozen=True)
class AlreadyStored:
    """An input whose content is already in the store: not processed again (its source is recorded)."""

    article: Article


@dataclass(frozen=True)
class RunSummary:
    """What `veille run` did."""

    inputs: int
    processed: int
    already_stored: int
    failed: int
    write: WriteSummary
    seconds: float

    def line(self) -> str:
        w = self.write
        return (f"{self.inputs} inputs: {self.processed} processed, {self.already_stored} already stored, "
                f"{self.failed} failed; {w.mentions} mentions -> {w.events_new} new events, "
                f"{w.events_merged} merged into known events; {self.seconds:.1f} s")


@dataclass(frozen=True)
class SubmitResult:
    """Outcome of one submitted article."""

    article_id: str
    created: bool
    event_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "created": self.created, "event_ids": list(self.event_ids)}


def _default_reader() -> Reader:
    from veille.ingest import iter_inputs  # helper C's ingest; imported late so tests can inject a reader

    return iter_inputs


def _process_batch(pipeline: PipelineLike, batch: Sequence[Article], batch_size: int
                   ) -> Iterator[ArticleResult | IngestFailure]:
    """Results in input order; a failing batch is retried article by article to isolate the culprit."""
    try:
        results = list(pipeline.process_many(batch, batch_size=batch_size))
        if len(results) == len(batch):
            yield from results
            return
    except Exception:  # noqa: BLE001 - any failure is retried per article below and reported there
        pass
    for article in batch:
        try:
            yield from pipeline.process_many([article], batch_size=1)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            yield IngestFailure(article.source, Errors.E601.format(source=article.source, reason=reason))


def process_inputs(
    paths: Sequence[str],
    pipeline: PipelineLike,
    *,
    batch_size: int = 16,
    known: Callable[[str], bool] | None = None,
    reader: Reader | None = None,
    max_bytes: int | None = None,
) -> Iterator[ArticleResult | IngestFailure | AlreadyStored]:
    """Read `paths`, skip articles `known` to the store, run the pipeline on the rest in batches.

    Yields one record per input, in input order. This is the per-article work that batch
    runners (processes, Dask) parallelise; it has no side effects on the store.
    """
    read = reader or _default_reader()
    kwargs: dict[str, Any] = {} if max_bytes is None else {"max_bytes": max_bytes}
    pending: list[Article | IngestFailure | AlreadyStored] = []

    def flush() -> Iterator[ArticleResult | IngestFailure | AlreadyStored]:
        todo = [p for p in pending if isinstance(p, Article)]
        done = iter(_process_batch(pipeline, todo, batch_size)) if todo else iter(())
        for item in pending:
            yield next(done) if isinstance(item, Article) else item
        pending.clear()

    for item in read(list(paths), **kwargs):
        if isinstance(item, Article) and known is not None and known(item.id):
            pending.append(AlreadyStored(item))
        else:
            pending.append(item)
        if sum(isinstance(p, Article) for p in pending) >= batch_size:
            yield from flush()
    yield from flush()


def run_paths(
    store: Store,
    paths: Sequence[str],
    pipeline: PipelineLike,
    *,
    batch_size: int = 16,
    reader: Reader | None = None,
    on_item: Callable[[ArticleResult | IngestFailure | AlreadyStored], None] | None = None,
) -> RunSummary:
    """Process inputs into the store, one transaction per batch (resumable after a crash)."""
    started = time.perf_counter()
    items = process_inputs(paths, pipeline, batch_size=batch_size, known=store.has_article, reader=reader)
    return write_stream(store, items, batch_size=batch_size, on_item=on_item, started=started)


def write_stream(
    store: Store,
    items: Iterable[ArticleResult | IngestFailure | AlreadyStored],
    *,
    batch_size: int = 16,
    on_item: Callable[[ArticleResult | IngestFailure | AlreadyStored], None] | None = None,
    started: float | None = None,
) -> RunSummary:
    """The single writer: results in input order, one transaction per `batch_size` results."""
    started = time.perf_counter() if started is None else started
    inputs = processed = skipped = failed = 0
    total = WriteSummary()
    batch: list[ArticleResult] = []
    for item in items:
        inputs += 1
        if on_item is not None:
            on_item(item)
        if isinstance(item, IngestFailure):
            failed += 1
            continue
        if isinstance(item, AlreadyStored):
            skipped += 1
            batch.append(ArticleResult(article=item.article))  # records the new source, if any
        else:
            processed += 1
            batch.append(item)
        if len(batch) >= batch_size:
            total = total + store.write_results(batch)
            batch = []
    if batch:
        total = total + store.write_results(batch)
    return RunSummary(inputs, processed, skipped, failed, total, time.perf_counter() - started)


def submit_article(
    store: Store,
    pipeline: PipelineLike,
    *,
    text: str | None = None,
    html: str | None = None,
    source: str = "api",
    url: str | None = None,
    title: str | None = None,
    published: str | None = None,
    language: str | None = None,
) -> SubmitResult:
    """Process one submitted text or HTML page and store it; known content is not processed again."""
    if (text is None) == (html is None):
        raise InputError(Errors.E602.format(what="article", reason="give exactly one of text or html"))
    from veille import ingest

    if html is not None:
        article = ingest.article_from_html(html, source, url=url)
    else:
        assert text is not None
        article = ingest.article_from_text(text, source)
    overrides = {k: v for k, v in (("title", title), ("published", published), ("language", language), ("url", url))
                 if v is not None}
    if overrides:
        article = replace(article, **overrides)
    if not article.id:
        article = replace(article, id=content_id(article.text))
    if store.has_article(article.id):
        store.write_results([ArticleResult(article=article)])
        _, mentions = store.get_article(article.id) or (None, ())
        return SubmitResult(article.id, False, tuple(dict.fromkeys(m.event_id for m in mentions)))
    results = list(_process_batch(pipeline, [article], 1))
    result = results[0]
    if isinstance(result, IngestFailure):
        raise VeilleError(result.message)
    store.write_results([result])
    _, mentions = store.get_article(article.id) or (None, ())
    return SubmitResult(article.id, True, tuple(dict.fromkeys(m.event_id for m in mentions)))


def query_events(store: Store, f: EventFilter, *, limit: int = 50, offset: int = 0,
                 cursor: str | None = None) -> EventPage:
    return store.query_events(f, limit=limit, offset=offset, cursor=cursor)


def get_event(store: Store, event_id: str) -> tuple[StoredEvent, tuple[StoredMention, ...]] | None:
    return store.get_event(event_id)


def get_article(store: Store, article_id: str) -> tuple[StoredArticle, tuple[StoredMention, ...]] | None:
    return store.get_article(article_id)


def stats(store: Store, f: EventFilter) -> Stats:
    return store.stats(f)
