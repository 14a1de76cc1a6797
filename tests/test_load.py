"""Short load test: concurrent clients against a real uvicorn server (GET /events, POST /articles).

The long form is `veille bench-store --events N --load-seconds T --clients C`.
"""
from __future__ import annotations

import pytest

from veille.store import Store
from veille.store.bench import serve_and_load

from test_api import FakePipeline
from test_store import sample_results


@pytest.mark.slow
def test_concurrent_clients_get_no_errors_and_the_store_stays_consistent() -> None:
    store = Store(":memory:")
    store.write_results(sample_results())
    before = store.counts()
    report, problems = serve_and_load(store, FakePipeline(), clients=6, seconds=3.0)
    summary = report.to_dict()
    assert summary["errors"] == 0, summary["first_errors"]
    assert problems == []
    gets, posts = summary["per_kind"]["GET /events"], summary["per_kind"]["POST /articles"]
    assert gets["requests"] > 20 and posts["requests"] > 3
    after = store.counts()
    posted = summary["articles_posted"]  # includes the untimed warm-up post
    assert posted == posts["requests"] + 1  # every post was a distinct new article
    assert after["articles"] == before["articles"] + posted
    # every posted article reports an undated-place ASSAULT on 2021-04-07: the same happening as the
    # stored Hilla attack (compatible type, day, unknown place and actors), so no new event appears
    assert after["events"] == before["events"]
    assert after["mentions"] == before["mentions"] + posted
    print(f"load: {summary['requests']} requests in {summary['seconds']} s "
          f"({summary['throughput_rps']} req/s), p95 GET {gets['p95_ms']} ms, p95 POST {posts['p95_ms']} ms")
    store.close()
