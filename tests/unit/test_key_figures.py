"""Unit tests for the key-figure reading (service.facts.reading) and table (service.summaries.key_figures)
on real sentences of the seeds. Pure: no index, no model."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from service.facts.reading import Context, build_facts, read_sentence
from service.figures import parse_figures
from service.summaries.key_figures import key_figures
from service.summaries.models import KeyFigure
from service.summaries.service import metric_key
from vectorstore.cleaning import squash
from vectorstore.pipeline import process

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SHIFANQU = Context(subject_place="示范区", city="焦作市")
JIAOZUO = Context(subject_place="焦作市", city="焦作市")
XIUWU = Context(subject_place="修武县", city="焦作市")
DINGZHOU = Context(subject_place="定州", city="定州", published="2020-02-26")


def sentence_rows(sentence: str, ctx: Context) -> list:
    """The sentence's figures whose metric could be read: its key-figure rows."""
    return [r for r in read_sentence(sentence, ctx) if r.metric]


def rows(sentence: str, ctx: Context) -> list[tuple]:
    """(subject, metric, figure, as_of or period, place, quote) per row."""
    return [
        (r.subject, r.metric, r.figure.text, r.as_of or r.period, r.place, sentence[r.start : r.end])
        for r in sentence_rows(sentence, ctx)
    ]


def test_confirmed_case_with_as_of_and_subject_place() -> None:
    assert rows("截至3月10日24时,全区确诊1例新冠肺炎病例", SHIFANQU) == [
        ("示范区", "确诊新冠肺炎病例", "1例", "截至3月10日24时", "示范区", "全区确诊1例新冠肺炎病例"),
    ]


def test_city_sentence_with_share_and_workers() -> None:
    got = rows("目前，全市已开工企业236家，占规上工业企业19.7%，用工人数达48773人", JIAOZUO)
    assert got == [
        ("焦作市", "开工企业", "236家", "目前", "焦作市", "全市已开工企业236家"),
        ("焦作市", "开工企业占规上工业企业", "19.7%", "目前", "焦作市", "占规上工业企业19.7%"),
        ("焦作市", "用工人数", "48773人", "目前", "焦作市", "用工人数达48773人"),
    ]


def test_magnitude_stays_with_the_figure() -> None:
    (r,) = sentence_rows("全县累计进行核酸检测167.78万份。", XIUWU)
    assert (r.subject, r.metric, r.place) == ("修武县", "核酸检测", "修武县")
    text = "目前,累计生产口罩300余万只,为全市防疫工作作出了贡献。"
    (r,) = sentence_rows(text, SHIFANQU)
    assert (r.metric, r.figure.qualifier, r.figure.magnitude, r.figure.unit) == ("生产口罩", "余", "万", "只")
    assert r.as_of == "目前"


def test_counted_thing_and_what_follows_it() -> None:
    text = "截至3月25日,10家消毒剂和生产企业日生产能力201吨,库存免洗手消毒凝胶、消毒液10万瓶,其他消毒液253.18吨;"
    got = rows(text, JIAOZUO)
    assert got[0][:3] == ("焦作市", "消毒剂和生产企业", "10家")
    assert got[1][:4] == ("消毒剂和生产企业", "日生产能力", "201吨", "截至3月25日")
    assert [g[1] for g in got[2:]] == ["库存免洗手消毒凝胶、消毒液", "其他消毒液"]
    assert rows("经济社会秩序恢复,按下了发展“快进键”,70家规模以上工业企业全部复工,各领域复工复产复业面正在有序扩大。",
                SHIFANQU)[0][:3] == ("示范区", "规模以上工业企业复工", "70家")


def test_respectively_lists_one_metric_per_figure() -> None:
    got = rows("省、市重点项目开工复工率分别达100%、91%。", SHIFANQU)
    assert [(g[1], g[2]) for g in got] == [("省重点项目开工复工率", "100%"), ("市重点项目开工复工率", "91%")]
    got = rows("截至2月底,公司主导产品产量、收入、利润分别比去年同期增长7%、3%、24%,净利润1000余万元。", SHIFANQU)
    assert [g[1] for g in got[:3]] == ["公司主导产品产量比去年同期增长", "收入比去年同期增长", "利润比去年同期增长"]
    assert all(g[3] == "截至2月底" for g in got)


def test_list_items_share_the_actor() -> None:
    text = "目前，全市已开工企业236家，防控物资生产企业累计生产口罩51.13万个、消毒剂1373.5吨、医用酒精18571吨。"
    got = rows(text, JIAOZUO)
    assert [(g[0], g[1], g[2]) for g in got[1:]] == [
        ("防控物资生产企业", "生产口罩", "51.13万个"),
        ("防控物资生产企业", "消毒剂", "1373.5吨"),
        ("防控物资生产企业", "医用酒精", "18571吨"),
    ]


