"""The extractive answerer's reading rules, on sentences copied from the seed bulletins."""

from __future__ import annotations

import pytest

from service.chat.extractive import CROSS_WORD_WEIGHT, _drop_before_values, _respectively, topic_bigrams
from service.intent import figures_of, fits, parse_intent
from service.names import person_names


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("区党工委书记、管委会主任、新冠肺炎疫情防控指挥部总指挥王家鹏主持会议并讲话。", ["王家鹏"]),
        ("积极复工。区领导赵俊生一同调研。", ["赵俊生"]),
        ("时东风(示范区发改委党组书记、主任):感谢记者朋友的提问。", ["时东风"]),
        ("万英奎、高鸿、侯建华、赵俊生出席会议。", ["万英奎", "高鸿", "侯建华", "赵俊生"]),
        ("省长许勤亲自从天津、东莞等地协调原材料和新设备", ["许勤"]),  # two characters, then an action
        ("修武县委副书记、县长魏松重点介绍了疫情防控工作", ["魏松"]),
        ("市工信局党组成员、副局长杨天军作了介绍", ["杨天军"]),
        ("本报讯（记者郭树勋）2月29日下午", ["郭树勋"]),
        ("全区70家规模以上工业企业已全部复工复产,复工复产率达100%;", []),
        ("高度重视,全力以赴做好疫情防控工作", []),
    ],
)
def test_person_names(sentence: str, names: list[str]) -> None:
    found = person_names(sentence)
    assert [n.text for n in found] == names
    assert all(sentence[n.start : n.end] == n.text for n in found)


def test_who_questions_ask_for_a_person_and_which_company_does_not() -> None:
    assert parse_intent("王家鹏调研房地产行业复工时，哪位区领导一同调研？").person
    assert parse_intent("修武县县长是谁？").person
    assert not parse_intent("哪家公司负责焦作全市医疗废物的收集？").person
    assert not parse_intent("示范区的发热门诊定点医院是哪家？").person


def test_respectively_maps_the_asked_item_to_its_figure() -> None:
    s = "全区开工复工项目已达50个,省、市重点项目开工复工率分别达100%、91%。"
    figs = [f for f in figures_of(s) if f.kind == "percent"]
    assert [f.text for f in _respectively("示范区市重点项目的开工复工率是多少？", s, figs)] == ["91%"]
    assert [f.text for f in _respectively("省重点项目开工复工率是多少？", s, figs)] == ["100%"]
    # A question naming neither item, or both, keeps every figure: the answerer must choose otherwise.
    assert len(_respectively("重点项目开工复工率是多少？", s, figs)) == 2
    assert len(_respectively("省、市重点项目开工复工率各是多少？", s, figs)) == 2

    s = "截至2月底,公司主导产品产量、收入、利润分别比去年同期增长7%、3%、24%,净利润1000余万元。"
    figs = [f for f in figures_of(s) if f.kind == "percent"]
    assert [f.text for f in _respectively("卓立膜公司利润同比增长了多少？", s, figs)] == ["24%"]


def test_a_value_changed_from_is_not_the_value_now() -> None:
    c = "公司主导产品医用热转印膜市场占有率有率之前的80%提升到90%,"
    figs = list(figures_of(c))
    assert [f.text for f in _drop_before_values("卓立膜市场占有率提升到了多少？", c, figs)] == ["90%"]
    assert [f.text for f in _drop_before_values("卓立膜市场占有率之前是多少？", c, figs)] == ["80%", "90%"]


def test_a_count_of_phone_lines_is_a_count_not_a_phone_number() -> None:
    intent = parse_intent("示范区卫健委向社会公布了多少部应急电话？")
    assert (intent.wants, intent.unit) == ("figure", "部")
    assert parse_intent("举报防疫工作失职渎职打什么电话？").wants == "phone"


def test_a_rate_answers_a_rate_question_only() -> None:
    (rate,) = [f for f in figures_of("建成2个核酸实验室,最大检测能力360份/日。") if f.unit == "份/日"]
    assert fits(parse_intent("定州市核酸实验室最大检测能力是每天多少份？"), rate)
    assert not fits(parse_intent("定州一共做了多少份核酸检测？"), rate)


def test_topic_weighs_bigrams_across_words_less() -> None:
    grams = topic_bigrams("定州每天最多能做多少份核酸检测？", ["定州"])
    assert grams["核酸"] == grams["检测"] == 1.0
    assert "多少" not in grams and "定州" not in grams
    assert grams["酸检"] == CROSS_WORD_WEIGHT < 1.0  # across 核酸|检测
