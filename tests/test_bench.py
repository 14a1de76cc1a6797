"""veille.bench: corpus building and the report's shape (a functional test, not a timing test)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from veille.bench import Throughput, build_corpus, read_corpus, shared_dir

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REPORT_KEYS = {"articles", "words", "languages", "bare_parse", "pipeline", "pipeline_with_store", "ratio",
               "ratio_wall", "peak_rss_mb", "cold_start_s", "cores", "load_average", "scaling"}
RATE_KEYS = {"articles_per_s", "articles_per_s_per_core", "words_per_s", "words_per_s_per_core", "seconds",
             "cpu_seconds"}


@pytest.mark.parametrize("n", [1, 3, 6])
def test_small_corpus_is_real_articles_only(tmp_path: Path, n: int) -> None:
    paths = build_corpus(n, tmp_path / "c")
    arts = read_corpus(paths)
    assert len(arts) == n
    assert all(Path(p).parent == tmp_path / "c" for p in paths)
    assert not any(a.title and a.title.startswith("variant") for a in arts)


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared beside the repository")
def test_large_corpus_mixes_languages_and_recombined_variants(tmp_path: Path) -> None:
    assert shared_dir() is not None
    paths = build_corpus(400, tmp_path / "c", seed=1)
    arts = read_corpus(paths)
    assert len(arts) == 400
    variants = [a for a in arts if (a.title or "").startswith("variant")]
    assert variants and len({a.id for a in arts}) > 350
    assert {a.language for a in arts} >= {"fr", "en"}
    again = read_corpus(build_corpus(400, tmp_path / "d", seed=1))
    assert [a.id for a in again] == [a.id for a in arts]  # deterministic for a seed


@pytest.mark.parametrize("articles,words,seconds,cpu,per_s,per_core", [
    (10, 1000, 2.0, 1.0, 5.0, 10.0),
    (3, 90, 1.5, 3.0, 2.0, 1.0),
])
def test_throughput_rates(articles: int, words: int, seconds: float, cpu: float, per_s: float,
                          per_core: float) -> None:
    d = Throughput(articles, words, seconds, cpu).to_dict()
    assert (d["articles_per_s"], d["articles_per_s_per_core"]) == (per_s, per_core)
    assert d["words_per_s"] == round(words / seconds, 1)


@pytest.mark.slow
def test_bench_command_reports_every_key_on_three_articles(capsys: pytest.CaptureFixture[str]) -> None:
    from veille.cli import main

    assert main(["bench", "--articles", "3", "--repeat", "1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == REPORT_KEYS
    assert report["articles"] == 3 and report["words"] > 100
    for key in ("bare_parse", "pipeline", "pipeline_with_store"):
        assert RATE_KEYS <= set(report[key])
        assert report[key]["articles_per_s"] > 0
    assert report["pipeline"]["events"] > 0
    assert report["pipeline"]["events"] == report["pipeline_with_store"]["events"]
    assert report["ratio"] > 0 and report["peak_rss_mb"] > 100
    assert isinstance(report["cold_start_s"], float) and report["cold_start_s"] > 0
    assert report["scaling"] is None
