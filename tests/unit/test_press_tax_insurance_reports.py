"""Layouts read while heldout12 was turned into a training set (evals/heldout12/bulletins, synthetic, thirteenth
session): a district 新闻发布会 transcript with a town head among the speakers, a 税务局 report with a ｜ table of
县（区）, a 教育局 notice of 开学 batches, a 医保局 report with a ◆ data card and from-to prices, and a WeChat post of
employment subsidies with ▍ section heads. Each test is written on a snippet or a whole bulletin of that set."""

from __future__ import annotations

from service.chat.parts import split_question
from service.intent import fact_place_agreement, parse_intent
from tests.unit.test_layouts import _bulletin
from tests.unit.test_price_tables import _facts, _figure

# --------------------------------------------------------------------------- figure facts


def test_a_town_heads_answer_at_a_press_conference_is_the_towns():
    facts = _facts("主持人　马丽：请孙志刚副区长介绍全区总体情况。\n\n"
                   "区委常委、副区长　孙志刚：全区112家规模以上工业企业已复工108家；到岗职工1.86万人。\n\n"
                   "黑龙江广播电视台记者：喇嘛甸镇春耕准备情况怎么样？\n\n"
                   "喇嘛甸镇镇长　韩立新：全镇今年计划种植玉米8.6万亩。全镇9家规上企业已全部复工，到岗职工1120人。\n",
                   ["让胡路区", "大庆市"])
    assert facts["1.86万人"].place == "让胡路区"
    assert facts["1120人"].place == facts["8.6万亩"].place == "喇嘛甸镇"
    assert fact_place_agreement("让胡路区", "喇嘛甸镇") == -1.0  # a town's figure never answers for its district


def test_a_gap_compared_with_an_earlier_month_is_of_the_sentences_own_month():
    facts = _facts("3月份全地区线上教学参与率97.6%，比2月份提高5.2个百分点。", ["和田地区"])
    assert facts["5.2个百分点"].period == "3月份"  # 2月份 is only what it is compared with


def test_what_this_company_did_in_a_story_is_the_companys():
    facts = _facts("“以前出海打鱼看天吃饭。”渔民符永强说。这家企业今年新招了48名工人，已申领以工代训补贴6.2万元。",
                   ["儋州市"])
    assert (facts["6.2万元"].place, facts["6.2万元"].subject) == ("", "这家企业")


# --------------------------------------------------------------------------- questions


def test_questions_on_household_visits_working_days_rewards_taxes_and_shares():
    assert parse_intent("环县一季度减税降费惠及了多少户次？").unit == "户次"
    assert parse_intent("庆阳出口退税平均几个工作日能办完？").unit == "个工作日"
    assert parse_intent("规上企业3月底前复工能拿多少奖励？").unit == "元"
    assert parse_intent("3月份庆阳小规模纳税人减征了多少增值税？").unit == "元"
    assert parse_intent("让胡路区规上工业产值降幅比1—2月收窄了多少？").unit == "个百分点"
    share = parse_intent("洛浦县校车载客量不能超过核定人数的多少？")
    assert (share.wants, share.unit) == ("percent", "")  # a share of the 核定人数, not a count of people
    assert parse_intent("漳州一季度医保网上办理量占业务总量多少？").wants == "percent"
    assert parse_intent("这个项目占地多少亩？").wants == "figure"
    fee = parse_intent("芗城区减征了多少职工医保费？")
    assert (fee.unit, fee.counted) == ("元", frozenset())  # 职工 of 职工医保费 is no count asked
    assert parse_intent("创业担保贷款扶持了多少创业者？").unit == ""


