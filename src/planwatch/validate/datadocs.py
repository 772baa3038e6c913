"""Great Expectations' own Data Docs of the validation run, made to work offline.

GX 1.x builds Data Docs into a filesystem site, but its page templates load Bootstrap 4.3.1,
jQuery, Popper, bootstrap-table, bootstrap-datepicker, bootstrap-dark, Font Awesome and vega
from CDNs and the logo from S3. Here the site is built from the validation run that just
happened, then:

- every CDN URL is rewritten to a relative path under ``static/vendor/`` and the files are
  copied there from the asset cache (``.tools/datadocs-assets``), which ``make env`` fills
  with the exact npm releases the templates name (``ASSETS`` below: version and sha512 of
  each tarball, checked on download — fetched over HTTPS from the registry, no npm client);
- the logo and background image come from the site's own ``static/images``;
- outward anchors (newsletter, greatexpectations.io) lose their ``href``;
- the run is stored under a fixed run name and time, and the per-render cache-busting
  ``?d=<now>`` is dropped, so a rebuild of the same data is byte-identical.

Anything left pointing off the site afterwards is an error naming the page and URL (a GX
upgrade that adds a CDN link is caught here, not by a reader offline).
"""
from __future__ import annotations

import base64
import datetime as dt
import fnmatch
import hashlib
import os
import re
import shutil
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jinja2

from planwatch.catalogue import REPO_ROOT
from planwatch.errors import PlanwatchError
from planwatch.io import shown

RUN_NAME = "planwatch-validate"
RUN_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)   # fixed: pages carry no build time
SITE = "planwatch"
ASSET_CACHE = Path(os.environ.get("PLANWATCH_DATADOCS_ASSETS") or REPO_ROOT / ".tools" / "datadocs-assets")


@dataclass(frozen=True)
class Asset:
    """One npm release: the files taken from its tarball and the CDN URLs they replace."""
    package: str
    version: str
    integrity: str                      # the registry's dist.integrity of the tarball
    files: tuple[str, ...]              # paths (or fnmatch patterns) inside the tarball's package/ folder
    urls: tuple[tuple[str, str], ...]   # (CDN URL in GX's templates, file it becomes)

    @property
    def folder(self) -> str:
        return self.package.replace("/", "__").lstrip("@") + "-" + self.version


