"""LLM bulletin summaries (map-reduce) through the real openai client, via LangChain ChatOpenAI, against
recorded HTTP.

The cassettes in tests/cassettes/summaries/ are FIXTURES: their responses were written by hand below and
served by tests/fixtures/scripted_openai.py while recording, not produced by a real model. They test the
plumbing (prompts -> HTTP -> parse -> [n] citations -> figure check -> extractive fallback), never model
quality. Each cassette starts with a "# FIXTURE" comment line saying so.

Re-record (after a change to the prompts, the cleaning or the sentence selection alters a request body):
    VCR_RECORD_MODE=all .venv/bin/python -m pytest tests/llm/test_summary_llm.py   (or =once)
Any mode other than "none" starts the scripted server on 127.0.0.1:18766 and rewrites the cassettes.
CI replays with record_mode "none" (the default): an unrecorded request fails the test.
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
import yaml

from service.engine import Engine
from service.figures import ungrounded
from service.settings import Settings
from service.summaries.service import build_summary, ensure_summary
from tests.fixtures import cassettes
from tests.fixtures.scripted_openai import ScriptedOpenAI

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes" / "summaries"
RECORD_MODE = cassettes.RECORD_MODE
PORT = 18766  # fixed: the base URL is part of every recorded request
FIXTURE_HEADER = "# FIXTURE: scripted response from tests/fixtures/scripted_openai.py, not from a real model\n"

recorder = cassettes.recorder(CASSETTES)

# Two news items in seed 004's words: map runs twice, reduce once.
BULLETIN = """示范区40家重点工业企业复工复产

本报讯（记者郭树勋）截至昨日12时，示范区40家重点工业企业全部复工复产，在我市各县（市）区中唯一一家实现重点工业企业全“双复”。该区积极筹措紧缺物资消毒液17吨、酒精8.5吨，及时向辖区重点工业企业调拨发放。

我市工业企业有序开工