def test_place_named_as_object_is_not_the_actor() -> None:
    got = rows("开工项目数占全市总量的44.6%", SHIFANQU)
    assert got[0][4] == "示范区"
    # "作为我市30家…之一": the count is the city's.
    got = rows("焦作同仁医院作为我市30家发热门诊定点医疗机构之一、示范区唯一一家发热门诊定点医疗机构。", SHIFANQU)
    assert got[0][:3] == ("焦作市", "发热门诊定点医疗机构", "30家")


def test_area_word_that_does_not_fit_the_article_stays_unresolved() -> None:
    # 001 glues a 示范区 feature onto a 修武县 article: "该区" there must not become 修武县.
    (r,) = sentence_rows("截至目前,该区集中隔离点共有隔离人员400多人。", XIUWU)
    assert (r.place, r.subject, r.metric) == ("该区", "集中隔离点", "隔离人员")


def test_publication_date_when_the_text_gives_no_time() -> None:
    (r,) = sentence_rows("筛查发热人员49名,全部按规定送医院检查。", DINGZHOU)
    assert r.as_of == "2020-02-26（发布日）"
    (r,) = sentence_rows("百大超市示范区店2月份的营业额达583万元。", SHIFANQU)
    assert (r.subject, r.metric, r.period, r.as_of) == ("百大超市示范区店", "营业额", "2月份", None)


@pytest.mark.parametrize(
    "sentence",
    [
        "与时间赛跑防疫情——突出3个“快”字、开展6项行动、抓实7个环节,筑牢疫情防控钢铁长城突出3个“快”字。",
        "监督举报电话：（0391）3569278、3569290。",
        "经示范区按照“十项”标准验收批准,于2月8日提前2天复工复产。",
        "所有小区每天早上7:30开放、晚上9:00封闭,一车一检、逐人测温,每户两天允许1人外出采购1次。",
        "一是见事早、行动快,果断处置我市首例病例。",
        "为此，公司制定了《疫情防控管理办法》等16项制度。",
        "这里不仅有24小时热线电话(0391)3566659接听各方。",
    ],
)
def test_no_row_for_dates_phones_durations_slogans(sentence: str) -> None:
    assert sentence_rows(sentence, SHIFANQU) == []


def test_semicolon_chain_carries_the_as_of() -> None:
    text = "截至目前,全区70家规模以上工业企业已全部复工复产,复工复产率达100%;39家限额以上批发零售企业已全部复工;"
    p = process("t", text)
    got = key_figures(build_facts("t", text, p.clean, p.articles))
    assert [(k.value, k.as_of) for k in got] == [("70", "截至目前"), ("100", "截至目前"), ("39", "截至目前")]
    assert got[1].subject == "规模以上工业企业"


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_row_quotes_the_source(path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    p = process(path.stem, original)
    got = key_figures(build_facts(path.stem, original, p.clean, p.articles))
    assert got, "every seed states some key figures"
    for kf in got:
        assert original[kf.start : kf.end] == kf.quote
        assert kf.value in squash(kf.quote) and kf.figure in squash(kf.quote)
        assert kf.metric and kf.place and kf.unit
        (fig,) = [f for f in parse_figures(kf.figure) if f.kind in ("number", "percent")]
        assert fig.value == Decimal(kf.scaled_value) and kf.unit.endswith(fig.unit if fig.kind == "number" else "%")


def test_digest_key_groups_status_counts_only_with_the_same_unit() -> None:
    def kf(metric: str, unit: str, subject: str = "示范区", magnitude: str = "") -> KeyFigure:
        return KeyFigure(subject=subject, metric=metric, value="1", unit=unit, magnitude=magnitude, scaled_value="1",
                         place="示范区", quote="q", start=0, end=1, article=0)

    assert metric_key(kf("规模以上工业企业复工", "家")) == metric_key(kf("重点工业企业复工复产", "家")) == "企业复工（家）"
    assert metric_key(kf("确诊新冠肺炎病例", "例")) == metric_key(kf("确诊病例", "例")) == "病例确诊（例）"
    assert metric_key(kf("复工复产率", "%", subject="规模以上工业企业")) == "企业复工率（%）"
    assert metric_key(kf("生产口罩", "万只", magnitude="万")) == metric_key(kf("生产口罩", "万个", magnitude="万"))
    assert metric_key(kf("企业复工", "家")) != metric_key(kf("企业复工", "个"))