# The versions GX 1.24's templates name (render/view/templates/*.j2); vega@5 / vega-lite@5 /
# vega-embed@6 are floating there and are pinned here to the newest release of that major.
ASSETS = (
    Asset("bootstrap", "4.3.1",
          "sha512-rXqOmH1VilAt2DyPzluTi2blhk17bO7ef+zLLPlWvG494pDxcM234pJ8wTc/6R40UWizAIIMgxjvxZg5kmsbag==",
          ("dist/css/bootstrap.min.css", "dist/js/bootstrap.min.js"),
          (("https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css", "dist/css/bootstrap.min.css"),
           ("https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js", "dist/js/bootstrap.min.js"))),
    Asset("jquery", "3.7.1",
          "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
          ("dist/jquery.min.js",),
          (("https://code.jquery.com/jquery-3.7.1.min.js", "dist/jquery.min.js"),)),
    Asset("popper.js", "1.12.9",
          "sha512-s0EEi9xiSCdqz9lV4IiVH5yIZnDX/U1t0tCjB+0jXx9jW8lrR7kOpVupiUg175ogqVoudpDXHF1p6dKATCHMeg==",
          ("dist/umd/popper.min.js",),
          (("https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js", "dist/umd/popper.min.js"),)),
    Asset("bootstrap-table", "1.19.1",
          "sha512-WvV+l1AI/C+zThaKmfHmi/IuayVNB0qdFyEhFx1jyZhO0oLtNJNANkCR3rvJf6Dkh72dsLElxpE/bzK9seEQLA==",
          ("dist/bootstrap-table.min.css", "dist/bootstrap-table.min.js",
           "dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
           "dist/extensions/filter-control/bootstrap-table-filter-control.css",
           "dist/extensions/filter-control/bootstrap-table-filter-control.min.css"),
          (("https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css", "dist/bootstrap-table.min.css"),
           ("https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js", "dist/bootstrap-table.min.js"),
           ("https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.js"),
           # the templates ask for the filter-control CSS of 1.19.0; 1.19.1's is the same extension
           ("https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css",
            "dist/extensions/filter-control/bootstrap-table-filter-control.css"),
           ("https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.css"))),
    Asset("bootstrap-datepicker", "1.9.0",
          "sha512-9rYYbaVOheGYxjOr/+bJCmRPihfy+LkLSg4fIFMT9Od8WwWB/MB50w0JO1eBgKUMbb7PFHQD5uAfI3ArAxZRXA==",
          ("dist/js/bootstrap-datepicker.min.js", "dist/css/bootstrap-datepicker.min.css"),
          (("https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js",
            "dist/js/bootstrap-datepicker.min.js"),
           ("https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css",
            "dist/css/bootstrap-datepicker.min.css"))),
    Asset("@forevolve/bootstrap-dark", "1.1.0",
          "sha512-A3ucpEpxPoTVO490lZZCfjPXxv832l7mm1IxX3bXyxvgwnPGXDLyh7dWrphXKO8YBAu3EswbBEu3VSW8NRMW3A==",
          ("dist/css/bootstrap-prefers-dark.css",),
          (("https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css",
            "dist/css/bootstrap-prefers-dark.css"),)),
    Asset("@fortawesome/fontawesome-free", "6.6.0",
          "sha512-60G28ke/sXdtS9KZCpZSHHkCbdsOGEhIUGlwq6yhY74UpTiToIh8np7A8yphhM4BWsvNFtIvLpi4co+h9Mr9Ow==",
          ("css/all.min.css", "webfonts/*.woff2"),   # all.min.css loads ../webfonts/*.woff2 (the .ttf beside them only for old browsers)
          (("https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css", "css/all.min.css"),)),
    Asset("vega", "5.33.1",
          "sha512-1fArfVDUqVbb5z8n+/nVQb+VNBzx8svY6CrsyTK4Ujm4yrd9I1auoKxBAPXLCavY1LcrbHUskQbGUP8gXOzyQw==",
          ("build/vega.min.js",),
          (("https://cdn.jsdelivr.net/npm/vega@5", "build/vega.min.js"),)),
    Asset("vega-lite", "5.23.0",
          "sha512-l4J6+AWE3DIjvovEoHl2LdtCUkfm4zs8Xxx7INwZEAv+XVb6kR6vIN1gt3t2gN2gs/y4DYTs/RPoTeYAuEg6mA==",
          ("build/vega-lite.min.js",),
          (("https://cdn.jsdelivr.net/npm/vega-lite@5", "build/vega-lite.min.js"),)),
    Asset("vega-embed", "6.29.0",
          "sha512-PmlshTLtLFLgWtF/b23T1OwX53AugJ9RZ3qPE2c01VFAbgt3/GSNI/etzA/GzdrkceXFma+FDHNXUppKuM0U6Q==",
          ("build/vega-embed.min.js",),
          (("https://cdn.jsdelivr.net/npm/vega-embed@6", "build/vega-embed.min.js"),)),
)

_GX_IMAGES = re.compile(r"https://great-expectations-web-assets\.s3[^\"')\s]*/(?:logo-long|full_logo_dark)\.png(?:\?[^\"')\s]*)?")
_SRI = re.compile(r'\s+(?:integrity|crossorigin)="[^"]*"')
_STATIC_REF = re.compile(r'\b(src|href)="(?:\./|(?:\.\./)+)?static/([^"]+)"')
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_OUTWARD_ANCHOR = re.compile(r'(<a\b[^>]*?)\s+href="https?://[^"]*"')
_OFF_SITE = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])(?:https?:)?//[^"'\s)>]+""", re.I)
# GX copies these into every site; no page refers to them (its how-to walkthrough is turned off).
_UNUSED_IMAGES = ("iterative-dev-loop.png", "glossary_scroller.gif", "validation_failed_unexpected_values.gif")


def _cached(asset: Asset, cache: Path) -> Path:
    return cache / asset.folder


def assets_present(cache: Path = ASSET_CACHE) -> bool:
    return all(_present(a, cache) for a in ASSETS)


