"""The speed-ups of issue 13 (Speed) change no result: each fast path is checked against the
plain computation it replaces, on random text made of the grammar's own words (hypothesis)."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planwatch.parse import other, statements
from planwatch.parse.grammar import default_grammar
from planwatch.parse.numbers import Quantity, _cn_pattern, _patterns, first_chars, guarded
from planwatch.parse.text import _drop, _fold_table, fold_char, load_t2s
from planwatch.records import Record

G = default_grammar()
_GUARD = re.compile(r"^\(\?=\[(?:\\.|[^\]\\])*\]\)\(\?:(.*?)\n?\)$", re.S)


def unguarded(p: re.Pattern) -> re.Pattern:
    """The pattern guarded() wrapped, compiled as it was before."""
    m = _GUARD.match(p.pattern)
    assert m, p.pattern[:40]
    return re.compile(m.group(1), p.flags)


PATTERNS = {
    "quantity": _patterns(G)[0], "masks": _patterns(G)[1], "cn": _cn_pattern(G),
    "period_marks": statements._period_marks(G), "H3": G.heading_h3, "drop": _drop()
}
WORDS = (G.unit_names + list(G.magnitudes) + G.approx_before + G.approx_after + G.qualifiers_after
         + list(G.cn_digits) + list(G.cn_multipliers) + [w for _s, p in G.period_marks for w in re.findall(r"[\u4e00-\u9fff]+", p)]
         + ["2025年", "3月21日", "〔2024〕5号", "1+6", "2×350", "G341", "5G", "第15", "前30位", "500强", "“3510”",
            "跨越", "台阶", "一是", "二是", "十四五", "“", "”", "，", "。", "\n", "；", "\t", "\r", "1，234", "-", "—", "至", ".", "%",
            "A", "x", " ", "增长", "完成", "亿元"]
         + G.growth_up + G.growth_down + G.growth_verb_suffixes + G.list_joiners)
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.integers(0, 99999).map(str),
                           st.decimals("0", "999", places=2).map(str)), max_size=40).map("".join)


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_guarded_patterns_carry_a_guard(name):
    assert PATTERNS[name].pattern.startswith("(?=[")


@settings(max_examples=300, deadline=None)
@given(text=texts, a=st.integers(0, 200), b=st.integers(0, 200))
def test_guarded_patterns_find_what_the_plain_ones_find(text, a, b):
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    for name, p in PATTERNS.items():
        plain = unguarded(p)
        got = [(m.span(), m.groups()) for m in p.finditer(text, start, end)]
        assert got == [(m.span(), m.groups()) for m in plain.finditer(text, start, end)], name


def test_first_chars_covers_every_way_a_pattern_starts():
    assert first_chars(r"(?:(?<=^)|(?<=x))(?:ab|\d)c?", re.M) == r"[a\d]"
    assert first_chars(r"(?>ab)|c*d") == "[acd]"
    assert first_chars(r"\w|\s") == r"[\w\s]"
    for nothing in (r"", r"a*", r"(?:a|)", r".b", r"(?P<x>a)?(?P=x)b", r"[^x]"):
        assert first_chars(nothing) is None, nothing
    assert guarded(r"(?i)abc").pattern == "(?i)abc"          # global flags must stay first: no guard


chars = st.one_of(st.sampled_from(sorted(load_t2s()) + sorted(G.char_map) + list("０１２３４５６７８９％，。⼯⾦\uf900①")),
                  st.characters(max_codepoint=0x10FFFF, blacklist_categories=("Cs",)))


@settings(max_examples=300, deadline=None)
@given(text=st.lists(chars, max_size=60).map("".join))
def test_fold_table_is_fold_char_for_every_character(text):
    assert text.translate(_fold_table(G)) == "".join(fold_char(c, G) for c in text)


def _strip_plain(subject, g):
    s = subject.strip("“”\"'《》（）() ")
    changed = True
    while changed and s:
        changed = False
        for w in g.subject_strip_before:
            if s.startswith(w):
                s, changed = s[len(w):].lstrip("“”\"' "), True
        for w in sorted(g.subject_strip_after + g.approx_before + list(g.qualifier_verbs), key=len, reverse=True):
            if s.endswith(w):
                s, changed = s[: -len(w)].rstrip("“”\"' "), True
    return s.strip("“”\"'《》 ")


subjects = st.lists(st.sampled_from(G.subject_strip_before + G.subject_strip_after + G.approx_before + list(G.qualifier_verbs)
                                    + G.task_verbs
                                    + ["企业", "项目", "“", "”", " ", "《", "工业"]), max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(subject=subjects)
def test_subject_strip_and_lead_verb_are_the_word_loops(subject):
    assert other._strip(subject, G) == _strip_plain(subject, G)
    assert other._lead_verb(subject, G) == next((v for v in G.task_verbs if subject.startswith(v)), None)


number_texts = st.lists(st.one_of(st.sampled_from(WORDS), st.characters(max_codepoint=0x10FFFF, blacklist_categories=("Cs",))),
                        max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=number_texts, a=st.integers(0, 60), b=st.integers(0, 60))
def test_a_text_without_number_characters_has_no_quantity_match(text, a, b):
    """find_quantities answers [] at once when _number_chars finds nothing: neither pattern can match then."""
    from planwatch.parse.numbers import _DIGIT, _cn_chars, _number_chars
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    if _number_chars(G).search(text, start, end) is None:
        assert not list(_patterns(G)[0].finditer(text, start, end))
        assert not list(_cn_pattern(G).finditer(text, start, end))
    if _DIGIT.search(text, start, end) is None:
        assert not list(_patterns(G)[0].finditer(text, start, end))
    if _cn_chars(G).search(text, start, end) is None:
        assert not list(_cn_pattern(G).finditer(text, start, end))


residue_texts = st.lists(st.one_of(st.sampled_from(["扫码", "标题", "打印本页", "【打印】", "关闭窗口", "分享到", "：", "来源", "x"]),
                                   chars), max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(line=residue_texts)
def test_a_line_not_starting_like_residue_is_no_residue(line):
    from planwatch.parse.text import _residue_start
    if _residue_start(G).match(line) is None:
        assert not any(p.match(line) for p in G.residue_lines)


def test_exclusion_tuples_are_the_word_lists():
    from planwatch.catalogue import default_catalogue
    cat = default_catalogue()
    ex = statements._exclusions(cat, G)
    for code, ind in cat.indicators.items():
        assert ex[code] == (tuple(G.measure_modifiers + list(ind.exclude_before)), tuple(G.ratio_words + list(ind.exclude_after)))
    assert list(statements._growth_verbs_longest_first(G)) == sorted(G.growth_up + G.growth_down, key=len, reverse=True)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.one_of(chars, st.sampled_from(["\n", "\n\n", "　", " ", "\t"])), max_size=80).map("".join))
def test_one_fold_of_the_text_is_the_fold_of_each_line(text):
    """normalise slices one fold of the whole text per line (and extract shares it with detect_facts)."""
    from planwatch.parse.text import _folds_lines_apart, fold, normalise
    assert _folds_lines_apart(G)
    assert fold(text, G).split("\n") == [line.translate(_fold_table(G)) for line in text.split("\n")]
    assert normalise(text, G, fold(text, G)) == normalise(text, G)


page_lines = st.lists(st.one_of(st.sampled_from(["—", "－", "-", "–", " ", "第", "页", "共", "/", "，", "3", "12", "x", "正文"]), chars),
                      max_size=10).map("".join)


@settings(max_examples=300, deadline=None)
@given(line=page_lines)
def test_a_line_not_starting_like_a_page_number_is_none(line):
    from planwatch.parse.text import _page_number_patterns
    pats, start = _page_number_patterns(G)
    assert start is not None
    if start.match(line) is None:
        assert not any(p.fullmatch(line) for p in pats)


def _interpreted(cls):
    """A dataclass with cls's fields and defaults that planwatch.native never compiles: what
    fast_constructor builds a constructor for (a compiled class is its own)."""
    import dataclasses
    specs = [(f.name, f.type) if f.default is dataclasses.MISSING else (f.name, f.type, dataclasses.field(default=f.default))
             for f in dataclasses.fields(cls)]
    made = dataclasses.make_dataclass(f"Interpreted{cls.__name__}", specs, frozen=True)
    made.__module__ = __name__        # (pickle finds it here)
    return made


InterpretedRecord, InterpretedQuantity = _interpreted(Record), _interpreted(Quantity)

field_values = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), st.floats(allow_nan=False), st.text(max_size=5))


@settings(max_examples=200, deadline=None)
@given(values=st.lists(field_values, min_size=21, max_size=21))
def test_fast_constructor_makes_what_the_dataclass_makes(values):
    """Records and quantities made by records.fast_constructor equal, hash, print and pickle as the
    dataclass's own; a missing or unknown field is refused."""
    import pickle
    from dataclasses import fields

    from planwatch import native
    from planwatch.records import fast_constructor
    if native.compiled():      # a compiled class (no instance dict, typed fields) is made by its own constructor
        assert fast_constructor(Quantity) is Quantity and fast_constructor(Record) is Record
    record, quantity = (InterpretedRecord, InterpretedQuantity) if native.compiled() else (Record, Quantity)
    for cls, n in ((record, 21), (record, 18), (quantity, 10)):
        kw = dict(zip([f.name for f in fields(cls)][:n], values))
        a, b = fast_constructor(cls)(**kw), cls(**kw)
        assert a == b and repr(a) == repr(b) and hash(a) == hash(b) and pickle.dumps(a) == pickle.dumps(b)
        assert list(vars(a)) == list(vars(b))
    with pytest.raises(TypeError):
        fast_constructor(quantity)(value=1)
    with pytest.raises(TypeError):
        fast_constructor(quantity)(**dict(zip([f.name for f in fields(quantity)], values)), colour=1)


