"""Throughput and memory of the pipeline, measured against a bare spaCy `nlp.pipe` in one run.

`build_corpus` writes a bench corpus to a scratch folder (never into the repository): the
example articles, the shared reference and event articles, the shared French and English news
texts, and variants made by recombining real paragraphs of same-language articles, so that
several hundred realistic articles can be timed. `run_bench` then measures, over the same
articles: (a) the bare parse (`nlp.pipe` of the very spaCy pipelines the system loads), (b) the
full pipeline from the input files to resolved events, without and with the store, plus the
cold start (process start to first event out) and, optionally, scaling over worker processes
and a local Dask cluster.

"Per core" figures divide by the CPU time the work used (user + system, all threads), not by
wall time, so other processes competing for the CPUs do not lower them; wall-time rates are
reported beside them.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.models import Article, ArticleResult, IngestFailure

__all__ = [
    "Throughput",
    "BenchReport",
    "shared_dir",
    "build_corpus",
    "read_corpus",
    "measure_bare_parse",
    "measure_pipeline",
    "measure_cold_start",
    "measure_scaling",
    "run_bench",
    "peak_rss_mb",
]

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = REPO_ROOT / "examples"
Progress = Callable[[int], None]


def shared_dir() -> Path | None:
    """The shared data folder beside the repository (`../shared`), or $VEILLE_SHARED."""
    env = os.environ.get("VEILLE_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(REPO_ROOT.parent / "shared")
    for path in candidates:
        if path.is_dir():
            return path
    return None


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (ru_maxrss is in KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
    return round(peak * scale / 1e6, 1)


def _children_rss_mb() -> float | None:
    """Resident memory of the largest child process (a worker), in MB."""
    import psutil

    sizes: list[int] = []
    for child in psutil.Process().children(recursive=True):
        try:
            sizes.append(child.memory_info().rss)
        except psutil.Error:  # the child ended meanwhile
            continue
    return round(max(sizes) / 1e6, 1) if sizes else None


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


# ---------------------------------------------------------------- corpus
@dataclass(frozen=True)
class _Source:
    text: str
    title: str | None
    published: str | None
    language: str


def _paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n")]
    return [p for p in parts if len(p.split()) >= 8]


def _jsonl_sources(path: Path, language: str, date_key: str) -> list[_Source]:
    out: list[_Source] = []
    if not path.is_file():
        return out
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            text = rec.get("text")
            if isinstance(text, str) and text.strip():
                published = str(rec.get(date_key) or "")[:10]
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
                    published = ""  # some sources give a time of day, not a date
                out.append(_Source(text, rec.get("title"), published or None, language))
    return out


def _text_files(shared: Path | None) -> list[Path]:
    files = sorted(EXAMPLES.glob("*.txt"))
    if shared is not None:
        files += sorted((shared / "seed").glob("*.txt"))
        files += sorted((shared / "eval" / "winer_events").glob("*.txt"))
    return files


def build_corpus(n: int, folder: Path, *, seed: int = 0, shared: Path | None = None) -> list[str]:
    """Write about `n` articles under `folder` (text files and one JSON Lines file); return the paths.

    Real articles come first (text files as they are, shared news texts as JSON Lines
    records); when there are fewer than `n`, variants are added, each made of paragraphs of
    two to four real articles of one language. With fewer real articles than `n`, the
    corpus is cut to `n` articles.
    """
    from veille.ingest import article_from_text
    from veille.normalize import detect_language

    shared = shared if shared is not None else shared_dir()
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths: list[str] = []
    sources: list[_Source] = []
    for i, src in enumerate(_text_files(shared)):
        if len(paths) >= n:
            break
        raw = src.read_text(encoding="utf-8")
        dest = folder / f"{i:03d}_{src.name}"
        dest.write_text(raw, encoding="utf-8")
        paths.append(str(dest))
        art = article_from_text(raw, str(src))
        lang = art.language or detect_language(art.text) or "en"
        sources.append(_Source(art.text, art.title, art.published_date, lang))
    if shared is not None:
        sources += _jsonl_sources(shared / "eval" / "public" / "winer_fr" / "winer_fr_sample.jsonl", "fr", "pub_date")
        sources += _jsonl_sources(shared / "eval" / "public" / "trnews" / "trnews_sample.jsonl", "en", "dltime")
    records: list[dict[str, Any]] = []
    for src in sources[len(paths):]:
        if len(paths) + len(records) >= n:
            break
        records.append({"text": src.text, "title": src.title, "published": src.published})
    by_lang: dict[str, list[list[str]]] = {}
    for src in sources:
        paras = _paragraphs(src.text)
        if paras:
            by_lang.setdefault(src.language, []).append(paras)
    langs = sorted(by_lang)
    number = 0
    while langs and len(paths) + len(records) < n:
        lang = langs[number % len(langs)]
        pool = by_lang[lang]
        picks = rng.sample(pool, k=min(len(pool), rng.randint(2, 4)))
        paras = [p for art in picks for p in rng.sample(art, k=min(len(art), rng.randint(1, 3)))]
        base = next(s for s in sources if s.language == lang)
        records.append({"text": "\n\n".join(paras), "title": f"variant {number}", "published": base.published})
        number += 1
    if records:
        jsonl = folder / "corpus.jsonl"
        with jsonl.open("w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps({k: v for k, v in rec.items() if v is not None}, ensure_ascii=False) + "\n")
        paths.append(str(jsonl))
    return paths


def read_corpus(paths: Sequence[str]) -> list[Article]:
    """The Articles of a corpus (ingest failures are reported on stderr, not hidden)."""
    from veille.ingest import iter_inputs

    out: list[Article] = []
    for item in iter_inputs(list(paths)):
        if isinstance(item, IngestFailure):
            print(item.message, file=sys.stderr)
        else:
            out.append(item)
    return out


# ---------------------------------------------------------------- measures
@dataclass(frozen=True)
class Throughput:
    """Articles and words processed in `seconds` of wall time and `cpu_seconds` of CPU time."""

    articles: int
    words: int
    seconds: float
    cpu_seconds: float
    events: int | None = None

    def to_dict(self) -> dict[str, Any]:
        wall = max(self.seconds, 1e-9)
        cpu = max(self.cpu_seconds, 1e-9)
        out: dict[str, Any] = {
            "articles_per_s": round(self.articles / wall, 2),
            "articles_per_s_per_core": round(self.articles / cpu, 2),
            "words_per_s": round(self.words / wall, 1),
            "words_per_s_per_core": round(self.words / cpu, 1),
            "seconds": round(self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
        }
        if self.events is not None:
            out["events"] = self.events
        return out

    @property
    def per_core(self) -> float:
        return self.articles / max(self.cpu_seconds, 1e-9)

    @property
    def per_wall(self) -> float:
        return self.articles / max(self.seconds, 1e-9)


def _words(texts: Iterable[str]) -> int:
    return sum(len(t.split()) for t in texts)


def measure_bare_parse(articles: Sequence[Article], languages: Sequence[str | None], *,
                       batch_size: int = 16, progress: Progress | None = None) -> Throughput:
    """`nlp.pipe` alone over the articles' texts, grouped by (already detected) language."""
    from veille.nlp import load_pipeline, supported_languages

    known = set(supported_languages())
    groups: dict[str, list[str]] = {}
    for art, lang in zip(articles, languages):
        if lang in known and art.text.strip():
            groups.setdefault(lang, []).append(art.text)
    count = sum(len(v) for v in groups.values())
    t0, c0 = time.perf_counter(), _cpu()
    for lang, texts in groups.items():
        nlp = load_pipeline(lang)
        for _doc in nlp.pipe(texts, batch_size=batch_size):
            if progress is not None:
                progress(1)
    return Throughput(count, _words(t for v in groups.values() for t in v), time.perf_counter() - t0, _cpu() - c0)


