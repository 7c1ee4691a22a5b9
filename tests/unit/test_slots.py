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
from service.facts.reading import Context, build_facts, read_sentence
from service.facts.store import DocumentFacts
from service.intent import (
    asked_noun,
    asked_place,
    counted_noun,
    counts_other,
    fact_place_agreement,
    parse_intent,
)
from vectorstore.models import Chunk
from vectorstore.pipeline import process

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("question", "places", "towns", "asked"),
    [
        ("绵阳市游仙区有多少家规上工业企业复工了？", ["绵阳市", "游仙区"], [], "游仙区"),  # the place inside the other
        ("山东临沂市截至2月16日累计确诊多少例？", ["山东省", "临沂市"], [], "临沂市"),
        ("截至3月2日，鞍山铁西区复工的规上工业企业有多少家？", ["鞍山市", "铁西区"], [], "铁西区"),  # 沈阳 has one too
        ("义乌佛堂镇规上工业企业复工了多少家？", ["义乌市"], ["佛堂镇"], "义乌市"),
        ("平南县大安镇有多少家规上工业企业已复工？", ["平南县"], ["大安镇"], "平南县"),  # not 大安市 (吉林)
        ("义乌稠城街道规上工业企业复工率是多少？", ["义乌市"], ["稠城街道"], "义乌市"),
        ("修武县消毒消杀组有几名市级专家坐镇？", ["修武县"], [], "修武县"),  # 坐镇 is no town
        ("定州有多少个乡镇（办）能实时查看各村检查站点的管控情况？", ["定州市"], [], "定州市"),
        ("焦作市人民医院收治多少人？", ["焦作市"], [], None),  # no 治多县 in 收治多少; the hospital's figure
        ("定州宝塔医疗器械公司首批支援沧州市的医用口罩有多少只？", ["定州市", "沧州市"], [], None),
        ("卓立膜疫情初期排查出几名跟武汉有密切接触的员工？", ["武汉市"], [], None),  # a contact, not the scope
        ("金水区排查的返郑人员中，从湖北回来的有多少人？", ["金水区", "湖北省"], [], "金水区"),
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

累计确诊病例中，济南市47例、青岛市60例、淄博市29例。

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
    # "稠城街道、福田街道、佛堂镇的规上工业企业分别复工…": the last item runs into what all items share.
    assert extractive.answer("义乌佛堂镇规上工业企业复工了多少家？", [page], min_confidence=0.0).figure == "143家"
    # A town the page never names is not answered with the city's figure.
    assert extractive.answer("义乌稠城街道规上工业企业复工率是多少？", [page], min_confidence=0.0).figure is None


@pytest.mark.parametrize(
    ("sentence", "subject", "city", "places"),
    [
        # A list item's own place, not the clause's first (evals/calibration 203).
        ("2020年2月16日0时至24时，山东省报告新增确诊病例6例，其中青岛市1例、济宁市2例、德州市3例；新增治愈出院病例27例。",
         "山东省", "", {"6例": "山东省", "1例": "青岛市", "2例": "济宁市", "27例": "山东省"}),
        # 分别: the i-th place has the i-th figure (evals/calibration2 601).
        ("分地区看，铁东区、铁西区、立山区规上工业企业分别复工58家、71家、46家，复工率均超过九成。",
         "鞍山市", "鞍山市", {"58家": "铁东区", "71家": "铁西区", "46家": "立山区"}),
        # 全市 in a province's report is the city the sentence named, and 全市…医院 is no organisation's name.
        ("2月11日，武汉市又有2家方舱医院投入使用，全市开放方舱医院达到13家，提供床位1.35万张。",
         "湖北省", "", {"2家": "武汉市", "13家": "武汉市"}),
        # Places after 向 are objects, the whole list of them (seed 004).
        ("市工信局向安徽滁州、广东东莞等地发函6次协调原材料异地运输问题；", "焦作市", "焦作市", {"6次": "焦作市"}),
        # 高安镇 is a town of 垫江, not 高安市 (evals/calibration2 604).
        ("分镇街看，桂溪街道、澄溪镇、高安镇的规上工业企业分别复工24家、19家、17家。", "垫江县", "",
         {"19家": "垫江县"}),
        # 大沙河 is a river, not 沙河市 (seed 000).
        ("示范区黄河路以北、大沙河以南首批列入搬迁改造计划的企业共16家。", "示范区", "焦作市", {"16家": "示范区"}),
    ],
)
def test_a_figures_place_is_read_from_its_own_list_item_or_actor(sentence, subject, city, places):
    rows = {r.figure.text: r.place for r in read_sentence(sentence, Context(subject, city, "2020-03-03"))}
    assert {k: rows[k] for k in places} == places


def test_a_date_range_is_a_period_not_the_day_it_starts():
    (row,) = [r for r in read_sentence("2月1日至23日，靖江港外贸货物吞吐量73万吨。", Context("靖江市", "靖江市", "2020-02-25"))
              if r.figure.text == "73万吨"]
    assert (row.as_of, row.period) == (None, "2月1日至23日")


def test_the_counted_noun_of_a_question_and_figures_that_count_another_thing():
    assert counted_noun("名仁明康满负荷时日产口罩多少个？") == "口罩"
    assert counted_noun("2月17日起靖江城区公交每天的客运量是多少？") == "客运量"
    assert counted_noun("垫江“点对点”返岗专车输送了多少务工人员？") == "人员"  # not 86辆 of the buses
    assert counted_noun("焦作市3家酒精生产企业是多少？") is None  # asks for something of the firms
    assert counted_noun("焦作市工信局解决了龙佰集团等重点企业多少个紧急运输问题？") is None  # counts 问题
    q = "焦作防疫物资企业口罩累计产量是多少？"
    assert counts_other(q, "项目进入省防疫物资企业技术改造项目库")  # "4个项目"
    assert counts_other("名仁明康满负荷时日产口罩多少个？", "口罩生产企业协调原材料")  # "3家口罩生产企业"
    assert not counts_other(q, "、消毒剂1373.5吨")
    assert (asked_noun("靖江第三批援鄂医疗队里有几名护士？"), asked_noun("示范区有几家规上工业企业已经复工？")) == ("护士", None)


def test_list_items_and_changes_answer_with_their_metric():
    # evals/calibration2 601 and 602: the metric of a 分别 list stands with its last item; a new value after
    # 由…提高到 has its metric before the old one.
    ansh = next((ROOT / "evals" / "calibration2" / "bulletins").glob("601_*.txt"))
    page = _passage(ansh.stem, ansh.read_text(encoding="utf-8"), "2020-03-03")
    got = extractive.answer("截至3月2日，鞍山铁西区复工的规上工业企业有多少家？", [page], min_confidence=0.0)
    assert got.figure == "71家"
    assert "铁东区、铁西区、立山区" in got.answer  # the quote is the sentence, not the bare "71家、"
    text = ("包头市在防疫物资保障方面，全市口罩日产能由疫情初期的不足2万只提高到目前的35万只，医用酒精日产量达到60吨。"
            "全市累计为企业协调口罩18万只、防护服1.2万套。全市规上工业企业复工率达到95.6%。")
    assert extractive.answer("包头现在口罩的日产能是多少？", [_passage("602_t", text, "2020-03-06")],
                             min_confidence=0.0).figure == "35万只"
    # "累计确诊病例中，…青岛市60例": the list's metric is its head clause's; 新增's list item is not 累计.
    report = _passage("203_t", REPORT, "2020-02-17")
    assert extractive.answer("截至2月16日24时，青岛市累计确诊病例有多少例？", [report], min_confidence=0.0).figure == "60例"


def test_a_figure_dated_only_by_its_bulletins_day_is_not_of_a_day_long_before():
    from service.chat.figure_slots import stale_figure

    text = "盐城日报 2020年3月4日 第01版\n\n盐城全面推进复工复产\n\n全市规上工业企业复工率达96.2%，规模以下工业企业复工率为73.5%。\n市领导到车站为队员送行。\n"
    page = _passage("801_t", text, "2020-03-04")
    at = page.clean.text.index("96.2%")
    assert page.facts.at(at) is not None and "发布日" in page.facts.at(at).as_of
    assert stale_figure(page, at, parse_intent("2月18日盐城规上工业企业复工率是多少？"))  # 15 days before
    assert stale_figure(page, at, parse_intent("3月10日盐城规上工业企业复工率是多少？"))  # after it
    assert not stale_figure(page, at, parse_intent("截至3月2日，盐城规上工业企业复工率是多少？"))  # reported as current
    assert not stale_figure(page, at, parse_intent("盐城规上工业企业复工率是多少？"))
    # A figure its sentence dates is judged by that date (figure_day), not here.
    dated = _passage("801_u", text.replace("全市规上", "截至2月18日，全市规上"), "2020-03-04")
    assert not stale_figure(dated, dated.clean.text.index("96.2%"), parse_intent("2月18日盐城规上工业企业复工率是多少？"))


def test_a_related_news_item_is_not_of_the_report_above_it():
    # evals/calibration2/603: a report's "相关链接" section (2月19日) ends where a news item's headline starts;
    # the item's paragraph is dated after its lead-in ("本网讯　记者从…获悉，截至2月20日，").
    text = ("相关链接：2020年2月19日宁夏新型冠状病毒肺炎疫情通报\n\n"
            "2020年2月19日0时至24时，宁夏报告新增确诊病例2例。\n\n"
            "相关新闻\n\n全区规上工业企业复工率达80.2%\n\n"
            "本网讯　记者从自治区工业和信息化厅获悉，截至2月20日，全区1286家规模以上工业企业已复工1031家。"
            "其中，吴忠市的规上工业企业复工176家。\n\n"
            "为帮助企业解决用工问题，自治区人社厅开行返岗专车。\n")
    day = dict(zip(*section_dates(text), strict=True))
    line = {t: max(o for o in day if o <= text.index(t)) for t in ("宁夏报告新增", "1031家", "返岗专车")}
    assert day[line["宁夏报告新增"]] == (2, 19)
    assert day[line["1031家"]] == (2, 20)
    assert day[line["返岗专车"]] is None  # undated: unknown, not the report's 2月19日


def test_months_asked_against_the_months_a_figure_is_of():
    from service.chat.figure_slots import period_agreement
    from service.facts.reading import months_of, time_phrase

    assert months_of("1月份洛阳外贸进出口总值是多少？") == (1, 1)
    assert months_of("1—2月温州出口多少？") == (1, 2)
    assert months_of("截至2月16日累计确诊多少例？") is None and months_of("2月底复工多少家？") is None
    # The reader takes 1—2月 as a period (two months' total), not a day.
    assert time_phrase("1—2月，全市外贸进出口总值21.4亿元", 10) == (None, "1—2月")
    # evals/calibration3/805: 1—2月 carries over the ； to 其中出口.
    text = ("洛阳日报 2020年3月12日 第01版\n\n洛阳外贸稳中有进\n\n"
            "1—2月，全市外贸进出口总值21.4亿元，同比下降12.6%；其中出口14.8亿元，同比下降9.3%。\n市领导到车站为队员送行。\n")
    page = _passage("805_t", text, "2020-03-12")
    at = page.clean.text.index("14.8亿元")
    assert page.facts.at(at).period == "1—2月"
    assert period_agreement(page, at, "1—2月洛阳出口多少？") == 1.0
    assert period_agreement(page, at, "1月份洛阳出口多少？") == -1.0
    assert period_agreement(page, at, "洛阳出口多少？") == 0.0