本报讯（记者孙国利）全市疫情防控阻击战打响以来，我市坚持疫情防控与复工复产两手抓。目前，全市已开工企业236家，占规上工业企业19.7%，用工人数达48773人。
"""
DOC_ID = "910_llm"


def n_of(body: dict, needle: str) -> int:
    """The [n] of the prompt's numbered sentence "[n] …needle…" (map), or of the marker after the needle in
    an article summary "…needle…[n]" (reduce)."""
    prompt = body["messages"][-1]["content"]
    for line in prompt.splitlines():
        at = line.find(needle)
        if at < 0:
            continue
        lead = re.match(r"\[(\d+)\] ", line)
        after = re.compile(r"\[(\d+)\]").search(line, at)
        if lead or after:
            return int((lead or after).group(1))
    raise AssertionError(f"{needle!r} not in the prompt")


# --- scripted responses (fixtures, written by hand) ---------------------------------------------------
def map_1(body: dict) -> str:
    return (f"截至昨日12时，示范区40家重点工业企业全部复工复产[{n_of(body, '40家')}]。"
            f"该区筹措消毒液17吨、酒精8.5吨[{n_of(body, '17吨')}]。")


def map_2(body: dict) -> str:
    return f"目前，全市已开工企业236家，用工人数达48773人[{n_of(body, '236家')}]。"


def reduce_ok(body: dict) -> str:
    return (f"截至昨日12时，示范区40家重点工业企业全部复工复产[{n_of(body, '40家')}]；"
            f"目前，全市已开工企业236家[{n_of(body, '236家')}]。")


def map_1_invented(body: dict) -> str:
    return f"截至昨日12时，示范区50家重点工业企业全部复工复产[{n_of(body, '40家')}]。"  # 40家 in the source


def reduce_invented(body: dict) -> str:
    return f"目前，全市已开工企业263家[{n_of(body, '236家')}]。"  # 236家 in the source


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("summary-llm")
    path = root / f"{DOC_ID}.txt"
    path.write_text(BULLETIN, encoding="utf-8")
    report = Engine(Settings(data_dir=root / "data", answerer="extractive")).ingest([path], progress=False)
    assert report.added == [DOC_ID]
    return root / "data"


def llm_engine(data_dir: Path, **overrides) -> Engine:
    settings = Settings(
        data_dir=data_dir, answerer="llm", openai_base_url=f"http://127.0.0.1:{PORT}/v1", openai_api_key="sk-test",
        llm_model="fixture-model", llm_max_retries=1, llm_timeout_s=10,
    )
    return Engine(settings.model_copy(update=overrides))


def replay(name: str, steps: list, make):
    """Run `make()` against cassette `name`; when recording, serve `steps` from the scripted server."""
    path = CASSETTES / f"{name}.yaml"
    if RECORD_MODE == "none":
        assert path.exists(), f"missing cassette {path}; record it with VCR_RECORD_MODE=all"
        with recorder.use_cassette(path.name) as cassette:
            out = make()
        assert cassette.all_played, f"{name}: not every recorded request was replayed"
        return out
    CASSETTES.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with ScriptedOpenAI(steps, port=PORT), recorder.use_cassette(path.name):
        out = make()
    path.write_text(FIXTURE_HEADER + path.read_text(encoding="utf-8"), encoding="utf-8")
    return out


def test_accepted_llm_summary_is_cited_grounded_and_stored(data_dir: Path) -> None:
    engine = llm_engine(data_dir)
    row = engine.catalog.document(DOC_ID)
    engine.catalog.write_summary(DOC_ID, "stale", "extractive", {})  # as if the bulletin had changed
    s = replay("accepted", [("answer", map_1), ("answer", map_2), ("answer", reduce_ok)],
               lambda: ensure_summary(engine, DOC_ID))
    assert s.mode == "llm" and s.notice is None and s.prompt_version.startswith("summarize-map-v1")
    assert [a.mode for a in s.articles] == ["llm", "llm"]
    original = row["original"]
    for a in s.articles:
        for st in a.sentences:
            assert st.cites and original[st.start : st.end] == st.quote
            assert ungrounded(st.text, [st.quote]) == [], "every figure is in the sentence it cites"
    assert "40家" in s.summary and "236家" in s.summary and "[" not in s.summary
    stored = engine.catalog.summary(DOC_ID)
    assert stored["mode"] == "llm" and stored["sha256"] == row["sha256"]


def test_invented_figures_are_rejected(data_dir: Path) -> None:
    engine = llm_engine(data_dir)
    s = replay("invented_figure", [("answer", map_1_invented), ("answer", map_2), ("answer", reduce_invented)],
               lambda: build_summary(engine, DOC_ID))
    first, second = s.articles
    assert first.mode == "extractive", "a summary stating 50家 where the source says 40家 must not be shown"
    assert "40家" in "".join(st.text for st in first.sentences)
    assert second.mode == "llm"
    assert s.mode == "llm"  # one article's LLM summary was accepted
    assert "第1篇" in s.notice and "50家" in s.notice
    assert "总摘要" in s.notice and "263家" in s.notice
    assert "50家" not in s.summary and "263家" not in s.summary and "236家" in s.summary


def test_llm_unreachable_falls_back_to_extractive(data_dir: Path) -> None:
    """A refused connection cannot be recorded, so this runs live against a closed loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    engine = llm_engine(data_dir, openai_base_url=f"http://127.0.0.1:{port}/v1", llm_max_retries=0, llm_timeout_s=2)
    s = build_summary(engine, DOC_ID)
    assert s.mode == "extractive" and all(a.mode == "extractive" for a in s.articles)
    assert "调用失败" in s.notice and "40家" in s.summary


def test_cassettes_are_labelled_and_redacted() -> None:
    paths = sorted(CASSETTES.glob("*.yaml"))
    assert {p.stem for p in paths} >= {"accepted", "invented_figure"}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# FIXTURE"), f"{path.name} must say it is a fixture"
        assert "sk-test" not in text, f"{path.name} leaks the API key"
        for interaction in yaml.safe_load(text)["interactions"]:  # the comment line does not stop YAML
            body = json.loads(interaction["request"]["body"])
            assert body["temperature"] == 0.0 and body["model"] == "fixture-model", "deterministic requests"