def test_two_cjk_and_respectively_are_the_plain_tests():
    for s in ["", "a", "新", "新a", "a新b增", "新增", "“新”", "12个"]:
        assert (other._TWO_CJK.search(s) is not None) == (len(re.findall(r"[\u4e00-\u9fff]", s)) >= 2)
    for clause in ["", "分别", "城镇、农村分别增长5%", "x分别y分别"]:
        m = other._respectively(G).search(clause)
        assert (m.start() if m else -1) == min((j for w in G.respectively_words if (j := clause.find(w)) >= 0), default=-1)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 300), runs=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), max_size=6),
       cap=st.integers(1, 300))
def test_offsets_sliced_from_the_counting_array_are_the_ranges(n, runs, cap):
    """normalise appends raw offsets sliced from a shared counting array; past its cap, from a range."""
    from array import array

    from planwatch.parse import text as text_module
    saved = text_module._COUNTING, text_module.COUNTING_MAX
    try:
        text_module._COUNTING, text_module.COUNTING_MAX = array("q"), cap
        idx = array("q")
        add = text_module._offsets_into(idx, n)
        expected = []
        for a, b in runs:
            add(a, b)
            expected += range(a, b)
        assert list(idx) == expected
    finally:
        text_module._COUNTING, text_module.COUNTING_MAX = saved


