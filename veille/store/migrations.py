"""Schema versions of the store and the migrations that reach the latest one.

Each migration is a `.sql` file in this package; `schema_version` records which were applied.
"""
from __future__ import annotations

from importlib import resources

import duckdb

from veille.errors import Errors, StoreError

__all__ = ["MIGRATIONS", "LATEST_VERSION", "current_version", "migrate"]

MIGRATIONS: tuple[tuple[int, str], ...] = ((1, "schema_v1.sql"),)
LATEST_VERSION = MIGRATIONS[-1][0]


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Schema version of an open database (0 when empty)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection, path: str) -> int:
    """Apply the missing migrations, each in its own transaction; returns the final version."""
    version = current_version(con)
    if version > LATEST_VERSION:
        raise StoreError(Errors.E401.format(
            path=path, reason=f"schema version {version} is newer than this Veille ({LATEST_VERSION})"))
    for number, name in MIGRATIONS:
        if number <= version:
            continue
        script = resources.files("veille.store").joinpath(name).read_text(encoding="utf-8")
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
            )
            con.execute(script)
            con.execute("INSERT INTO schema_version VALUES (?, current_timestamp)", [number])
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise StoreError(Errors.E401.format(path=path, reason=f"migration {name} failed: {exc}")) from exc
        version = number
    return version
