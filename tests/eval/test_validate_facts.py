"""evals/validate_facts.py on small facts files: a gold the harness cannot parse is a validation error
with the fact's id, not a crash halfway through an eval run."""

from __future__ import annotations

from pathlib import Path

from evals.validate_facts import validate

FACT = """\
minimums: {{answerable: 1, paraphrases: 0, unanswerable: 0, per_doc: 1}}
facts:
  - id: h000_01
    doc_id: 000_test
    question: 宽带是多少的？
    type: amount
    value: "{value}"
    magnitude: null
    unit: {unit}
    qualifier: null
    place: 焦作市
    as_of: null
    quote: "{quote}"
"""


def _check(tmp_path: Path, value: str, unit: str, quote: str) -> list[str]:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000_test.txt").write_text(f"联通免费{quote}，提供5G网络。", encoding="utf-8")
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACT.format(value=value, unit=unit, quote=quote), encoding="utf-8")
    return validate(facts, seeds)


def test_a_parseable_gold_passes(tmp_path: Path) -> None:
    assert _check(tmp_path, "1000", "M", "搭建1000M宽带") == []


def test_a_gold_the_harness_cannot_parse_is_an_error(tmp_path: Path) -> None:
    errors = _check(tmp_path, "5", "G", "提供5G网络")  # 5G names a network generation, not an amount
    assert errors == ["h000_01: h000_01: gold '5G' does not parse as a figure"]