def _present(asset: Asset, cache: Path) -> bool:
    return all(any(_cached(asset, cache).glob(f)) for f in asset.files)


REGISTRY = os.environ.get("PLANWATCH_NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")
MAX_TARBALL = 20_000_000     # bytes: the largest pinned tarball is ~7 MB


def _tarball_url(asset: Asset) -> str:
    """The registry's tarball address: https://registry.npmjs.org/@scope/name/-/name-1.0.0.tgz"""
    bare = asset.package.rsplit("/", 1)[-1]
    return f"{REGISTRY}/{asset.package}/-/{bare}-{asset.version}.tgz"


def fetch_assets(cache: Path = ASSET_CACHE) -> list[str]:
    """Fill the asset cache from the npm registry (plain HTTPS, no npm client needed), each tarball
    checked against its pinned sha512 before anything is unpacked.

    Returns the packages fetched; those already cached are skipped.
    """
    import urllib.error
    import urllib.request
    fetched = []
    for asset in ASSETS:
        target = _cached(asset, cache)
        if _present(asset, cache):
            continue
        url = _tarball_url(asset)
        try:
            with urllib.request.urlopen(url, timeout=60) as resp:
                data = resp.read(MAX_TARBALL + 1)
        except (urllib.error.URLError, OSError) as exc:
            raise PlanwatchError(f"{url}: could not be fetched ({getattr(exc, 'reason', exc)}); "
                                 "the Data Docs are built unstyled until it can be") from None
        if len(data) > MAX_TARBALL:
            raise PlanwatchError(f"{url}: larger than {MAX_TARBALL:,} bytes; refused")
        algo, _, want = asset.integrity.partition("-")
        got = base64.b64encode(hashlib.new(algo, data).digest()).decode()
        if got != want:
            raise PlanwatchError(f"{asset.package}@{asset.version}: tarball {algo} {got} is not the pinned {want}")
        with tempfile.TemporaryDirectory() as tmp:
            tgz = Path(tmp) / "package.tgz"
            tgz.write_bytes(data)
            staging = Path(tempfile.mkdtemp(prefix=f".{asset.folder}.", dir=_mkdir(cache)))
            with tarfile.open(tgz) as tar:
                wanted = [m for m in tar.getmembers()
                          if m.isfile() and any(fnmatch.fnmatchcase(m.name, f"package/{f}") for f in asset.files)]
                tar.extractall(staging, members=wanted, filter="data")
            shutil.rmtree(target, ignore_errors=True)
            os.replace(staging / "package", target)
            shutil.rmtree(staging)
        fetched.append(f"{asset.package}@{asset.version}")
    return fetched


