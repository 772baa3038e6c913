"""Loads the reviewed rule data (grammar.yml) once and exposes it as plain Python."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

GRAMMAR_PATH = Path(__file__).with_name("grammar.yml")


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
        self.plan_periods: dict[str, int] = data.get("plan_periods", {})
        self.paired_prefixes: dict[str, list[str]] = data.get("paired_prefixes", {})
        self.list_joiners: list[str] = data.get("list_joiners", [])
        self.currency_families: list[str] = data.get("currency_families", [])
        self.index_units: list[str] = data.get("index_units", [])
        self.residue_lines = [re.compile(p) for p in data.get("residue_lines", [])]

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


@lru_cache(maxsize=2)
def default_grammar() -> Grammar:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)     # libyaml when the wheel has it: ~10× faster
    return Grammar(yaml.load(GRAMMAR_PATH.read_text(encoding="utf-8"), Loader=loader))