def measure_pipeline(paths: Sequence[str], pipeline: Any, *, batch_size: int = 16, store_path: str | None = None,
                     progress: Progress | None = None) -> Throughput:
    """Ingest the files and run the pipeline to resolved events; with `store_path`, store them too."""
    from veille.ingest import iter_inputs

    words = events = articles = 0

    def count(item: object) -> None:
        nonlocal words, events, articles
        if isinstance(item, ArticleResult):
            articles += 1
            words += len(item.article.text.split())
            events += len(item.events)
        elif not isinstance(item, IngestFailure):  # AlreadyStored
            articles += 1
        if progress is not None:
            progress(1)

    t0, c0 = time.perf_counter(), _cpu()
    if store_path is None:
        def inputs() -> Iterable[Article]:
            for item in iter_inputs(list(paths)):
                if isinstance(item, Article):
                    yield item
                else:
                    count(item)
        for result in pipeline.process_many(inputs(), batch_size=batch_size):
            count(result)
    else:
        from veille import service
        from veille.store import Store

        with Store(store_path) as store:
            service.run_paths(store, list(paths), pipeline, batch_size=batch_size, on_item=count)
    return Throughput(articles, words, time.perf_counter() - t0, _cpu() - c0, events)


_COLD_START = """\
import sys, time
from veille.ingest import iter_inputs
from veille.pipeline import Pipeline
from veille.models import ArticleResult
for r in Pipeline().process_many(iter_inputs([sys.argv[1]])):
    if isinstance(r, ArticleResult) and r.events:
        print("EVENT", r.events[0].type, flush=True)
        break
"""


