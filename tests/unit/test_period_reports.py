"""Layouts read while heldout10 was turned into a training set (evals/heldout10/bulletins, synthetic, eleventh
session): a 统计局 quarterly release whose figures are split by period ("其中1—2月…，3月份…"), a 商务局 weekly
supply report with last week's value in brackets, a 农业农村局 progress notice compared with an earlier day and the
province, and a WeChat 战疫快报 with emoji section heads and "标签：…" card items. Each test is written on a snippet
or a whole bulletin of that set."""

from __future__ import annotations

from service.figures.parse import parse_figures
from service.intent import fits, parse_intent
from tests.unit.test_layouts import _bulletin, _fact_places
from tests.unit.test_price_tables import _facts, _figure
from vectorstore import places as gz
from vectorstore.cleaning import clean

# --------------------------------------------------------------------------- cleaning


def test_card_items_with_longer_values_and_emoji_heads_keep_their_lines():
    card = clean("✅ 春耕和“菜篮子”\n早稻插秧：全市计划种植早稻82.6万亩，已插秧36.4万亩，进度44.1%\n"
                 "蔬菜供应：市区农贸市场日均上市蔬菜约860吨，猪肉零售均价每斤31.50元\n\n✅ 景区开放\n"
                 "丹霞山景区4月8日起恢复开放，实行实名预约，每日限流9000人次。").text
    assert card.split("\n") == ["✅春耕和“菜篮子”", "早稻插秧：全市计划种植早稻82.6万亩，已插秧36.4万亩，进度44.1%",
                                "蔬菜供应：市区农贸市场日均上市蔬菜约860吨，猪肉零售均价每斤31.50元", "✅景区开放",
                                "丹霞山景区4月8日起恢复开放，实行实名预约，每日限流9000人次。"]


def test_a_wrapped_column_line_with_a_colon_is_no_card_item():
    # heldout5's newspaper column: "…公布以下\n服务电话：…（0772\n）2826120" is one sentence wrapped three times
    column = ("本报讯　为做好疫情防控期间的服务保障工作，市新冠肺炎疫情防控指挥部公布以下\n"
              "服务电话：疫情防控咨询热线（0772\n）2826120；企业复工复产服务热线（0772）2619110。\n")
    assert "\n" not in clean(column).text
    bullets = clean("一段足够长的正文，说明这一栏每行大约有这么多的字数。\n●市政务服务中心自3月2日起恢复窗\n口办理业务，实行预约办理。").text
    assert "恢复窗口办理业务" in bullets  # a wrapped bullet item is not a heading


# --------------------------------------------------------------------------- figures and facts


def test_days_running_livestock_and_orders_are_counted():
    assert [(f.kind, f.unit) for f in parse_figures("今天是韶关连续第48天无新增本地确诊病例。")] == [("number", "天")]
    assert [f.kind for f in parse_figures("第3天")] == ["ordinal"]
    assert [f.text for f in parse_figures("全市生猪存栏186.5万头，线上订单日均1860单")] == ["186.5万头", "1860单"]


def test_a_period_stated_alone_takes_the_metric_named_before_it():
    facts = _facts("粗钢产量3128.6万吨，增长2.9%，其中1—2月2015.8万吨，3月份1112.8万吨；"
                   "全市居民消费价格（CPI）同比上涨4.6%，其中3月份上涨4.2%，食品烟酒类价格上涨14.8%。", ["唐山市"])
    assert (facts["1112.8万吨"].metric, facts["1112.8万吨"].period) == ("粗钢产量", "3月份")
    assert facts["2015.8万吨"].period == "1—2月"
    assert facts["4.2%"].metric == "居民消费价格（CPI）上涨"
    assert facts["14.8%"].metric == "食品烟酒类价格上涨"  # a metric of its own is kept
    growth = _facts("1—3月，全市规模以上工业增加值同比下降4.6%，降幅比1—2月（下降9.8%）收窄5.2个百分点，"
                    "比全省平均水平（下降6.2%）低1.6个百分点，3月份当月增长2.7%。", ["唐山市"])
    assert growth["2.7%"].metric == "规模以上工业增加值增长"  # its own change, not the quarter's 下降
    assert growth["9.8%"].period == "1—2月"  # the value compared with, in brackets
    assert growth["6.2%"].period == "1—3月"  # ... which dates nothing after it


def test_an_autonomous_county_is_named_as_a_county():
    g = gz.gazetteer()
    assert [m.place.name for m in g.mentions("乳源县：全县规上工业企业复工率98.5%")] == ["乳源瑶族自治县"]
    assert [m.place.name for m in g.mentions("宽甸县")] == ["宽甸满族自治县"]
    assert _fact_places("乳源县：全县规上工业企业复工率98.5%，铝箔企业订单排到6月。", ["韶关市"])["98.5%"] == "乳源瑶族自治县"


def test_questions_on_periods_gaps_and_weeks():
    assert parse_intent("今年前两个月唐山规模以上工业增加值下降了多少？").figures == []  # a period, not a figure
    assert parse_intent("常德早稻翻耕进度比湖南全省平均快了多少？").unit == "个百分点"
    assert parse_intent("旌阳区的规上企业复工率比德阳全市平均高几个百分点？").unit == "个百分点"
    assert parse_intent("常德今年早稻计划种植多少万亩？").unit == "亩"


# --------------------------------------------------------------------------- answers on whole bulletins


