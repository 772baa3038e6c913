"""The indicator catalogue and region list: reviewed reference data, loaded once.

``Catalogue`` answers: which indicator does this name denote, what is its standard unit,
its growth basis and better direction. Recognition is data-driven: synonyms come from
``data/reference/indicators.yml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from planwatch.errors import PlanwatchError

REPO_ROOT = Path(__file__).resolve().parents[2]
REFERENCE_DIR = REPO_ROOT / "data" / "reference"


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    synonyms: tuple[str, ...]
    bare: tuple[str, ...]
    family: str
    std_unit: str
    basis: str
    better: str
    level_range: tuple[float, float]
    growth_range: tuple[float, float]
    headline: bool
    exclude_before: tuple[str, ...] = ()
    exclude_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    name: str
    short: str
    level: str
    parent: str | None


@dataclass(eq=False)   # hashed by identity: matchers are cached per catalogue
class Catalogue:
    indicators: dict[str, Indicator]
    regions: dict[str, Region]
    source: Path
    _by_name: dict[str, str] = field(default_factory=dict, repr=False)
    _bare: set[str] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        for ind in self.indicators.values():
            for name in ind.synonyms + ind.bare:
                other = self._by_name.get(name)
                if other and other != ind.code:
                    raise PlanwatchError(
                        f"{self.source}: synonym {name!r} is listed under both {other} and {ind.code};"
                        " keep it under one indicator")
                self._by_name[name] = ind.code
            self._bare.update(ind.bare)

    def code_for(self, name: str) -> str | None:
        """Catalogue code of an exact name or synonym.

        >>> default_catalogue().code_for("城乡居民人均可支配收入")
        'disposable_income_per_capita'
        """
        return self._by_name.get(name)

    def is_bare(self, name: str) -> bool:
        return name in self._bare

    def names(self) -> list[str]:
        """All surface names, longest first (the order a matcher must try them)."""
        return sorted(self._by_name, key=lambda n: (-len(n), n))

    def match_name(self, text: str) -> tuple[str, str] | None:
        """The indicator a table row label denotes: exact synonym, else the longest one it contains.

        >>> default_catalogue().match_name("一、地区生产总值")
        ('gdp', '地区生产总值')
        """
        label = re.sub(r"^[一二三四五六七八九十]+、|^\d+[.、]", "", text.strip())
        if label in self._by_name:
            return self._by_name[label], label
        for name in self.names():
            if name in label and not self.is_bare(name):
                return self._by_name[name], name
        return None


def _tuple(v) -> tuple:
    return tuple(v or ())


def load_catalogue(reference_dir: Path | str = REFERENCE_DIR) -> Catalogue:
    reference_dir = Path(reference_dir)
    path = reference_dir / "indicators.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanwatchError(f"{path}: indicator catalogue not found (pass --reference DIR)") from None
    except yaml.YAMLError as exc:
        raise PlanwatchError(f"{path}: not valid YAML: {exc}") from None
    indicators: dict[str, Indicator] = {}
    for i, item in enumerate(data.get("indicators", []), start=1):
        try:
            ind = Indicator(
                code=item["code"], name_zh=item["name_zh"], synonyms=_tuple(item["synonyms"]),
                bare=_tuple(item.get("bare")), family=item["family"], std_unit=item["std_unit"],
                basis=item["basis"], better=item["better"],
                level_range=tuple(item["level_range"]), growth_range=tuple(item["growth_range"]),
                headline=bool(item.get("headline", False)),
                exclude_before=_tuple(item.get("exclude_before")),
                exclude_after=_tuple(item.get("exclude_after")),
            )
        except KeyError as exc:
            raise PlanwatchError(f"{path}: indicator #{i} ({item.get('code', '?')}) lacks field {exc}") from None
        if ind.code in indicators:
            raise PlanwatchError(f"{path}: indicator code {ind.code!r} appears twice")
        indicators[ind.code] = ind
    rpath = reference_dir / "regions.yml"
    rdata = yaml.safe_load(rpath.read_text(encoding="utf-8")) if rpath.exists() else {"regions": []}
    regions = {r["name"]: Region(r["name"], r.get("short") or r["name"], r["level"], r.get("parent"))
               for r in rdata.get("regions", [])}
    return Catalogue(indicators=indicators, regions=regions, source=path)


@lru_cache(maxsize=4)
def default_catalogue() -> Catalogue:
    return load_catalogue(REFERENCE_DIR)