def test_two_part_questions_keep_what_every_item_shares():
    parts = [p.question for p in split_question("喇嘛甸镇今年玉米和水稻分别计划种多少亩？")]
    assert parts == ["喇嘛甸镇今年玉米计划种多少亩？", "喇嘛甸镇今年水稻计划种多少亩？"]
    parts = [p.question for p in split_question("让胡路区超市和农贸市场每天投放蔬菜和猪肉各多少吨？")]
    assert parts == ["让胡路区超市和农贸市场每天投放蔬菜有多少吨？", "让胡路区超市和农贸市场每天投放猪肉有多少吨？"]
    parts = [p.question for p in split_question("庆阳一季度新增减税和新增降费各是多少？")]
    assert parts == ["庆阳一季度新增减税是多少？", "庆阳一季度新增降费是多少？"]
    parts = [p.of for p in split_question("和田市和洛浦县分别开通了多少条校车线路？")]
    assert parts == ["和田市", "洛浦县"]  # the 和 of 和田 is no list's
    parts = [p.question for p in split_question("儋州以工代训补贴，一般职工和建档立卡贫困劳动力每人每月各补多少？")]
    assert parts[1] == "儋州以工代训补贴，建档立卡贫困劳动力每人每月补多少？"
    parts = [p.question for p in split_question("享受医保减征的单位里，漳州的企业有多少家、一共减征了多少？")]
    assert parts == ["享受医保减征的单位里，漳州的企业有多少家？", "享受医保减征的单位里，漳州的企业，一共减征了多少？"]
    parts = [p.question for p in split_question("漳州给定点医疗机构预付了多少3月份医保基金，其中民营医院多少？")]
    assert parts[1].endswith("其中民营医院多少3月份医保基金？")
    parts = [p.question for p in split_question("青杠林村今年计划种多少亩玉米、多少亩辣椒？")]
    assert parts == ["青杠林村今年计划种多少亩玉米？", "青杠林村今年计划种多少亩辣椒？"]
    assert [p.of for p in split_question("三明和龙岩的规上工业企业复工率分别是多少？")] == ["三明市", "龙岩市"]  # no 和龙
    parts = [p.question for p in split_question("王桥镇和侯堡镇各有多少家规上工业企业？")]
    assert parts == ["王桥镇有多少家规上工业企业？", "侯堡镇有多少家规上工业企业？"]
    parts = [p.question for p in split_question("附表里联树村和水澄村各有多少家企业复工？")]
    assert parts == ["附表里联树村有多少家企业复工？", "附表里水澄村有多少家企业复工？"]


# --------------------------------------------------------------------------- answers on whole bulletins


def test_a_district_press_conference_is_not_the_report_of_a_town_among_its_speakers():
    p = _bulletin("heldout12", "981")
    assert _figure("让胡路区复工企业到岗职工有多少人？", p) == "1.86万人"  # not 喇嘛甸镇's 1120人
    assert _figure("喇嘛甸镇到岗职工有多少人？", p) == "1120人"
    assert _figure("让胡路区限上商贸企业的复业率有多少？", p) == "87.5%"
    assert _figure("让胡路区帮企业协调到了多少贷款？", p) == "4.28亿元"  # the whole, not its 其中…、贷款1.36亿元
    assert _figure("让胡路区规上工业产值降幅比1—2月收窄了多少？", p) == "4.1个百分点"
    p = _bulletin("heldout11", "972")  # "其中减免社保费2.12亿元、减免国有房产租金3860万元": the item after 、 by its own words
    assert _figure("运城为企业减免了多少国有房产租金？", p) == "3860万元"


def test_a_tax_report_tells_taxes_from_fees_and_reads_its_county_table():
    p = _bulletin("heldout12", "982")
    assert _figure("不算降费，庆阳一季度新增减税是多少？", p) == "1.38亿元"
    assert _figure("庆阳一季度减税降费惠及了多少户次纳税人、缴费人？", p) == "3.15万户次"
    assert _figure("环县一季度减税降费惠及了多少户次？", p) == "3618户次"
    assert _figure("3月份庆阳小规模纳税人减征了多少增值税？", p) == "5680万元"


def test_a_price_cut_answers_now_with_its_new_value_and_a_share_with_its_percent():
    p = _bulletin("heldout12", "984")
    assert _figure("漳州公立医院新冠核酸检测现在每人次收多少钱？", p) == "120元"
    assert _figure("漳州公立医院新冠核酸检测原来每人次收多少钱？", p) == "180元"
    assert _figure("漳州一季度医保网上办理量占业务总量多少？", p) == "71.3%"
    assert _figure("漳州新冠确诊患者的医疗费用医保基金报了多少？", p) == "186.4万元"
    assert _figure("芗城区减征了多少职工医保费？", p) == "6820万元"
    # "…预付3月份医保基金2.68亿元，其中民营医院38家、0.42亿元": the item's second figure
    assert _figure("漳州给定点医疗机构预付，其中民营医院多少3月份医保基金？", p) == "0.42亿元"


def test_a_section_head_says_what_its_lines_are_about():
    p = _bulletin("heldout12", "985")  # "▍政策二：以工代训补贴" over "补贴标准：…，补贴期限最长6个月。"
    assert _figure("儋州以工代训补贴最多能领几个月？", p) == "6个月"
    assert _figure("儋州已经发了多少以工代训补贴？", p) == "472万元"  # not the story's company's 6.2万元
    # "裁员率不高于5.5%（参保职工30人及以下的企业，裁员率不高于20%）": the aside is an exception
    assert _figure("在儋州申请稳岗返还，企业裁员率不能高于多少？", p) == "不高于5.5%"  # the limit as written
    assert _figure("在儋州，参保职工30人及以下的企业裁员率不能高于多少？", p) == "不高于20%"