def test_a_statistics_release_answers_by_period():
    p = _bulletin("heldout10", "961")  # 唐山: 一季度 vs 1—2月 (in brackets) vs 3月份
    assert _figure("唐山3月份居民消费价格涨了多少？", p) == "4.2%"
    assert _figure("今年前两个月唐山规模以上工业增加值下降了多少？", p) == "9.8%"
    assert _figure("河北全省一季度规上工业增加值平均下降多少？", p) == "6.2%"


def test_a_card_post_answers_from_its_items_and_its_counties():
    p = _bulletin("heldout10", "965")  # 韶关发布: "复工率：99.1%" vs 乳源县's "全县…复工率98.5%"
    assert _figure("韶关规上工业企业复工率是多少？", p) == "99.1%"
    assert _figure("乳源县规上工业企业复工率是多少？", p) == "98.5%"
    assert _figure("仁化县丹霞山周边民宿复业了多少家？", p) == "412家"  # the part that did it, not 680家
    assert _figure("韶关已经连续多少天没有新增本地确诊？", p) == "第48天"


def test_a_progress_notice_answers_the_gap_with_the_province():
    p = _bulletin("heldout10", "964")  # 常德: "比全省平均进度（58.2%）快8.2个百分点"
    assert _figure("常德早稻翻耕进度比湖南全省平均快了多少？", p) == "8.2个百分点"


def test_a_bulleted_place_label_is_the_place_of_every_figure_on_its_line():
    # heldout8's 海西州 工作动态: "▲都兰县：全县…14家，已复工12家" — 12家 is 都兰县's too, not the prefecture's
    places = _fact_places("海西州工业和信息化局\n\n▲都兰县：全县枸杞加工企业14家，已复工12家，库存枸杞干果3200余吨。",
                          ["海西蒙古族藏族自治州"])
    assert places["12家"] == places["3200余吨"] == "都兰县"


def test_a_district_heads_turn_and_its_quan_qu_are_the_districts():
    # heldout10's 德阳 press conference: "【刘海涛】全区个体工商户3.86万户，已复业3.12万户，复业率80.8%" is 旌阳区's
    p = _bulletin("heldout10", "962")
    assert _figure("德阳全市个体工商户复业率是多少？", p) is None  # only 旌阳区's is given
    assert _figure("旌阳区个体工商户复业率是多少？", p) == "80.8%"


def test_another_kind_another_batch_and_another_weeks_value_do_not_answer():
    p = _bulletin("heldout10", "963")  # 安庆: "第一批60吨于2月11日投放，第二批60吨于2月15日投放", "较上周（2303吨）"
    assert _figure("安庆市级储备猪肉第二批是哪天投放的？", p) == "2月15日"
    assert _figure("安庆中心城区这周牛肉零售价每斤多少？", p) is None  # only 猪肉's price is given
    assert _figure("上一周安庆日均蔬菜销量是多少吨？", p) == "2303吨"
    assert _figure("安庆全市蔬菜销量比上周增长了多少？", p) == "6.8%"  # 比上周 asks for no week's value
    assert _figure("菱湖市场每天从外地调进来的蔬菜大约多少？", p) == "约380吨"  # 调进 names the 调入 part
    assert parse_intent("常德今年中稻计划种植多少万亩？").unit == "亩"
    assert _figure("常德今年中稻计划种植多少万亩？", _bulletin("heldout10", "964")) is None  # 早稻's only


def test_a_compared_day_in_brackets_and_a_table_of_another_day():
    p = _bulletin("heldout10", "964")  # "截至3月25日…翻耕进度66.4%，比3月18日（42.3%）提高24.1个百分点"
    assert _figure("3月18日时常德早稻翻耕进度是多少？", p) == "42.3%"
    assert _figure("3月11日常德早稻翻耕进度是多少？", p) is None  # the 合计 row is 3月25日's too
    assert _figure("湖南全省早稻翻耕平均进度是多少？", p) == "58.2%"  # "比全省平均进度（58.2%）"


def test_spoken_days_newspapers_and_outputs_in_questions():
    intent = parse_intent("口罩日产多少，焦作全市3月25号的？")
    assert intent.dates == [(None, 3, 25)]  # 号 for 日
    assert parse_intent("王家鹏在答河南日报记者问时提到的工作专班有几个？").places == []  # a newspaper's place
    fig = parse_figures("8家口罩生产企业日生产能力252万只")
    assert [f.text for f in fig if fits(intent, f)] == ["252万只"]  # an output, not a count of producers


def test_growth_prices_gaps_and_long_part_labels():
    assert parse_intent("1—2月鄂尔多斯规上工业增加值增速是多少？").wants == "percent"  # 增速 is a rate
    assert parse_intent("安庆市级储备冻猪肉的投放价是每斤多少？").unit == "元"
    assert parse_intent("猪肉均价上涨多少").wants == "percent"  # a change of a price
    p = _bulletin("heldout9", "952")  # 上饶: "返岗率75.0%，比全省平均水平（72.4%）高2.6个百分点"
    assert _figure("上饶返岗率比全省平均高出几个百分点？", p) == "2.6个百分点"
    p = _bulletin("heldout9", "954")  # 阳朔: "已销售39.6万吨，其中通过电商销往广东、浙江等地5.8万吨"
    assert _figure("阳朔砂糖橘通过电商卖了多少？", p) == "5.8万吨"
    p = _bulletin("heldout10", "963")
    assert _figure("安庆市级储备冻猪肉的投放价是每斤多少？", p) == "23.80元"  # not 第一批's 60吨
