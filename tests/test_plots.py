"""Plot data for `dvc plots`: hand-made frames in, tidy sorted frames out (analyse/plots.py)."""
import polars as pl
import yaml

from planwatch import schemas
from planwatch.analyse import plots
from tests.conftest import ROOT


def _series(rows):
    return schemas.frame(rows, schemas.SERIES).lazy()


def _attainment(rows):
    return schemas.frame(rows, schemas.ATTAINMENT).lazy()


def test_gdp_growth_pairs_actuals_with_one_target_per_region_year():
    series = _series([
        {"region": "乙市", "indicator": "gdp", "year": 2025, "growth_pct": 5.6},
        {"region": "甲区", "indicator": "gdp", "year": 2025, "growth_pct": -1.2},
        {"region": "甲区", "indicator": "gdp", "year": 2024, "growth_pct": None, "value": 300.0},   # a level only
        {"region": "甲区", "indicator": "retail_sales", "year": 2025, "growth_pct": 9.9},
    ])
    attainment = _attainment([
        {"region": "乙市", "year": 2025, "scope": "headline", "indicator": "gdp", "target_value": 5.0,
         "target_unit": "% growth", "target_doc": "b", "target_start": 10},
        {"region": "乙市", "year": 2025, "scope": "headline", "indicator": "gdp", "target_value": 5.5,
         "target_unit": "% growth", "target_doc": "a", "target_start": 99},          # first by document: this one
        {"region": "乙市", "year": 2026, "scope": "headline", "indicator": "gdp", "target_value": 3000.0,
         "target_unit": "亿元", "target_doc": "a", "target_start": 5},               # a level target: not growth
        {"region": "乙市", "year": 2026, "scope": "task", "indicator": "gdp", "target_value": 6.0,
         "target_unit": "%", "target_doc": "a", "target_start": 7},                  # task scope: not headline
    ])
    out = plots.gdp_growth(series, attainment).collect()
    assert out.schema == pl.Schema(plots.GDP_GROWTH)
    assert out.rows() == [("乙市", 2025, "actual", 5.6), ("乙市", 2025, "target", 5.5), ("甲区", 2025, "actual", -1.2)]


def test_attainment_counts_only_verdicts_and_rate():
    rows = ([{"region": "甲区", "year": 2025, "scope": "headline", "status": "met"}] * 3
            + [{"region": "甲区", "year": 2025, "scope": "headline", "status": "missed"}]
            + [{"region": "甲区", "year": 2025, "scope": "headline", "status": s} for s in ("pending", "no_actual", "unclear")]
            + [{"region": "甲区", "year": 2025, "scope": "task", "status": "missed"}]
            + [{"region": "乙市", "year": 2024, "scope": "headline", "status": "missed"},
               {"region": "丙县", "year": 2026, "scope": "headline", "status": "pending"}])   # no verdict: no row
    out = plots.attainment_counts(_attainment(rows)).collect()
    assert out.schema == pl.Schema(plots.ATTAINMENT)
    assert out.rows() == [("乙市", 2024, 0, 1, 0.0), ("甲区", 2025, 3, 1, 0.75)]


def test_dvc_yaml_declares_the_plot_files_as_outs_and_plots():
    dvc = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))
    outs = {next(iter(o)) if isinstance(o, dict) else o: o for o in dvc["stages"]["analyse"]["outs"]}
    for f in ("reports/plots/gdp_growth.csv", "reports/plots/attainment.csv"):
        assert outs[f][f]["cache"] is False
    plotted = {f for p in dvc["plots"] for spec in p.values() for f in spec["y"]}
    assert plotted == {"reports/plots/gdp_growth.csv", "reports/plots/attainment.csv"}
    for p in dvc["plots"]:
        spec = next(iter(p.values()))
        assert (ROOT / ".dvc" / "plots" / f"{spec['template']}.json").exists()


def test_offline_dvc_plots_page_loads_the_pinned_vega_from_the_asset_cache():
    import configparser
    import re

    from planwatch.validate.datadocs import ASSETS
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / ".dvc" / "config")
    page = ROOT / ".dvc" / cfg["plots"]["html_template"]
    text = page.read_text(encoding="utf-8")
    assert "{plot_divs}" in text and "{scripts}" not in text      # DVC's CDN scripts are left out
    srcs = re.findall(r'<script src="([^"]+)"', text)
    pinned = {f"../.tools/datadocs-assets/{a.folder}/{f}" for a in ASSETS for f in a.files}
    assert len(srcs) == 3 and set(srcs) <= pinned
    assert not re.search(r"https?://", text)
