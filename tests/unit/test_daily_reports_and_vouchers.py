"""Layouts read while heldout16 was turned into a training set (evals/heldout16/bulletins, synthetic, fifteenth
session): a 农业农村局 spring-sowing daily with a county table, a 商务局 voucher report, a 卫健委 daily epidemic
report with a ：-headed county list, and a newspaper front page whose 导读 rounds the story's figures. Each test is
written on a snippet or a whole bulletin of that set."""

from __future__ import annotations

from service.chat import extractive
from service.chat.extractive import _list_head, _unasked_kind, _within_bound, make_topic
from service.figures import parse_figures
from service.intent import expand_question, fits, parse_intent
from tests.unit.test_layouts import _bulletin
from tests.unit.test_price_tables import _facts, _figure


def test_a_short_name_right_after_a_place_it_is_not_part_of_is_a_word():
    assert parse_intent("截至4月27日双鸭山大田一共播了多少？").places == ["双鸭山市"]  # 大田: field crops, not 大田县
    assert parse_intent("双鸭山宝清播了多少亩？").places == ["双鸭山市", "宝清县"]
    assert parse_intent("江苏南通进出口多少？").places == ["江苏省", "南通市"]


def test_trips_of_machines_and_cases_asked_as_several():
    asks = parse_intent("4月27日双鸭山下地的农机具有多少台次？")
    assert asks.unit == "台次" and fits(asks, parse_figures("2.36万台次")[0])
    assert fits(parse_intent("2月15日当天邵阳治愈出院了几个？"), parse_figures("6例")[0])
    assert not fits(parse_intent("邵阳设了几个集中隔离点？"), parse_figures("6例")[0])


def test_a_word_may_have_several_wordings():
    assert "核销" in expand_question("扬州消费券已经用掉多少张？")
    assert {"累计", "合计"} <= set(expand_question("首期消费券一共发了多少张？").split())
    # "产多少煤" is written "产煤": the words either side of 多少 are read as one too
    assert any("产煤" in topic for topic in make_topic("府谷县每天产多少煤？", ["府谷县"]))
    assert not any("种亩" in topic for topic in make_topic("靖边要种多少亩？", ["靖边县"]))  # 多少亩 asks a unit


def test_a_list_headed_by_what_it_counts():
    assert _list_head("累计确诊病例分布：邵东市18例，隆回县15例，洞口县10例。") == "累计确诊病例分布"
    assert _list_head("联系人：王丽娟") == ""


def test_a_kind_the_question_does_not_narrow_to():
    assert _unasked_kind("截至4月27日双鸭山大田一共播了多少？", "全市小麦播种已基本结束，累计播种")
    assert not _unasked_kind("双鸭山小麦累计播了多少？", "全市小麦播种已基本结束，累计播种")
    assert not _unasked_kind("江都区另外发了多少配套券？", "江都区在市级消费券之外另发放区级配套券")
    assert not _unasked_kind("外贸总值多少？", "全市进出口总值")  # 进出口 is the whole of 出口 and 进口


def test_an_exact_figure_is_preferred_to_its_rounding():
    rounded, exact = parse_figures("超九成")[0], parse_figures("91.9%")[0]
    assert _within_bound(exact, rounded) and not _within_bound(parse_figures("86.2%")[0], rounded)
    assert not _within_bound(parse_figures("7800人次")[0], parse_figures("不超过8000人次")[0])  # a limit
    p = _bulletin("heldout16", "815")
    assert _figure("神木兰炭企业复产率多少？", p) == "91.9%"
    assert _figure("府谷县每天产多少煤？", p) == "26.4万吨"
    assert _figure("2月底榆林规上工业企业复工率是多少？", p) is None  # the paper's 93.7% is of 3月10日


def test_a_sowing_daily_reads_its_day_its_total_and_its_table():
    p = _bulletin("heldout16", "811")
    assert _figure("4月27日这一天双鸭山全市播了多少亩地？", p) == "17.6万亩"
    assert _figure("截至4月27日双鸭山大田一共播了多少？", p) == "125.2万亩"  # not 当日's, nor 小麦's
    assert _figure("双鸭山现在春播进度到多少了？", p) == "15.6%"  # not the 1 of 表1
    assert _figure("尖山区到4月27日累计播种了多少亩？", p) is None  # 市辖区 is four districts together


def test_a_voucher_report():
    p = _bulletin("heldout16", "813")
    assert _figure("扬州第一期消费券总共多少钱？", p) == "5000万元"  # 首期 is 第一期
    assert _figure("首期消费券一共发了多少张？", p) == "86.4万张"
    assert _figure("江都区自己另外发了多少配套券？", p) == "500万元"


