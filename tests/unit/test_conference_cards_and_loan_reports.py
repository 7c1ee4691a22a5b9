"""Layouts read while heldout14 was turned into a training set (evals/heldout14/bulletins, synthetic, fourteenth
session): a city's 发布会 with a county-level city's vice mayor, a WeChat 数据速览 card and 【区县】 lines, a
卫健委 run of daily notices, a 人社局 notice with a county table whose first column is a year, and a central
bank branch's loan report. Each test is written on a snippet or a whole bulletin of that set."""

from __future__ import annotations

from service.chat.parts import split_question
from service.chat.tables import row_cells
from service.facts.reading import figure_part
from service.figures import parse_figures
from service.intent import parse_intent
from tests.unit.test_layouts import _bulletin
from tests.unit.test_price_tables import _facts, _figure
from vectorstore.cleaning import clean

# --------------------------------------------------------------------------- cleaning and figures


def test_a_data_cards_bracketed_lines_stay_lines():
    text = clean("📊 数据速览（截至4月7日）\n【规上工业】4126家全部复工　员工返岗率97.3%\n"
                 "【限上商贸】1862家复业1848家　复业率99.2%\n").text
    assert text.split("\n")[1:] == ["【规上工业】4126家全部复工员工返岗率97.3%", "【限上商贸】1862家复业1848家复业率99.2%"]


def test_a_limit_keeps_its_not():
    figs = parse_figures("每日接待不超过8000人次，每桌不超过4人，每日消毒不少于2次")
    assert [(f.text, f.qualifier) for f in figs] == [("不超过8000人次", "不超过"), ("不超过4人", "不超过"),
                                                     ("不少于2次", "不少于")]


def test_the_count_after_what_some_of_a_whole_did_is_the_part():
    clause = "【限上商贸】1862家复业1848家复业率99.2%"
    assert [figure_part(clause, f) for f in parse_figures(clause)] == ["", "part", ""]


# --------------------------------------------------------------------------- figure facts


def test_a_bracketed_district_label_and_a_month_end_that_carries():
    facts = _facts("【上虞】3月份全区新签约项目12个，总投资28.6亿元。", ["绍兴市", "上虞区"])
    assert facts["12个"].place == facts["28.6亿元"].place == "上虞区"  # 【上虞】: a district by its short name
    facts = _facts("3月末，全市金融机构本外币各项贷款余额1862.4亿元，同比增长9.8%；各项存款余额2486.3亿元。", ["延安市"])
    assert facts["2486.3亿元"].as_of == "3月末"  # not the publication day


# --------------------------------------------------------------------------- questions


def test_questions_on_zones_loans_and_gaps():
    assert parse_intent("金海湖新区外出务工返岗率是多少？").towns == ["金海湖新区"]  # a zone no gazetteer holds
    assert parse_intent("2月末延安各项贷款余额是多少？").dates == [(None, 2, 29)]
    loans = parse_intent("延安重点保障企业获得优惠利率贷款多少？")
    assert (loans.wants, loans.unit) == ("figure", "元")  # 利率 names which loans
    assert parse_intent("吉安1—2月规上工业增加值降幅比全省小多少？").unit == "个百分点"
    assert parse_intent("延安运用了多少支农支小再贷款？").unit == "元"  # money: 支 opens 支农, no unit


def test_two_part_questions_of_one_ask_and_of_a_pair():
    assert [p.question for p in split_question("延安运用了多少支农支小再贷款和再贴现？")] == [
        "延安运用了多少支农支小再贷款？", "延安运用了多少再贴现？"]
    pair = split_question("延安延期还本付息里，小微企业和个体工商户、农户的金额各是多少？")
    assert [p.of for p in pair] == ["小微企业", "个体工商户、农户"]


def test_a_table_whose_column_is_named_by_a_year():
    text = clean("县（区）｜2019年外出务工｜已返岗｜返岗率\n七星关区｜31.0万人｜22.1万人｜71.3%\n").text
    assert [c.column for c in row_cells(text, text.index("七星关区"))] == ["2019年外出务工", "已返岗", "返岗率"]


# --------------------------------------------------------------------------- answers on whole bulletins


def test_a_press_conference_tells_the_province_its_limits_and_two_days_apart():
    p = _bulletin("heldout14", "901")
    assert _figure("江西全省规上工业企业员工到岗率是多少？", p) is None  # 98.6% is 全省's 复工率
    assert _figure("江西全省规上工业企业复工率是多少？", p) == "98.6%"
    assert _figure("3月18日当天井冈山接待了多少游客？", p) != "1.26万人次"  # 3月18日至19日's
    assert _figure("吉安1—2月规上工业增加值降幅比全省小多少？", p) == "1.7个百分点"
    assert _figure("吉安口罩日产能现在有多少？", p) == "42万只"


def test_a_wechat_card_answers_parts_and_labelled_districts():
    p = _bulletin("heldout14", "902")
    assert _figure("绍兴限上商贸企业复业了多少家？", p) == "1848家"
    assert _figure("上虞区3月份新签约了多少个项目？", p) == "12个"
    assert _figure("浙江全省1—2月规上工业增加值下降了多少？", p) is None  # 全省's 96.1% is a 返岗率
    assert _figure("绍兴消费券领到后多少天内必须用？", p) == "10天"


def test_a_county_table_and_a_subgroups_rate():
    p = _bulletin("heldout14", "904")
    assert _figure("七星关区已经返岗了多少人？", p) == "22.1万人"
    assert _figure("威宁县返岗率是多少？", p) == "66.6%"
    assert _figure("毕节外出务工人员返岗率多少？", p) == "69.0%"  # not 贫困劳动力's 71.3%
    assert _figure("毕节贫困劳动力返岗率多少？", p) == "71.3%"
    assert _figure("金海湖新区外出务工返岗率是多少？", p) is None


def test_a_loan_report_tells_amounts_costs_gaps_and_month_ends_apart():
    p = _bulletin("heldout14", "905")
    assert _figure("延安重点保障企业获得优惠利率贷款多少？", p) == "6.82亿元"
    assert _figure("贴息后延安重点企业实际融资成本是多少？", p) == "1.43%"  # not 贴息50%
    assert _figure("延安一季度新增贷款比去年同期多增了多少？", p) == "12.4亿元"
    assert _figure("延安贷款增速比全省高几个百分点？", p) == "0.9个百分点"
    assert _figure("3月末延安存款余额多少？", p) == "2486.3亿元"
    assert _figure("2月末延安各项贷款余额是多少？", p) is None
