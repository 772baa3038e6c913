"""Loads the reviewed rule data (grammar.yml) once, through typed models, and exposes it as plain Python.

Every key of grammar.yml has a typed field below: a malformed entry is refused with one line
naming the file, the line and the key (``grammar.yml:57: growth_up: a list of words, not a
string``), as refdata.py does for the catalogue. Unknown keys are refused (a typo is not
ignored), regular expressions must compile, char_map maps one character to one character (so
character spans stay valid) and unit factors are decimal numbers.
"""
from __future__ import annotations

import re
from re import _constants as _C, _parser as _sre     # the stdlib's own pattern parser (3.11+)
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictStr

GRAMMAR_PATH = Path(__file__).with_name("grammar.yml")


def _not_a_string(v):
    if isinstance(v, str):
        raise ValueError("a list of words, not a string (write [词, 词] or one '- 词' per line)")
    return v


def _regex(v: str) -> str:
    try:
        re.compile(v)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc})") from None
    if _nested_repeat(_sre.parse(v)):
        raise ValueError("a repeat inside a repeat ((x+)+, (x*y)*, (.*a){20}), or alternatives that can start alike "
                         "repeated without bound ((?:\\d|\\d\\d)+): Python's re backtracks through every way to "
                         "split a text between them, so one line can take hours; repeat once, or make the repeat "
                         "possessive (x++, (?:…)*+) or atomic ((?>…))")
    return v


NESTED_REPEAT_LIMIT = 1000     # bounded repeats inside bounded ones: at most this many ways to split a text


def _first_literal(items) -> int | None:
    """The character code a (parsed) alternative must start with, or None when it may start with more
    than one (a class, any character, an empty alternative …)."""
    for op, av in items:
        if op is _C.LITERAL:
            return av
        if op is _C.SUBPATTERN:
            return _first_literal(av[3])
        return None
    return None


def _distinct_firsts(branches) -> bool:
    """Whether every alternative starts with its own literal character (万|亿: a text chooses one way)."""
    firsts = [_first_literal(b) for b in branches]
    return None not in firsts and len(set(firsts)) == len(firsts)


def _nested_repeat(items, outer: int = 1) -> bool:
    r"""Whether a (parsed) pattern holds a backtracking repeat inside another, both of more than one,
    one of them unbounded or together more than NESTED_REPEAT_LIMIT: the shape of catastrophic
    backtracking. Possessive repeats and atomic groups give nothing back: not descended into.

    >>> [_nested_repeat(_sre.parse(p)) for p in (r"(\d+)+x", r"(?:\d+，)*$", r"(.*年){20}", r"(?:\d{1,3},){0,5}", r"(?:\d+)*+x", r"\d+年\d+月")]
    [True, True, True, False, False, False]
    >>> [_nested_repeat(_sre.parse(p)) for p in (r"(a)?(?(1)c|(?:\d+)+)x", r"(a)?(?(1)(\d+)+)x", r"(a)?(?(1)\d+|c)x")]
    [True, True, False]
    >>> [_nested_repeat(_sre.parse(p)) for p in (r"(?:\d|\d)+x", r"(?:a|ab)*c", r"(?:万|亿)+元", r"(?:\d|年){0,5}")]
    [True, True, False, False]
    """
    for op, av in items:
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            hi = av[1]
            if outer > 1 and hi > 1 and (outer == _C.MAXREPEAT or hi == _C.MAXREPEAT or outer * hi > NESTED_REPEAT_LIMIT):
                return True
            if _nested_repeat(av[2], hi if outer == 1 else max(outer, hi)):
                return True
        elif op is _C.SUBPATTERN and _nested_repeat(av[3], outer):
            return True
        elif op is _C.BRANCH and outer == _C.MAXREPEAT and not _distinct_firsts(av[1]):
            return True     # (?:\d|\d\d)+, (?:a|ab)*: alternatives that can start alike, repeated without bound
        elif op is _C.BRANCH and any(_nested_repeat(b, outer) for b in av[1]):
            return True
        elif op in (_C.ASSERT, _C.ASSERT_NOT) and _nested_repeat(av[1], outer):
            return True
        elif op is _C.GROUPREF_EXISTS and any(b is not None and _nested_repeat(b, outer) for b in av[1:]):
            return True     # (?(1)yes|no): both branches (a conditional hid (\d+)+ from the check)
    return False


def _decimal(v: str) -> str:
    try:
        finite = Decimal(v).is_finite()     # NaN or Infinity would convert every value to nonsense
    except InvalidOperation:
        finite = False
    if not finite:
        raise ValueError(f"{v!r} is not a decimal number (write it quoted: \"10000\")")
    return v