@settings(max_examples=300, deadline=None)
@given(line=st.lists(st.sampled_from([" ", "  ", "\t", "\u3000", "a", "指标", "1345", "\r", ".", "8.", "٣"]), max_size=10).map("".join))
def test_gap_prefilters_are_the_searches(line):
    from planwatch.parse import tables, text
    assert text._spaced_row(line) == (text._SPACED_ROW.search(line) is not None)
    body = line.strip()
    assert (text._NUMBER_END.search(body, max(0, len(body) - 2)) is not None) == (text._NUMBER_END.search(body) is not None)
    if tables._SPACED_GAP.search(line.strip()):
        assert "  " in line or "\t" in line or "\u3000" in line


@settings(max_examples=300, deadline=None)
@given(line=st.lists(st.one_of(st.sampled_from(["一", "十二", "、", "（", "）", "三", "附件", "附表", "是", "2025年", "目标"]), chars),
                     max_size=8).map("".join))
def test_a_line_not_starting_like_a_heading_is_none(line):
    from planwatch.parse.sections import _heading_start
    if _heading_start(G).match(line) is None:
        assert not any(p.match(line) for p in (G.heading_annex, G.heading_h1, G.heading_h2))


def test_no_share_of_without_a_name_before_it():
    from planwatch.catalogue import default_catalogue
    text = "占全市比重达到30%，占地区生产总值比重5%"
    assert statements._share_mentions(text, 0, len(text), [], default_catalogue(), G) == []


