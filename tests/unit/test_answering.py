"""The extractive answerer's reading rules, on sentences copied from the seed bulletins."""

from __future__ import annotations

import pytest

from service.chat.extractive import (
    _DATE_ADVERBIAL,
    CROSS_WORD_WEIGHT,
    _adverbial_scope,
    _drop_before_values,
    _only_prepares,
    _other_metric,
    _proximity,
    _rate_agreement,
    _respectively,
    _same_figure,
    _speaker,
    excluded_terms,
    topic_bigrams,
)
from service.citations import Passage, sentences_of
from service.intent import figures_of, fits, parse_intent
from service.names import asked_kind, entity_names, person_names
from vectorstore.chunking import clause_spans
from vectorstore.cleaning import CleanText
from vectorstore.models import Chunk


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
    kept, items, _ = _respectively("示范区市重点项目的开工复工率是多少？", s, figs)
    assert ([f.text for f in kept], list(items.values())) == (["91%"], ["市重点项目开工复工率"])
    assert [f.text for f in _respectively("省重点项目开工复工率是多少？", s, figs)[0]] == ["100%"]
    # A question naming neither item, or both, keeps every figure: the answerer must choose otherwise
    # (naming neither, each is an item's figure the question did not ask for).
    assert _respectively("重点项目开工复工率是多少？", s, figs) == (figs, {}, {f.start for f in figs})
    assert len(_respectively("省、市重点项目开工复工率各是多少？", s, figs)[0]) == 2

    s = "截至2月底,公司主导产品产量、收入、利润分别比去年同期增长7%、3%、24%,净利润1000余万元。"
    figs = [f for f in figures_of(s) if f.kind == "percent"]
    assert _respectively("卓立膜公司利润同比增长了多少？", s, figs)[0][-1].text == "24%"


def test_respectively_carries_to_a_clause_with_one_figure_per_item() -> None:
    # The place before the first item is not part of it; "已复工复业71家和35家" goes on item by item.
    s = "全县限额以上商贸企业和规模以上服务业企业分别为73家和38家，已复工复业71家和35家。"
    figs = list(figures_of(s))
    kept, items, _ = _respectively("霍山县规模以上服务业企业有多少家？", s, figs)
    assert [f.text for f in kept] == ["38家", "35家"]
    assert set(items.values()) == {"规模以上服务业企业"}
    kept, items, _ = _respectively("霍山县限额以上商贸企业已复工多少家？", s, figs)
    assert [f.text for f in kept] == ["73家", "71家"] and set(items.values()) == {"限额以上商贸企业"}
    # A clause naming an item again is not a continuation.
    s = "工业、商贸企业分别复工20家、30家，工业企业复产率达90%、95%。"
    assert [f.text for f in _respectively("工业企业复工多少家？", s, list(figures_of(s)))[0]] == ["20家", "90%", "95%"]


def test_a_value_changed_from_is_not_the_value_now() -> None:
    c = "公司主导产品医用热转印膜市场占有率有率之前的80%提升到90%,"
    figs = list(figures_of(c))
    assert [f.text for f in _drop_before_values("卓立膜市场占有率提升到了多少？", c, figs, tuple(figs))] == ["90%"]
    assert [f.text for f in _drop_before_values("卓立膜市场占有率之前是多少？", c, figs, tuple(figs))] == ["80%", "90%"]


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


def test_topic_leaves_out_places_in_any_spelling_the_asked_unit_and_fillers() -> None:
    assert topic_bigrams("截至2020年2月26日，定州市累计集中隔离了多少人？", ["定州"]) == {
        "集中": 1.0, "中隔": CROSS_WORD_WEIGHT, "隔离": 1.0}
    assert "家企" not in topic_bigrams("高新区有多少家企业复工？", ["示范区"])  # 多少家 is the unit
    assert topic_bigrams("多少人员", []) == {"人员": 1.0}  # a noun that starts like a unit stays


def _fig(text: str, wanted: str):
    (fig,) = [f for f in figures_of(text) if f.text == wanted]
    return fig


