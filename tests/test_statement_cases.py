"""Table-driven statement cases by failure class (issue 13): {text, expected rows}.

Each expected row is (indicator, kind, period_year, value, unit, growth_pct, qualifier, period_scope).
Phrases are in the form of the corpus's dev documents (tests/corpus/dev), never its held-out ones.
Groups per class: `dev` cases that must hold, `xfail(strict=True)` known gaps. A number in the
wrong row is worse than a missing row, so several cases expect fewer rows, or none.
"""
import pytest

from planwatch.parse.extract import extract
from tests.conftest import wrap

A, T = "actual", "target"
ANNUAL, PARTIAL, AVG, CUM = "annual", "partial_year", "multi_year_avg", "cumulative"

COORDINATION = [
    ("全年接待海内外游客8.07亿人次、实现旅游总收入1.1万亿元，分别增长17.1%和22.7%。", "results",
     [("tourist_visits", A, 2025, 8.07, "亿人次", 17.1, None, ANNUAL), ("tourism_revenue", A, 2025, 1.1, "万亿元", 22.7, None, ANNUAL)]),
    ("城乡居民人均可支配收入分别达到62880元和37590元，分别增长4.8%和6.9%。", "results",
     [("urban_disposable_income_per_capita", A, 2025, 62880.0, "元", 4.8, None, ANNUAL),
      ("rural_disposable_income_per_capita", A, 2025, 37590.0, "元", 6.9, None, ANNUAL)]),
    ("全年接待游客2412万人次、实现旅游总收入331.5亿元，分别下降11.8%和8.4%，降幅均好于全省平均水平。", "results",
     [("tourist_visits", A, 2025, 2412.0, "万人次", -11.8, None, ANNUAL),
      ("tourism_revenue", A, 2025, 331.5, "亿元", -8.4, None, ANNUAL)]),
    ("年末金融機構本外幣存款、貸款餘額分別為4.58萬億元和4.64萬億元，分別增長6.8%和12.3%。", "results",
     [("deposits", A, 2025, 4.58, "万亿元", 6.8, None, ANNUAL), ("loans", A, 2025, 4.64, "万亿元", 12.3, None, ANNUAL)]),
    ("年末金融机构本外币存、贷款余额分别增长7.6%、8.2%，金融支持实体经济的力度进一步加大。", "results",
     [("deposits", A, 2025, None, None, 7.6, None, ANNUAL), ("loans", A, 2025, None, None, 8.2, None, ANNUAL)]),
    ("城镇居民人均可支配收入24800元、农村居民人均可支配收入7780元，分别增长9.0%、11.2%。", "results",
     [("urban_disposable_income_per_capita", A, 2025, 24800.0, "元", 9.0, None, ANNUAL),
      ("rural_disposable_income_per_capita", A, 2025, 7780.0, "元", 11.2, None, ANNUAL)]),
    ("旅游产业蓬勃发展，接待游客5520万人次，实现旅游总收入460.3亿元，分别增长25.6%、31.2%。", "results",
     [("tourist_visits", A, 2025, 5520.0, "万人次", 25.6, None, ANNUAL),
      ("tourism_revenue", A, 2025, 460.3, "亿元", 31.2, None, ANNUAL)]),
    # an uncatalogued subject in the list takes its own growth, not the catalogued one's
    ("财政总收入280.1亿元，地方一般公共预算收入145.2亿元，分别增长9.8%和11.6%。", "results",
     [("budget_revenue", A, 2025, 145.2, "亿元", 11.6, None, ANNUAL)]),
    ("城镇居民和农村居民人均可支配收入分别增长7.5%、8.5%。", "targets",
     [("urban_disposable_income_per_capita", T, 2026, None, None, 7.5, None, ANNUAL),
      ("rural_disposable_income_per_capita", T, 2026, None, None, 8.5, None, ANNUAL)]),
    ("城镇、农村居民人均可支配收入分别增长6%、7.5%。", "targets",
     [("urban_disposable_income_per_capita", T, 2026, None, None, 6.0, None, ANNUAL),
      ("rural_disposable_income_per_capita", T, 2026, None, None, 7.5, None, ANNUAL)]),
    # the second item shares the first name's head: 单位地区生产总值 + 二氧化碳排放降低
    ("单位地区生产总值能耗和二氧化碳排放降低完成国家下达目标。", "targets",
     [("energy_intensity", T, 2026, None, None, None, "完成国家下达目标", ANNUAL),
      ("co2_intensity_reduction", T, 2026, None, None, None, "完成国家下达目标", ANNUAL)]),
    # growths that do not pair one to one with the levels listed before them: no growth is sure
    ("接待游客2412万人次，旅游总收入331.5亿元，增长5%，分别增长11.8%和8.4%。", "results",
     [("tourist_visits", A, 2025, 2412.0, "万人次", None, None, ANNUAL),
      ("tourism_revenue", A, 2025, 331.5, "亿元", None, None, ANNUAL)]),
]