def _find_by_character(gz, text):
    """Gazetteer.find as a loop over every character, trying every name longest first."""
    names = sorted(gz.by_name, key=len, reverse=True)
    out, i = [], 0
    while i < len(text):
        for name in names:
            if text.startswith(name, i):
                out.append((i, name))
                i += len(name) - 1
                break
        i += 1
    return out


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(["和平", "和平区", "和平区东", "沈阳市", "沈", "阳", "市", "区", "x", "县", "东街"]),
                     max_size=12).map("".join))
def test_gazetteer_find_where_names_end_is_the_character_loop(text):
    from pathlib import Path

    from planwatch.gazetteer import Gazetteer, Place
    names = ["和平区", "和平区东街", "沈阳市", "沈阳", "阳", "县", "和平", "平区东街", "区东"]
    gz = Gazetteer([Place(f"{i:06d}", n, "district", None, None, "x", "current", None) for i, n in enumerate(names)],
                   Path("x"))
    assert gz.find(text) == _find_by_character(gz, text)
    assert Gazetteer([], Path("x")).find(text) == []


def _gazetteer_pieces():
    from planwatch.gazetteer import default_gazetteer
    names = sorted(default_gazetteer().by_name)
    return names[::7] + [n[:-1] for n in names[::11]] + [n[1:] for n in names[::13]] + ["自治县", "市", "区", "。", "x"]


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(_gazetteer_pieces()), max_size=20).map("".join))
def test_gazetteer_find_is_the_character_loop_on_the_shipped_gazetteer(text):
    from planwatch.gazetteer import default_gazetteer
    gz = default_gazetteer()
    assert gz.find(text) == _find_by_character(gz, text)


@settings(max_examples=300, deadline=None)
@given(text=texts, a=st.integers(0, 200), b=st.integers(0, 200))
def test_quantities_with_a_unit_are_the_quantities_filtered_on_their_unit(text, a, b):
    """other_items asks find_quantities for figures with a unit only (no mask scan for the others)."""
    from planwatch.parse.numbers import find_quantities
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    assert find_quantities(text, start, end, G, with_unit=True) == [q for q in find_quantities(text, start, end, G) if q.unit]


def _catalogue():
    from planwatch.catalogue import default_catalogue
    return default_catalogue()


