"""Layouts read while heldout7 was turned into a training set (evals/heldout7/bulletins, synthetic, ninth
session): a town's own report, a 统计局 release with quarters and months compared, a 问/答 briefing whose
answers are labelled with the speaker in brackets, a county 战疫日报 with numbered headings. Each test is
written on a snippet or a whole bulletin of that set."""

from __future__ import annotations

from service.chat import extractive
from service.chat.parts import split_question
from service.facts.reading import build_facts, months_of
from service.intent import ask_form, asked_place, parse_intent
from tests.unit.test_layouts import _bulletin, _fact_places, _one_article
from vectorstore.cleaning import clean


def _facts(text: str, places: list[str]):
    c, art = _one_article(text, places)
    return {f.figure.text: f for f in build_facts("d", text, c, [art])}


# --------------------------------------------------------------------------- cleaning


def test_a_numbered_heading_keeps_its_own_line_but_a_wrapped_sentence_is_joined():
    text = clean("①全县疫情最新情况\n截至2月21日24时，全县累计报告确诊病例3例。\n（一）疫情防控情况\n1．排查管控。").text
    assert text.split("\n")[:2] == ["①全县疫情最新情况", "截至2月21日24时，全县累计报告确诊病例3例。"]
    assert "（一）疫情防控情况\n" in text
    # seeds/002: "…定点医疗机构之\n一、示范区唯一一家发热门诊" is one sentence cut by the column, not a heading
    wrapped = clean("焦作同仁医院作为我市30家发热门诊定点医疗机构之\n一、示范区唯一一家发热门诊").text
    assert "\n" not in wrapped


# --------------------------------------------------------------------------- figure facts


def test_a_compared_place_in_brackets_and_compared_months_are_the_values_own():
    facts = _facts("一季度，全市实现地区生产总值356.82亿元，同比下降5.2%，降幅比全省（下降8.3%）小3.1个百分点；"
                   "其中3月份下降9.4%。一季度，全市社会消费品零售总额168.35亿元，同比下降14.6%，"
                   "降幅比1—2月的下降17.9%收窄3.3个百分点。", ["海口市"])
    assert facts["8.3%"].place == "海南省" and facts["5.2%"].place == "海口市"
    assert (facts["14.6%"].period, facts["17.9%"].period) == ("一季度", "1—2月")
    assert months_of("一季度") == (1, 3) and months_of("第二季度") == (4, 6) and months_of("1—2月") == (1, 2)
    assert months_of("前两个月") == (1, 2) and months_of("上半年") == (1, 6)


def test_same_day_a_source_lead_and_listed_destinations():
    facts = _facts("截至3月10日24时，全县累计报告确诊病例1例，已于2月19日治愈出院；同日，全市累计报告确诊病例4例。"
                   "据天津海关统计，1—2月，全市外贸进出口总值1098.6亿元，同比下降8.9%；其中出口412.3亿元。", ["普定县"])
    assert facts["4例"].as_of == "截至3月10日24时"  # the paragraph's 截至…, not 2月19日 said before it
    assert facts["412.3亿元"].period == "1—2月"  # the months after "据…统计，" run on along the ；
    places = _fact_places("本周开行专车12辆次，向大连、天津等地输送务工人员460余人；全县外出务工人员已返岗1.2万人。", ["昌图县"])
    assert places["460余人"] == "昌图县"  # 天津 is where they went, not who sent them


# --------------------------------------------------------------------------- questions


def test_what_a_question_names_as_its_source_zone_new_area_or_counted_thing():
    assert asked_place(parse_intent("这份海口一季度经济运行材料里，海南全省GDP降幅是多少？")) == "海南省"
    assert asked_place(parse_intent("昌图战疫日报里，辽宁全省累计确诊了多少例？")) == "辽宁省"
    assert "昌图" in ask_form("昌图战疫日报里，累计确诊了多少例？")  # no place of its own: the source's stays
    assert asked_place(parse_intent("海口国家高新区一季度医药产业产值是多少？")) == "高新区"
    assert parse_intent("江东新区是哪天集中开工的？").places == []  # 海口's new area, not 宁波's 江东区
    assert parse_intent("浦东新区确诊多少例？").places == ["浦东新区"]
    assert parse_intent("美兰机场一季度旅客吞吐量多少？").counted >= {"人次"}
    creators = parse_intent("兰州的创业担保贷款扶持了多少创业者？")
    assert creators.unit != "元" and "人" in creators.counted
    assert parse_intent("城关区复工复产服务专线是多少？").wants == "phone"


def test_days_and_periods_listed_are_one_part_each():
    parts = split_question("2月21日和2月20日，昌图县尚在医学观察的人数各是多少？")
    assert [(p.label, p.question) for p in parts] == [
        ("2月21日", "2月21日，昌图县尚在医学观察的人数是多少？"), ("2月20日", "2月20日，昌图县尚在医学观察的人数是多少？")]
    parts = split_question("一季度和1—2月，海口社会消费品零售总额分别同比下降多少？")
    assert [p.question for p in parts] == ["一季度，海口社会消费品零售总额同比下降多少？",
                                           "1—2月，海口社会消费品零售总额同比下降多少？"]


# --------------------------------------------------------------------------- answers on whole bulletins


