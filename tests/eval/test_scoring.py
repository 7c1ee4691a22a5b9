"""Unit tests of evals/scoring.py on hand-made answers (no index, no model)."""

from __future__ import annotations

import pytest

from evals import scoring

DOC = "000_f13d48eef836739b"


def fact(value: str, unit: str | None, *, typ: str = "count", magnitude: str | None = None,
         qualifier: str | None = None, quote: str = "", also_in: list[str] | None = None) -> dict:
    return {"id": "f000_99", "doc_id": DOC, "type": typ, "value": value, "magnitude": magnitude, "unit": unit,
            "qualifier": qualifier, "quote": quote or f"共{value}{magnitude or ''}{unit or ''}",
            "also_in": also_in or []}


MASKS = scoring.make_gold(fact("300", "只", magnitude="万", qualifier="余", quote="累计生产口罩300余万只"))
MONEY = scoring.make_gold(fact("4.61", "元", typ="amount", magnitude="亿", quote="完成投资4.61亿元"))
FIRMS = scoring.make_gold(fact("70", "家", quote="70家规模以上工业企业全部复工"))


def answer(text: str, **kw) -> dict:
    return {"answer": text, "abstained": False, "citations": [], "ungrounded_figures": [], "latency_ms": 1.0, **kw}


@pytest.mark.parametrize(
    ("gold", "text", "ok"),
    [
        (FIRMS, "70家。公报原文：“70家规模以上工业企业全部复工”[1]", True),
        (FIRMS, "示范区共有70个规上企业复工[1]。", False),  # wrong unit
        (FIRMS, "示范区有70名工人[1]。", False),  # wrong unit
        (FIRMS, "一共71家[1]。", False),  # wrong value
        (MASKS, "累计生产口罩300余万只[1]。", True),
        (MASKS, "累计生产口罩300多万只[1]。", True),  # 多 and 余 are the same bound
        (MASKS, "累计生产口罩300万只[1]。", False),  # dropped qualifier 余
        (MASKS, "累计生产口罩近300万只[1]。", False),  # other bound
        (MASKS, "累计生产口罩3000000只[1]。", False),  # exact number is another claim than 300余万
        (MONEY, "完成投资4.61亿元[1]。", True),
        (MONEY, "完成投资46100万元[1]。", True),  # same scaled value
        (MONEY, "完成投资4.61万元[1]。", False),  # 万 vs 亿
    ],
)
def test_figure_correct(gold: scoring.Gold, text: str, ok: bool) -> None:
    assert scoring.figure_correct(text, gold) is ok


def test_figures_in_quotation_marks_are_evidence_not_the_claim() -> None:
    # The stated figure is 20家; the quoted clause happens to contain 70家 as well.
    assert not scoring.figure_correct("20家。公报原文：“20家企业中有70家……”[1]", FIRMS)
    # An answer that is only a quote states what it quotes.
    assert scoring.figure_correct("公报原文：“70家规模以上工业企业全部复工”[1]", FIRMS)


def test_near_miss_names_the_cause() -> None:
    assert scoring.near_miss("300万只", MASKS) == "bound"
    assert scoring.near_miss("70个", FIRMS) == "unit"
    assert scoring.near_miss("4.61万元", MONEY) == "magnitude"
    assert scoring.near_miss("12家", FIRMS) is None


def test_suffix_qualifier_from_facts_or_quote() -> None:
    # facts.yaml may write 以上 as the qualifier, or leave it in the quote only: same gold either way.
    with_q = scoring.make_gold(fact("80", "%", typ="percent", qualifier="以上", quote="保证了全市80%以上的口罩供应"))
    in_quote = scoring.make_gold(fact("80", "%", typ="percent", quote="保证了全市80%以上的口罩供应"))
    for gold in (with_q, in_quote):
        assert gold.text == "80%以上"
        assert scoring.figure_correct("全市80%以上[1]。", gold)
        assert not scoring.figure_correct("全市80%[1]。", gold)


def test_gold_reads_as_the_quote_writes_it() -> None:
    g = scoring.make_gold(fact("8", "只", magnitude="万", qualifier="余", quote="协调口罩8万余只"))
    assert g.text == "8万余只"
    assert scoring.figure_correct("8万余只[1]", g)


