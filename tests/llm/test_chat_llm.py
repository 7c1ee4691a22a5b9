"""The LLM answerer through the real openai client (via LangChain ChatOpenAI) against recorded HTTP.

The cassettes in tests/cassettes/chat/ are FIXTURES: their responses were written by hand and served by
tests/fixtures/scripted_openai.py while recording, not produced by a real model. They test the plumbing
(prompt -> HTTP -> parse -> citations -> figure check -> fallback), never model accuracy.

Re-record (after a prompt, retrieval or chunking change alters the request body; delete the stale cassette first,
because record mode "all" appends to a cassette and the stale request would then never be replayed):
    rm tests/cassettes/chat/NAME.yaml && VCR_RECORD_MODE=all .venv/bin/python -m pytest tests/llm/test_chat_llm.py
CI replays with record_mode "none": an unrecorded request fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.chat.service import ChatService
from service.engine import Engine
from service.settings import Settings
from tests.fixtures import cassettes
from tests.fixtures.scripted_openai import ScriptedOpenAI

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes" / "chat"
RECORD_MODE = cassettes.RECORD_MODE
PORT = 18765  # fixed: the base URL is part of every recorded request
FIXTURE_HEADER = "# FIXTURE: responses written by hand (tests/fixtures/scripted_openai.py), not by a real model.\n"

recorder = cassettes.recorder(CASSETTES)
QUESTION = "修武县累计做了多少份核酸检测？"


def passage_with(body: dict, needle: str) -> int:
    prompt = body["messages"][-1]["content"]
    for m in re.finditer(r"^\[(\d+)\][^\n]*", prompt, re.M):
        block = prompt[m.start() : prompt.find("\n\n[", m.start()) if "\n\n[" in prompt[m.start():] else len(prompt)]
        if needle in block:
            return int(m.group(1))
    return 1


def cited(body: dict) -> str:
    return f"截至目前，修武县累计进行核酸检测167.78万份[{passage_with(body, '167.78万份')}]。"


def invented(body: dict) -> str:
    return f"修武县累计进行核酸检测200万份[{passage_with(body, '167.78万份')}]。"


@pytest.fixture(scope="module")
def llm_settings(seeded_settings, seeded_engine):
    return Settings(
        data_dir=seeded_settings.data_dir, answerer="llm", openai_base_url=f"http://127.0.0.1:{PORT}/v1",
        openai_api_key="sk-fixture", llm_model="fixture-model", llm_max_retries=2, llm_timeout_s=10,
    )


@pytest.fixture(scope="module")
def chat(llm_settings):
    return ChatService(Engine(llm_settings))


def run(chat: ChatService, name: str, steps: list, question: str = QUESTION):
    """Replay cassette `name`; when recording, serve `steps` from the scripted server meanwhile."""
    path = CASSETTES / f"{name}.yaml"
    if RECORD_MODE == "none":
        assert path.exists(), f"missing cassette {path}; record it with VCR_RECORD_MODE=all"
        with recorder.use_cassette(f"{name}.yaml") as cassette:
            answer = chat.answer(question)
        assert cassette.all_played, f"{name}: not every recorded request was replayed"
        return answer
    with ScriptedOpenAI(steps, port=PORT), recorder.use_cassette(f"{name}.yaml"):
        answer = chat.answer(question)
    path.write_text(FIXTURE_HEADER + path.read_text(encoding="utf-8"), encoding="utf-8")
    return answer


def test_cited_answer(chat):
    a = run(chat, "cited_answer", [("answer", cited)])
    assert a.mode == "llm" and not a.notice
    assert "167.78万份" in a.answer and not a.ungrounded_figures
    assert any("167.78万份" in c.text and c.doc_id.startswith("001_") for c in a.citations)
    assert all(f.grounded for f in a.figures)


def test_invented_figure_falls_back(chat):
    a = run(chat, "invented_figure", [("answer", invented)])
    assert a.mode == "extractive", "an answer with an unsupported figure must not be shown"
    assert "200万份" in a.notice
    assert "167.78万份" in a.answer and not a.ungrounded_figures


def test_429_then_success(chat):
    a = run(chat, "rate_limited_then_ok", [("status", 429), ("answer", cited)])
    assert a.mode == "llm" and "167.78万份" in a.answer
    cassette = (CASSETTES / "rate_limited_then_ok.yaml").read_text(encoding="utf-8")
    assert "code: 429" in cassette and "code: 200" in cassette


def test_llm_abstains(chat):
    a = run(chat, "abstains", [("answer", "公报中没有找到相关信息。")], question="示范区今年的GDP增速是多少？")
    assert a.mode == "llm" and a.abstained and not a.figures and not a.citations


def test_cassettes_are_labelled_and_redacted():
    for path in CASSETTES.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# FIXTURE"), f"{path.name} must say it is a fixture"
        assert "sk-fixture" not in text, f"{path.name} leaks the API key"


def test_timeout_falls_back(llm_settings, seeded_engine):
    """A timeout cannot be recorded in a cassette, so this one runs live against a slow loopback server."""
    with ScriptedOpenAI([("sleep", 3, "too late"), ("sleep", 3, "too late")]) as server:
        settings = llm_settings.model_copy(update={"openai_base_url": server.base_url, "llm_timeout_s": 0.5,
                                                   "llm_max_retries": 1})
        a = ChatService(Engine(settings)).answer(QUESTION)
    assert a.mode == "extractive" and "调用失败" in a.notice
    assert "167.78万份" in a.answer
