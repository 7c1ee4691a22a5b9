"""The OpenAI-compatible API with the real `openai` SDK against a real uvicorn server on loopback: models
(list and retrieve), non-streamed and streamed completions (the same content, inline [n] markers, extra
`citations`), conversation history resolved from the messages, token usage, and errors in OpenAI's shape."""

from __future__ import annotations

import openai
import pytest

XIUWU_Q = "修武县累计做了多少份核酸检测？"
XIUWU_FIG = "167.78万份"
XIUWU_DOC = "001_c3fcc6018ef9c5e5"


@pytest.fixture(scope="module")
def oa(live_server) -> openai.OpenAI:
    # max_retries=0: a failure shows at once instead of being retried with back-off
    return openai.OpenAI(base_url=f"{live_server}/v1", api_key="not-needed", max_retries=0, timeout=60)


def user(text: str) -> dict:
    return {"role": "user", "content": text}


def test_models_list(oa):
    models = oa.models.list()
    ids = [m.id for m in models.data]
    assert ids == ["bulletins"]
    assert models.data[0].object == "model"


def test_completion_has_the_figure_markers_and_citations(oa, originals):
    resp = oa.chat.completions.create(model="bulletins", messages=[user(XIUWU_Q)])
    assert resp.object == "chat.completion"
    assert resp.model == "bulletins"
    choice = resp.choices[0]
    assert choice.finish_reason == "stop"
    assert choice.message.role == "assistant"
    content = choice.message.content
    assert XIUWU_FIG in content
    assert "[1]" in content
    assert "来源" in content  # the sources are listed after the answer for clients that show only content
    extra = resp.model_extra
    citations = extra["citations"]
    assert citations == resp.citations  # reachable as an attribute too
    assert citations and citations[0]["n"] == 1
    for c in citations:
        assert originals(c["doc_id"])[c["start"]:c["end"]] == c["quote"]
    assert XIUWU_DOC in {c["doc_id"] for c in citations}
    b = extra["bulletins"]
    assert b["abstained"] is False
    assert b["ungrounded_figures"] == []
    assert b["resolved_question"] is None


def test_stream_concatenates_to_the_non_stream_content(oa):
    full = oa.chat.completions.create(model="bulletins", messages=[user(XIUWU_Q)]).choices[0].message.content
    chunks = list(oa.chat.completions.create(model="bulletins", messages=[user(XIUWU_Q)], stream=True))
    assert len(chunks) >= 3  # role, content pieces, the finish chunk
    assert all(ch.object == "chat.completion.chunk" for ch in chunks)
    assert len({ch.id for ch in chunks}) == 1
    assert chunks[0].choices[0].delta.role == "assistant"
    pieces = [ch.choices[0].delta.content for ch in chunks if ch.choices and ch.choices[0].delta.content]
    assert len(pieces) > 1, "content should stream in several pieces"
    assert "".join(pieces) == full
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.model_extra["citations"], "the final chunk carries the citations"
    assert [ch.choices[0].finish_reason for ch in chunks[:-1]] == [None] * (len(chunks) - 1)


def test_history_resolves_the_follow_up(oa):
    resp = oa.chat.completions.create(
        model="bulletins",
        messages=[
            {"role": "system", "content": "你是公报问答助手。"},
            user("示范区规模以上工业企业复工了多少家？"),
            {"role": "assistant", "content": "70家。公报原文：“全区70家规模以上工业企业已全部复工复产”[1]"},
            user("那修武县呢？"),
        ],
    )
    resolved = resp.model_extra["bulletins"]["resolved_question"]
    assert resolved and "修武县" in resolved
    assert "工业企业" in resolved
    assert "示范区" not in resolved
    # 修武县's reopened firms are in no bulletin: 示范区's 70家 must not be passed off as 修武县's
    content = resp.choices[0].message.content
    assert "70家" not in content


def test_history_resolution_streams_too(oa):
    chunks = list(
        oa.chat.completions.create(
            model="bulletins",
            messages=[user("示范区规模以上工业企业复工了多少家？"), {"role": "assistant", "content": "70家。"},
                      user("那定州呢？")],
            stream=True,
        )
    )
    assert "定州" in chunks[-1].model_extra["bulletins"]["resolved_question"]
    text = "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices)
    assert "62家" in text


def test_content_parts_are_accepted(oa):
    resp = oa.chat.completions.create(
        model="bulletins", messages=[{"role": "user", "content": [{"type": "text", "text": XIUWU_Q}]}]
    )
    assert XIUWU_FIG in resp.choices[0].message.content


def test_abstention(oa):
    resp = oa.chat.completions.create(model="bulletins", messages=[user("示范区今年的GDP增速是多少？")])
    assert resp.model_extra["bulletins"]["abstained"] is True
    assert resp.model_extra["citations"] == []
    assert "[1]" not in resp.choices[0].message.content