SCOPE = [
    # a period mark then growth words in the next clause: the same subject, another period (上半年下降19.1%
    # was an uncatalogued row 'other:上半年' of an annual growth)
    ("一季度全市地区生产总值同比负增长39.8%，上半年下降19.1%，前三季度下降10.2%。", "results",
     [("gdp", A, 2025, None, None, -39.8, None, PARTIAL), ("gdp", A, 2025, None, None, -19.1, None, PARTIAL),
      ("gdp", A, 2025, None, None, -10.2, None, PARTIAL)]),
    ("地区生产总值前三季度增长5.2%，全年增长5.5%。", "results",
     [("gdp", A, 2025, None, None, 5.2, None, PARTIAL), ("gdp", A, 2025, None, None, 5.5, None, ANNUAL)]),
    # a year, then a level verb: the same subject's level of that year
    ("五年来，全市地区生产总值年均增长4.3%，2020年达到5183.2亿元。", "results",
     [("gdp", A, 2025, None, None, 4.3, None, AVG), ("gdp", A, 2020, 5183.2, "亿元", None, None, ANNUAL)]),
    # another subject after the period mark is not the same statement
    ("地区生产总值增长5%，上半年工业投资增长20%。", "results", [("gdp", A, 2025, None, None, 5.0, None, ANNUAL)]),
    # a scope word inside the indicator's name is the name's (年均浓度: the annual mean), not the period's
    ("细颗粒物（PM2.5）年均浓度37微克/立方米，比上年下降18.2%。", "results",
     [("pm25_concentration", A, 2025, 37.0, "微克/立方米", -18.2, None, ANNUAL)]),
    ("五年来全县地区生产总值年均增长7.2%，一般公共预算收入年均增长13.5%，五年累计完成固定资产投资1820亿元。", "results",
     [("gdp", A, 2025, None, None, 7.2, None, AVG), ("budget_revenue", A, 2025, None, None, 13.5, None, AVG),
      ("fixed_asset_investment", A, 2025, 1820.0, "亿元", None, None, CUM)]),
    # both stated: the partial-year figure and the year's estimate, each its own row (issue 13: prefer 预计全年)
    ("前三季度，全市地区生产总值增长5.2%，预计全年增长5.5%。", "results",
     [("gdp", A, 2025, None, None, 5.2, None, PARTIAL), ("gdp", A, 2025, None, None, 5.5, None, ANNUAL)]),
    ("1—11月，固定资产投资增长8%，预计全年增长8.5%。", "results",
     [("fixed_asset_investment", A, 2025, None, None, 8.0, None, PARTIAL),
      ("fixed_asset_investment", A, 2025, None, None, 8.5, None, ANNUAL)]),
    # more partial-year marks: to the end of a month, one quarter, the second half
    ("截至11月底，金融机构本外币贷款余额增长8%。", "results", [("loans", A, 2025, None, None, 8.0, None, PARTIAL)]),
    ("二季度地区生产总值增长4.7%。", "results", [("gdp", A, 2025, None, None, 4.7, None, PARTIAL)]),
    ("下半年，社会消费品零售总额增长8%。", "results", [("retail_sales", A, 2025, None, None, 8.0, None, PARTIAL)]),
    ("前11个月，全市外贸进出口总额增长3%。", "results", [("trade_total", A, 2025, None, None, 3.0, None, PARTIAL)]),
    # 2021年以来: the year starts the period, it is not the figure's year
    ("2021年以来，全市地区生产总值年均增长6%。", "results", [("gdp", A, 2025, None, None, 6.0, None, AVG)]),
    ("2021年以来，全市累计完成固定资产投资5000亿元。", "results",
     [("fixed_asset_investment", A, 2025, 5000.0, "亿元", None, None, CUM)]),
    ("1—11月，规模以上工业增加值增长6.1%，全年固定资产投资增长3%。", "results",
     [("industrial_value_added_above_scale", A, 2025, None, None, 6.1, None, PARTIAL),
      ("fixed_asset_investment", A, 2025, None, None, 3.0, None, ANNUAL)]),
    ("上半年，社会消费品零售总额增长4.2%。", "results", [("retail_sales", A, 2025, None, None, 4.2, None, PARTIAL)]),
    # a plan period not over when the document is written holds targets, dated its last year
    ("“十四五”时期主要目标是：地区生产总值年均增长7%左右，到2025年突破700亿元。", "targets",
     [("gdp", T, 2025, None, None, 7.0, "左右", AVG)]),
    ("“十三五”期间，城镇和农村常住居民人均可支配收入年均分别增长6.1%和7.4%。", "results",
     [("urban_disposable_income_per_capita", A, 2020, None, None, 6.1, None, AVG),
      ("rural_disposable_income_per_capita", A, 2020, None, None, 7.4, None, AVG)]),
    # one name, two scopes: the level is the year's, the growth the period's average
    ("到2026年，地区生产总值突破1800亿元，年均增长7%以上。", "targets",
     [("gdp", T, 2026, 1800.0, "亿元", None, "以上", ANNUAL), ("gdp", T, 2026, None, None, 7.0, "以上", AVG)]),
    # 全年累计 is the year's own total
    ("全年累计接待游客1050万人次。", "results", [("tourist_visits", A, 2025, 1050.0, "万人次", None, None, ANNUAL)]),
    # 比上半年 / 较上年 are bases of comparison, not the figure's period
    ("社会消费品零售总额下降1.9%，降幅比上半年收窄6.7个百分点；外贸出口184.2亿元，增长10.3%。", "results",
     [("retail_sales", A, 2025, None, None, -1.9, None, ANNUAL), ("exports", A, 2025, 184.2, "亿元", 10.3, None, ANNUAL)]),
    ("“十四五”前四年，全市地区生产总值年均增长6.0%。", "results", [("gdp", A, 2024, None, None, 6.0, None, AVG)]),
    ("共同富裕走在前列。居民人均可支配收入年均增长与经济增长同步。", "targets",
     [("disposable_income_per_capita", T, 2026, None, None, None, "与经济增长同步", AVG)]),
]

