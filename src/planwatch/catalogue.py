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

from planwatch.errors import PlanwatchError

REPO_ROOT = Path(__file__).resolve().parents[2]
# A region name wherever one comes from (regions.yml, the gazetteer, --region, the manifest): letters of
# any script, digits and · （）() -, never a path, markup or a line break (it names a report page)
REGION_NAME = re.compile(r"^[^\W_][\w·（）()-]{0,39}$")
REFERENCE_DIR = REPO_ROOT / "data" / "reference"
_ROW_PREFIX = re.compile(r"^[一二三四五六七八九十]+、|^\d+[.、]")     # a table row label's numbering (一、 1.), compiled once


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
    growth_only: bool = False    # a rate of change (CPI): a figure in % is its growth, never a level


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
        # sorted once (the names are fixed here): match_name runs per table row label
        self._longest_first = tuple(sorted(self._by_name, key=lambda n: (-len(n), n)))
        self._labels_longest_first = tuple(n for n in self._longest_first if n not in self._bare)

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
        return list(self._longest_first)

    def match_name(self, text: str) -> tuple[str, str] | None:
        """The indicator a table row label denotes: exact synonym, else the longest one it contains.

        >>> default_catalogue().match_name("一、地区生产总值")
        ('gdp', '地区生产总值')
        """
        label = _ROW_PREFIX.sub("", text.strip())
        if label in self._by_name:
            return self._by_name[label], label
        for name in self._labels_longest_first:      # names(), without the bare ones
            if name in label:
                return self._by_name[name], name
        return None


def load_catalogue(reference_dir: Path | str = REFERENCE_DIR) -> Catalogue:
    """indicators.yml and regions.yml, validated (refdata.py): errors name file, line and key."""
    from planwatch import refdata
    reference_dir = Path(reference_dir)
    path = reference_dir / "indicators.yml"
    if not path.exists():
        raise PlanwatchError(f"{path}: indicator catalogue not found (pass --reference DIR)")
    indicators: dict[str, Indicator] = {}
    for item in refdata.load(path, refdata.Catalogue).indicators:
        if item.code in indicators:
            raise PlanwatchError(f"{path}: indicator code {item.code!r} appears twice")
        indicators[item.code] = Indicator(
            code=item.code, name_zh=item.name_zh, synonyms=tuple(item.synonyms), bare=tuple(item.bare),
            family=item.family, std_unit=item.std_unit, basis=item.basis, better=item.better,
            level_range=item.level_range, growth_range=item.growth_range, headline=item.headline,
            exclude_before=tuple(item.exclude_before), exclude_after=tuple(item.exclude_after),
            growth_only=item.growth_only)
    rpath = reference_dir / "regions.yml"
    regions: dict[str, Region] = {}
    for r in refdata.load(rpath, refdata.Regions, required=False).regions:
        if r.name in regions:
            raise PlanwatchError(f"{rpath}: region {r.name!r} appears twice")
        regions[r.name] = Region(r.name, r.short or r.name, r.level, r.parent)
    for name in regions:        # a region compared with itself as its own parent is a silent 100% share
        seen, up = [name], regions[name].parent
        while up in regions and up not in seen:
            seen.append(up)
            up = regions[up].parent
        if up == name:
            raise PlanwatchError(f"{rpath}: region {name!r} is its own parent ({' → '.join([*seen, name])}); fix parent:")
    return Catalogue(indicators=indicators, regions=regions, source=path)


@lru_cache(maxsize=4)
def default_catalogue() -> Catalogue:
    return load_catalogue(REFERENCE_DIR)