@pytest.mark.parametrize(
    ("question", "text", "answers", "not_answers"),
    [
        ("亿中弘和名仁明康一共生产了多少口罩？", "名仁明康等3家口罩生产企业协调原材料近50吨，累计生产口罩300余万只", "300余万只", "3家"),
        ("焦作复工企业有多少工人在岗？", "全市已开工企业236家，用工人数达48773人", "48773人", "236家"),
        ("焦作防疫物资企业口罩累计产量是多少？", "针对15家重点防疫物资生产企业，累计生产口罩51.13万个", "51.13万个", "15家"),
        ("2022年3月示范区设了几个集中隔离点？", "全县共设集中隔离点14个，隔离人员400多人", "14个", "400多人"),
        ("定州搭建“天眼”监控平台用了多长时间？", "用1周时间搭建了覆盖11个交通管制路口的监控平台", "1周", "11个"),
        ("修武县特殊药品购药小分队配送了几种药？", "配送36种特殊药品，服务群众52户", "36种", "52户"),
    ],
)
def test_the_counted_thing_decides_the_unit(question: str, text: str, answers: str, not_answers: str) -> None:
    intent = parse_intent(question)
    assert fits(intent, _fig(text, answers))
    assert not fits(intent, _fig(text, not_answers))


def test_a_date_question_wins_over_the_word_phone() -> None:
    assert parse_intent("吕沛是哪天在指挥部亲自接到学生家长求助电话的？").wants == "date"
    assert parse_intent("示范区疫情防控指挥部的24小时热线电话是多少？").wants == "phone"


def test_a_per_day_figure_answers_per_day_questions() -> None:
    clause = "3家酒精生产企业日生产能力2700吨,库存酒精9000吨;"
    per_day, stock = _fig(clause, "2700吨"), _fig(clause, "9000吨")
    assert _rate_agreement("焦作酒精企业每天能产多少吨酒精？", clause, per_day) == 1.0
    assert _rate_agreement("焦作酒精企业每天能产多少吨酒精？", clause, stock) == 0.0
    assert _rate_agreement("焦作库存了多少吨酒精？", clause, per_day) == -1.0


def test_a_group_the_question_rules_out_is_not_its_topic() -> None:
    q = "截至2020年3月11日发布会时，示范区全区工业企业（不限于规上企业）复工复产了多少家？"
    assert excluded_terms(q) == ["规上企业", "规模以上企业"]
    assert "规上" not in topic_bigrams(q, ["示范区"])


def test_a_date_opening_the_sentence_dates_what_follows_it() -> None:
    s = ("本报讯（记者郭树勋）2月29日下午，王家鹏主持召开示范区党工委（扩大）会议暨新冠肺炎疫情防控指挥部第八次会议，"
         "传达贯彻2月28日全市疫情防控视频专题调度会精神，集中学习讲话精神。")
    clauses = clause_spans(s, 0, len(s))
    assert _DATE_ADVERBIAL.match(s[slice(*clauses[0])])
    assert not _DATE_ADVERBIAL.match(s[slice(*clauses[2])])  # "传达贯彻2月28日…调度会精神" is embedded
    assert "第八次会议" in _adverbial_scope(s, clauses, 0)
    s = "2月10日，蒙牛复工复产，2月12日，卓立膜复工复产。"  # a clause opening with a date ends the scope
    assert _adverbial_scope(s, clause_spans(s, 0, len(s)), 0) == "2月10日，蒙牛复工复产，"


def test_a_date_of_preparations_does_not_date_the_event() -> None:
    s = "3月6日,副省长霍金花检查了我区学校复课准备工作后,给予了高度评价。"
    assert _only_prepares("示范区学校是哪天正式复课开学的？", s)
    assert not _only_prepares("副省长霍金花哪天检查了学校复课准备工作？", s)  # asks about the preparations
    assert not _only_prepares("卓立膜公司是哪天复工复产的？", "经示范区验收批准,于2月8日提前2天复工复产。")