KIND_YEAR = [
    # a colon after a target cue opens a list of targets, in the sentence and in the lines after it,
    # whatever the section (a work report's review section, a news article)
    ("今年全县经济社会发展的主要预期目标是：地区生产总值增长8%左右；一般公共预算收入增长8%。", "results",
     [("gdp", T, 2026, None, None, 8.0, "左右", ANNUAL), ("budget_revenue", T, 2026, None, None, 8.0, None, ANNUAL)]),
    ("建议2016年全市经济社会发展的主要预期目标为：地区生产总值增长8%左右，一般公共预算收入增长7%。", "results",
     [("gdp", T, 2016, None, None, 8.0, "左右", ANNUAL), ("budget_revenue", T, 2016, None, None, 7.0, None, ANNUAL)]),
    ("今年主要预期目标是：\n地区生产总值增长6.5%左右；\n城镇新增就业1.2万人以上，城镇调查失业率控制在5.5%以内。", "results",
     [("gdp", T, 2026, None, None, 6.5, "左右", ANNUAL), ("urban_new_jobs", T, 2026, 1.2, "万人", None, "以上", ANNUAL),
      ("urban_unemployment_rate", T, 2026, 5.5, "%", None, "以内", ANNUAL)]),
    # a plan period that has not ended when the document is written: its figures are targets for its last year
    ("“十四五”时期的主要目标是：\n——地区生产总值年均增长7%左右；森林覆盖率保持在70%以上。", "results",
     [("gdp", T, 2025, None, None, 7.0, "左右", AVG), ("forest_coverage", T, 2025, 70.0, "%", None, "以上", ANNUAL)]),
    ("到2030年全市地区生产总值突破4.5万亿元，研发经费投入强度达到3%左右。", "results",
     [("gdp", T, 2030, 4.5, "万亿元", None, "以上", ANNUAL), ("rd_intensity", T, 2030, 3.0, "%", None, "左右", ANNUAL)]),
    # a level dated before the document's year is an actual of that year, even among targets
    ("全市地区生产总值由2010年的1119.5亿元增加到2015年的1850.2亿元，年均增长10.6%。", "targets",
     [("gdp", A, 2010, 1119.5, "亿元", None, None, ANNUAL), ("gdp", A, 2015, 1850.2, "亿元", None, None, ANNUAL),
      ("gdp", T, 2026, None, None, 10.6, None, AVG)]),
    # a target restated beside its result is that year's target
    ("地区生产总值增长1.6%，低于年初确定的增长5%左右的预期目标；城镇新增就业人数10.6万人，超额完成8万人以上的预期目标。", "results",
     [("gdp", A, 2025, None, None, 1.6, None, ANNUAL), ("gdp", T, 2025, None, None, 5.0, "左右", ANNUAL),
      ("urban_new_jobs", A, 2025, 10.6, "万人", None, None, ANNUAL), ("urban_new_jobs", T, 2025, 8.0, "万人", None, "以上", ANNUAL)]),
    ("研发经费投入强度2.8%，完成达到3%以上的预期目标。", "results",
     [("rd_intensity", A, 2025, 2.8, "%", None, None, ANNUAL), ("rd_intensity", T, 2025, 3.0, "%", None, "以上", ANNUAL)]),
    # a plan-period mark in a sentence that reports the years so far (四年来) dates nothing to the period's end
    ("四年来，我们推进“十四五”规划实施：全省生产总值年均增长4.9%。", "results", [("gdp", A, 2025, None, None, 4.9, None, AVG)]),
    # the list ends at the next heading
    ("主要目标是：\n地区生产总值增长6%。\n三、2025年工作回顾\n固定资产投资增长3%。", "results",
     [("gdp", T, 2026, None, None, 6.0, None, ANNUAL), ("fixed_asset_investment", A, 2025, None, None, 3.0, None, ANNUAL)]),
]


CODE = [
    # a share named by another name of its part: 第三产业增加值 is 服务业增加值 (the catalogue's share name)
    ("第三产业增加值增长7.8%，占地区生产总值比重达到58.6%。", "results",
     [("services_value_added", A, 2025, None, None, 7.8, None, ANNUAL), ("services_share_of_gdp", A, 2025, 58.6, "%", None, None, ANNUAL)]),
    ("第三产业增加值占地区生产总值比重达到60%。", "targets", [("services_share_of_gdp", T, 2026, 60.0, "%", None, None, ANNUAL)]),
    # the whole with the scope it may carry (占全市地区生产总值的比重)
    ("第三产业增加值占全市地区生产总值的比重为61.8%，比上年提高1.0个百分点。", "results",
     [("services_share_of_gdp", A, 2025, 61.8, "%", None, None, ANNUAL)]),
    # the share of good surface water by its class (优Ⅲ类), visitors from home and abroad (境内外)
    ("地表水国考断面水质优Ⅲ类比例92.6%。", "results", [("good_water_ratio", A, 2025, 92.6, "%", None, None, ANNUAL)]),
    ("全年接待境内外游客10.9亿人次，比上年增长7.4%。", "results", [("tourist_visits", A, 2025, 10.9, "亿人次", 7.4, None, ANNUAL)]),
    # 经济总量, the economy's size, is its GDP
    ("经济总量由2020年的2887亿元跃升至接近4000亿元。", "results",
     [("gdp", A, 2020, 2887.0, "亿元", None, None, ANNUAL), ("gdp", A, 2025, 4000.0, "亿元", None, "接近", ANNUAL)]),
    # the 2011-2014 name of the general budget
    ("公共财政预算收入284.1亿元，增长5.3%。", "results", [("budget_revenue", A, 2025, 284.1, "亿元", 5.3, None, ANNUAL)]),
    ("公共财政预算支出增长6%。", "targets", [("budget_expenditure", T, 2026, None, None, 6.0, None, ANNUAL)]),
    ("全社会研发投入占地区生产总值比重达到4.1%左右。", "targets", [("rd_intensity", T, 2026, 4.1, "%", None, "左右", ANNUAL)]),
    ("全社会研发经费投入增长12%，研发经费投入强度达到2.5%。", "results",
     [("rd_spending_growth", A, 2025, 12.0, "%", None, None, ANNUAL), ("rd_intensity", A, 2025, 2.5, "%", None, None, ANNUAL)]),
    # the enterprises' R&D is a part of the region's, not its total
    ("规上工业企业研发经费投入增长15%以上。", "targets", []),
    # CPI is a growth rate: 涨幅 and 上涨 are growth words
    ("居民消费价格涨幅控制在3%左右。", "targets", [("cpi", T, 2026, None, None, 3.0, "左右", ANNUAL)]),
    ("居民消費價格上漲2.1%。", "results", [("cpi", A, 2025, None, None, 2.1, None, ANNUAL)]),
    ("城镇登记失业率3.2%，城镇调查失业率5.1%。", "results",
     [("urban_registered_unemployment_rate", A, 2025, 3.2, "%", None, None, ANNUAL),
      ("urban_unemployment_rate", A, 2025, 5.1, "%", None, None, ANNUAL)]),
    ("居民收入增长与经济增长基本同步。", "targets",
     [("disposable_income_per_capita", T, 2026, None, None, None, "与经济增长同步", ANNUAL)]),
    ("居民收入增长和经济增长基本同步，实际使用外资保持稳定。", "targets",
     [("disposable_income_per_capita", T, 2026, None, None, None, "与经济增长同步", ANNUAL),
      ("fdi_actual_use", T, 2026, None, None, None, "保持稳定", ANNUAL)]),
    # milestones passed are not the level
    ("五年间全市地区生产总值先后跨越1.5万亿元、1.6万亿元两个台阶，年均增长5.8%。", "results",
     [("gdp", A, 2025, None, None, 5.8, None, AVG)]),
    ("单位生产总值能耗下降3.6%，超额完成年度目标。", "results", [("energy_intensity", A, 2025, None, None, -3.6, None, ANNUAL)]),
    ("进出口总值8213亿元、增长1.6%。", "results", [("trade_total", A, 2025, 8213.0, "亿元", 1.6, None, ANNUAL)]),
    ("服务业增加值增长5.3%、占生产总值比重达到53.6%。", "results",
     [("services_value_added", A, 2025, None, None, 5.3, None, ANNUAL), ("services_share_of_gdp", A, 2025, 53.6, "%", None, None, ANNUAL)]),
    # parts of a total are not the total
    ("民营企业进出口增长11.4%，跨境电商进出口增长41.7%，“新三样”出口增长28.3%。", "results", []),
    ("其中，制造业贷款余额1128.37亿元，增长14.6%；海洋生产总值突破1.9万亿元。", "results", []),
    ("其中实物商品网络零售额增长18.7%。", "results", []),
]