NAME_WORDS = (sorted(_catalogue().names())[::7] + sorted(G.level_verbs + G.growth_up + G.name_follow_words)[::3]
              + [G.bare_name_follow[:1], "5", "。", "！", "？", "\n", "，", "城镇", "、", "x", "占", "比重"])


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(NAME_WORDS), max_size=30).map("".join))
def test_sentences_without_a_whole_text_name_start_have_no_mention(text):
    """extract_prose scans the name matcher once over the text and skips find_mentions in a
    sentence without a match start: find_mentions finds nothing there."""
    from planwatch.parse.text import sentences
    cat = _catalogue()
    starts = statements._name_starts(text, cat, G)
    assert starts is not None
    for s0, s1 in sentences(text):
        if not statements._any_in(starts, s0, s1):
            assert statements.find_mentions(text, s0, s1, cat, G) == []
            assert not list(statements._matcher(cat, G).finditer(text, s0, s1))


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(G.target_list_cues + ["：", ":", "，", "是", "x", "2025年"]), max_size=12).map("".join))
def test_a_list_cue_ends_in_the_colon_it_is_prefiltered_on(text):
    for m in statements._list_cue(G).finditer(text):
        assert m.group().endswith(statements._CUE_COLON)
    # so a sentence without the colon hands on the list it is in (extract_prose makes no scan of it)
    from planwatch.parse.sections import Section
    carry = statements.ListCarry(0, 2025, None)
    if statements._CUE_COLON not in text:
        for before in (None, carry):
            assert statements.SentenceScan(text, 0, len(text), G, before).next_carry(Section(0, 9, "", None, None)) is before


@settings(max_examples=400, deadline=None)
@given(text=number_texts)
def test_a_clause_without_a_digit_in_a_sentence_without_a_numeral_match_has_no_item(text):
    """_other_statements skips a clause without a digit when the numeral pattern finds nothing in the
    sentence: a numeral match in a clause is found in the whole sentence too (and extract_prose
    skips a sentence with neither a digit nor a numeral match: none of its clauses has an item)."""
    from planwatch.parse.numbers import _DIGIT
    if _cn_pattern(G).search(text) is None:
        for cm in statements._CLAUSE.finditer(text):
            c0, c1 = cm.span()
            assert _cn_pattern(G).search(text, c0, c1) is None
            if _DIGIT.search(text, c0, c1) is None:
                assert other.other_items(text, c0, c1, G) == []


@settings(max_examples=400, deadline=None)
@given(text=number_texts, a=st.integers(0, 60), b=st.integers(0, 60))
def test_no_numeral_scan_where_the_caller_found_no_numeral(text, a, b):
    from planwatch.parse.numbers import find_quantities
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    if _cn_pattern(G).search(text) is None:
        for unit in (False, True):
            assert find_quantities(text, start, end, G, with_unit=unit, numerals=False) == \
                find_quantities(text, start, end, G, with_unit=unit)


@settings(max_examples=400, deadline=None)
@given(text=number_texts, a=st.integers(0, 60), b=st.integers(0, 60))
def test_number_clauses_are_the_clauses_holding_a_number_character(text, a, b):
    """_other_statements walks the clauses holding a number character with one anchored match each
    (_number_clause), not a search of every clause."""
    from planwatch.parse.numbers import _DIGIT, _number_chars
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    for numerals in (False, True):
        chars = _number_chars(G) if numerals else _DIGIT
        want = [cm.span() for cm in statements._CLAUSE.finditer(text, start, end) if chars.search(text, *cm.span())]
        got, pos = [], start
        while cm := statements._number_clause(G, numerals).match(text, pos, end):
            got.append(cm.span(1))
            pos = cm.end(1)
        assert got == want


word_texts = st.lists(st.sampled_from(G.multi_year_avg_words + G.cumulative_words + G.stretch_words + G.level_verbs
                                      + G.respectively_words + G.scope_words + ["增长", "亿元", "5%", "，", "x", "年"]),
                      max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=word_texts, a=st.integers(0, 40), b=st.integers(0, 40))
