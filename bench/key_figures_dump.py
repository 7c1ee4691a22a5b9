"""Dump the key-figure rows of bulletins as JSON lines, to compare two versions of the reading.

    python bench/key_figures_dump.py [FILES or folders ...] > rows.jsonl

Default: seeds/ and evals/generalization/bulletins/. Pure: reads, cleans and splits each file as ingest
does, builds its figure facts and selects the key-figure table; no index, no model. Writes nothing into
the repo.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.facts.reading import build_facts  # noqa: E402
from service.summaries.key_figures import key_figures  # noqa: E402
from vectorstore.ingest import expand_paths  # noqa: E402
from vectorstore.pipeline import process  # noqa: E402
from vectorstore.reading import read_file  # noqa: E402


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [ROOT / "seeds", ROOT / "evals" / "generalization" / "bulletins"]
    for path in expand_paths(paths):
        doc = read_file(path)
        p = process(doc.doc_id, doc.text)
        for kf in key_figures(build_facts(doc.doc_id, doc.text, p.clean, p.articles)):
            print(json.dumps(kf.model_dump(), ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