NUMBER = [
    # growth carried past a clause that only qualifies it
    ("全年全市地区生产总值15578.31亿元，按可比价格计算，比上年下降4.9%。", "results",
     [("gdp", A, 2025, 15578.31, "亿元", -4.9, None, ANNUAL)]),
    ("年末金融机构本外币各项贷款余额19284.7亿元，比年初增长10.6%。", "results",
     [("loans", A, 2025, 19284.7, "亿元", 10.6, None, ANNUAL)]),
    ("地方一般公共预算收入完成2073.6亿元，同口径增长4.3%。", "results",
     [("budget_revenue", A, 2025, 2073.6, "亿元", 4.3, None, ANNUAL)]),
    # approximation words: an actual keeps the word, a target reads it as 以上
    ("确保全年接待游客超1亿人次。", "targets", [("tourist_visits", T, 2026, 1.0, "亿人次", None, "以上", ANNUAL)]),
    ("全年接待游客超1亿人次，旅游总收入近900亿元。", "results",
     [("tourist_visits", A, 2025, 1.0, "亿人次", None, "超", ANNUAL), ("tourism_revenue", A, 2025, 900.0, "亿元", None, "近", ANNUAL)]),
    # signs
    ("外贸进出口总额同比负增长2%。", "results", [("trade_total", A, 2025, None, None, -2.0, None, ANNUAL)]),
    ("固定资产投资下降-3.5%。", "results", [("fixed_asset_investment", A, 2025, None, None, -3.5, None, ANNUAL)]),
    ("固定资产投资增长−3.5%。", "results", [("fixed_asset_investment", A, 2025, None, None, -3.5, None, ANNUAL)]),
    ("社会消费品零售总额降幅为2.1%。", "results", [("retail_sales", A, 2025, None, None, -2.1, None, ANNUAL)]),
    # Chinese numerals
    ("城镇新增就业一万人以上。", "targets", [("urban_new_jobs", T, 2026, 1.0, "万人", None, "以上", ANNUAL)]),
    ("实际使用外资突破十亿美元。", "results", [("fdi_actual_use", A, 2025, 10.0, "亿美元", None, "突破", ANNUAL)]),
    # a qualifier verb between the growth verb and its figure; 低于 inside 不低于 ends no clause
    ("固定资产投资增长不低于8%。", "targets", [("fixed_asset_investment", T, 2026, None, None, 8.0, "以上", ANNUAL)]),
    ("城镇新增就业不低于1万人。", "targets", [("urban_new_jobs", T, 2026, 1.0, "万人", None, "以上", ANNUAL)]),
    ("地区生产总值增长5%，低于全省0.3个百分点。", "results", [("gdp", A, 2025, None, None, 5.0, None, ANNUAL)]),
    # a ceiling: 不超过 / 不高于 hold 超过 / 高于, which must not read as "over" (an approximation) or end the clause
    ("一般公共预算支出增长不超过3%。", "targets", [("budget_expenditure", T, 2026, None, None, 3.0, "以内", ANNUAL)]),
    ("地区生产总值增长不超过6%。", "targets", [("gdp", T, 2026, None, None, 6.0, "以内", ANNUAL)]),
    ("居民消费价格涨幅不超过3%。", "targets", [("cpi", T, 2026, None, None, 3.0, "以内", ANNUAL)]),
    ("城镇调查失业率不高于5.5%。", "targets", [("urban_unemployment_rate", T, 2026, 5.5, "%", None, "以内", ANNUAL)]),
    ("居民消费价格涨幅不高于3%。", "targets", [("cpi", T, 2026, None, None, 3.0, "以内", ANNUAL)]),
    ("地区生产总值增长超过6%。", "targets", [("gdp", T, 2026, None, None, 6.0, "以上", ANNUAL)]),
]

