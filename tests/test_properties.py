"""Property tests (hypothesis) of the number grammar and of spans."""
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from planwatch.parse.extract import extract
from planwatch.parse.grammar import default_grammar
from planwatch.parse.numbers import find_quantities
from planwatch.parse.text import normalise
from tests.conftest import wrap

G = default_grammar()
UNITS = [u for u in G.unit_names if u not in ("个百分点",)]
numbers = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2, allow_nan=False, allow_infinity=False)
FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


@settings(max_examples=300, deadline=None)
@given(number=numbers, unit=st.sampled_from(UNITS), approx=st.sampled_from(["", "超", "近", "约", "突破"]),
       qual=st.sampled_from(["", "以上", "左右", "以内"]), full=st.booleans())
def test_rendered_quantity_parses_back(number, unit, approx, qual, full):
    num = format(number.normalize(), "f")
    phrase = f"完成{approx}{num}{unit}{qual}"
    if full:
        phrase = phrase.translate(FULLWIDTH)
    (q,) = find_quantities(normalise(phrase).text)
    assert q.value == Decimal(num) and q.unit == unit
    assert (q.approx or "") == approx and (q.qualifier or "") == qual


NAMES = ["地区生产总值", "一般公共预算收入", "固定资产投资", "社会消费品零售总额", "本外币存款余额", "网络零售额"]


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(NAMES), level=numbers, growth=st.decimals(min_value=Decimal("-20"), max_value=Decimal("30"), places=1),
       wrap_at=st.integers(min_value=0, max_value=6), full=st.booleans(), spaces=st.booleans())
def test_spans_slice_raw_text_to_the_phrase(name, level, growth, wrap_at, full, spaces):
    lv = format(level.normalize(), "f")
    verb = "增长" if growth >= 0 else "下降"
    g = format(abs(growth).normalize(), "f")
    phrase = f"{name}完成{lv}亿元，同比{verb}{g}%"
    raw_phrase = phrase.translate(FULLWIDTH) if full else phrase
    if spaces:
        raw_phrase = raw_phrase.replace("完成", "完成 ")
    prefix = "全年全区上下团结奋斗，经济运行保持平稳，" + "发展质量稳步提升" * wrap_at
    raw = wrap(prefix + raw_phrase + "。", "results")
    _facts, records = extract(raw)
    (r,) = [r for r in records if not r.indicator.startswith("other:")]
    assert normalise(raw[r.char_start:r.char_end]).text == phrase
    assert r.value == float(lv) and r.growth_pct == float(growth if growth >= 0 else -abs(growth))