def test_an_epidemic_daily():
    p = _bulletin("heldout16", "814")
    assert _figure("2月15日当天邵阳治愈出院了几个？", p) == "6例"  # not 累计's 38例
    assert _figure("邵阳重症病人有几个？", p) == "5例"
    assert _figure("城步县一共确诊了几例？", p) == "2例"
    assert _figure("邵阳确诊病例里输入性的有多少？", p) == "61例"
    assert _facts("有湖北旅居史或接触史的输入病例61例。", ["邵阳市"])["61例"].place == "邵阳市"  # 湖北 is where from


def test_a_county_line_a_plan_and_another_day_do_not_answer():
    daily = _bulletin("heldout16", "814")
    assert _figure("2月14日邵阳新增了多少确诊病例？", daily) != "1例"  # "隆回县：当日新增的1例…" is the county's
    vouchers = _bulletin("heldout16", "813")
    planned = [c for c in extractive.candidates("扬州发放了多少汽车消费补贴？", [vouchers])
               if c.figure is not None and c.figure.text == "2000万元"]
    assert planned and all(c.features["unasked_modifier"] == 1.0 for c in planned)  # "…2000万元定于5月1日发放"
    assert _figure("第二期消费券有多少钱？", vouchers) == "2000万元"
    assert _figure("4月17日扬州消费券当天核销了多少？", vouchers) is None  # no figure is of that day


# --------------------------------------------------------------------------- heldout17 (read later in the session)


def test_a_line_of_days_and_figures_keeps_each_day_with_its_figure():
    from vectorstore.cleaning import clean, is_item_row

    text = clean("附：第12周每日揽收量\n3月16日　26.4万件　　3月17日　27.2万件\n3月18日　27.8万件　　3月19日　28.1万件\n\n"
                 "分地区看，市区日均揽收20.3万件。").text
    assert text.split("\n")[:3] == ["附：第12周每日揽收量", "3月16日26.4万件；3月17日27.2万件", "3月18日27.8万件；3月19日28.1万件"]
    assert not is_item_row("发布时间：2020-03-24　　来源：市场监管科")  # 来源 has no figure: a meta line
    p = _bulletin("heldout17", "822")
    assert _figure("3月21日那一天蚌埠揽收了多少件快递？", p) == "29.3万件"
    assert _figure("今年到3月22日，蚌埠快递业务量累计有多少件？", p) == "2146.8万件"  # a period up to the day asked
    assert _figure("第12周蚌埠日均揽收量比前一周涨了多少？", p) == "9.8%"  # 第12周 is named once, in the opening


def test_a_weekly_of_projects_reads_plans_routes_and_its_table():
    p = _bulletin("heldout17", "821")
    assert _figure("遂宁重大项目今年计划完成投资多少？", p) == "412.6亿元"  # a plan, not 累计完成投资68.2亿元
    assert _figure("遂潼快速通道遂宁段计划要干多长时间？", p) == "30个月"  # 遂宁段 names a route's section
    assert _figure("大英县卓筒井那个旅游区项目是哪天开工的？", p) == "3月10日"  # a project's row is no place's
    assert parse_intent("遂宁重大项目工地上现在一共有多少施工人员在岗？").counted


def test_a_relief_bulletin_and_a_school_notice():
    relief = _bulletin("heldout17", "823")
    assert _figure("玉树州农牧区的低保对象有多少人？", relief) == "5.38万人"  # 现有 is what 有多少 asks
    assert _figure("一卡通领取比例比去年底提高了多少？", relief) == "12.6个百分点"
    schools = _bulletin("heldout17", "825")
    assert _figure("宜春中小学线上教学一共搞了多长时间？", schools) == "8周"  # "…开展线上教学，历时8周"
    assert _figure("全市学校一共设了多少个临时留观室？", schools) == "412个"  # "…设置了临时留观室，共412个"
    assert _figure("宜春小学四到六年级哪天开学？", schools) == "4月27日"


def test_days_asked_as_a_span_and_items_split_at_words():
    from service.chat.figure_slots import span_asked
    from service.chat.parts import split_question

    assert span_asked("2月3日至9日那一周百色精瘦肉均价多少？") == ((2, 3), (2, 9))
    assert span_asked("3月28日到4月3日揽收多少？") == ((3, 28), (4, 3))
    prices = _bulletin("heldout15", "912")
    assert _figure("2月3日至9日那一周百色精瘦肉均价多少？", prices) is None  # the report's week is 2月17日—23日
    assert [p.question for p in split_question("五原今年向日葵和玉米各计划种多少亩？")] == [
        "五原今年向日葵计划种多少亩？", "五原今年玉米计划种多少亩？"]  # not 日葵 and 向玉米