# Precision (issue 13): a number in the wrong row is worse than a missing row.
# Money in another currency than the indicator's is kept with its own unit and no value_std
# (grammar currency_families): the level and its growth stay one statement.
CURRENCY = [
    ("全年外贸出口29.6亿美元，增长8.1%。", "results", [("exports", A, 2025, 29.6, "亿美元", 8.1, None, ANNUAL)]),
    ("全年進出口總額112.4億美元，增長6.8%，其中出口71.3億美元，增長10.2%。", "results",
     [("trade_total", A, 2025, 112.4, "亿美元", 6.8, None, ANNUAL), ("exports", A, 2025, 71.3, "亿美元", 10.2, None, ANNUAL)]),
    ("全年实际使用外资19.80亿元，增长6.5%。", "results", [("fdi_actual_use", A, 2025, 19.8, "亿元", 6.5, None, ANNUAL)]),
    ("实际利用外资4.12亿美元，增长6.5%。", "results", [("fdi_actual_use", A, 2025, 4.12, "亿美元", 6.5, None, ANNUAL)]),
    ("外贸进出口总额突破150亿美元。", "targets", [("trade_total", T, 2026, 150.0, "亿美元", None, "以上", ANNUAL)]),
    # a unit of another family is still no level (天 is not money)
    ("外贸进出口总额通关时间压缩至3天，增长2%。", "results", [("trade_total", A, 2025, None, None, 2.0, None, ANNUAL)]),
]

# A rate of change (catalogue growth_only: CPI) has no level: a bare % is its rise, also when it
# restates the target (低于3%左右的预期目标) and in an annex table (上年=100 index, % column).
RATE_ONLY = [
    ("居民消费价格涨幅控制在3%左右。", "targets", [("cpi", T, 2026, None, None, 3.0, "左右", ANNUAL)]),
    ("居民消费价格指数3%左右。", "targets", [("cpi", T, 2026, None, None, 3.0, "左右", ANNUAL)]),
    ("CPI控制在3%以内。", "targets", [("cpi", T, 2026, None, None, 3.0, "以内", ANNUAL)]),
    ("居民消费价格上涨2.5%，低于3%左右的预期目标。", "results",
     [("cpi", A, 2025, None, None, 2.5, None, ANNUAL), ("cpi", T, 2025, None, None, 3.0, "左右", ANNUAL)]),
    ("居民消费价格下降0.3%。", "results", [("cpi", A, 2025, None, None, -0.3, None, ANNUAL)]),
    # the same rule for a growth that restates its target, whatever the indicator
    ("地区生产总值增长1.6%，低于年初确定的5%左右的预期目标。", "results",
     [("gdp", A, 2025, None, None, 1.6, None, ANNUAL), ("gdp", T, 2025, None, None, 5.0, "左右", ANNUAL)]),
]

# A level after a growth figure needs its own verb: 增长4.6%44.1亿元—— (a data card joined into one
# line) gives the next card's level to this name.
LEVEL_AFTER_GROWTH = [
    ("全区地区生产总值增长4.6%/44.1亿元。", "results", [("gdp", A, 2025, None, None, 4.6, None, ANNUAL)]),
    ("一般公共预算收入增长5.8%/186亿元。", "results", [("budget_revenue", A, 2025, None, None, 5.8, None, ANNUAL)]),
    ("固定资产投资同比增长7.2%（1820亿元）。", "results",
     [("fixed_asset_investment", A, 2025, None, None, 7.2, None, ANNUAL)]),
    ("社会消费品零售总额增长8%（392.6亿元）。", "targets", [("retail_sales", T, 2026, None, None, 8.0, None, ANNUAL)]),
    # data cards: each line is its own (never joined), its figure the level of the name after the mark
    ("3268.5亿元——全区地区生产总值，增长4.6%\n44.1亿元——一般公共预算收入，可比增长5.8%\n186家——新增高新技术企业",
     "results", [("gdp", A, 2025, 3268.5, "亿元", 4.6, None, ANNUAL), ("budget_revenue", A, 2025, 44.1, "亿元", 5.8, None, ANNUAL)]),
    ("地区生产总值增长4.6% 44.1亿元。", "results", []),
    # the level before the growth, or after it with its own verb, is kept
    ("地区生产总值3268.5亿元、增长4.6%。", "results", [("gdp", A, 2025, 3268.5, "亿元", 4.6, None, ANNUAL)]),
    ("一般公共预算收入增长5%、达到186亿元。", "results", [("budget_revenue", A, 2025, 186.0, "亿元", 5.0, None, ANNUAL)]),
]

# A target stated in the review is never an actual, and the words that compare the result with it
# (超过, 低于) are not its qualifier.
RESTATED_TARGETS = [
    ("地区生产总值增长5.5%，超过年初确定的5%的目标。", "results",
     [("gdp", A, 2025, None, None, 5.5, None, ANNUAL), ("gdp", T, 2025, None, None, 5.0, None, ANNUAL)]),
    ("地区生产总值增长5.5%，超过5%的预期目标。", "results",
     [("gdp", A, 2025, None, None, 5.5, None, ANNUAL), ("gdp", T, 2025, None, None, 5.0, None, ANNUAL)]),
    ("地区生产总值增长1.6%，低于年初确定的增长5%左右的预期目标。", "results",
     [("gdp", A, 2025, None, None, 1.6, None, ANNUAL), ("gdp", T, 2025, None, None, 5.0, "左右", ANNUAL)]),
    ("年初确定地区生产总值增长6%左右的目标，实际增长5.2%。", "results",
     [("gdp", T, 2025, None, None, 6.0, "左右", ANNUAL)]),
    ("实现一般公共预算收入增长6%的年度目标。", "results",
     [("budget_revenue", T, 2025, None, None, 6.0, None, ANNUAL)]),
]

_TABLE = ("博山区2026年国民经济和社会发展计划\n\n一、2025年国民经济和社会发展计划执行情况\n经济运行平稳。\n\n"
          "附表 主要指标\n指标名称                单位        2025年预计      增长%      2026年目标      增长%\n{}\n")

