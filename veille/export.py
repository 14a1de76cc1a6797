"""Exports of stored events: JSON Lines, CSV, Parquet, GeoJSON, and PLOVER JSON Lines.

`jsonl` is our event schema (FORMAT.md's fields plus id, cameo, acled, evidence offsets and
report counts); `csv`, `parquet` and the GeoJSON properties are the same fields flattened.
`plover` uses the field names of the PLOVER specification ("JSON Data Fields" chapter of
openeventdata/PLOVER's PLOVER_MANUAL.tex, v0.7b1): `id`, `date`, `source` and `recipient`
(lists of actor objects with `code`, `sector`, `actor_text`), `event` (a list), `mode`,
`event_loc` (a GeoNames-style location object with `geonameid`, `name`, `latitude`,
`longitude`, `country code`, `cc3`), `event_text`, `quad_code`, `text`, `text_info`
(`start`, `end`), `cite_info`, `coder`, `coded_date`; our own additions keep their names
(`background`, `date_precision`, `confidence`, `cameo`, `acled`).
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any

from veille import __version__
from veille.store import EventFilter, Store, StoredEvent

__all__ = ["FORMATS", "FLAT_COLUMNS", "QUAD_CODES", "flat_row", "plover_record", "export_events"]

FORMATS = ("jsonl", "csv", "parquet", "geojson", "plover")
QUAD_CODES = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), 1),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), 2),
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "SANCTION", "THREATEN"), 3),
    **dict.fromkeys(("PROTEST", "MOBILIZE", "COERCE", "ASSAULT"), 4),
}
FLAT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("type", "string"), ("mode", "string"),
    ("actor_name", "string"), ("actor_country", "string"), ("actor_sector", "string"),
    ("target_name", "string"), ("target_country", "string"), ("target_sector", "string"),
    ("date", "string"), ("date_precision", "string"),
    ("place_name", "string"), ("geonameid", "int64"), ("lat", "float64"), ("lon", "float64"),
    ("place_country", "string"), ("admin1", "string"), ("place_precision", "string"),
    ("background", "bool"), ("negated", "bool"), ("hypothetical", "bool"), ("confidence", "float64"),
    ("trigger", "string"), ("cameo", "string"), ("acled", "string"),
    ("evidence", "string"), ("evidence_article", "string"), ("evidence_start", "int64"), ("evidence_end", "int64"),
    ("n_mentions", "int64"), ("n_articles", "int64"), ("n_sources", "int64"),
)


def flat_row(se: StoredEvent) -> dict[str, Any]:
    """One event as a flat record (CSV/Parquet/GeoJSON properties)."""
    ev = se.event
    a, t, p = ev.actor, ev.target, ev.location
    return {
        "id": se.id, "type": ev.type, "mode": ev.mode,
        "actor_name": a.name if a else None, "actor_country": a.country if a else None,
        "actor_sector": a.sector if a else None,
        "target_name": t.name if t else None, "target_country": t.country if t else None,
        "target_sector": t.sector if t else None,
        "date": ev.date, "date_precision": ev.date_precision,
        "place_name": p.name if p else None, "geonameid": p.geonameid if p else None,
        "lat": p.lat if p else None, "lon": p.lon if p else None, "place_country": p.country if p else None,
        "admin1": p.admin1 if p else None, "place_precision": p.precision if p else None,
        "background": ev.background, "negated": ev.negated, "hypothetical": ev.hypothetical,
        "confidence": round(ev.confidence, 3), "trigger": ev.trigger, "cameo": ev.cameo, "acled": ev.acled,
        "evidence": ev.evidence.sentence, "evidence_article": se.evidence_article,
        "evidence_start": ev.evidence.start, "evidence_end": ev.evidence.end,
        "n_mentions": se.n_mentions, "n_articles": se.n_articles, "n_sources": se.n_sources,
    }


def _alpha2(iso3: str | None) -> str | None:
    if not iso3:
        return None
    import pycountry

    found = pycountry.countries.get(alpha_3=iso3)
    return found.alpha_2 if found else None


def plover_record(se: StoredEvent, *, coded_date: str | None = None) -> dict[str, Any]:
    """One event with PLOVER's JSON field names."""
    ev = se.event

    def actor(a: Any) -> list[dict[str, Any]]:
        if a is None:
            return []
        obj = {"code": a.country or ("IGO" if a.sector == "IGO" else None), "sector": a.sector, "actor_text": a.name}
        if a.wikidata:
            obj["identifier_id"] = a.wikidata
        return [{k: v for k, v in obj.items() if v is not None}]

    rec: dict[str, Any] = {
        "id": se.id,
        "date": ev.date,
        "date_precision": ev.date_precision,
        "source": actor(ev.actor),
        "recipient": actor(ev.target),
        "event": [ev.type],
        "mode": ev.mode,
        "event_text": [ev.trigger] if ev.trigger else [],
        "quad_code": QUAD_CODES.get(ev.type),
        "text": ev.evidence.sentence,
        "text_info": {"start": ev.evidence.start, "end": ev.evidence.end, "article_id": se.evidence_article},
        "coder": f"veille {__version__}",
        "coded_date": coded_date or date.today().isoformat(),
        "background": ev.background,
        "confidence": round(ev.confidence, 3),
        "cameo": ev.cameo,
        "acled": ev.acled,
        "n_mentions": se.n_mentions,
        "n_sources": se.n_sources,
    }
    p = ev.location
    if p is not None:
        rec["event_loc"] = {
            "geonameid": p.geonameid, "name": p.name, "latitude": p.lat, "longitude": p.lon,
            "country code": _alpha2(p.country), "cc3": p.country, "admin1": p.admin1, "precision": p.precision,
        }
    return rec


def _geojson(events: Iterable[StoredEvent]) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for se in events:
        p = se.event.location
        geometry = ({"type": "Point", "coordinates": [p.lon, p.lat]}
                    if p is not None and p.lat is not None and p.lon is not None else None)
        feature = {"type": "Feature", "id": se.id, "geometry": geometry, "properties": flat_row(se)}
        yield ("" if first else ",") + "\n" + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def export_events(store: Store, f: EventFilter, fmt: str, out: IO[bytes]) -> int:
    """Write every event matching `f` to the binary stream `out`; returns how many."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    count = 0

    def counted() -> Iterator[StoredEvent]:
        nonlocal count
        for se in store.iter_events(f):
            count += 1
            yield se

    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([(name, getattr(pa, "bool_" if kind == "bool" else kind)()) for name, kind in FLAT_COLUMNS])
        writer = pq.ParquetWriter(out, schema)
        try:
            chunk: list[dict[str, Any]] = []
            for se in counted():
                chunk.append(flat_row(se))
                if len(chunk) >= 10_000:
                    writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                    chunk = []
            if chunk or count == 0:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
        finally:
            writer.close()
        return count
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        if fmt == "jsonl":
            for se in counted():
                text.write(json.dumps(se.to_dict(), ensure_ascii=False) + "\n")
        elif fmt == "plover":
            today = date.today().isoformat()
            for se in counted():
                text.write(json.dumps(plover_record(se, coded_date=today), ensure_ascii=False) + "\n")
        elif fmt == "csv":
            writer_csv = csv.DictWriter(text, fieldnames=[c for c, _ in FLAT_COLUMNS])
            writer_csv.writeheader()
            for se in counted():
                writer_csv.writerow(flat_row(se))
        else:
            for piece in _geojson(counted()):
                text.write(piece)
        text.flush()
    finally:
        text.detach()
    return count