def test_word_searches_are_the_any_word_in_text_loops(text, a, b):
    """statements._words: one alternation searched in place for any(w in text[a:b] for w in words)."""
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    words = statements._words(G)
    for name, wordlist in (("multi_year_avg", G.multi_year_avg_words), ("cumulative", G.cumulative_words),
                           ("stretch", G.stretch_words), ("level_verbs", G.level_verbs),
                           ("respectively", G.respectively_words)):
        assert (getattr(words, name)(text, start, end) is not None) == any(w in text[start:end] for w in wordlist), name
        found = [i for w in wordlist if (i := text.find(w, start, end)) >= 0]    # the earliest occurrence of any
        assert (m.start() if (m := getattr(words, name)(text, start, end)) else -1) == (min(found) if found else -1)
    assert other._scope_word(G).match(text[start:]) is None or \
        other._scope_word(G).match(text[start:]).group() == next(w for w in G.scope_words if text[start:].startswith(w))
    assert (other._scope_word(G).match(text[start:]) is None) == (not any(text[start:].startswith(w) for w in G.scope_words))


@settings(max_examples=400, deadline=None)
@given(text=texts, a=st.integers(0, 200), b=st.integers(0, 200))
def test_a_text_without_a_character_every_mask_holds_has_no_mask(text, a, b):
    """find_quantities scans for masks only where one of numbers.required_chars is."""
    from planwatch.parse.numbers import _masks_source, required_chars
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    chars = required_chars(_masks_source(G))
    assert chars is not None
    if chars.search(text, start, end) is None:
        assert list(_patterns(G)[1].finditer(text, start, end)) == []


def test_required_chars_are_in_every_match_of_each_mask():
    from planwatch.parse.numbers import required_chars
    examples = ["2025年3月21日", "2025年", "3月21日", "〔2024〕5号", "1+6", "5+N", "2×350", "G341", "5G", "4A级",
                "2016—2020年", "第15", "前30位", "500强", "“3510”", "跨越1.5万亿元、1.6万亿元两个台阶"]
    for p in G.not_numbers:
        chars = required_chars(p)
        assert chars is not None, p
        for m in (m for t in examples for m in re.finditer(p, t)):
            assert chars.search(m.group()), (p, m.group())
    assert required_chars(r"\d+|x") is None and required_chars(r"a?b*") is None and required_chars(r"[^a]") is None


@settings(max_examples=500, deadline=None)
@given(text=texts, a=st.integers(0, 200), b=st.integers(0, 200))
def test_a_growth_verb_match_ends_on_one_of_its_end_characters(text, a, b):
    """_is_growth searches only when the character before the figure is one _growth_verb_ends allows."""
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    if statements._growth_verb(G).search(text, start, end):
        assert text[end - 1] in statements._growth_verb_ends(G)


def _sentences_plain(text):
    spans, start = [], 0
    for m in re.finditer(r"[。！？]|\n", text):
        end = m.end() if m.group() != "\n" else m.start()
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


@settings(max_examples=500, deadline=None)
@given(text=st.lists(st.sampled_from(["。", "！", "？", "\n", " ", "\t", "\u3000", "\r", "x", "增长", "5%", "，"]),
                     max_size=30).map("".join))
def test_sentences_by_one_pattern_are_the_split_loop(text):
    from planwatch.parse.text import sentences
    assert sentences(text) == _sentences_plain(text)


@settings(max_examples=600, deadline=None)
@given(text=st.lists(st.sampled_from(["昆明市", "呈贡区", "第二届人民代表大会", "第十四届", "人民代表大会", "第", "届", "二",
                                      "在", "代表", "新疆维吾尔自治区", "自治区", "旗", "市", "工作", "会议", "x", "。", "\n",
                                      "2026", "2026年", "人民政府", "国民经济", "政府工作", "统计公报", "经济社会", "第二届"]),
                     max_size=16).map("".join))
def test_region_name_scans_from_its_tail_are_the_whole_scans(text):
    """_region_name begins the title and congress patterns' scans a name's width before their tails."""
    from planwatch.parse import document
    assert G.region_name_width == 9
    for pattern, tail in ((G.region_congress, G.region_congress_tail), (G.region_in_title, G.region_in_title_tail)):
        assert document._region_name(pattern, tail, text, text, G) == document._first_name(pattern, text, text, G)
        first = tail.search(text)
        start = max(0, first.start() - G.region_name_width) if first else len(text)
        assert [m.span(1) for m in pattern.finditer(text)] == [m.span(1) for m in pattern.finditer(text, start)]