# An annex table row is read once, by the table reader (a row laid out with spaces is also a
# sentence to the prose reader); a modifier before a name makes it another measure, as in prose.
TABLE_ROWS = [
    ("外贸进出口总额          亿元        4718.5          2.9        —               稳中提质",
     [("trade_total", A, 2025, 4718.5, "亿元", 2.9, None, ANNUAL), ("trade_total", T, 2026, None, None, None, "稳中提质", ANNUAL)]),
    ("空气质量优良天数        天          288             —          完成市下达目标  —",
     [("good_air_days", A, 2025, 288.0, "天", None, None, ANNUAL),
      ("good_air_days", T, 2026, None, None, None, "完成市下达目标", ANNUAL)]),
    ("人均地区生产总值        元          160690          5.9        —               —", []),
    ("居民消费价格指数        上年=100    100.3           —          —               —",
     [("cpi", A, 2025, None, None, 0.3, None, ANNUAL)]),
    ("居民消费价格涨幅        %           1.9             —          3左右           —",
     [("cpi", A, 2025, None, None, 1.9, None, ANNUAL), ("cpi", T, 2026, None, None, 3.0, "左右", ANNUAL)]),
    ("第三产业增加值占比      %           51.3            —          —               —", []),
    # a % in the unit column of an indicator that is no rate is its growth, never a level of 5.5%
    ("地区生产总值增速        %           5.5             —          6左右           —",
     [("gdp", A, 2025, None, None, 5.5, None, ANNUAL), ("gdp", T, 2026, None, None, 6.0, "左右", ANNUAL)]),
    ("固定资产投资增长        %           3.0             —          5               —",
     [("fixed_asset_investment", A, 2025, None, None, 3.0, None, ANNUAL),
      ("fixed_asset_investment", T, 2026, None, None, 5.0, None, ANNUAL)]),
    # a unit of another family gives no level; another currency is kept as written
    ("地区生产总值            个          5               —          6               —", []),
    ("实际使用外资            亿元        12              3.5        13              —",
     [("fdi_actual_use", A, 2025, 12.0, "亿元", 3.5, None, ANNUAL), ("fdi_actual_use", T, 2026, 13.0, "亿元", None, None, ANNUAL)]),
    ("一般公共预算收入        万元        125000          5.2        130000          4",
     [("budget_revenue", A, 2025, 125000.0, "万元", 5.2, None, ANNUAL),
      ("budget_revenue", T, 2026, 130000.0, "万元", 4.0, None, ANNUAL)]),
]

RANGES = [
    ("地区生产总值增长6%至6.5%。", (6.0, 6.5)),
    ("地区生产总值增长6%～6.5%。", (6.0, 6.5)),
    ("地区生产总值增长6%―6.5%。", (6.0, 6.5)),
    ("地区生产总值增长6%–6.5%。", (6.0, 6.5)),
    ("地区生产总值增长6%‐6.5%。", (6.0, 6.5)),
    ("地区生产总值增长6%到6.5%。", (6.0, 6.5)),
    ("地区生产总值增长6—6.5%。", (6.0, 6.5)),
]


# A change from one level to another (由/从 a 提高/增加/跃升 到/至 b): the level is b, of the statement's
# year unless a year is written before it; a is kept only with its own year. a was read as this year's
# level (由2800亿元增加到3100亿元 gave gdp 2800 for 2025), and b was lost.
FROM_TO = [
    ("全社会研发经费投入强度由2020年的2.11%提高到2.55%。", "results",
     [("rd_intensity", A, 2020, 2.11, "%", None, None, ANNUAL), ("rd_intensity", A, 2025, 2.55, "%", None, None, ANNUAL)]),
    ("地区生产总值从2018年的9.97万亿元增加到13.62万亿元。", "results",
     [("gdp", A, 2018, 9.97, "万亿元", None, None, ANNUAL), ("gdp", A, 2025, 13.62, "万亿元", None, None, ANNUAL)]),
    ("地区生产总值由2800亿元增加到3100亿元，增长6.5%。", "results", [("gdp", A, 2025, 3100.0, "亿元", 6.5, None, ANNUAL)]),
    ("一般公共预算收入从180亿元提高至205亿元。", "results", [("budget_revenue", A, 2025, 205.0, "亿元", None, None, ANNUAL)]),
    ("城镇调查失业率由5.6%下降到5.2%。", "results", [("urban_unemployment_rate", A, 2025, 5.2, "%", None, None, ANNUAL)]),
    # a rate that changed (由/从 a 转为/提高到 b): the rate is b; -3.0 (the rate it turned from) was published
    ("固定资产投资由下降3%转为增长5%。", "results", [("fixed_asset_investment", A, 2025, None, None, 5.0, None, ANNUAL)]),
    ("一般公共预算收入由增长3%提高到增长5%。", "results", [("budget_revenue", A, 2025, None, None, 5.0, None, ANNUAL)]),
    # both dated: one level per year, as before
    ("地区生产总值由2010年的1119.5亿元增加到2015年的1850.2亿元。", "results",
     [("gdp", A, 2010, 1119.5, "亿元", None, None, ANNUAL), ("gdp", A, 2015, 1850.2, "亿元", None, None, ANNUAL)]),
]
# figures that make up a whole (由…组成/构成) are its parts, never its level (地区生产总值由第一产业增加值50亿元…
# 构成 gave gdp 50; found by hostile8)
COMPOSED = [
    ("一般公共预算收入由税收收入120亿元和非税收入30亿元组成。", "results", []),
    ("地区生产总值由第一产业增加值50亿元、第二产业增加值300亿元和第三产业增加值450亿元构成。", "results", []),
    ("地区生产总值达到800亿元，产业结构持续优化。", "results", [("gdp", A, 2025, 800.0, "亿元", None, None, ANNUAL)]),
]
# the same for an uncatalogued measure: (indicator_zh, kind, year, value, unit)
FROM_TO_OTHER = [
    ("规上工业企业由5.3万家增加到7.1万家。", [("规上工业企业", A, 2025, 7.1, "万家")]),
    ("国家高新技术企业由2016年的186家增加到612家。", [("国家高新技术企业", A, 2025, 612.0, "家")]),
    ("规上企业研发机构覆盖率从40%提高到55%，新增绿地300公顷。",
     [("规上企业研发机构覆盖率", A, 2025, 55.0, "%"), ("新增绿地", A, 2025, 300.0, "公顷")]),
]


