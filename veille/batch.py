"""Parallel processing: worker processes on one machine, or a Dask cluster beyond it.

The per-article work (`Pipeline.process_many`, wrapped by `veille.service.process_inputs` so
that a failing article is isolated and reported) is pure, so it is mapped over batches of
articles without coordination; results come back in input order and only the parent process
writes to the store (one writer), which keeps the stored events identical to a single-process
run.

    ProcessRunner(workers)        a ProcessPoolExecutor (forkserver, else spawn); each worker
                                  builds its pipeline once, in its initializer
    DaskRunner(scheduler | local_workers)
                                  each partition runs on a Dask worker, which writes it as one
                                  Parquet shard (article + events as JSON columns); the parent
                                  reads the shards back in order
    process_parallel(inputs, workers=N)   paths or Articles -> ArticleResult | IngestFailure
    process_dask(inputs, scheduler=..., local_workers=N)
    run_paths_parallel(store, paths, ...) `veille run --workers/--scheduler/--dask-local`

Shards must be written where the parent can read them: for a remote cluster, give a folder
that the workers and this machine share (`shard_dir`, `veille run --shards DIR`).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from pathlib import Path
from typing import Any

from veille.errors import Errors, VeilleError
from veille.models import Article, ArticleResult, IngestFailure

__all__ = [
    "DEFAULT_PIPELINE",
    "ProcessRunner",
    "DaskRunner",
    "process_articles",
    "process_parallel",
    "process_dask",
    "run_paths_parallel",
    "write_shard",
    "read_shard",
]

DEFAULT_PIPELINE = "veille.pipeline:Pipeline"
Result = ArticleResult | IngestFailure
Reader = Callable[..., Iterable["Article | IngestFailure"]]

# one pipeline per worker process, built on first use (or by the pool's initializer)
_PIPELINES: dict[str, Any] = {}


def _pipeline(spec: str) -> Any:
    pipe = _PIPELINES.get(spec)
    if pipe is None:
        from veille.commands._store_options import load_pipeline_factory

        pipe = load_pipeline_factory(spec)()
        _PIPELINES[spec] = pipe
    return pipe


def _init_worker(spec: str, preload: tuple[str, ...]) -> None:
    """Pool initializer: build the pipeline and load the spaCy models once per worker."""
    try:
        pipe = _pipeline(spec)
        for lang in preload:
            pipe.nlp(lang)
            pipe.extractor(lang)
    except Exception:  # noqa: BLE001 - never kill the worker here: the same error comes back,
        pass           # isolated and reported (E601), for each article that needs the resource


def process_articles(articles: Sequence[Article], spec: str = DEFAULT_PIPELINE, batch_size: int = 16) -> list[Result]:
    """The pure per-article function the runners map: one result per article, in order.

    Uses `veille.service.process_inputs`, the very code of the single-process run, so a
    failing article becomes an IngestFailure (E601) and the others go on.
    """
    from veille.service import process_inputs

    items = list(articles)
    try:
        pipeline = _pipeline(spec)
    except Exception as exc:  # noqa: BLE001 - a pipeline that cannot be built fails each article, with the reason
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return [IngestFailure(a.source, Errors.E601.format(source=a.source, reason=reason)) for a in items]
    out: list[Result] = []
    for item in process_inputs([], pipeline, batch_size=batch_size, reader=lambda _paths, **_kw: items):
        assert isinstance(item, (ArticleResult, IngestFailure))
        out.append(item)
    return out


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _default_languages(spec: str) -> tuple[str, ...]:
    if spec != DEFAULT_PIPELINE:
        return ()
    from veille.nlp import supported_languages

    return supported_languages()


class ProcessRunner:
    """Batches of articles over `workers` processes; results in input order."""

    def __init__(self, workers: int, *, pipeline_spec: str = DEFAULT_PIPELINE,
                 preload: Sequence[str] | None = None, in_flight: int | None = None) -> None:
        if workers < 1:
            raise VeilleError(Errors.E602.format(what="--workers", reason="must be at least 1"))
        self.workers = workers
        self.spec = pipeline_spec
        self.preload = tuple(preload) if preload is not None else _default_languages(pipeline_spec)
        self.in_flight = in_flight or 2 * workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "ProcessRunner":
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker,
                                         initargs=(self.spec, self.preload))
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def process(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Result]:
        if self._pool is None:
            raise RuntimeError("ProcessRunner is used outside its `with` block")
        pending: deque[Future[list[Result]]] = deque()
        for chunk in _chunks(articles, batch_size):
            pending.append(self._pool.submit(process_articles, chunk, self.spec, batch_size))
            while len(pending) >= self.in_flight:
                yield from _outcome(pending.popleft())
        while pending:
            yield from _outcome(pending.popleft())


def _outcome(future: Any) -> list[Result]:
    """A batch's results; a worker that died (killed, out of memory) is one coded error."""
    try:
        return list(future.result())
    except BrokenProcessPool as exc:
        raise VeilleError(Errors.E602.format(
            what="--workers", reason=f"a worker process died ({exc}); try fewer workers or a smaller --batch-size"
        )) from exc
    except VeilleError:
        raise
    except Exception as exc:  # noqa: BLE001 - a remote failure (Dask) surfaces as one line, not a traceback
        raise VeilleError(Errors.E602.format(what="worker", reason=f"{type(exc).__name__}: {exc}"[:300])) from exc


