"""Question slots against a figure's own place and day: whose figure a question asks for (the most specific
place, not a place inside an organisation's name, a town the gazetteer does not hold), the place and day its
fact gives the figure (its clause's actor, its paragraph's or section's date), and answers that follow them.
Texts are lines of the training bulletins in evals/calibration and evals/generalization (synthetic pages in
the layouts of real ones)."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.chat import extractive
from service.chat.extractive import opposite_scale
from service.chat.figure_slots import date_agreement, section_dates
from service.citations import Passage
from service.facts.reading import build_facts
from service.facts.store import DocumentFacts
from service.intent import asked_place, fact_place_agreement, parse_intent
from vectorstore.models import Chunk
from vectorstore.pipeline import process

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("question", "places", "towns", "asked"),
    [
        ("绵阳市游仙区有多少家规上工业企业复工了？", ["绵阳市", "游仙区"], [], "游仙区"),  # the place inside the other
        ("山东临沂市截至2月16日累计确诊多少例？", ["山东省", "临沂市"], [], "临沂市"),
        ("义乌佛堂镇规上工业企业复工了多少家？", ["义乌市"], ["佛堂镇"], "义乌市"),
        ("平南县大安镇有多少家规上工业企业已复工？", ["平南县"], ["大安镇"], "平南县"),  # not 大安市 (吉林)
        ("义乌稠城街道规上工业企业复工率是多少？", ["义乌市"], ["稠城街道"], "义乌市"),
        ("修武县消毒消杀组有几名市级专家坐镇？", ["修武县"], [], "修武县"),  # 坐镇 is no town
        ("定州有多少个乡镇（办）能实时查看各村检查站点的管控情况？", ["定州市"], [], "定州市"),
        ("焦作市人民医院收治多少人？", ["焦作市"], [], None),  # no 治多县 in 收治多少; the hospital's figure
        ("定州宝塔医疗器械公司首批支援沧州市的医用口罩有多少只？", ["定州市", "沧州市"], [], None),
    ],
)
def test_question_slots(question, places, towns, asked):
    intent = parse_intent(question)
    assert (intent.places, intent.towns, asked_place(intent)) == (places, towns, asked)


def test_fact_place_agreement():
    assert fact_place_agreement("义乌市", "义乌市") == 1.0
    assert fact_place_agreement("义乌市", "金华市") == -1.0  # the city's rate is not the county-level city's
    assert fact_place_agreement("游仙区", "绵阳市") == -1.0  # nor the city's the district's
    assert fact_place_agreement("临沂市", "山东省") == -1.0
    assert fact_place_agreement("义乌市", "区内") == 0.0  # a word no gazetteer holds says nothing
    assert fact_place_agreement(None, "绵阳市") == 0.0


def test_money_words_ask_for_yuan_and_scale_words_for_their_own_firms():
    assert parse_intent("义乌给市场经营户减免的商位使用费一共多少？").unit == "元"
    assert parse_intent("今年1—2月泉州出口额是多少？").unit == "元"
    assert parse_intent("免费发放了多少口罩？").unit == ""  # 免费 is no amount of money
    assert opposite_scale("泉州市规上工业企业复工率有多少？", "规模以下工业企业复工率也达到了")
    assert not opposite_scale("泉州市规上工业企业复工率有多少？", "全市规模以上工业企业复工率")
    assert opposite_scale("规下企业复工率是多少？", "全市规上工业企业复工率")


# Two daily reports on one page, the newer first, each headed with its publication day (evals/calibration 203).
REPORT = """2020年2月17日山东省新型冠状病毒肺炎疫情情况

发布日期：2020-02-17 08:00

2020年2月16日0时至24时，山东省报告新型冠状病毒肺炎新增确诊病例6例，其中青岛市1例、济宁市2例；新增治愈出院病例27例。

截至2月16日24时，全省累计报告新型冠状病毒肺炎确诊病例536例，累计治愈出院病例205例。

目前，全省共追踪到密切接触者13106人，尚在医学观察的有1102人。

2020年2月16日山东省新型冠状病毒肺炎疫情情况

发布日期：2020-02-16 08:00

2020年2月15日0时至24时，山东省报告新型冠状病毒肺炎新增确诊病例8例，其中济南市1例、青岛市2例；新增治愈出院病例23例。

截至2月15日24时，全省累计报告新型冠状病毒肺炎确诊病例530例，累计治愈出院病例178例。

目前，全省共追踪到密切接触者12968人，尚在医学观察的有1184人。
"""


def _passage(doc_id: str, text: str, published: str) -> Passage:
    p = process(doc_id, text)
    clean = p.clean
    chunk = Chunk(chunk_id="c1", doc_id=doc_id, article=0, text=clean.text, start=0, end=len(text), clean_start=0,
                  clean_end=len(clean.text), places=p.articles[0].places, published=published)
    return Passage(1, chunk, clean, text, facts=DocumentFacts(build_facts(doc_id, text, clean, p.articles)))


def test_a_section_is_of_its_first_dated_paragraph_day_not_its_headings():
    text = process("203_t", REPORT).clean.text
    day = dict(zip(*section_dates(text), strict=True))
    at = {t: max(o for o in day if o <= text.index(t)) for t in ("13106人", "12968人")}
    assert day[at["13106人"]] == (2, 16)  # headed 2月17日 (published), it reports 2月16日
    assert day[at["12968人"]] == (2, 15)
    assert date_agreement(parse_intent("截至2月15日24时，山东累计追踪到的密切接触者有多少人？"), (2, 15)) == 1.0
    assert date_agreement(parse_intent("截至2月15日24时，山东累计追踪到的密切接触者有多少人？"), (2, 16)) == -1.0
    assert date_agreement(parse_intent("山东累计追踪到的密切接触者有多少人？"), (2, 16)) == 0.0


def test_answers_follow_the_asked_day_and_the_figures_own_place():
    report = _passage("203_t", REPORT, "2020-02-17")
    q = "截至2月15日24时，山东累计追踪到的密切接触者有多少人？"
    assert extractive.answer(q, [report], min_confidence=0.0).figure == "12968人"
    assert extractive.answer(q.replace("15日", "16日"), [report], min_confidence=0.0).figure == "13106人"

    # evals/calibration 205, a county-level city's portal page: the prefecture's rate stands beside its own.
    path = next((ROOT / "evals" / "calibration" / "bulletins").glob("205_*.txt"))
    page = _passage(path.stem, path.read_text(encoding="utf-8"), "2020-02-28")
    assert extractive.answer("义乌规上工业企业复工率是多少？", [page], min_confidence=0.0).figure == "97.6%"
    # A town the page never names is not answered with the city's figure.
    assert extractive.answer("义乌稠城街道规上工业企业复工率是多少？", [page], min_confidence=0.0).figure is None
