"""GX Data Docs made offline (validate/datadocs.py): every CDN link rewritten to a vendored
file, nothing left pointing off the site, byte-identical rebuilds."""
import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from planwatch.errors import PlanwatchError
from planwatch.validate import datadocs

CDN_PAGE = """<html><head>
<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>
<script src="https://cdn.jsdelivr.net/npm/vega-lite@5"></script>
<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>
<script src="https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js" integrity="sha384-x" crossorigin="anonymous"></script>
<style>.x{background: url('https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png') 0 0;}</style>
</head><body><img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=20261126T1Z&dataContextId=1">
<a href="https://greatexpectations.io/newsletter?utm_source=datadocs">Subscribe</a>
<a data-toggle="collapse" href="#body-9fe2d316-fdba-47f5-aad6-362d2530827c">x</a><div id="body-9fe2d316-fdba-47f5-aad6-362d2530827c"></div>
<div id="body-68f1939f-a180-46b2-9d8a-3865bddfc845"></div>
<link rel="shortcut icon" href="../static/images/favicon.ico" type="image/x-icon"/></body></html>"""


def _vendor(site: Path) -> dict:
    return {url: site / "static" / "vendor" / a.folder / f for a in datadocs.ASSETS for url, f in a.urls}


def test_rewrite_makes_a_page_local(tmp_path):
    page = tmp_path / "validations" / "s" / "p.html"
    page.parent.mkdir(parents=True)
    page.write_text(CDN_PAGE, encoding="utf-8")
    out = datadocs._rewrite(page, tmp_path, _vendor(tmp_path))
    assert datadocs._OFF_SITE.search(out) is None
    assert 'href="../../static/vendor/bootstrap-4.3.1/dist/css/bootstrap.min.css"' in out
    assert 'src="../../static/vendor/vega-lite-5.23.0/build/vega-lite.min.js"' in out
    assert 'src="../../static/vendor/vega-5.33.1/build/vega.min.js"' in out
    assert "integrity" not in out and "crossorigin" not in out
    assert 'src="../../static/images/logo-long.png"' in out and "?d=" not in out
    assert "url('../../static/images/logo-long.png')" in out
    assert "<a>Subscribe</a>" in out
    assert 'href="../../static/images/favicon.ico"' in out       # GX's link climbs one folder too few
    assert 'href="#body-u1"' in out and 'id="body-u1"' in out and 'id="body-u2"' in out


def test_an_unknown_cdn_is_caught(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<script src="https://unpkg.com/new-lib@1/x.js"></script><link href="//cdn.example/x.css">',
                    encoding="utf-8")
    out = datadocs._rewrite(page, tmp_path, _vendor(tmp_path))
    assert datadocs._OFF_SITE.findall(out) == ['src="https://unpkg.com/new-lib@1/x.js', 'href="//cdn.example/x.css']


def _validate_and_build(out: Path) -> None:
    import great_expectations as gx
    from planwatch.validate.stage import _context
    gx_, context = _context()
    batch = context.data_sources.add_pandas("t").add_dataframe_asset(name="a").add_batch_definition_whole_dataframe("b")
    suite = context.suites.add(gx.ExpectationSuite(name="tiny.contract", expectations=[
        gx.expectations.ExpectColumnValuesToNotBeNull(column="x"),
        gx.expectations.ExpectColumnValuesToBeBetween(column="x", min_value=0, max_value=2)]))
    vd = context.validation_definitions.add(gx.ValidationDefinition(name="tiny", data=batch, suite=suite))
    vd.run(batch_parameters={"dataframe": pd.DataFrame({"x": [1, 2, 3]})}, result_format="COMPLETE")
    datadocs.build(out, context)


def _digest(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_build_is_offline_and_byte_identical(tmp_path):
    _validate_and_build(tmp_path / "a" / "gx")
    _validate_and_build(tmp_path / "b" / "gx")
    a, b = _digest(tmp_path / "a" / "gx"), _digest(tmp_path / "b" / "gx")
    assert a == b
    assert "index.html" in a and any(k.startswith("validations/tiny/contract/planwatch-validate/") for k in a)
    for page in (tmp_path / "a" / "gx").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert datadocs._OFF_SITE.search(text) is None, page
        for ref in re.findall(r'\b(?:src|href)="([^"#?][^"]*)"', text):     # every local link resolves
            if "/vendor/" in ref and not datadocs.assets_present():
                continue
            assert (page.parent / ref).resolve().is_file(), (page.name, ref)
    if datadocs.assets_present():
        assert "static/vendor/bootstrap-4.3.1/dist/css/bootstrap.min.css" in a
        assert any(k.startswith("static/vendor/fortawesome__fontawesome-free-6.6.0/webfonts/") for k in a)
    assert not list(tmp_path.glob("a/.gx.*"))      # no staging folder left behind


def test_build_refuses_a_page_that_still_loads_from_another_host(tmp_path, monkeypatch):
    monkeypatch.setattr(datadocs, "ASSETS", datadocs.ASSETS[1:])    # bootstrap's CDN links no longer mapped
    with pytest.raises(PlanwatchError, match="maxcdn.bootstrapcdn.com"):
        _validate_and_build(tmp_path / "gx")
    assert not (tmp_path / "gx").exists()
    assert not list(tmp_path.glob(".gx.*"))


def test_shared_compiled_templates_change_no_page(tmp_path, monkeypatch):
    # GX's views share one cache of compiled templates (datadocs._CompiledTemplates); a build with
    # GX's own per-view compiling gives the same bytes
    from great_expectations.render.view.view import DefaultJinjaView
    _validate_and_build(tmp_path / "shared" / "gx")
    assert datadocs._TEMPLATES.code           # the views did use it
    monkeypatch.setattr(DefaultJinjaView, "__init__", DefaultJinjaView.__init__.gx_init)
    monkeypatch.setattr(datadocs, "_share_compiled_templates", lambda: None)
    _validate_and_build(tmp_path / "own" / "gx")
    assert _digest(tmp_path / "shared" / "gx") == _digest(tmp_path / "own" / "gx")
