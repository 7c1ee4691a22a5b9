"""Metamorphic tests: change a seed bulletin (rename its place, shift a date, change figures), ingest it
beside the original, and the answers must follow the change, each to its own bulletin. The rules were
written on the seeds; an answer that kept the seed's figure for the renamed bulletin would be a memorised
answer, not a read one."""

from __future__ import annotations

import pytest

from service.chat.service import ChatService
from service.engine import Engine
from service.settings import Settings
from tests.conftest import SEEDS

SEED = SEEDS / "003_74452890e820d922.txt"
# (original, changed) spans of 003: its place (named once, on its navigation line: 我市 elsewhere), a date
# and three figures.
CHANGES = [("定州", "辛集"), ("1月22日", "1月24日"), ("486个村", "512个村"), ("1133个", "1250个"), ("2396人", "2871人")]


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> ChatService:
    text = SEED.read_text(encoding="utf-8")
    for old, new in CHANGES:
        assert old in text, old
        text = text.replace(old, new)
    folder = tmp_path_factory.mktemp("metamorphic")
    (folder / SEED.name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "903_changed_003.txt").write_text(text, encoding="utf-8")
    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp("metamorphic-index"), answerer="extractive"))
    report = engine.ingest([folder], progress=False)
    assert not report.failed and len(report.added) == 2
    return ChatService(engine)


@pytest.mark.parametrize(
    ("question", "figure", "doc_id"),
    [
        ("定州市有多少个村实行了全封闭管理？", "486个", "003_74452890e820d922"),
        ("辛集市有多少个村实行了全封闭管理？", "512个", "903_changed_003"),
        ("辛集有多少个村实行了全封闭管理？", "512个", "903_changed_003"),  # the short name staff type
        ("定州市视频“天眼”平台安装了多少个防控监测点？", "1133个", "003_74452890e820d922"),
        ("辛集市视频“天眼”平台安装了多少个防控监测点？", "1250个", "903_changed_003"),
        ("辛集市共发现多少名从武汉等疫区返乡或有出行经历的人员？", "2871人", "903_changed_003"),
        ("辛集市疫情防控“双组长”领导小组是哪天成立的？", "1月24日", "903_changed_003"),
        ("定州市疫情防控“双组长”领导小组是哪天成立的？", "1月22日", "003_74452890e820d922"),
    ],
)
def test_answer_follows_the_bulletin(service, question, figure, doc_id):
    ans = service.answer(question)
    assert not ans.abstained, ans.answer
    assert ans.answer.startswith(figure), ans.answer
    assert ans.citations[0].doc_id == doc_id
    assert not ans.ungrounded_figures


@pytest.mark.parametrize(
    "question",
    [
        "晋州市有多少个村实行了全封闭管理？",  # a place neither bulletin is about
        "靖江市视频“天眼”平台安装了多少个防控监测点？",
    ],
)
def test_a_place_no_bulletin_covers_gets_no_figure(service, question):
    ans = service.answer(question)
    assert ans.abstained and not ans.answers_question, ans.answer
