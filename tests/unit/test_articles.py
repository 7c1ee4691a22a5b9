"""vectorstore.articles.split_articles on the seeds: items per file, leading and trailing headlines,
reporters, publication dates and places."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from vectorstore.articles import find_places, find_published, is_headline, paragraphs, split_articles
from vectorstore.cleaning import clean

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@cache
def cleaned(prefix: str):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return clean(path.read_text("utf-8"))


@cache
def articles(prefix: str):
    return split_articles(cleaned(prefix))


def body(prefix: str, art) -> str:
    return cleaned(prefix).text[art.start : art.end]


def by_reporter(prefix: str, reporter: str, needle: str):
    found = [a for a in articles(prefix) if a.reporter == reporter and needle in body(prefix, a)]
    assert len(found) == 1, [(a.index, a.reporter, a.title) for a in articles(prefix)]
    return found[0]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_articles_tile_the_cleaned_text(prefix):
    """In order, non-overlapping, indexed 0..n-1, and together they hold every paragraph."""
    arts, text = articles(prefix), cleaned(prefix).text
    assert [a.index for a in arts] == list(range(len(arts)))
    assert arts[0].start == 0 and arts[-1].end == len(text)
    for a, b in zip(arts, arts[1:], strict=False):
        assert a.end < b.start and text[a.end : b.start].strip() == ""
    for a in arts:
        assert a.start < a.end and text[a.start : a.end] == text[a.start : a.end].strip()
    # Every "本报讯" starts an article body, and no article holds two.
    for a in arts:
        assert body(prefix, a).count("本报讯") <= 1


@pytest.mark.parametrize("prefix, n", [("000", 1), ("001", 6), ("002", 7), ("003", 1), ("004", 8)])
def test_number_of_items(prefix, n):
    assert len(articles(prefix)) == n


def test_004_items_and_trailing_headline():
    arts = articles("004")
    assert len(arts) == 8
    # Item 0 is the notice printed above the first item; the other seven each start with 本报讯.
    assert "监督举报电话" in body("004", arts[0]) and arts[0].reporter == ""
    assert all(body("004", a).startswith("本报讯") for a in arts[1:])
    # 004 is column text whose headlines follow their items: the headline printed after 郭树勋's item
    # about the 40 key industrial enterprises is that item's title, not the next item's.
    guo = by_reporter("004", "郭树勋", "40家重点工业企业")
    assert "示范区40家重点工业企业复工复产率100%" in guo.title
    assert body("004", guo).endswith("示范区40家重点工业企业复工复产率100%")
    assert guo.title.startswith("科学管控分类施策统筹推进")  # the kicker above it belongs with it
    sun = by_reporter("004", "孙国利", "全市已开工企业236家")
    assert "复工复产率100%" not in sun.title
    assert by_reporter("004", "郭嘉莉", "联合督查组").title == "市委市政府联合督查组工作调度会议召开"
    assert by_reporter("004", "徐金华", "孟州市").title == "市领导到孟州市督导疫情防控工作"
    assert by_reporter("004", "詹长松", "菜篮子").title == "解放区：“菜篮子”鲜“米袋子”足"


def test_004_last_item_gets_its_trailing_headline():
    last = articles("004")[-1]
    assert last.reporter == "贾定兴"
    assert last.title == "市领导调研山阳区疫情防控及“四城联创”工作"


@pytest.mark.xfail(
    strict=True,
    reason="the feature '战“疫”大考炼真金' (本报记者 董柏生, no 本报讯) is merged into 姚广强's item and its "
    "headline becomes that item's title",
)
def test_004_feature_without_benbaoxun_is_its_own_item():
    yao = by_reporter("004", "姚广强", "市长办公会议")
    assert "战“疫”大考炼真金" not in yao.title
    assert "徐衣显主持召开市长办公会议时强调" in yao.title


def test_002_trailing_headlines():
    arts = articles("002")
    assert all(a.reporter == "郭树勋" for a in arts)
    first = arts[0]
    assert body("002", first).startswith("本报讯（记者郭树勋）2月24日下午")
    assert first.title == "示范区统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议召开"
    assert by_reporter("002", "郭树勋", "第八次会议").title == "示范区党工委（扩大）会议暨新冠肺炎防控指挥部第八次会议召开"
    assert by_reporter("002", "郭树勋", "看望慰问").title == "王家鹏看望慰问疫情防控一线医务工作者"
    # The photo credit at the very end is not a headline.
    assert "摄" not in arts[-1].title


def test_001_leading_markdown_headlines():
    news = [a for a in articles("001") if a.reporter == "段美如"]  # the five 本报讯 items
    titles = [a.title for a in news]
    assert titles[0].endswith("我市全力统筹做好疫情防控和经济发展")
    assert titles[1:] == [
        "启动应急处置方案确保安全高效处置涉疫情医疗废物",
        "智能门磁、云名片、智慧防疫大喇叭信息化服务助力“智慧抗疫”",
        "修武县:“两快”“四尽”“三同步”全力以赴圈住封死捞干扑灭疫情",
        "修武县:党建引领打通服务群众“最后一米”",
    ]
    # Headlines lead: each title is at the start of its own article, before its 本报讯.
    for a in news:
        text = body("001", a)
        assert text.index(a.title.split()[-1]) < text.index("本报讯")
    assert not any("#" in a.title for a in articles("001"))
    # Sub-headings inside an item ("### 因人施策 一人一策") do not start items.
    holders = [a for a in articles("001") if "因人施策一人一策" in body("001", a)]
    assert len(holders) == 1 and holders[0].title == ""


def test_001_feature_with_a_byline_is_its_own_item():
    # "本报记者 郭树勤" alone on a line opens a feature about 示范区 that has no 本报讯; it is not part of
    # the 修武县 item printed before it.
    arts = articles("001")
    feature = by_reporter("001", "郭树勤", "示范区疫情防控指挥部")
    assert body("001", feature).startswith("本报记者郭树勤\n连日来,示范区疫情防控指挥部")
    assert feature.places[0] == "示范区"
    assert [a.reporter for a in arts] == ["段美如"] * 4 + ["郭树勤", "段美如"]
    assert "示范区疫情防控指挥部" not in body("001", arts[3])


def test_reporters():
    assert [a.reporter for a in articles("004")] == ["", "郭树勋", "孙国利", "姚广强", "郭嘉莉", "徐金华", "詹长松", "贾定兴"]
    assert articles("003")[0].reporter == "" and articles("000")[0].reporter == ""


def test_published_dates():
    assert articles("003")[0].published == "2020-02-26"  # from "时间:2020-02-26 17:37:48"
    assert articles("000")[0].published == "2020-03-11"  # from "2020年3月11日"
    # Dates without a year ("2月24日", "昨日") give no publication date.
    assert all(a.published is None for a in articles("002") + articles("004") + articles("001"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("时间:2020-02-26 17:37:48  来源:", "2020-02-26"),
        ("时间：2020-2-6 08:00", "2020-02-06"),
        ("2020年3月11日", "2020-03-11"),
        ("2020 年 3 月 11 日", "2020-03-11"),
        ("2月24日下午", None),
        ("截至3月10日24时", None),
        ("2020年13月40日", None),
    ],
)
def test_find_published(text, expected):
    assert find_published(text) == expected


def test_places():
    assert "定州市" in articles("003")[0].places  # the gazetteer's full name
    assert articles("000")[0].places[0] == "示范区"
    guo = by_reporter("004", "郭树勋", "40家重点工业企业")
    assert "示范区" in guo.places
    arts = articles("001")
    xiuwu = [a for a in arts if a.title.startswith("修武县")]
    assert len(xiuwu) == 2 and all(a.places[0] == "修武县" for a in xiuwu)
    assert "修武县" not in arts[0].places and "修武县" not in arts[1].places
    assert all("示范区" in a.places for a in articles("002"))
    assert "孟州市" in by_reporter("004", "徐金华", "孟州市").places


def test_find_places_aliases_and_order():
    assert find_places("示范区（高新区）党工委") == ["示范区"]  # 高新区 is another name of 示范区
    assert find_places("焦作市山阳区") == ["焦作市", "山阳区"]
    assert find_places("修武县、定州") == ["修武县", "定州市"]
    assert find_places("没有地名") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Places the seeds never name, found through the gazetteer, with their parents.
        ("据靖江市疫情防控指挥部消息", ["靖江市"]),
        ("郑州市金水区新增1例", ["郑州市", "金水区"]),
        ("湖北省卫健委通报，武汉市新增确诊", ["湖北省", "武汉市"]),
        ("焦作城乡一体化示范区", ["示范区"]),
        # Short names that are words, streets and longer words are not places.
        ("传达上级精神和政策信号", []),  # 和政(县)
        ("为惠民利民方面", []),  # 惠民(县)
        ("市玉溪路附近的怀府", []),  # 玉溪(市)
        ("黄河路以北、大沙河以南", []),  # 沙河(市)
        ("吸引了中心城区的一些居民", []),  # 城区 (of 阳泉)
        ("解放区：“菜篮子”鲜", ["解放区"]),
    ],
)
def test_gazetteer_places(text, expected):
    assert find_places(text) == expected


def test_gazetteer_parents_short_names_and_references():
    from vectorstore.places import find_places as gz_find
    from vectorstore.places import place, resolve_reference

    assert place("靖江").parents == ("江苏省", "泰州市")
    assert place("河北").name == "河北省"  # not 天津's 河北区: the higher level owns a short name
    assert gz_find("修武累计排查多少人", loose=True) == ("修武县",)  # a question may use any form
    assert gz_find("修武累计排查多少人") == ()  # bulletin text: a county's short name is mostly a word
    assert resolve_reference("全县", ["修武县", "焦作市"]) == "修武县"
    assert resolve_reference("我市", ["修武县", "焦作市"]) == "焦作市"
    assert resolve_reference("该区", ["修武县", "焦作市"]) is None  # never guessed


def test_is_headline():
    paras = paragraphs("示范区40家重点工业企业复工复产率100%\n本报讯（记者郭树勋）2月10日。\n责任编辑:\n2020年3月11日\n会议要求：")
    assert [is_headline(p) for p in paras] == [True, False, False, False, False]


def test_no_benbaoxun_one_article_with_leading_title():
    ct = clean("首页 > 定州要闻>>\n\n我市全力夺取疫情防控和经济社会发展双胜利\n\n时间:2020-02-26 17:37:48\n\n正文第一段。")
    (art,) = split_articles(ct)
    assert art.title == "我市全力夺取疫情防控和经济社会发展双胜利"  # the navigation line is not a title
    assert art.published == "2020-02-26" and art.places == ["定州市"]


def test_empty_text_has_no_articles():
    assert split_articles(clean("")) == []