@pytest.mark.parametrize(
    "messages",
    [
        [{"role": "system", "content": "只有系统消息"}],
        [user("   ")],
        [user("示" * 2001)],
    ],
    ids=["no-user-message", "blank-user-message", "too-long"],
)
def test_bad_requests_raise_a_clear_4xx(oa, messages):
    with pytest.raises(openai.UnprocessableEntityError) as err:
        oa.chat.completions.create(model="bulletins", messages=messages)
    e = assert_openai_error(err.value, "invalid_request_error")
    assert e["param"] == "messages"
    assert "messages" in e["message"] or "question" in e["message"]


def test_empty_messages_is_a_4xx(oa):
    with pytest.raises(openai.APIStatusError) as err:
        oa.chat.completions.create(model="bulletins", messages=[])
    assert 400 <= err.value.status_code < 500


# --- OpenAI's error shape, models.retrieve, usage ----------------------------------------------------------

def assert_openai_error(err: openai.APIStatusError, type_: str, code: str | None = None) -> dict:
    """The body is exactly {"error": {message, type, param, code}}, as OpenAI sends it, so SDKs and chat
    front-ends show the message."""
    body = err.response.json()
    assert set(body) == {"error"}, body
    e = body["error"]
    assert set(e) == {"message", "type", "param", "code"}, e
    assert isinstance(e["message"], str) and e["message"].strip()
    assert e["type"] == type_, e
    assert err.type == type_ and err.code == code, (err.type, err.code)
    return e


def test_models_retrieve(oa):
    m = oa.models.retrieve("bulletins")
    assert (m.id, m.object, m.owned_by) == ("bulletins", "model", "bulletins")


def test_models_retrieve_unknown_is_a_404_in_openai_shape(oa):
    with pytest.raises(openai.NotFoundError) as err:
        oa.models.retrieve("gpt-4o")
    e = assert_openai_error(err.value, "invalid_request_error", "model_not_found")
    assert e["param"] == "model"
    assert "gpt-4o" in e["message"] and "bulletins" in e["message"]  # says which model to use


@pytest.mark.parametrize("stream", [False, True])
def test_unknown_model_is_a_404_in_openai_shape(oa, stream):
    with pytest.raises(openai.NotFoundError) as err:
        oa.chat.completions.create(model="gpt-4o", messages=[user(XIUWU_Q)], stream=stream)
    e = assert_openai_error(err.value, "invalid_request_error", "model_not_found")
    assert e["param"] == "model"


def test_validation_error_names_the_param(oa):
    with pytest.raises(openai.UnprocessableEntityError) as err:
        oa.chat.completions.create(model="bulletins", messages=[{"role": "robot", "content": "x"}])
    e = assert_openai_error(err.value, "invalid_request_error")
    assert e["param"] == "messages.0.role"


def test_unknown_route_and_method_in_openai_shape(live_server):
    import httpx

    for method, path, status in (("GET", "/v1/nope", 404), ("GET", "/v1/chat/completions", 405)):
        r = httpx.request(method, f"{live_server}{path}", timeout=30)
        assert r.status_code == status
        assert set(r.json()) == {"error"} and r.json()["error"]["type"] == "invalid_request_error", r.text


def test_internal_error_in_openai_shape(seeded_settings, seeded_engine):
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    app = create_app(seeded_settings, seeded_engine)

    def boom(*args, **kwargs):
        raise RuntimeError("index unavailable")

    app.state.chat.answer = boom
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/v1/chat/completions", json={"model": "bulletins", "messages": [user(XIUWU_Q)]})
        assert r.status_code == 500
        assert r.json()["error"]["type"] == "server_error", r.text
        r = c.post("/chat", json={"question": XIUWU_Q})  # the service's own routes keep {"detail"}
        assert r.status_code == 500 and isinstance(r.json()["detail"], str)


def test_usage_counts_tokens(oa):
    from vectorstore.tokens import count_tokens

    short = oa.chat.completions.create(model="bulletins", messages=[user(XIUWU_Q)])
    u = short.usage
    assert u.completion_tokens == count_tokens(short.choices[0].message.content)
    assert u.prompt_tokens >= count_tokens(XIUWU_Q)
    assert u.total_tokens == u.prompt_tokens + u.completion_tokens
    system = {"role": "system", "content": "你是公报问答助手，只根据公报回答。" * 5}
    longer = oa.chat.completions.create(model="bulletins", messages=[system, user(XIUWU_Q)])
    assert longer.usage.prompt_tokens >= u.prompt_tokens + count_tokens(system["content"])
    assert longer.usage.completion_tokens == u.completion_tokens  # the same answer


def test_stream_usage_when_asked(oa):
    full = oa.chat.completions.create(model="bulletins", messages=[user(XIUWU_Q)])
    chunks = list(oa.chat.completions.create(
        model="bulletins", messages=[user(XIUWU_Q)], stream=True, stream_options={"include_usage": True}))
    last = chunks[-1]
    assert last.choices == [] and last.usage is not None
    assert last.usage.model_dump() == full.usage.model_dump()
    assert all(ch.usage is None for ch in chunks[:-1])
    assert chunks[-2].choices[0].finish_reason == "stop"
    plain = list(oa.chat.completions.create(model="bulletins", messages=[user(XIUWU_Q)], stream=True))
    assert all(ch.usage is None for ch in plain)