def test_the_speaker_of_a_press_conference_answer_is_its_context() -> None:
    text = ("河南经济报记者:企业怎样“化危为机”?\n徐何红(河南卓立膜材料股份有限公司总经理):按照整体部署,公司结合实际。\n"
            "公司的主导产品配套应用于疫情重点物资生产企业。经示范区验收批准,于2月8日提前2天复工复产。")
    assert _speaker(text, text.index("于2月8日")) == "徐何红(河南卓立膜材料股份有限公司总经理):"
    assert _speaker(text, text.index("徐何红")) == ""


def test_a_modified_count_is_another_metric() -> None:
    unasked, missing = _other_metric("修武县这轮疫情累计解除集中隔离多少人？", "全县共集中隔离", "全县共集中隔离3558人。")
    assert (unasked, missing) == (False, True)  # 解除 asked, not stated: the figure cannot answer
    unasked, missing = _other_metric("定州累计隔离了多少人？", "解除隔离", "目前,累计隔离116人,解除隔离109人。")
    assert (unasked, missing) == (True, False)  # 解除隔离109人 is stated but not asked: ranked lower


def test_list_items_keep_their_own_words() -> None:
    clause = "党员志愿队115支和宣传队117支,"
    grams = {"宣传": 1.0, "传队": 1.0}
    assert _proximity(grams, clause, _fig(clause, "117支")) > 0
    assert _proximity(grams, clause, _fig(clause, "115支")) == 0


def test_a_count_stated_as_an_ordinal_is_the_same_figure() -> None:
    (q,) = parse_intent("到工地后二次体检，是在哪个项目工地提的？").figures
    assert _same_figure(q, _fig("到工地后立即组织进行第二次体检", "第二次"))


@pytest.mark.parametrize(
    ("question", "text", "name"),
    [
        ("王家鹏要求哪家银行进一步加大科技型小微企业贷款支持力度？", "在中旅银行科技支行，王家鹏一行了解了复工后疫情防控情况。",
         "中旅银行科技支行"),
        ("示范区哪个售楼部设了人流分流通道？", "在恒大悦龙台售楼部，前来购房的顾客井然有序。", "恒大悦龙台售楼部"),
        ("示范区第七次指挥部会议研究成立的是什么指挥部？", "研究成立统筹经济社会发展指挥部有关事宜；", "统筹经济社会发展指挥部"),
        ("那位女士是在示范区哪个集中隔离点？", "3月24日下午,示范区大江重工集中隔离点的一位隔离人员解除隔离。",
         "示范区大江重工集中隔离点"),
    ],
)
def test_places_and_organisations_by_the_kind_asked(question: str, text: str, name: str) -> None:
    kind = asked_kind(question, [text])
    found = entity_names(text, kind)
    assert [n.text for n in found] == [name]
    assert all(text[n.start : n.end] == n.text for n in found)


def test_a_reference_back_is_not_a_name() -> None:
    assert entity_names("王家鹏对该售楼部的做法予以肯定。", "售楼部") == []
    assert asked_kind("示范区哪个售楼部设了人流分流通道？", ["该售楼部"]) == "售楼部"  # not 售楼部设
    assert asked_kind("什么时候开学？", ["开学"]) == ""  # wants a date, not a kind


def test_sentences_of_a_passage_are_whole_bulletin_sentences() -> None:
    """A chunk boundary inside a sentence: the sentence still reads from its start (its date)."""
    text = "按照原则，2月13日、14日两天已统购口罩11.85万个，其中，向重点人员调拨8.15万个，缓解了需求难题。下一句。"
    cut = text.index("向重点人员")
    chunk = Chunk(chunk_id="c1", doc_id="d", article=0, text=text[cut : text.index("下一句")], start=cut,
                  end=text.index("下一句"), clean_start=cut, clean_end=text.index("下一句"))
    p = Passage(1, chunk, CleanText(text, list(range(len(text)))), text)
    assert [text[s:e] for s, e in sentences_of(p)] == [text[: text.index("下一句")]]
