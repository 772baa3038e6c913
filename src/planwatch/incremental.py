"""Work per region, remembered: a corpus stage recomputes only the regions whose inputs changed.

A stage hands over its input frames (each with a ``region`` column) and a function that
computes its result rows for a set of regions. Each region gets a key — a hash of all its
input rows — and the result rows of the last run are kept with the keys they were computed
from, in a persisted folder. The next run reuses the rows of every region whose key is
unchanged and computes the rest, so adding one document to a 10,000-document corpus
recomputes one region, not 6,000. The result is the same table a full computation gives
(``tests/test_incremental.py`` checks this on the five documents and on a changed corpus).

The store is a pair of parquet files and a JSON stamp holding their SHA-256 and the
``version`` (code, parameters, reference data, polars version: polars' row hash is stable
only within one version). A damaged, edited or outdated store is discarded with a warning and
everything is recomputed.
"""
from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import polars as pl

from planwatch.io import atomic_path, read_stamp, write_text

_SEEDS = (7,)


def region_keys(frames: dict[str, pl.DataFrame], by: str = "region") -> pl.DataFrame:
    """One row per region present in any frame: (region, key), key a hex digest of every input row.

    Row order does not matter (the hashes are summed), content does: any changed value, added
    or removed row changes the region's key.

    >>> a = pl.DataFrame({"region": ["甲", "乙", "甲"], "v": [1.0, 2.0, 3.0]})
    >>> k1 = region_keys({"t": a}); k2 = region_keys({"t": a.reverse()})
    >>> k1.equals(k2), k1.height
    (True, 2)
    >>> k3 = region_keys({"t": a.with_columns(pl.when(pl.col("v") == 3).then(4.0).otherwise(pl.col("v")).alias("v"))})
    >>> k1.join(k3, on="region").filter(pl.col("key") != pl.col("key_right"))["region"].to_list()
    ['甲']
    """
    parts = []
    for name in sorted(frames):
        df = frames[name]
        # hash_rows: the same content hash as pl.struct(pl.all()).hash(), ~5x faster on a wide table
        hashed = pl.DataFrame([df[by], *[df.hash_rows(seed).alias(f"_h{seed}") for seed in _SEEDS]])
        aggs = [pl.len().alias(f"{name}_n")]
        for seed in _SEEDS:
            h = pl.col(f"_h{seed}")
            aggs += [(h // 2**32).cast(pl.UInt64).sum().alias(f"{name}_{seed}_hi"),
                     (h % 2**32).cast(pl.UInt64).sum().alias(f"{name}_{seed}_lo")]
        parts.append(hashed.group_by(by).agg(aggs))
    keys = None
    for p in parts:
        keys = p if keys is None else keys.join(p, on=by, how="full", coalesce=True)
    if keys is None:
        return pl.DataFrame(schema={by: pl.String, "key": pl.String})
    cols = [c for c in keys.columns if c != by]
    return keys.select(
        pl.col(by), pl.concat_str([pl.col(c).cast(pl.String).fill_null("-") for c in cols], separator=":").alias("key"),
    ).sort(by)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class RegionStore:
    """The last run's result rows and region keys of one computation, under ``folder``."""

    def __init__(self, folder: Path | str, name: str, version: str):
        self.folder, self.name, self.version = Path(folder), name, version
        self.rows_path = self.folder / f"{name}.rows.parquet"
        self.keys_path = self.folder / f"{name}.keys.parquet"
        self.stamp_path = self.folder / f"{name}.json"

    def load(self) -> tuple[pl.DataFrame, pl.DataFrame] | None:
        if not self.stamp_path.exists():
            return None
        try:
            stamp = read_stamp(self.stamp_path)
            if stamp.get("version") != self.version:
                return None                      # new code, parameters or reference data: recompute all
            if stamp.get("rows") != _sha(self.rows_path) or stamp.get("keys") != _sha(self.keys_path):
                print(f"warning: {self.folder}/{self.name}.*: the stored rows do not match their checksum "
                      "(edited by hand?); discarded, recomputing every region", file=sys.stderr)
                return None
            return pl.read_parquet(self.rows_path), pl.read_parquet(self.keys_path)
        except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
            print(f"warning: {self.folder}/{self.name}.*: unreadable ({type(exc).__name__}); discarded, recomputing every "
                  "region", file=sys.stderr)
            return None

    def clear(self) -> None:
        for path in (self.stamp_path, self.rows_path, self.keys_path):
            path.unlink(missing_ok=True)

    def save(self, rows: pl.DataFrame, keys: pl.DataFrame) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for df, path in ((rows, self.rows_path), (keys, self.keys_path)):
            with atomic_path(path) as tmp:
                df.write_parquet(tmp, statistics=False, compression="zstd")
        write_text(self.stamp_path, json.dumps({"version": self.version, "rows": _sha(self.rows_path),
                                                "keys": _sha(self.keys_path)}, sort_keys=True) + "\n")


def by_region(store: RegionStore, keys: pl.DataFrame, compute: Callable[[list[str]], pl.DataFrame],
              schema: dict, by: str = "region", label: str = "") -> tuple[pl.DataFrame, dict]:
    """compute(regions) for the regions whose key changed; the stored rows for the others.

    ``compute`` must return rows for exactly the regions it is given (a ``by`` column), each
    region's rows depending only on that region's inputs as hashed in ``keys``. Returns the
    rows of every region in ``keys`` and counts (regions, recomputed)."""
    stored = store.load()
    all_regions = keys[by].to_list()
    if stored is None:
        dirty = all_regions
        kept = pl.DataFrame(schema=schema)
    else:
        rows, old_keys = stored
        same = keys.join(old_keys, on=[by, "key"], how="semi")
        clean = set(same[by].to_list())
        dirty = [r for r in all_regions if r not in clean]
        kept = rows.filter(pl.col(by).is_in(same[by].implode())).cast(schema)
    fresh = compute(dirty) if dirty else pl.DataFrame(schema=schema)
    fresh = fresh.select(list(schema)).cast(schema)
    # a total order: the same rows in the same order whichever regions came from the store
    out = pl.concat([kept.select(list(schema)), fresh], how="vertical").sort(list(schema), nulls_last=True)
    store.save(out, keys)
    stats = {"regions": len(all_regions), "recomputed": len(dirty)}
    if label:
        print(f"[{label}] {len(dirty):,} of {len(all_regions):,} regions recomputed"
              f"{' (the others unchanged since the last run)' if stored is not None else ''}", file=sys.stderr)
    return out, stats


def code_version(*parts: Iterable[str] | str) -> str:
    """A version string for a store: the given texts (parameters, file contents) and polars' version."""
    h = hashlib.sha256(pl.__version__.encode())
    for p in parts:
        for s in ([p] if isinstance(p, str) else p):
            h.update(s.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
    return h.hexdigest()[:20]


def files_version(paths: Iterable[Path], root: Path | None = None) -> list[str]:
    """The names (relative to root, else the bare name) and contents of these files, as texts for
    ``code_version``: the same files give the same version wherever the project is checked out."""
    return [f"{p.relative_to(root).as_posix() if root else p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()}"
            for p in sorted(paths) if p.is_file()]


def package_version() -> list[str]:
    """The planwatch package's own source (code and rule data): any change recomputes every region."""
    here = Path(__file__).resolve().parent
    return files_version([p for p in here.rglob("*") if p.suffix in (".py", ".yml", ".txt") and "__pycache__" not in p.parts],
                         root=here)