# ---------------------------------------------------------------- Parquet shards
def write_shard(results: Sequence[Result], path: str) -> str:
    """One Parquet file: a row per input (article and events as JSON columns, or a failure)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from veille.store import event_to_json

    rows: dict[str, list[Any]] = {"position": [], "kind": [], "source": [], "article": [], "events": [],
                                  "warnings": [], "message": []}
    for i, r in enumerate(results):
        rows["position"].append(i)
        if isinstance(r, IngestFailure):
            rows["kind"].append("failure")
            rows["source"].append(r.source)
            rows["article"].append(None)
            rows["events"].append(None)
            rows["warnings"].append(None)
            rows["message"].append(r.message)
        else:
            rows["kind"].append("result")
            rows["source"].append(r.article.source)
            rows["article"].append(json.dumps(asdict(r.article), ensure_ascii=False))
            rows["events"].append("[" + ",".join(event_to_json(e) for e in r.events) + "]")
            rows["warnings"].append(json.dumps(list(r.warnings), ensure_ascii=False))
            rows["message"].append(None)
    schema = pa.schema([("position", pa.int32()), ("kind", pa.string()), ("source", pa.string()),
                        ("article", pa.string()), ("events", pa.string()), ("warnings", pa.string()),
                        ("message", pa.string())])
    tmp = f"{path}.tmp-{os.getpid()}"
    pq.write_table(pa.table(rows, schema=schema), tmp)
    os.replace(tmp, path)  # a shard is either complete or absent
    return path


def read_shard(path: str) -> list[Result]:
    """The results of one shard, in their original order."""
    import pyarrow.parquet as pq

    from veille.store import event_from_json

    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise VeilleError(Errors.E602.format(
            what=f"shard {path}",
            reason=f"cannot be read here ({exc}); with a remote cluster, shards must go to a folder "
                   "shared by the workers and this machine (--shards DIR)")) from exc
    out: list[Result] = []
    for row in sorted(table.to_pylist(), key=lambda r: r["position"]):
        if row["kind"] == "failure":
            out.append(IngestFailure(row["source"], row["message"]))
            continue
        art = json.loads(row["article"])
        art["keywords"] = tuple(art.get("keywords") or ())
        events = tuple(event_from_json(json.dumps(e)) for e in json.loads(row["events"]))
        out.append(ArticleResult(article=Article(**art), events=events,
                                 warnings=tuple(json.loads(row["warnings"] or "[]"))))
    return out


def process_partition_to_shard(articles: Sequence[Article], shard: str, spec: str, batch_size: int) -> str:
    """Dask task: process one partition and write its shard; returns the shard's path."""
    Path(shard).parent.mkdir(parents=True, exist_ok=True)
    return write_shard(process_articles(articles, spec, batch_size), shard)


class DaskRunner:
    """Partitions of articles over a Dask cluster (an existing scheduler, or a local one)."""

    def __init__(self, scheduler: str | None = None, *, local_workers: int | None = None,
                 pipeline_spec: str = DEFAULT_PIPELINE, shard_dir: str | None = None,
                 in_flight: int | None = None) -> None:
        if scheduler is None and not local_workers:
            raise VeilleError(Errors.E602.format(what="dask", reason="give a scheduler address or a local worker count"))
        if local_workers is not None and local_workers < 1:
            raise VeilleError(Errors.E602.format(what="--dask-local", reason="must be at least 1"))
        self.scheduler = scheduler
        self.local_workers = local_workers
        self.spec = pipeline_spec
        self._own_shards = shard_dir is None
        self.shard_dir = shard_dir
        self.in_flight = in_flight
        self._client: Any = None
        self._cluster: Any = None
        self._partition = 0

    def __enter__(self) -> "DaskRunner":
        from distributed import Client, LocalCluster

        if self.shard_dir is None:
            self.shard_dir = tempfile.mkdtemp(prefix="veille-shards-")
        Path(self.shard_dir).mkdir(parents=True, exist_ok=True)
        try:
            if self.scheduler:
                self._client = Client(self.scheduler, timeout="30s")
            else:
                self._cluster = LocalCluster(n_workers=self.local_workers, threads_per_worker=1, processes=True,
                                             dashboard_address=None)
                self._client = Client(self._cluster)
            # load the models on every worker now, rather than inside the first partitions
            self._client.run(_init_worker, self.spec, _default_languages(self.spec))
        except (OSError, TimeoutError) as exc:
            self.close()
            where = self.scheduler or "local cluster"
            raise VeilleError(Errors.E602.format(what="--scheduler", reason=f"cannot connect to {where}: {exc}")) from exc
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._own_shards and self.shard_dir:
            shutil.rmtree(self.shard_dir, ignore_errors=True)

    @property
    def workers(self) -> int:
        if self._client is None:
            return self.local_workers or 1
        return max(1, len(self._client.scheduler_info().get("workers", {})))

    def process(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Result]:
        if self._client is None or self.shard_dir is None:
            raise RuntimeError("DaskRunner is used outside its `with` block")
        limit = self.in_flight or 2 * self.workers
        pending: deque[Any] = deque()
        for chunk in _chunks(articles, batch_size):
            shard = os.path.join(self.shard_dir, f"part-{self._partition:06d}.parquet")
            self._partition += 1
            pending.append(self._client.submit(process_partition_to_shard, chunk, shard, self.spec, batch_size,
                                               pure=False))
            while len(pending) >= limit:
                yield from read_shard(self._shard_path(pending.popleft()))
        while pending:
            yield from read_shard(self._shard_path(pending.popleft()))

    @staticmethod
    def _shard_path(future: Any) -> str:
        try:
            return str(future.result())
        except VeilleError:
            raise
        except Exception as exc:  # noqa: BLE001 - a failed task on a remote worker: one coded line
            raise VeilleError(Errors.E602.format(what="dask task", reason=f"{type(exc).__name__}: {exc}"[:300])) from exc