def test_a_towns_own_report_answers_for_the_town_not_its_city():
    p = _bulletin("heldout7", "934")  # 温岭市泽国镇's report: 全镇, and figures of no named place, are 泽国's
    for question, want in (("泽国镇一共设了多少个村居卡口？", "86个"), ("泽国规上企业复工率是多少？", "99.3%"),
                           ("泽国镇用点对点包车接回了多少外来员工？", "3150余人")):
        got = extractive.answer(question, [p], min_confidence=0.0)
        assert got.figure == want, (question, got.answer)
    got = extractive.answer("泽国这份汇报里，温岭全市规下企业复工率平均是多少？", [p], min_confidence=0.0)
    assert got.figure == "89.5%"  # "高于全市89.5%的平均水平" names the city's


def test_a_day_or_months_asked_and_the_whole_of_a_place_asked():
    p = _bulletin("heldout7", "932")  # 昌图县 (铁岭): two days' 医学观察 figures, a county's 复工率
    assert extractive.answer("2月20日那天昌图县还有多少人在医学观察？", [p], min_confidence=0.0).figure == "25人"
    assert extractive.answer("2月19日24时昌图县尚在医学观察多少人？", [p], min_confidence=0.0).figure is None
    assert extractive.answer("截至2月21日，铁岭全市规上工业企业复工率是多少？", [p], min_confidence=0.0).figure is None
    q = extractive.answer("截至2月21日，昌图县规上工业企业复工率是多少？", [p], min_confidence=0.0)
    assert q.figure == "67.4%"
    h = _bulletin("heldout7", "931")  # 海口: 一季度 figures and the 1—2月 values they are compared with
    assert extractive.answer("1—2月海口地区生产总值是多少？", [h], min_confidence=0.0).figure is None
    assert extractive.answer("1—2月海口社零总额同比下降了多少？", [h], min_confidence=0.0).figure == "17.9%"
    assert extractive.answer("3月份海口规上工业增加值同比下降多少？", [h], min_confidence=0.0).figure == "9.4%"


def test_a_speaker_in_brackets_says_which_district_quanqu_is():
    p = _bulletin("heldout7", "933")  # 兰州: "答（城关区副区长 陈志红）：…全区…", then 西固区's deputy
    assert extractive.answer("城关区限上商贸企业复工率是多少？", [p], min_confidence=0.0).figure == "89.7%"
    assert extractive.answer("西固区企业现在用工缺口大概多少人？", [p], min_confidence=0.0).figure == "约1200人"
    assert extractive.answer("截至3月17日，城关区复工企业到岗率是多少？", [p], min_confidence=0.0).figure is None
    phone = extractive.answer("城关区复工复产服务专线是多少？", [p], min_confidence=0.0)
    assert phone.figure == "（0931）8826312"


# --------------------------------------------------------------------------- heldout8's layouts (read the same session)


def test_a_data_cards_label_and_value_lines_stay_apart_and_read_as_their_labels_figures():
    text = "【复工复产】（截至3月25日）\n规上工业企业：186家\n已复工：181家\n复工率：97.3%\n1—2月工业用电量：5.62亿千瓦时，同比增长2.1%\n"
    assert clean(text).text.split("\n")[1:3] == ["规上工业企业：186家", "已复工：181家"]  # not one long line
    facts = _facts(text, ["喀什地区"])
    assert (facts["186家"].metric, facts["181家"].metric, facts["97.3%"].metric) == ("规上工业企业", "复工", "复工率")
    assert facts["5.62亿千瓦时"].period == "1—2月"
    # a speaker's colon still ends a clause: "答（…）：截至3月17日，…" is no label and value
    assert clean("答（城关区副区长 陈志红）：截至3月17日，全区限额以上商贸企业1286家，已复工1153家，复工率89.7%。").text.count("\n") == 0


def test_the_day_before_in_brackets_and_this_weeks_value_before_last_weeks():
    facts = _facts("截至3月1日24时，全区现有集中隔离医学观察人员286人，较前一日（320人）减少34人。", ["西藏自治区"])
    assert facts["320人"].as_of == "2月29日" and facts["286人"].as_of == "截至3月1日24时"
    facts = _facts("据自治区卫生健康委通报，截至3月5日24时，全区累计报告确诊病例75例。截至同一时间，我市累计报告确诊病例11例。",
                   ["包头市"])
    assert facts["11例"].as_of == "截至3月5日24时"
    # evals/heldout6/925 (赤峰): a card's value before "（上周：…）" is this week's, though no 本周 is written
    from service.facts.store import DocumentFacts
    from tests.unit.test_layouts import _passage

    original = "【数据卡片】\n■规上工业企业复工率：97.2%（上周：91.5%）\n市领导到车站为队员送行。各检查站24小时值守。\n"
    c, art = _one_article(original, ["赤峰市"])
    p = _passage(c.text, ["赤峰市"])
    p.facts = DocumentFacts(build_facts("d", original, c, [art]))
    assert extractive.answer("上周赤峰规上工业企业复工率是多少？", [p], min_confidence=0.0).figure == "91.5%"
    assert extractive.answer("本周赤峰规上工业企业复工率是多少？", [p], min_confidence=0.0).figure == "97.2%"


def test_a_county_papers_masthead_names_the_county_of_its_items():
    from vectorstore.pipeline import bulletin_county, process

    assert bulletin_county("今日镇赉\n2020年4月8日　星期三　第2版") == "镇赉县"
    assert bulletin_county("靖江日报\n…") is None  # a county-level city's paper is bulletin_city's
    doc = process("d", "今日镇赉\n\n东屏镇：企业复工 群众返岗\n\n本报讯　截至4月7日，全镇32家企业已复工30家。"
                       "全镇外出务工人员6800余人，主要前往浙江、江苏、山东等地务工。\n")
    assert doc.articles[0].places[0] == "镇赉县"  # not 浙江, where its workers went