def _mkdir(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p


def _fix_run_ids(context) -> None:
    """Re-store the run's validation results under one fixed run id (no build time in names or pages)."""
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import ValidationResultIdentifier

    store = context.validation_results_store
    run_id = RunIdentifier(run_name=RUN_NAME, run_time=RUN_TIME)
    for key in store.list_keys():
        if key.run_id.run_name == RUN_NAME:
            continue
        result = store.get(key)
        result.meta["run_id"] = run_id
        result.meta["validation_time"] = RUN_TIME
        result.meta.pop("validation_id", None)   # a fresh uuid each run
        (result.meta.get("batch_markers") or {}).pop("ge_load_time", None)
        store.remove_key(key)
        store.set(ValidationResultIdentifier(key.expectation_suite_identifier, run_id, key.batch_identifier), result)


def _rewrite(page: Path, site: Path, vendor: dict[str, Path]) -> str:
    text = page.read_text(encoding="utf-8")
    rel = lambda target: Path(os.path.relpath(target, page.parent)).as_posix()   # noqa: E731
    for url in sorted(vendor, key=len, reverse=True):   # vega-lite@5 before a shorter prefix could match
        text = text.replace(f'"{url}"', f'"{rel(vendor[url])}"')
    text = _GX_IMAGES.sub(rel(site / "static" / "images" / "logo-long.png"), text)
    # every reference into the site's static/ folder, from this page's depth (GX's favicon link
    # climbs one folder too few on validation pages: a 404 in the console)
    text = _STATIC_REF.sub(lambda m: f'{m.group(1)}="{rel(site / "static" / m.group(2))}"', text)
    text = _SRI.sub("", text)           # SRI + crossorigin make a file:// load a CORS request that fails
    text = _OUTWARD_ANCHOR.sub(r"\1", text)
    text = shown(text)      # an observed value GX lists may be document text: bidi controls as code points (io.shown)
    # collapsible blocks get a random uuid4 per render: number them in page order instead
    ids: dict[str, str] = {}
    return _UUID.sub(lambda m: ids.setdefault(m.group(0), f"u{len(ids) + 1}"), text)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates, in memory, shared by every GX view of the process: each of GX's
    Data Docs views makes a Jinja environment of its own and compiled the same 24 templates again
    (54 compiles a build, ~0.25 s). Keyed by Jinja: the template's name and a checksum of its source."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _CompiledTemplates()


def _share_compiled_templates() -> None:
    """Give GX's Data Docs views the shared compiled templates (once per process)."""
    from great_expectations.render.view.view import DefaultJinjaView

    if getattr(DefaultJinjaView.__init__, "gx_init", None) is not None:
        return
    gx_init = DefaultJinjaView.__init__

    def __init__(self, *args, **kwargs):
        gx_init(self, *args, **kwargs)
        if isinstance(getattr(self, "env", None), jinja2.Environment):
            self.env.bytecode_cache = _TEMPLATES

    __init__.gx_init = gx_init
    DefaultJinjaView.__init__ = __init__


def build(out_dir: Path | str, context=None, cache: Path = ASSET_CACHE) -> dict:
    """Build GX's Data Docs of the validation results held by ``context`` into ``out_dir``, offline.

    ``context`` defaults to GX's current project: the ephemeral context the validate stage's
    suites have just run in. The folder is rebuilt beside ``out_dir`` and swapped in whole.
    Returns {"pages": n, "styled": bool}.
    """
    out_dir = Path(out_dir)
    if context is None:
        from great_expectations.data_context.data_context.context_factory import project_manager
        context = project_manager.get_current_project()
    _fix_run_ids(context)
    _share_compiled_templates()
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=_mkdir(out_dir.parent)))
    try:
        site_config = {
            "class_name": "SiteBuilder", "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(staging.resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder", "show_cta_footer": False},
        }
        if SITE in (context.get_site_names() or []):
            context.update_data_docs_site(SITE, site_config)
        else:
            context.add_data_docs_site(SITE, site_config)
        context.build_data_docs(site_names=[SITE])
        styled = assets_present(cache)
        if not styled:
            print(f"warning: Data Docs assets not in {cache} (make env fetches them from the npm registry): "
                  "the Data Docs are built offline but unstyled", file=sys.stderr)
        vendor = {}
        for asset in ASSETS:
            dest = staging / "static" / "vendor" / asset.folder
            if styled:
                for f in asset.files:
                    for src in sorted(_cached(asset, cache).glob(f)):
                        shutil.copyfile(src, _mkdir((dest / f).parent) / src.name)
            vendor.update({url: dest / f for url, f in asset.urls})
        for name in _UNUSED_IMAGES:
            (staging / "static" / "images" / name).unlink(missing_ok=True)
        (staging / "static" / "styles" / "data_docs_custom_styles_template.css").unlink(missing_ok=True)
        pages = sorted(staging.rglob("*.html"))
        for page in pages:
            text = _rewrite(page, staging, vendor)
            off = _OFF_SITE.search(text)
            if off:
                raise PlanwatchError(f"Data Docs page {page.relative_to(staging)} still loads {off.group(0)!r} from "
                                     "another host: add it to planwatch.validate.datadocs.ASSETS")
            page.write_text(text, encoding="utf-8")
        for css in staging.glob("static/styles/*.css"):
            css.write_text(_rewrite(css, staging, vendor), encoding="utf-8")
        for path in staging.rglob("*"):       # mkdtemp made the folder 0700; the site is as readable as any other
            path.chmod(0o755 if path.is_dir() else 0o644)
        staging.chmod(0o755)
        old = out_dir.with_name(f".{out_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if out_dir.exists():
            os.replace(out_dir, old)
        os.replace(staging, out_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {"pages": len(pages), "styled": styled}