def _one_char(v: str) -> str:
    if len(v) != 1:
        raise ValueError(f"{v!r} is not one character (a rewrite must keep every character span)")
    return v


Word = Annotated[StrictStr, Field(min_length=1, max_length=60)]
Words = Annotated[list[Word], BeforeValidator(_not_a_string)]
Pattern = Annotated[StrictStr, Field(min_length=1, max_length=400), AfterValidator(_regex)]
Patterns = Annotated[list[Pattern], BeforeValidator(_not_a_string)]
Char = Annotated[StrictStr, AfterValidator(_one_char)]
DecimalText = Annotated[StrictStr, AfterValidator(_decimal)]
Level = Literal["province", "city", "district", "county"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitEntry(_Model):
    unit: Word
    family: Word
    base: Word
    factor: DecimalText


class Qualitative(_Model):
    pattern: Word
    phrase: Word


class PeriodMark(_Model):
    scope: Literal["partial_year", "multi_year", "annual"]
    pattern: Pattern


class SectionKind(_Model):
    kind: Literal["results", "targets", "tasks", "annex"]
    words: Words


class DocTypeWords(_Model):
    type: Literal["plan", "plan_report", "work_report", "bulletin", "news"]
    words: Words


class Headings(_Model):
    h1: Pattern
    h2: Pattern
    annex: Pattern
    h3: Pattern
    numbered_line: Pattern
    line_start: Pattern


class RegionRules(_Model):
    suffixes: dict[Word, Level] = Field(min_length=1)
    name_stop_chars: Word
    title_follow: Patterns
    congress: Pattern
    not_names: Words
    scope_prefixes: Annotated[list[Char], BeforeValidator(_not_a_string)]
    short_name_words: Words


class TableRules(_Model):
    actual_heads: Words
    target_heads: Words
    estimate_heads: Words
    absolute_heads: Words
    growth_heads: Words
    sub_heads: Words
    empty_cells: Annotated[list[StrictStr], BeforeValidator(_not_a_string)]
    comparators: dict[Char, Word]


class ShareOf(_Model):
    pattern: Pattern
    name: Annotated[StrictStr, Field(pattern=r"\{part\}.*\{whole\}")]


class GrammarFile(_Model):
    """grammar.yml as written: one field per key."""
    char_map: dict[Char, Char]
    units: list[UnitEntry] = Field(min_length=1)
    currency_families: Words = []
    index_units: Words = []
    magnitudes: dict[Word, DecimalText]
    cn_digits: dict[Char, int] = {}
    cn_multipliers: dict[Char, int] = {}
    approx_before: Words
    approx_after: Words
    qualifiers_after: Words
    qualifier_verbs: dict[Word, Word]
    stretch_words: Words
    qualitative: list[Qualitative]
    growth_up: Words
    growth_down: Words
    growth_lead: Words
    growth_verb_suffixes: Words = []
    level_verbs: Words
    paired_prefixes: dict[Word, Words] = {}
    list_joiners: Words = []
    clause_stop: Words
    period_marks: list[PeriodMark] = []
    multi_year_avg_words: Words = []
    base_marks: Words = []
    period_base_marks: Words = []
    cumulative_words: Words = []
    composed_words: Words = []
    plan_periods: dict[Word, Annotated[int, Field(ge=1949, le=2100)]] = {}
    estimate_words: Words
    not_numbers: Patterns
    section_kinds: list[SectionKind]
    results_documents: Words = []
    target_list_cues: Words = []
    restated_target_ends: Words = []
    target_cues: Words
    doc_types: list[DocTypeWords]
    doc_type_body: list[DocTypeWords] = []
    measure_modifiers: Words = []
    ratio_words: Words = []
    metadata_labels: Words = []
    residue_lines: Patterns = []
    bullets: StrictStr = ""
    page_numbers: Patterns = []
    task_verbs: Words = []
    subject_strip_before: Words = []
    subject_strip_after: Words = []
    verb_families: dict[Word, Words] = {}
    scope_words: Words = []
    measure_words: Words = []
    headings: Headings
    title_words: Words
    regions: RegionRules
    tables: TableRules
    group_joiners: Words
    respectively_words: Words
    name_follow_words: Words
    bare_name_follow: Word
    share_of: ShareOf
    figure_year: Pattern
    period_first_years: Pattern
    clause_year: Pattern
    caption_marks: Words
    level_from: Pattern
    level_to: Pattern
    growth_from: Pattern
    growth_to: Pattern
    period_so_far_words: Words
    stretch_qualifier: Word
    range_words: Words
    list_end_words: Words
    published_labels: Words


class Grammar:
    def __init__(self, data: dict):
        self.data = data
        self.char_map: dict[str, str] = data["char_map"]
        self.units = {u["unit"]: (u["family"], u["base"], Decimal(u["factor"])) for u in data["units"]}
        self.unit_names = sorted(self.units, key=len, reverse=True)
        self.magnitudes = {k: Decimal(v) for k, v in data["magnitudes"].items()}
        self.cn_digits: dict[str, int] = data.get("cn_digits", {})
        self.cn_multipliers: dict[str, int] = data.get("cn_multipliers", {})
        self.approx_before: list[str] = sorted(data["approx_before"], key=len, reverse=True)
        self.approx_after: list[str] = data["approx_after"]
        self.qualifiers_after: list[str] = data["qualifiers_after"]
        self.qualifier_verbs: dict[str, str] = data["qualifier_verbs"]
        self.stretch_words: list[str] = data["stretch_words"]
        self.qualitative: list[tuple[str, str]] = [(q["pattern"], q["phrase"]) for q in data["qualitative"]]
        self.growth_up: list[str] = data["growth_up"]
        self.growth_down: list[str] = data["growth_down"]
        self.growth_lead: list[str] = data["growth_lead"]
        self.growth_verb_suffixes: list[str] = sorted(data.get("growth_verb_suffixes", []), key=len, reverse=True)
        self.level_verbs: list[str] = sorted(data["level_verbs"], key=len, reverse=True)
        self.clause_stop: list[str] = data["clause_stop"]
        self.estimate_words: list[str] = data["estimate_words"]
        self.not_numbers: list[str] = data["not_numbers"]
        self.section_kinds: list[tuple[str, list[str]]] = [(s["kind"], s["words"]) for s in data["section_kinds"]]
        self.target_cues: list[str] = data["target_cues"]
        self.restated_target_ends: list[str] = data.get("restated_target_ends", [])
        self.target_list_cues: list[str] = data.get("target_list_cues", [])
        self.doc_types: list[tuple[str, list[str]]] = [(d["type"], d["words"]) for d in data["doc_types"]]
        self.measure_modifiers: list[str] = data.get("measure_modifiers", [])
        self.ratio_words: list[str] = data.get("ratio_words", [])
        self.task_verbs: list[str] = sorted(data.get("task_verbs", []), key=len, reverse=True)
        self.subject_strip_before: list[str] = sorted(data.get("subject_strip_before", []), key=len, reverse=True)
        self.subject_strip_after: list[str] = sorted(data.get("subject_strip_after", []), key=len, reverse=True)
        self.verb_families: dict[str, list[str]] = data.get("verb_families", {})
        self.scope_words: list[str] = sorted(data.get("scope_words", []), key=len, reverse=True)
        self.measure_words: list[str] = data.get("measure_words", [])
        self.period_marks: list[tuple[str, str]] = [(m["scope"], m["pattern"]) for m in data.get("period_marks", [])]
        self.base_marks: list[str] = data.get("base_marks", [])
        self.period_base_marks: list[str] = data.get("period_base_marks", [])
        self.multi_year_avg_words: list[str] = data.get("multi_year_avg_words", [])
        self.cumulative_words: list[str] = data.get("cumulative_words", [])
        self.composed_words: list[str] = data.get("composed_words", [])
        self.plan_periods: dict[str, int] = data.get("plan_periods", {})
        self.paired_prefixes: dict[str, list[str]] = data.get("paired_prefixes", {})
        self.list_joiners: list[str] = data.get("list_joiners", [])
        self.currency_families: list[str] = data.get("currency_families", [])
        self.index_units: list[str] = data.get("index_units", [])
        self.residue_lines = [re.compile(p) for p in data.get("residue_lines", [])]
        # rule fragments once held in code (issue 13)
        h = data["headings"]
        self.heading_h1 = re.compile(h["h1"])
        self.heading_h2 = re.compile(h["h2"])
        self.heading_annex = re.compile(h["annex"])
        from planwatch.parse.numbers import guarded     # here: numbers imports this module
        self.heading_h3 = guarded(h["h3"], re.M)        # behind a first-character lookahead (numbers.guarded)
        self.numbered_line = re.compile(h["numbered_line"])
        self.line_start = re.compile(h["line_start"])
        self.title_words = re.compile("|".join(re.escape(w) for w in data["title_words"]))
        r = data["regions"]
        self.region_levels: dict[str, str] = r["suffixes"]
        suffix = "(?:" + "|".join(re.escape(s) for s in r["suffixes"]) + ")"
        name = "(?:(?![" + re.escape(r["name_stop_chars"]) + r"])[\u4e00-\u9fff]){2,6}?" + suffix
        follow = "(?=" + "|".join(r["title_follow"]) + ")"
        self.region_in_title = re.compile(f"({name}){follow}")
        self.region_congress = re.compile(f"({name}){r['congress']}")
        # what every match of each holds: the name's suffix and what follows the name, less than a
        # name's width after the match's start (document._region_name scans from there, not from the
        # text's start, and not at all without one)
        self.region_in_title_tail = re.compile(suffix + follow)
        self.region_congress_tail = re.compile(suffix + r["congress"])
        from planwatch.parse.numbers import max_width
        self.region_name_width = max_width(name)
        self.region_not_names: list[str] = r["not_names"]
        self.region_short_name_words: frozenset[str] = frozenset(r["short_name_words"])
        self.region_scope = re.compile("[" + re.escape("".join(r["scope_prefixes"])) + "]("
                                       + "|".join(re.escape(s) for s in r["suffixes"]) + ")")
        t = data["tables"]
        self.table_actual_heads: list[str] = t["actual_heads"]
        self.table_estimate_heads: list[str] = t["estimate_heads"]
        self.table_year_head = re.compile(r"(20\d\d)年?(" + "|".join(re.escape(w) for w in t["actual_heads"] + t["target_heads"]) + ")")
        self.table_absolute_heads: tuple[str, ...] = tuple(t["absolute_heads"])
        self.table_growth_heads: tuple[str, ...] = tuple(t["growth_heads"])
        self.table_sub_heads: tuple[str, ...] = tuple(t["sub_heads"])
        self.table_empty_cells: set[str] = set(t["empty_cells"])
        self.table_comparators: dict[str, str] = t["comparators"]
        self.table_cell_number = re.compile(
            "^(?P<cmp>[" + re.escape("".join(t["comparators"])) + r"]?)(?P<num>-?\d+(?:\.\d+)?)(?P<qual>"
            + "|".join(re.escape(w) for w in data["qualifiers_after"]) + ")?$")
        self.group_joiners = re.compile("^(?:" + "|".join(re.escape(w) for w in data["group_joiners"]) + ")$")
        self.respectively_words: list[str] = data["respectively_words"]
        self.name_follow_words: list[str] = data["name_follow_words"]
        self.bare_name_follow: str = data["bare_name_follow"]
        self.share_of = re.compile(data["share_of"]["pattern"])
        self.share_of_name: str = data["share_of"]["name"]
        self.figure_year = re.compile(data["figure_year"])
        self.period_first_years = re.compile(data["period_first_years"])
        self.clause_year = re.compile(data["clause_year"])
        self.caption_marks: list[str] = data["caption_marks"]
        # a caption line opens with a figure (its number and at most a short unit) and a caption mark
        self.caption_line = re.compile(r"\s*\d[\d.,]*[^\d\s，。；：]{0,6}?(?:" + "|".join(map(re.escape, self.caption_marks))
                                       + ")") if self.caption_marks else None
        self.level_from = re.compile(data["level_from"])
        self.level_to = re.compile(data["level_to"])
        self.growth_from = re.compile(data["growth_from"])
        self.growth_to = re.compile(data["growth_to"])
        self.period_so_far_words: list[str] = data["period_so_far_words"]
        self.stretch_qualifier: str = data["stretch_qualifier"]
        self.range_words: list[str] = sorted(data["range_words"], key=len, reverse=True)
        self.list_end_words: list[str] = data["list_end_words"]
        self.published_labels: list[str] = data["published_labels"]

    def unit_factor(self, unit: str) -> tuple[str, Decimal] | None:
        """(family, factor to the family's base) of a written unit, magnitude prefixes included.

        >>> default_grammar().unit_factor("万亿元")
        ('money', Decimal('1000000000000'))
        >>> default_grammar().unit_factor("万台")
        ('count', Decimal('10000'))
        """
        if unit in self.units:
            family, _base, factor = self.units[unit]
            return family, factor
        for mag, mfactor in sorted(self.magnitudes.items(), key=lambda kv: -len(kv[0])):
            if unit.startswith(mag) and len(unit) > len(mag):
                rest = self.unit_factor(unit[len(mag):])
                if rest:
                    return rest[0], rest[1] * mfactor
                return "count", mfactor
        if len(unit) == 1:
            return "count", Decimal(1)
        return None


def load_grammar(path: Path | str = GRAMMAR_PATH) -> Grammar:
    """The grammar of a rule file, validated: a malformed entry is one PlanwatchError naming file, line and key."""
    from planwatch import refdata
    model = refdata.load(path, GrammarFile)
    # the file's own mapping (key order kept: first match wins in several lists), now known to be well-formed
    return Grammar(model.model_dump())


@lru_cache(maxsize=2)
def default_grammar() -> Grammar:
    return load_grammar(GRAMMAR_PATH)
