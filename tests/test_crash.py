"""`veille run` killed with SIGKILL mid-batch, then rerun: every article once, no event lost or duplicated.

The run uses `SlowFakePipeline` (below) through `--pipeline test_crash:SlowFakePipeline`, so the
test needs no spaCy model: each line "ATTACK <town> <date>" of an article is one event.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb

from veille.models import Article, ArticleResult, Event, Evidence, Place

TOWNS = {
    "Hilla": Place("Hilla", 98182, 32.48, 44.42, "IRQ", "Babil", "city"),
    "Basra": Place("Basra", 99532, 30.51, 47.78, "IRQ", "Basra", "city"),
    "Mosul": Place("Mosul", 99072, 36.34, 43.13, "IRQ", "Nineveh", "city"),
}
N_ARTICLES, BATCH = 12, 4


class SlowFakePipeline:
    """One ASSAULT per 'ATTACK <town> <date>' line; slow, and logs each article it finishes."""

    def __init__(self) -> None:
        self.progress = os.environ.get("VEILLE_TEST_PROGRESS")
        self.delay = float(os.environ.get("VEILLE_TEST_DELAY", "0"))

    def process_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[ArticleResult]:
        for art in articles:
            events = []
            offset = 0
            for line in art.text.splitlines(keepends=True):
                words = line.split()
                if len(words) == 3 and words[0] == "ATTACK":
                    sentence = line.strip()
                    start = art.text.index(sentence, offset)
                    events.append(Event(type="ASSAULT", evidence=Evidence(sentence, start, start + len(sentence)),
                                        date=words[2], date_precision="day", location=TOWNS[words[1]]))
                offset += len(line)
            time.sleep(self.delay)
            if self.progress:
                with open(self.progress, "a", encoding="utf-8") as log:
                    log.write(art.id + "\n")
            yield ArticleResult(art, tuple(events))


def write_articles(folder: Path) -> None:
    folder.mkdir()
    towns = list(TOWNS)
    for i in range(N_ARTICLES):
        lines = [f"Report number {i}", "", f"Article {i} about the attacks of the week."]
        lines.append(f"ATTACK {towns[i % 3]} 2021-04-0{1 + i % 4}")  # repeated happenings across articles
        if i % 2:
            lines.append(f"ATTACK {towns[(i + 1) % 3]} 2021-05-{10 + i:02d}")  # one-off happenings
        (folder / f"{i:02d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def veille_run(folder: Path, db: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "veille", "run", str(folder), "--db", str(db), "--batch-size", str(BATCH),
         "--pipeline", "test_crash:SlowFakePipeline"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def snapshot(db: Path) -> dict[str, object]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        return {
            "articles": q("SELECT id, count(*) FROM articles GROUP BY id ORDER BY id"),
            "mentions": q("SELECT id, event_id, article_id FROM mentions ORDER BY id"),
            "events": q("SELECT id, type, place_name, date, n_mentions, n_articles FROM events ORDER BY id"),
        }
    finally:
        con.close()


def test_sigkill_mid_batch_then_rerun_stores_everything_exactly_once(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_articles(folder)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}

    # reference: one uninterrupted run
    reference_db = tmp_path / "reference.duckdb"
    done = veille_run(folder, reference_db, env)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    expected = snapshot(reference_db)
    assert len(expected["articles"]) == N_ARTICLES  # type: ignore[arg-type]

    # killed run: SIGKILL once the second batch is half processed
    db, progress = tmp_path / "crash.duckdb", tmp_path / "progress.log"
    slow = {**env, "VEILLE_TEST_PROGRESS": str(progress), "VEILLE_TEST_DELAY": "0.25"}
    proc = veille_run(folder, db, slow)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if progress.exists() and len(progress.read_text().splitlines()) >= BATCH + BATCH // 2:
            break
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    partial = snapshot(db)
    stored = len(partial["articles"])  # type: ignore[arg-type]
    assert 0 < stored < N_ARTICLES and stored % BATCH == 0, "only whole batches may survive a kill"
    assert all(n == 1 for _, n in partial["articles"])  # type: ignore[union-attr]

    # rerun: resumes, stores the rest exactly once
    progress.unlink()
    rerun = veille_run(folder, db, {**env, "VEILLE_TEST_PROGRESS": str(progress)})
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert f"{stored} already stored" in out
    assert len(progress.read_text().splitlines()) == N_ARTICLES - stored  # stored articles were not reprocessed
    assert snapshot(db) == expected

    # a third run changes nothing
    again = veille_run(folder, db, env)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0 and f"{N_ARTICLES} already stored" in out
    assert snapshot(db) == expected


def test_run_reports_failures_and_exits_non_zero_only_when_nothing_was_processed(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    write_articles(folder)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    db = tmp_path / "m.duckdb"
    proc = veille_run(folder, db, env)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert len([line for line in err.splitlines() if "empty.txt" in line]) == 1
    assert f"{N_ARTICLES} processed" in out and "1 failed" in out
    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    (only_bad / "empty.txt").write_text("", encoding="utf-8")
    proc = veille_run(only_bad, tmp_path / "n.duckdb", env)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "0 processed" in out
