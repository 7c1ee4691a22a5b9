"""Layouts read while heldout15 was turned into a training set (evals/heldout15/bulletins, synthetic, fourteenth
session): a 统计局 monthly release whose table gives units in a 单位 column, a 市场监管局 weekly price report with a
per-500克 分别 list, a 文旅局 reopening news item and a 交通运输局 daily. Each test is written on a snippet or a
whole bulletin of that set."""

from __future__ import annotations

from service.chat import extractive
from service.chat.models import Citation
from service.chat.parts import split_question
from service.chat.tables import row_cells, with_cell_unit
from service.citations import check_figures
from service.figures import parse_figures
from service.intent import fits, parse_intent
from tests.unit.test_layouts import _bulletin
from tests.unit.test_price_tables import _facts, _figure
from vectorstore.cleaning import clean

_TABLE = "指标｜单位｜4月｜同比（%）｜1—4月｜同比（%）\n原煤产量｜万吨｜948.6｜2.8｜3612.4｜2.1\n"


def test_a_unit_column_gives_each_cell_its_unit_and_a_percent_column_its_percent():
    text = clean(_TABLE).text
    cells = row_cells(text, text.index("原煤"))
    read = [with_cell_unit(f, c.unit).text for c in cells for f in parse_figures(text[c.start : c.end])]
    assert read == ["948.6万吨", "2.8%", "3612.4万吨", "2.1%"]


def test_a_quoted_row_grounds_its_cells_in_their_unit():
    quote = "原煤产量｜万吨｜948.6｜2.8｜3612.4｜2.1"
    row = Citation(n=1, doc_id="d", article=0, quote=quote, text=quote, start=0, end=len(quote))
    checks, ungrounded = check_figures("3612.4万吨。[1]", [row])
    assert not ungrounded and checks[0].grounded
    assert check_figures("3612.4亿吨。[1]", [row])[1] == ["3612.4亿吨"]  # another magnitude is not stated


def test_vehicle_trips_and_volumes():
    assert [f.text for f in parse_figures("入锦车辆1.42万辆次")] == ["1.42万辆次"]  # 次 was cut off
    asks = parse_intent("3月3日入锦的车辆有多少辆？")
    assert fits(asks, parse_figures("1.42万辆次")[0])
    volume = parse_intent("右江区农贸市场蔬菜日均上市量是多少？")
    assert not fits(volume, parse_figures("12个")[0]) and fits(volume, parse_figures("412吨")[0])


def test_a_per_500g_list_keeps_its_items_in_order():
    facts = _facts("分县看，田阳区、田东县、靖西市精瘦肉均价分别为每500克28.50元、29.20元、30.60元。",
                   ["百色市", "田阳区", "田东县", "靖西市"])
    assert [facts[x].place for x in ("28.50元", "29.20元", "30.60元")] == ["田阳区", "田东县", "靖西市"]


def test_a_whereof_part_of_its_own_months_and_one_figure_a_part():
    parts = split_question("晋城1—4月社零总额多少，其中4月份卖了多少？")
    assert parts[1].question == "晋城社零总额，其中4月份卖了多少？"  # not 1—4月's
    assert [p.question for p in split_question("3月3日入锦和出锦的车辆各有多少？")] == [
        "3月3日入锦的车辆有多少？", "3月3日出锦的车辆有多少？"]
    same = extractive.ExtractiveResult("12.6万亩。", [], False, "12.6万亩", stated_at=("d", 40))
    other = extractive.ExtractiveResult("8.2万亩。", [], False, "8.2万亩", stated_at=("d", 90))
    kept = extractive.one_figure_once([same, same, other])
    assert [r.abstained for r in kept] == [False, True, False]


def test_a_statistics_release_answers_in_its_table_units():
    p = _bulletin("heldout15", "911")
    assert _figure("晋城1—4月原煤产量是多少？", p) == "3612.4万吨"
    assert _figure("1—4月晋城累计抽采煤层气多少？", p) == "18.62亿立方米"
    assert _figure("晋城4月份单月的社零额是多少？", p) == "34.8亿元"


def test_a_price_report_answers_its_list_and_its_volumes():
    p = _bulletin("heldout15", "912")
    assert _figure("靖西市精瘦肉均价每500克多少？", p) == "30.60元"
    assert _figure("右江区农贸市场蔬菜日均上市量是多少？", p) == "412吨"


def test_a_reopening_item_answers_money_asked_as_a_deposit():
    assert _figure("大理给旅行社暂退了多少质量保证金？", _bulletin("heldout15", "913")) == "2860万元"
