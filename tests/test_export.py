"""Exports: JSON Lines, CSV, Parquet, GeoJSON and PLOVER field names, via the function and the CLI."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from veille.cli import main
from veille.export import FLAT_COLUMNS, FORMATS, export_events
from veille.store import EventFilter, Store

from test_store import sample_results


@pytest.fixture()
def store() -> Store:
    s = Store(":memory:")
    s.write_results(sample_results())
    return s


def export(store: Store, fmt: str, f: EventFilter = EventFilter()) -> bytes:
    out = io.BytesIO()
    export_events(store, f, fmt, out)
    return out.getvalue()


def test_jsonl_is_our_event_schema(store: Store) -> None:
    rows = [json.loads(line) for line in export(store, "jsonl").decode().splitlines()]
    assert len(rows) == 3
    hilla = next(r for r in rows if r["location"]["name"] == "Hilla")
    assert {"id", "type", "mode", "actor", "target", "date", "date_precision", "location", "background",
            "evidence", "cameo", "acled", "n_mentions", "n_sources"} <= set(hilla)
    assert hilla["cameo"] == "183" and hilla["n_mentions"] == 2
    assert hilla["evidence"]["article_id"]


def test_csv_and_parquet_have_the_flat_columns(store: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(export(store, "csv").decode())))
    assert list(rows[0]) == [c for c, _ in FLAT_COLUMNS] and len(rows) == 3
    table = pq.read_table(io.BytesIO(export(store, "parquet")))
    assert table.num_rows == 3 and table.column_names == [c for c, _ in FLAT_COLUMNS]
    assert str(table.schema.field("lat").type) == "double"
    assert sorted(table.column("place_name").to_pylist()) == ["Basra", "Hilla", "Paris"]
    empty = pq.read_table(io.BytesIO(export(store, "parquet", EventFilter(types=("AID",)))))
    assert empty.num_rows == 0 and empty.column_names == table.column_names


def test_geojson_points_are_lon_lat(store: Store) -> None:
    doc = json.loads(export(store, "geojson"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 3
    paris = next(f for f in doc["features"] if f["properties"]["place_name"] == "Paris")
    assert paris["geometry"] == {"type": "Point", "coordinates": [2.3488, 48.8534]}


def test_plover_uses_plover_field_names(store: Store) -> None:
    rows = [json.loads(line) for line in export(store, "plover").decode().splitlines()]
    hilla = next(r for r in rows if r.get("event_loc", {}).get("name") == "Hilla")
    assert hilla["event"] == ["ASSAULT"] and hilla["quad_code"] == 4
    assert hilla["source"] == [{"code": "IRQ", "sector": "REB", "actor_text": "Some group"}]
    assert hilla["recipient"][0]["code"] == "USA"
    assert hilla["event_loc"]["cc3"] == "IRQ" and hilla["event_loc"]["country code"] == "IQ"
    assert hilla["event_loc"]["latitude"] == 32.48 and hilla["date"] == "2021-04-07"
    assert hilla["event_text"] == ["hit"] and hilla["text_info"]["end"] > hilla["text_info"]["start"]
    assert "actor" not in hilla and "target" not in hilla


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_export_writes_a_file_with_filters(tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "e.duckdb"
    with Store(db) as s:
        s.write_results(sample_results())
    out = tmp_path / f"out.{fmt}"
    assert main(["export", "--db", str(db), "--format", fmt, "--type", "PROTEST", "-o", str(out)]) == 0
    assert f"1 event(s) as {fmt}" in capsys.readouterr().err
    assert out.exists() and not (tmp_path / f"out.{fmt}.part").exists()
    data = out.read_bytes()
    assert (b"Paris" in data) or fmt == "parquet"
    if fmt == "parquet":
        assert pq.read_table(out).column("place_name").to_pylist() == ["Paris"]
