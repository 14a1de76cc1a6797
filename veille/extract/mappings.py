"""PLOVER types and modes, and their CAMEO root codes and ACLED event types.

The table lives in `veille/data/mappings.json` (documented in docs/mappings.md); this module
loads and validates it once and answers look-ups, so that users of CAMEO- or ACLED-coded data
can join Veille's events to theirs.

    >>> cameo_root("ASSAULT", "aerial")
    '19'
    >>> acled_type("PROTEST", "riot")
    'Riots / Violent demonstration'
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from veille.errors import Errors, ModelError
from veille.models import PLOVER_TYPES, SECTORS

__all__ = [
    "MAPPINGS_PATH", "TypeMapping", "MappingTable", "load_mappings", "plover_modes",
    "cameo_root", "acled_pair", "acled_type", "quad_class",
]

MAPPINGS_PATH = Path(__file__).resolve().parents[1] / "data" / "mappings.json"
_QUADS = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")

AcledPair = tuple[str, str]


@dataclass(frozen=True, eq=False)
class TypeMapping:
    """What one PLOVER type maps to. `acled_by_mode` values are None where ACLED has nothing."""

    type: str
    quad: str
    modes: tuple[str, ...]
    cameo_root: str
    cameo_by_mode: Mapping[str, str]
    cameo_military_root: str | None
    acled_default: AcledPair | None
    acled_by_mode: Mapping[str, AcledPair | None]
    acled_sector_rule_modes: frozenset[str | None]
    acled_armed: AcledPair | None
    acled_unarmed: AcledPair | None


@dataclass(frozen=True, eq=False)
class MappingTable:
    """The whole table: one `TypeMapping` per PLOVER type, and the sector classes."""

    types: Mapping[str, TypeMapping]
    armed_sectors: frozenset[str]
    unarmed_sectors: frozenset[str]
    path: Path


def _fail(path: Path, key: str, reason: str) -> ModelError:
    return ModelError(Errors.E704.format(path=path, key=key, reason=reason))


def _pair(value: Any, path: Path, key: str) -> AcledPair | None:
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, str) and v for v in value)):
        raise _fail(path, key, "expected [event type, sub-event type] or null")
    return (value[0], value[1])


def _cameo_code(value: Any, path: Path, key: str) -> str:
    if not (isinstance(value, str) and len(value) == 2 and value.isdigit() and "01" <= value <= "20"):
        raise _fail(path, key, f"expected a two-digit CAMEO root code '01'..'20', got {value!r}")
    return value


def _type_mapping(name: str, raw: Any, path: Path) -> TypeMapping:
    if not isinstance(raw, dict):
        raise _fail(path, name, "expected an object")
    quad = raw.get("quad")
    if quad not in _QUADS:
        raise _fail(path, f"{name}.quad", f"expected one of {', '.join(_QUADS)}")
    modes = raw.get("modes")
    if not isinstance(modes, list) or not all(isinstance(m, str) and m for m in modes):
        raise _fail(path, f"{name}.modes", "expected a list of mode names")
    if len(set(modes)) != len(modes):
        raise _fail(path, f"{name}.modes", "duplicate mode")
    cameo = raw.get("cameo")
    if not isinstance(cameo, dict):
        raise _fail(path, f"{name}.cameo", "expected an object")
    root = _cameo_code(cameo.get("root"), path, f"{name}.cameo.root")
    cameo_by_mode: dict[str, str] = {}
    for mode, code in (cameo.get("by_mode") or {}).items():
        if mode not in modes:
            raise _fail(path, f"{name}.cameo.by_mode.{mode}", f"not a mode of {name}")
        cameo_by_mode[mode] = _cameo_code(code, path, f"{name}.cameo.by_mode.{mode}")
    military = cameo.get("military_actor_root")
    if military is not None:
        military = _cameo_code(military, path, f"{name}.cameo.military_actor_root")
    acled = raw.get("acled")
    if not isinstance(acled, dict) or "default" not in acled:
        raise _fail(path, f"{name}.acled", "expected an object with a 'default'")
    by_mode: dict[str, AcledPair | None] = {}
    for mode, value in (acled.get("by_mode") or {}).items():
        if mode not in modes:
            raise _fail(path, f"{name}.acled.by_mode.{mode}", f"not a mode of {name}")
        by_mode[mode] = _pair(value, path, f"{name}.acled.by_mode.{mode}")
    rule_modes = acled.get("sector_rule_modes") or []
    for mode in rule_modes:
        if mode is not None and mode not in modes:
            raise _fail(path, f"{name}.acled.sector_rule_modes", f"{mode!r} is not a mode of {name}")
    by_sector = acled.get("by_target_sector") or {}
    if rule_modes and set(by_sector) != {"armed", "unarmed"}:
        raise _fail(path, f"{name}.acled.by_target_sector", "expected 'armed' and 'unarmed' rows")
    return TypeMapping(
        type=name, quad=quad, modes=tuple(modes), cameo_root=root,
        cameo_by_mode=MappingProxyType(cameo_by_mode), cameo_military_root=military,
        acled_default=_pair(acled["default"], path, f"{name}.acled.default"),
        acled_by_mode=MappingProxyType(by_mode),
        acled_sector_rule_modes=frozenset(rule_modes),
        acled_armed=_pair(by_sector.get("armed"), path, f"{name}.acled.by_target_sector.armed"),
        acled_unarmed=_pair(by_sector.get("unarmed"), path, f"{name}.acled.by_target_sector.unarmed"),
    )


@lru_cache(maxsize=8)
def load_mappings(path: Path | None = None) -> MappingTable:
    """Load and validate the mapping table (cached). Raises ModelError [E704] when malformed."""
    path = path or MAPPINGS_PATH
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(path, "(file)", f"cannot read: {exc}") from None
    if not isinstance(raw, dict) or raw.get("_format") != 1:
        raise _fail(path, "_format", "expected an object with \"_format\": 1")
    types_raw = raw.get("types")
    if not isinstance(types_raw, dict):
        raise _fail(path, "types", "expected an object")
    unknown = sorted(set(types_raw) - set(PLOVER_TYPES))
    if unknown:
        raise _fail(path, f"types.{unknown[0]}", "not a PLOVER type")
    missing = [t for t in PLOVER_TYPES if t not in types_raw]
    if missing:
        raise _fail(path, "types", f"missing PLOVER type(s): {', '.join(missing)}")
    sectors: dict[str, frozenset[str]] = {}
    for key in ("armed_sectors", "unarmed_sectors"):
        value = raw.get(key)
        if not isinstance(value, list) or not all(s in SECTORS for s in value):
            raise _fail(path, key, f"expected a list of sector codes from {', '.join(SECTORS)}")
        sectors[key] = frozenset(value)
    if sectors["armed_sectors"] & sectors["unarmed_sectors"]:
        raise _fail(path, "armed_sectors", "a sector cannot be both armed and unarmed")
    types = {name: _type_mapping(name, types_raw[name], path) for name in PLOVER_TYPES}
    return MappingTable(MappingProxyType(types), sectors["armed_sectors"],
                        sectors["unarmed_sectors"], path)


def _type(plover_type: str, table: MappingTable | None) -> TypeMapping:
    table = table or load_mappings()
    try:
        return table.types[plover_type]
    except KeyError:
        raise ValueError(f"unknown PLOVER type {plover_type!r}") from None


def plover_modes(plover_type: str, table: MappingTable | None = None) -> tuple[str, ...]:
    """PLOVER mode names of a type (empty when the type has none)."""
    return _type(plover_type, table).modes


def quad_class(plover_type: str, table: MappingTable | None = None) -> str:
    """CAMEO/PLOVER quad class: verbal/material cooperation/conflict."""
    return _type(plover_type, table).quad


def cameo_root(plover_type: str, mode: str | None = None, *, actor_sector: str | None = None,
               table: MappingTable | None = None) -> str | None:
    """Two-digit CAMEO root code of a PLOVER type and mode.

    A mode the type does not know is ignored (the type's root applies). For ASSAULT without
    a mode, an actor from the state armed forces gives 19 (conventional military force)
    rather than 18 (unconventional violence). Unknown types raise ValueError.
    """
    tm = _type(plover_type, table)
    if mode is not None and mode in tm.cameo_by_mode:
        return tm.cameo_by_mode[mode]
    if mode is None and actor_sector == "MIL" and tm.cameo_military_root:
        return tm.cameo_military_root
    return tm.cameo_root


def acled_pair(plover_type: str, mode: str | None = None, target_sector: str | None = None,
               table: MappingTable | None = None) -> AcledPair | None:
    """(ACLED event type, sub-event type) for a PLOVER type and mode, or None.

    For the ASSAULT modes listed in the table's `sector_rule_modes` (no mode, firearms,
    primitive weapons) the target decides: an armed target (MIL, COP, REB) gives
    'Battles / Armed clash', an unarmed one 'Violence against civilians / Attack', and an
    unknown target (None, UNK) gives None rather than a guess.
    """
    table = table or load_mappings()
    tm = _type(plover_type, table)
    if mode is not None and mode not in tm.modes:
        mode = None
    if mode in tm.acled_sector_rule_modes:
        if target_sector in table.armed_sectors:
            return tm.acled_armed
        if target_sector in table.unarmed_sectors:
            return tm.acled_unarmed
        return None
    if mode is not None and mode in tm.acled_by_mode:
        return tm.acled_by_mode[mode]
    return tm.acled_default


def acled_type(plover_type: str, mode: str | None = None, target_sector: str | None = None,
               table: MappingTable | None = None) -> str | None:
    """ACLED 'Event type / Sub-event type' string (see `acled_pair`), or None."""
    pair = acled_pair(plover_type, mode, target_sector, table)
    return f"{pair[0]} / {pair[1]}" if pair else None
