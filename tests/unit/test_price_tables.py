"""Layouts read while heldout9 was turned into a training set (evals/heldout9/bulletins, synthetic, tenth
session): a 市场监管局 price notice with a ｜ table of this week's and last week's prices, a 人社局 公告 with a
县（市、区）动态 section, a 交通运输局 daily report whose paragraphs open with a run-in heading, a 公告 with a
numbered attachment list, a 数读 newspaper column whose figures stand on lines of their own. Each test is written
on a snippet or a whole bulletin of that set."""

from __future__ import annotations

from service.chat import extractive
from service.facts.reading import build_facts
from service.intent import parse_intent
from tests.unit.test_layouts import _bulletin, _fact_places, _one_article
from vectorstore.cleaning import clean


def _facts(text: str, places: list[str]):
    c, art = _one_article(text, places)
    return {f.figure.text: f for f in build_facts("d", text, c, [art])}


def _figure(question: str, p) -> str | None:
    return extractive.answer(question, [p], min_confidence=0.0).figure


# --------------------------------------------------------------------------- cleaning


def test_a_figure_heading_a_run_on_section_heading_and_numbered_items_keep_their_lines():
    shudu = clean("开复工率77.2%。\n96.8亿元\n一季度，全市社会消费品零售总额96.8亿元，同比下降18.4%。").text
    assert shudu.split("\n")[1:] == ["96.8亿元", "一季度，全市社会消费品零售总额96.8亿元，同比下降18.4%。"]
    county = clean("高2.6个百分点。\n\n四、县（市、区）动态\n\n广丰区：全区外出务工16.8万人，已返岗12.9万人。").text
    assert county.split("\n")[1] == "四、县（市、区）动态"  # 、 inside brackets: still a heading
    items = clean("附件：首批恢复开放的A级旅游景区名单\n1．遇龙河景区（含竹筏漂流）：最大承载量8000人次，每日限量2400人次；").text
    assert items.split("\n")[1].startswith("1.遇龙河景区")


# --------------------------------------------------------------------------- figure facts


def test_a_change_after_its_base_a_compared_average_and_listed_destinations():
    facts = _facts("本周精瘦肉均价比去年同期的15.20元/斤上涨96.1%；鸡蛋均价比去年同期下降8.5%。"
                   "截至3月4日，全市农村劳动力外出务工128.6万人，返岗率75.0%，比全省平均水平（72.4%）高2.6个百分点。",
                   ["上饶市"])
    assert facts["96.1%"].metric == "精瘦肉均价比去年同期上涨"  # not "/斤上涨"
    assert facts["8.5%"].metric == "鸡蛋均价比去年同期下降"
    assert facts["72.4%"].place == "江西省" and facts["75.0%"].place == "上饶市"
    places = _fact_places("华容县：华容芥菜进入采收期，已通过电商销往广东、上海等地1800余吨。", ["华容县"])
    assert places["1800余吨"] == "华容县"  # 广东 is where it was sold to, not whose figure it is


def test_a_person_counted_in_renci_answers_how_many_people():
    assert parse_intent("汉中交通检疫站当天检测了多少人员？").counted == {"人", "人次"}
    assert parse_intent("累计解除隔离多少人？").unit == "人"


# --------------------------------------------------------------------------- answers on whole bulletins


def test_a_price_tables_cells_are_read_under_their_row_and_column():
    p = _bulletin("heldout9", "951")  # 岳阳: 品种｜本周均价｜上周均价｜环比
    assert _figure("岳阳中心城区这周大白菜每斤卖多少钱？", p) == "1.35元"
    assert _figure("岳阳城区精瘦肉现在多少钱一斤？", p) == "29.80元"  # not last year's 15.20元
    assert _figure("岳阳城区西红柿价格比上周降了多少？", p) == "11.5%"  # 环比, not last week's 5.20元
    assert _figure("和去年同期比，岳阳精瘦肉价格涨了多少？", p) == "96.1%"


def test_a_figure_heading_is_no_answer_and_a_qishi_sentence_takes_the_metric_before_it():
    p = _bulletin("heldout9", "955")  # 鄂尔多斯日报 数读: "96.8亿元" above "一季度，全市社会消费品零售总额96.8亿元"
    assert _figure("一季度鄂尔多斯固定资产投资完成了多少亿元？", p) is None  # only its rate is given
    assert _figure("一季度鄂尔多斯出口多少？", p) == "4.8亿元"
    assert _figure("3月份鄂尔多斯社零额是多少？", p) == "32.6亿元"  # "其中，3月份实现32.6亿元"


def test_a_run_in_heading_says_what_its_paragraph_is_about():
    p = _bulletin("heldout9", "953")  # 汉中: "（一）道路客运。…为去年同期的18.6%" and "（二）城市公交。…41.3%"
    assert _figure("汉中道路客运量恢复到去年同期的多少？", p) == "18.6%"
    assert _figure("汉中城市公交客运量恢复到去年同期的多少？", p) == "41.3%"
    assert _figure("汉中交通检疫站当天检测了多少人员？", p) == "4.87万人次"


def test_a_whole_whose_words_a_part_repeats_is_still_the_whole():
    p = _bulletin("heldout9", "954")  # 阳朔: "发放贷款1.86亿元，其中民宿客栈贷款6200万元"
    assert _figure("阳朔金融机构给旅游企业发放了多少贷款？", p) == "1.86亿元"