def test_title_from_the_first_forty_lines_only():
    from planwatch.parse.document import _title_span
    head = "\n".join(["x"] * 39)
    for text in (head + "\n某市2026年国民经济和社会发展计划", head + "\n\n某市2026年国民经济和社会发展计划", "\n" * 45):
        assert _title_span(text + "\n" + "正文。\n" * 50, G) == _title_span(text, G)


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(["1，234", "，", "5", "123", "1234", " ", "  ", "\t", "\r", "\n", "\n\n", "x", "增长",
                                      "。", "●", "◆ 地区生产总值：", "— 3 —", "亿元", "12，3456", "\u3000", "２", "，１２３"]),
                     max_size=30).map("".join))
def test_drops_found_in_the_whole_text_are_those_found_per_line(text):
    """normalise finds the characters to drop in one scan of the folded text, not one per line."""
    import planwatch.parse.text as T
    fast = T.normalise(text, G)
    saved = T._folds_lines_apart
    T._folds_lines_apart = lambda g: False      # the per-line path (a grammar whose fold moves line breaks)
    try:
        plain = T.normalise(text, G)
    finally:
        T._folds_lines_apart = saved
    assert (fast.text, list(fast.raw_index)) == (plain.text, list(plain.raw_index))


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(["\n", "\n\n", "x", "名称", "亿元", "1345", " ", "  ", "\u3000", "\t", "一、", "。", "\r"]),
                     max_size=20).map("".join))
def test_a_text_without_a_tab_line_or_a_gap_has_no_table_row(text):
    """table_rows and spaced_rows return [] without their line loop when no line could be a row: the
    loop, made to run by a row line after the text, reads nothing in the text's own lines."""
    from planwatch.parse.tables import Cell, spaced_rows, table_rows
    end = len(text) + 1
    if not text.startswith("\t") and "\n\t" not in text:
        assert table_rows(text) == []
        assert table_rows(text + "\n\t1") == [[Cell("1", end + 1, end + 2)]]
    if "  " not in text and "\t" not in text and "\u3000" not in text:
        assert spaced_rows(text) == []
        assert spaced_rows(text + "\na  b  c") == [[Cell("a", end, end + 1), Cell("b", end + 3, end + 4), Cell("c", end + 6, end + 7)]]


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(["一、", "。", "2025年", "计划执行情况", "x" * 30, "\n", "，"]), max_size=8).map("".join))
def test_short_heading_by_str_split_is_the_pattern_split(text):
    from planwatch.parse.sections import _short
    assert _short(text) == re.split(r"[。]", text, maxsplit=1)[0][:40]


def test_extract_pauses_the_collector_and_leaves_no_cycles_behind():
    """extract() runs with the cyclic collector paused: it must make no garbage only the collector
    could free (else memory would grow until it is resumed), and resume it whether it returns or
    raises; a collector that was off stays off."""
    import gc
    from pathlib import Path

    from planwatch.errors import PlanwatchError
    from planwatch.parse.extract import extract
    from planwatch.parse.reading import decode
    root = Path(__file__).resolve().parents[1]
    texts = [decode(p.read_bytes(), p.name)[0] for d in ("data/raw", "tests/corpus/dev") for p in sorted((root / d).glob("*.txt"))]
    assert len(texts) >= 30
    was = gc.isenabled()
    try:
        gc.enable()
        gc.collect()
        gc.disable()
        for t in texts:
            extract(t)
        assert gc.collect() == 0          # nothing unreachable that reference counting left behind
        assert not gc.isenabled()         # off before: still off
        gc.enable()
        extract(texts[0])
        assert gc.isenabled()
        with pytest.raises(PlanwatchError):
            extract("无年份的文字。")          # no year: refused
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