# 增长3%，力争4%: the clause after a target that opens with a stretch word states the stretch target of
# the same measure (it was an uncatalogued row or nothing)
STRETCH = [
    ("一般公共预算收入增长3%，力争4%。", "targets",
     [("budget_revenue", T, 2026, None, None, 3.0, None, ANNUAL), ("budget_revenue", T, 2026, None, None, 4.0, "力争", ANNUAL)]),
    ("地区生产总值增长6%左右，力争7%。", "targets",
     [("gdp", T, 2026, None, None, 6.0, "左右", ANNUAL), ("gdp", T, 2026, None, None, 7.0, "力争", ANNUAL)]),
    ("单位地区生产总值能耗下降3%，力争下降3.5%。", "targets",
     [("energy_intensity", T, 2026, None, None, -3.0, None, ANNUAL), ("energy_intensity", T, 2026, None, None, -3.5, "力争", ANNUAL)]),
    ("城镇新增就业1.2万人，力争1.5万人。", "targets",
     [("urban_new_jobs", T, 2026, 1.2, "万人", None, None, ANNUAL), ("urban_new_jobs", T, 2026, 1.5, "万人", None, "力争", ANNUAL)]),
    ("地区生产总值增长5.5%，力争实现更好结果。", "targets", [("gdp", T, 2026, None, None, 5.5, None, ANNUAL)]),
    # a growth after a level target is no stretch of it
    ("地区生产总值达到800亿元，力争5%。", "targets", [("gdp", T, 2026, 800.0, "亿元", None, None, ANNUAL)]),
]


def rows(phrase, section):
    _facts, records = extract(wrap(phrase, section))
    return [(r.indicator, r.kind, r.period_year, r.value, r.unit, r.growth_pct, r.qualifier, r.period_scope)
            for r in records if not r.indicator.startswith("other:")]


def other_names(phrase, section):
    """The names of the uncatalogued (other:) rows read from the phrase."""
    _facts, records = extract(wrap(phrase, section))
    return [r.indicator_zh for r in records if r.indicator.startswith("other:")]


def _ids(group, name):
    return [f"{name}-{i:02d}-{c[0][:16] if isinstance(c, tuple) else c.values[0][:16]}" for i, c in enumerate(group)]


@pytest.mark.parametrize("phrase,section,expected", COORDINATION, ids=_ids(COORDINATION, "coordination"))
def test_coordination(phrase, section, expected):
    assert rows(phrase, section) == expected


@pytest.mark.parametrize("phrase,section,expected", SCOPE, ids=_ids(SCOPE, "scope"))
def test_period_scope(phrase, section, expected):
    assert rows(phrase, section) == expected


@pytest.mark.parametrize("phrase,section,expected", KIND_YEAR, ids=_ids(KIND_YEAR, "kind_year"))
def test_kind_and_year(phrase, section, expected):
    assert rows(phrase, section) == expected


@pytest.mark.parametrize("phrase,section,expected", CODE, ids=_ids(CODE, "code"))
def test_code(phrase, section, expected):
    assert rows(phrase, section) == expected


@pytest.mark.parametrize("phrase,section,expected", NUMBER, ids=_ids(NUMBER, "number"))
def test_numbers_and_signs(phrase, section, expected):
    assert rows(phrase, section) == expected


@pytest.mark.parametrize("phrase,section,expected", CURRENCY, ids=_ids(CURRENCY, "currency"))
def test_money_in_another_currency(phrase, section, expected):
    assert rows(phrase, section) == expected
    _f, records = extract(wrap(phrase, section))
    assert all(r.value_std is None for r in records if r.unit and "美元" in r.unit and r.indicator != "fdi_actual_use")


@pytest.mark.parametrize("phrase,section,expected", RATE_ONLY, ids=_ids(RATE_ONLY, "rate_only"))
def test_a_rate_of_change_has_no_level(phrase, section, expected):
    assert rows(phrase, section) == expected


@pytest.mark.parametrize("phrase,section,expected", LEVEL_AFTER_GROWTH, ids=_ids(LEVEL_AFTER_GROWTH, "level_after_growth"))
def test_a_level_after_a_growth_needs_its_verb(phrase, section, expected):
    assert rows(phrase, section) == expected


@pytest.mark.parametrize("phrase,section,expected", RESTATED_TARGETS, ids=_ids(RESTATED_TARGETS, "restated"))
def test_a_target_in_the_review_is_no_actual(phrase, section, expected):
    assert rows(phrase, section) == expected


@pytest.mark.parametrize("row,expected", TABLE_ROWS, ids=[f"table-{i:02d}-{r[:8]}" for i, (r, _e) in enumerate(TABLE_ROWS)])
def test_table_rows_read_once(row, expected):
    _f, records = extract(_TABLE.format(row))
    got = [(r.indicator, r.kind, r.period_year, r.value, r.unit, r.growth_pct, r.qualifier, r.period_scope)
           for r in records if not r.indicator.startswith("other:")]
    assert got == expected
    assert all(r.origin == "table" for r in records if not r.indicator.startswith("other:"))


@pytest.mark.parametrize("label", ["一、地区生产总值", "（二）地区生产总值", "3. 地区生产总值", "3、地区生产总值"])
def test_a_table_row_label_s_heading_number_is_not_the_indicator_s_name(label):
    """一、地区生产总值 in a table's first cell gave indicator_zh '一、地区生产总值' and a span from 一, so the
    attainment table's target_text read 一、地区生产总值增长5%以上."""
    text = _TABLE.format(f"{label}          亿元        905             5.6        —               5以上")
    _f, records = extract(text)
    rows = [(r.indicator, r.kind, r.indicator_zh, text[r.char_start:r.char_start + 6]) for r in records]
    assert rows == [("gdp", A, "地区生产总值", "地区生产总值"), ("gdp", T, "地区生产总值", "地区生产总值")]