# ---------------------------------------------------------------- entry points
def _articles(inputs: Iterable[str | Article], reader: Reader | None) -> Iterator[Article | IngestFailure]:
    paths: list[str] = []
    for item in inputs:
        if isinstance(item, Article):
            if paths:
                yield from _read(paths, reader)
                paths = []
            yield item
        else:
            paths.append(item)
    if paths:
        yield from _read(paths, reader)


def _read(paths: list[str], reader: Reader | None) -> Iterable[Article | IngestFailure]:
    if reader is None:
        from veille.ingest import iter_inputs

        reader = iter_inputs
    return reader(paths)


def _ordered(items: Iterable[Article | IngestFailure | Any], runner: Any, batch_size: int) -> Iterator[Any]:
    """Run the Articles of `items` through `runner`; everything else passes through, in order."""
    waiting: deque[Any] = deque()
    marker = object()

    def feed() -> Iterator[Article]:
        for item in items:
            if isinstance(item, Article):
                waiting.append(marker)
                yield item
            else:
                waiting.append(item)

    for result in runner.process(feed(), batch_size=batch_size):
        while waiting and waiting[0] is not marker:
            yield waiting.popleft()
        waiting.popleft()
        yield result
    while waiting:
        item = waiting.popleft()
        if item is marker:  # pragma: no cover - a runner always answers each article
            raise RuntimeError("a worker returned fewer results than articles")
        yield item


def process_parallel(inputs: Iterable[str | Article], workers: int = 2, batch_size: int = 16, *,
                     pipeline_spec: str = DEFAULT_PIPELINE, reader: Reader | None = None) -> Iterator[Result]:
    """Paths (read in this process) or Articles -> results over `workers` processes, in input order."""
    with ProcessRunner(workers, pipeline_spec=pipeline_spec) as runner:
        yield from _ordered(_articles(inputs, reader), runner, batch_size)


def process_dask(inputs: Iterable[str | Article], *, scheduler: str | None = None, local_workers: int | None = None,
                 batch_size: int = 16, pipeline_spec: str = DEFAULT_PIPELINE, shard_dir: str | None = None,
                 reader: Reader | None = None) -> Iterator[Result]:
    """Like `process_parallel`, over a Dask cluster, through Parquet shards."""
    with DaskRunner(scheduler, local_workers=local_workers, pipeline_spec=pipeline_spec,
                    shard_dir=shard_dir) as runner:
        yield from _ordered(_articles(inputs, reader), runner, batch_size)


def run_paths_parallel(
    store: Any,
    paths: Sequence[str],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    dask_local: int | None = None,
    shard_dir: str | None = None,
    pipeline_spec: str = DEFAULT_PIPELINE,
    batch_size: int = 16,
    reader: Reader | None = None,
    on_item: Callable[[Any], None] | None = None,
) -> Any:
    """`veille.service.run_paths`, with the pipeline run by worker processes or a Dask cluster.

    Articles already in the store are skipped (AlreadyStored, their source recorded), the rest
    are processed in parallel; results are written in input order by this process, one
    transaction per `batch_size` results, exactly as the single-process run writes them.
    """
    from veille.service import AlreadyStored, write_stream

    started = time.perf_counter()

    def tagged() -> Iterator[Article | IngestFailure | AlreadyStored]:
        for item in _articles(paths, reader):
            if isinstance(item, Article) and store.has_article(item.id):
                yield AlreadyStored(item)
            else:
                yield item

    runner: Any
    if scheduler or dask_local:
        runner = DaskRunner(scheduler, local_workers=dask_local, pipeline_spec=pipeline_spec, shard_dir=shard_dir)
    else:
        runner = ProcessRunner(workers, pipeline_spec=pipeline_spec)
    with runner:
        return write_stream(store, _ordered(tagged(), runner, batch_size), batch_size=batch_size,
                            on_item=on_item, started=started)
