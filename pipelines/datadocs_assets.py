"""Fill .tools/datadocs-assets with the npm releases GX's Data Docs pages load (make env runs this).

The versions and sha512 of each tarball are pinned in src/planwatch/validate/datadocs.py
(ASSETS); they are fetched over HTTPS from the npm registry (no npm client needed) and each
tarball is checked against its pin. Without them the Data Docs are still built offline, unstyled,
with a warning.
"""
import sys

from planwatch.errors import PlanwatchError
from planwatch.validate.datadocs import ASSET_CACHE, fetch_assets

if __name__ == "__main__":
    try:
        fetched = fetch_assets()
    except PlanwatchError as e:
        print(f"warning: {e}", file=sys.stderr)
        sys.exit(0)       # the environment is usable without them; the validate stage says so too
    print(f"Data Docs assets in {ASSET_CACHE}: {len(fetched)} fetched" if fetched else f"Data Docs assets in {ASSET_CACHE}: up to date")