@pytest.mark.parametrize("phrase,section,expected", STRETCH, ids=_ids(STRETCH, "stretch"))
def test_a_stretch_target_after_a_target_is_its_own_row(phrase, section, expected):
    assert rows(phrase, section) == expected


def test_caption_lines_state_their_figure_for_the_name_after_the_mark():
    """数读 captions (3268.5亿元——全区地区生产总值，增长4.6%) were joined into one line by the line-wrap
    repair and read as one long sentence: the levels were lost, and the last caption's growth ran into
    the quote after it. A caption line is never joined; its figure is the level of the name after it;
    可比增长 is a growth lead like 同比."""
    text = ("雁塔区2025年政府工作报告\n一、2024年工作回顾\n【数读2024】\n3268.5亿元——全区地区生产总值，增长4.6%\n"
            "44.1亿元——一般公共预算收入，可比增长5.8%\n186家——新增高新技术企业\n"
            "6.58万元——城镇居民人均可支配收入，增长5.0%\n“报告里提到的社区食堂，都是我们居民天天念叨的事。”\n")
    _f, records = extract(text)
    got = [(r.indicator, r.kind, r.period_year, r.value, r.unit, r.growth_pct, text[r.char_start:r.char_end])
           for r in records if not r.indicator.startswith("other:")]
    assert got == [("gdp", A, 2024, 3268.5, "亿元", 4.6, "3268.5亿元——全区地区生产总值，增长4.6%"),
                   ("budget_revenue", A, 2024, 44.1, "亿元", 5.8, "44.1亿元——一般公共预算收入，可比增长5.8%"),
                   ("urban_disposable_income_per_capita", A, 2024, 6.58, "万元", 5.0, "6.58万元——城镇居民人均可支配收入，增长5.0%")]


@pytest.mark.parametrize("phrase,section,expected", COMPOSED, ids=_ids(COMPOSED, "composed"))
def test_the_parts_of_a_whole_are_not_its_level(phrase, section, expected):
    assert rows(phrase, section) == expected


@pytest.mark.parametrize("phrase,section,expected", FROM_TO, ids=_ids(FROM_TO, "from_to"))
def test_a_change_from_one_level_to_another_states_the_level_it_reached(phrase, section, expected):
    assert rows(phrase, section) == expected


@pytest.mark.parametrize("phrase,expected", FROM_TO_OTHER, ids=[f"from_to_other-{i:02d}" for i in range(len(FROM_TO_OTHER))])
def test_an_uncatalogued_change_states_the_level_it_reached(phrase, expected):
    _f, records = extract(wrap(phrase, "results"))
    assert [(r.indicator_zh, r.kind, r.period_year, r.value, r.unit) for r in records if r.indicator.startswith("other:")] == expected


@pytest.mark.parametrize("phrase,expected", RANGES, ids=[f"range-{i:02d}" for i in range(len(RANGES))])
def test_range_dashes(phrase, expected):
    _f, records = extract(wrap(phrase, "targets"))
    assert [(r.growth_pct, r.growth_pct_high) for r in records] == [expected]


def test_period_note_says_the_period_as_written():
    _f, records = extract(wrap("前三季度，全市地区生产总值增长5.2%。", "results"))
    assert [(r.period_scope, r.period_note) for r in records] == [(PARTIAL, "前三季度")]
    _f, records = extract(wrap("全市地区生产总值增长5.2%。", "results"))
    assert [(r.period_scope, r.period_note) for r in records] == [(ANNUAL, None)]


def test_only_annual_rows_feed_series_and_attainment():

    from planwatch import schemas
    from planwatch.analyse.series import annual_only
    base = {"doc_id": "d", "region": "安吉县", "period_year": 2020, "kind": "actual", "indicator": "gdp",
            "growth_pct": 7.2, "estimated": False, "origin": "prose", "char_start": 0, "char_end": 1, "sentence": "s"}
    rows = [dict(base, period_scope=s) for s in ("annual", "multi_year_avg", "partial_year", "cumulative", None)]
    kept = annual_only(schemas.frame(rows, schemas.INDICATORS).lazy()).collect()
    assert kept["period_scope"].to_list() == ["annual", None]     # null: a table from before the column
    legacy = schemas.frame([base], {k: v for k, v in schemas.INDICATORS.items() if k != "period_scope"})
    assert annual_only(legacy.lazy()).collect().height == 1


@pytest.mark.parametrize("phrase,name", [
    ("能耗强度下降不低于2%。", "能耗强度"),
    ("新增市场主体不少于3万户。", "新增市场主体"),
    ("污水处理率控制在95%。", "污水处理率"),
    ("完成造林面积不超过5万亩。", "完成造林面积"),
])
def test_an_uncatalogued_subject_ends_before_its_qualifier_verb(phrase, name):
    # the subject of an other: row is its name, not the name with 不低于 / 控制在 attached
    assert other_names(phrase, "targets") == [name]


LONG = "中央预算内投资专项债券超长期特别国债新型政策性金融工具" * 2     # a subject list longer than MAX_SUBJECT * 2


@pytest.mark.parametrize("phrase,names", [
    (f"全年{LONG}等政策性资金120亿元。", ["政策性资金"]),                    # a list ending in 等X: the measure is X
    (f"全年{LONG}、政策性资金120亿元。", ["政策性资金"]),                    # the last item of a 、 list
    (f"全年{LONG}120亿元。", []),                                     # neither: no subject, no row
])
def test_a_long_subject_list_is_cut_to_its_measure(phrase, names):
    assert other_names(phrase, "results") == names
