"""`veille serve`: the HTTP API and the web page, over one store."""
from __future__ import annotations

import argparse
import os
import sys

from veille.commands._store_options import DEFAULT_DB, load_pipeline_factory

NAME = "serve"
HELP = "serve the HTTP API and the web page (map, timeline, table, evidence)"
DESCRIPTION = """\
Start a web server over a store: the page at / (map, timeline with brushing, filters, table,
evidence highlighted in the articles; everything served locally, no CDN, no tile server)
and the JSON API:

  GET  /events            filters: type, mode, actor, actor_country, target_country, country,
                          place, bbox, since, until, background, q; limit (<= 500), offset, cursor
  GET  /events/{id}       one event with its mentions and evidence
  GET  /articles/{id}     an article and the spans of its events
  GET  /stats             counts per day, week, type and country (same filters)
  POST /articles          submit {"text": ...} or {"html": ...}; needs a token
  GET  /openapi.json      the OpenAPI document

Writes need `Authorization: Bearer $VEILLE_TOKEN`; when VEILLE_TOKEN is not set in the
server's environment, writes are refused. CORS is off unless --cors-origin is given.

examples:
  veille serve --db veille.duckdb                  http://127.0.0.1:8000/
  VEILLE_TOKEN=$(openssl rand -hex 16) veille serve --port 8080
  curl -s 'http://127.0.0.1:8000/events?type=ASSAULT&country=IRQ&limit=10'
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument("--db", default=DEFAULT_DB, help=f"store file (default: {DEFAULT_DB})")
    parser.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                        help="allow cross-origin requests from ORIGIN (repeatable; default: none)")
    parser.add_argument("--max-body", type=int, default=None, metavar="BYTES",
                        help="largest request body accepted (default: 2 MiB)")
    parser.add_argument("--pipeline", default="veille.pipeline:Pipeline", metavar="MODULE:FACTORY",
                        help="pipeline factory for submitted articles (loaded on first use)")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from veille.api import DEFAULT_MAX_BODY, create_app
    from veille.store import Store

    factory = load_pipeline_factory(args.pipeline)
    if not os.environ.get("VEILLE_TOKEN"):
        print("veille serve: VEILLE_TOKEN is not set; POST /articles is disabled", file=sys.stderr)
    with Store(args.db) as store:
        app = create_app(store, pipeline=factory, cors_origins=tuple(args.cors_origin),
                         max_body_bytes=args.max_body or DEFAULT_MAX_BODY)
        print(f"veille serve: http://{args.host}:{args.port}/ (store {args.db})", file=sys.stderr)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False)
    return 0