def test_dates_phones_names() -> None:
    date = scoring.make_gold(fact("3月10日", None, typ="date", quote="截至3月10日24时"))
    assert scoring.figure_correct("截至2020年3月10日[1]", date)
    assert not scoring.figure_correct("3月[1]", date)  # month only is not the date
    assert not scoring.figure_correct("3月11日[1]", date)
    phone = scoring.make_gold(fact("(0391)3566659", None, typ="phone", quote="热线电话(0391)3566659"))
    assert scoring.figure_correct("热线电话（0391）3566659[1]", phone)
    assert scoring.figure_correct("热线3566659[1]", phone)
    assert not scoring.figure_correct("热线3566658[1]", phone)
    name = scoring.make_gold(fact("霍金花", None, typ="name", quote="副省长霍金花检查了"))
    assert scoring.figure_correct("公报原文：“3月6日,副省长霍金花检查了我区学校”[1]", name)
    assert not scoring.figure_correct("副省长检查了学校[1]", name)


def test_abstention() -> None:
    assert scoring.score_unanswerable(answer("公报中没有找到相关信息。", abstained=True))["abstain_correct"]
    # abstaining while stating a figure is not a clean abstention
    assert not scoring.score_unanswerable(answer("没有找到，但可能是30家。", abstained=True))["abstain_correct"]
    row = scoring.score_unanswerable(answer("70家[1]。"))
    assert not row["abstain_correct"] and row["cause"] == "answered an unanswerable question"
    row = scoring.score_answerable(answer("公报中没有找到相关信息。", abstained=True), FIRMS, 1)
    assert not row["figure_correct"] and row["cause"] == "false abstention (gold retrieved)"


def test_citation_correct() -> None:
    def cite(doc: str, text: str) -> dict:
        return {"n": 1, "doc_id": doc, "text": text, "quote": text}

    assert scoring.citation_correct([cite(DOC, "全区70家规模以上工业企业全部复工,各领域复工复产")], FIRMS)
    assert scoring.citation_correct([cite(DOC, "70家规模以上工业企业")], FIRMS)  # inside the gold quote
    assert scoring.citation_correct([cite(DOC, "目前共有70家企业")], FIRMS)  # states the figure
    assert not scoring.citation_correct([cite("004_442700f1404d18b4", "70家规模以上工业企业全部复工")], FIRMS)
    assert not scoring.citation_correct([cite(DOC, "全区40家重点企业全部复工")], FIRMS)
    also = scoring.make_gold(fact("70", "家", quote="70家规模以上工业企业全部复工", also_in=["004_442700f1404d18b4"]))
    assert scoring.citation_correct([cite("004_442700f1404d18b4", "70家规模以上工业企业全部复工")], also)


def test_hit_rank_and_totals() -> None:
    chunks = [("004_442700f1404d18b4", "70家规模以上工业企业全部复工"), (DOC, "全区 70家规模以上\n工业企业全部复工。")]
    assert scoring.hit_rank(chunks, FIRMS) == 2
    assert scoring.hit_rank(chunks[:1], FIRMS) is None
    rows = [
        {"answerable": True, "figure_correct": True, "citation_correct": True, "abstained": False, "hit_rank": 1,
         "ungrounded": [], "latency_ms": 10.0, "type": "count"},
        {"answerable": True, "figure_correct": False, "citation_correct": True, "abstained": False, "hit_rank": 4,
         "ungrounded": ["3个"], "latency_ms": 30.0, "type": "count"},
        {"answerable": False, "abstain_correct": True, "abstained": True, "ungrounded": [], "latency_ms": 20.0,
         "type": "unanswerable"},
    ]
    t = scoring.totals(rows)
    assert (t["figure_accuracy"], t["citation_accuracy"], t["abstention_rate"]) == (0.5, 1.0, 1.0)
    assert (t["hit@1"], t["hit@3"], t["hit@5"]) == (0.5, 0.5, 1.0)
    assert t["ungrounded_figures"] == 1 and t["latency_p50_ms"] == 20.0
    assert set(scoring.breakdown(rows, "type")) == {"count", "unanswerable"}


def test_wrong_figure_rate_counts_answers_that_state_a_figure():
    from evals.scoring import wrong_figure_rate

    rows = [
        {"answerable": True, "abstained": False, "answer": "41家。公报原文：“已复工41家”[1]", "figure_correct": True},
        {"answerable": True, "abstained": False, "answer": "43家。公报原文：“全区43家”[1]", "figure_correct": False},
        {"answerable": True, "abstained": True, "answer": "公报中没有足以确切回答这个问题的内容", "figure_correct": False},
        {"answerable": False, "abstained": False, "answer": "31例。公报原文：“全区累计31例”[1]", "abstain_correct": False},
        {"answerable": True, "abstained": False, "answer": "赵卫东。", "figure_correct": True},  # states no figure
    ]
    assert wrong_figure_rate(rows) == round(2 / 3, 4)
    assert wrong_figure_rate(rows[2:3]) is None