def measure_cold_start(path: str, *, timeout: float = 300.0) -> float | None:
    """Seconds from starting a fresh Python process to its first event out (None if none came)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _COLD_START, path], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if line.startswith("EVENT"):
                return round(time.perf_counter() - t0, 2)
        return None
    finally:
        proc.kill()
        proc.wait(timeout=timeout)


def measure_scaling(paths: Sequence[str], *, workers: Sequence[int] = (1, 2), dask_workers: int = 2,
                    batch_size: int = 16, pipeline_spec: str = "veille.pipeline:Pipeline") -> dict[str, Any]:
    """Wall-time throughput over the same inputs with N worker processes and a local Dask cluster.

    Worker start-up (model loading) is excluded: each pool is warmed up on a few articles first
    and timed afterwards; the start-up time is reported separately.
    """
    from veille.batch import DaskRunner, ProcessRunner

    articles = read_corpus(paths)
    words = _words(a.text for a in articles)
    # two full batches per worker, so that every worker has started, loaded its models and
    # made its first (slower) passes before the timed run
    warm = articles[: 2 * batch_size * max(list(workers) + [dask_workers])]
    out: dict[str, Any] = {"articles": len(articles), "words": words, "runs": []}
    configs: list[tuple[str, int, Callable[[], Any]]] = [
        ("processes", n, (lambda n=n: ProcessRunner(n, pipeline_spec=pipeline_spec))) for n in workers
    ]
    if dask_workers > 0:
        configs.append(("dask-local", dask_workers, lambda: DaskRunner(local_workers=dask_workers,
                                                                      pipeline_spec=pipeline_spec)))
    base: float | None = None
    for kind, n, make in configs:
        t0 = time.perf_counter()
        with make() as runner:
            list(runner.process(warm, batch_size=batch_size))
            startup = time.perf_counter() - t0
            t1 = time.perf_counter()
            results = list(runner.process(articles, batch_size=batch_size))
            wall = time.perf_counter() - t1
            worker_mb = _children_rss_mb()
        events = sum(len(r.events) for r in results if isinstance(r, ArticleResult))
        digest = hashlib.sha256()
        for r in results:
            digest.update(json.dumps(r.to_dict() if isinstance(r, ArticleResult) else r.message,
                                     sort_keys=True, ensure_ascii=False).encode("utf-8"))
        rate = len(articles) / max(wall, 1e-9)
        if base is None and n == 1:
            base = rate
        row: dict[str, Any] = {
            "kind": kind, "workers": n, "articles_per_s": round(rate, 2),
            "words_per_s": round(words / max(wall, 1e-9), 1), "seconds": round(wall, 2),
            "startup_s": round(startup, 2), "worker_rss_mb": worker_mb, "events": events,
            "results_sha256": digest.hexdigest()[:16],
        }
        if base:
            row["speedup"] = round(rate / base, 2)
            row["efficiency"] = round(rate / base / n, 2)
        out["runs"].append(row)
    # every run must give the very same results (they differ only if the code changed mid-run)
    out["identical_results"] = len({r["results_sha256"] for r in out["runs"]}) <= 1
    out["load_average"] = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    return out


# ---------------------------------------------------------------- the whole bench
@dataclass
class BenchReport:
    """Everything `veille bench` reports; `to_dict` has stable keys."""

    articles: int
    words: int
    bare_parse: Throughput
    pipeline: Throughput
    pipeline_with_store: Throughput | None
    peak_rss_mb: float
    cold_start_s: float | None
    cores: int
    languages: dict[str, int] = field(default_factory=dict)
    scaling: dict[str, Any] | None = None

    @property
    def ratio(self) -> float:
        """Full pipeline / bare parse, articles per core-second (1.0 = the pipeline costs only the parse)."""
        return round(self.pipeline.per_core / max(self.bare_parse.per_core, 1e-9), 3)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "words": self.words,
            "languages": self.languages,
            "bare_parse": self.bare_parse.to_dict(),
            "pipeline": self.pipeline.to_dict(),
            "pipeline_with_store": self.pipeline_with_store.to_dict() if self.pipeline_with_store else None,
            "ratio": self.ratio,
            "ratio_wall": round(self.pipeline.per_wall / max(self.bare_parse.per_wall, 1e-9), 3),
            "peak_rss_mb": self.peak_rss_mb,
            "cold_start_s": self.cold_start_s,
            "cores": self.cores,
            "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
            "scaling": self.scaling,
        }


def run_bench(
    n: int = 300,
    *,
    batch_size: int = 16,
    repeat: int = 1,
    store: bool = True,
    cold_start: bool = True,
    scaling: bool = False,
    pipeline_factory: Callable[[], Any] | None = None,
    make_progress: Callable[[str, int], Any] | None = None,
) -> BenchReport:
    """Build a corpus of `n` articles in a scratch folder and measure it (see the module docstring).

    `repeat` > 1 runs the bare parse and the pipeline alternately that many times and keeps
    each one's fastest run, which damps the noise of other processes on the machine.
    `make_progress(label, total)` returns a context manager with `update(k)` (e.g. tqdm).
    """
    from veille.pipeline import Pipeline

    workdir = Path(tempfile.mkdtemp(prefix="veille-bench-"))
    try:
        paths = build_corpus(n, workdir / "corpus")
        articles = read_corpus(paths)
        pipeline = pipeline_factory() if pipeline_factory is not None else Pipeline()
        languages = [pipeline.language_of(a) for a in articles]
        lang_counts: dict[str, int] = {}
        for lang in languages:
            lang_counts[lang or "unknown"] = lang_counts.get(lang or "unknown", 0) + 1
        cold = measure_cold_start(str(EXAMPLES / "fr-mali-attaque.txt")) if cold_start else None
        # warm up: load every model and the resolvers before timing anything
        # (the first pass over a model is slower than the next ones: up to 16 articles per language)
        warm = [a for lang in sorted(set(languages) & set(pipeline.languages))
                for a in [a for a, lg in zip(articles, languages) if lg == lang][:16]]
        list(pipeline.process_many(warm))

        def timed(label: str, fn: Callable[[Progress | None], Throughput]) -> Throughput:
            if make_progress is None:
                return fn(None)
            with make_progress(label, len(articles)) as bar:
                return fn(bar.update)

        bare: Throughput | None = None
        full: Throughput | None = None
        for _ in range(max(1, repeat)):
            b = timed("bare parse", lambda p: measure_bare_parse(articles, languages, batch_size=batch_size, progress=p))
            f = timed("pipeline", lambda p: measure_pipeline(paths, pipeline, batch_size=batch_size, progress=p))
            bare = b if bare is None or b.cpu_seconds < bare.cpu_seconds else bare
            full = f if full is None or f.cpu_seconds < full.cpu_seconds else full
        assert bare is not None and full is not None
        with_store = None
        if store:
            db = str(workdir / "bench.duckdb")
            with_store = timed("pipeline + store",
                               lambda p: measure_pipeline(paths, pipeline, batch_size=batch_size, store_path=db,
                                                          progress=p))
        report = BenchReport(
            articles=len(articles), words=_words(a.text for a in articles), bare_parse=bare, pipeline=full,
            pipeline_with_store=with_store, peak_rss_mb=peak_rss_mb(), cold_start_s=cold,
            cores=os.cpu_count() or 1, languages=lang_counts,
        )
        if scaling:
            report.scaling = measure_scaling(paths, batch_size=batch_size)
        return report
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
