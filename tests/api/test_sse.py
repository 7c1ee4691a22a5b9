"""POST /chat/stream: Server-Sent Events framing (event:/data: lines, blank-line separators), the event
order meta -> delta* -> done, deltas that add up to the final answer, citations on `done`, in-band errors,
and plain JSON 4xx for bad input before any streaming starts."""

from __future__ import annotations

import json
import re
import uuid

import httpx
import pytest

XIUWU_Q = "修武县累计做了多少份核酸检测？"
XIUWU_FIG = "167.78万份"
EVENT_NAMES = {"meta", "delta", "done", "error"}


def parse_sse(raw: str) -> list[tuple[str, dict]]:
    """Strict parse of an SSE body: blocks separated by a blank line, each `event:` then `data:` lines.
    Comment lines (keep-alive pings, ': ping ...') are skipped; anything else fails the test."""
    assert raw.endswith(("\r\n\r\n", "\n\n")), f"stream does not end with a blank line: {raw[-40:]!r}"
    events = []
    for block in re.split(r"\r\n\r\n|\n\n|\r\r", raw):
        if not block:
            continue
        lines = [ln for ln in re.split(r"\r\n|\n|\r", block) if not ln.startswith(":")]
        if not lines:
            continue  # a ping
        fields: dict[str, list[str]] = {}
        for ln in lines:
            name, sep, value = ln.partition(":")
            assert sep, f"not a field line: {ln!r}"
            assert name in ("event", "data", "id", "retry"), f"unknown SSE field {name!r}"
            fields.setdefault(name, []).append(value[1:] if value.startswith(" ") else value)
        assert len(fields.get("event", [])) == 1, block
        assert fields.get("data"), block
        name = fields["event"][0]
        assert name in EVENT_NAMES, name
        events.append((name, json.loads("\n".join(fields["data"]))))
    return events


def stream(client, body) -> tuple[httpx.Response, list[tuple[str, dict]]]:
    r = client.post("/chat/stream", json=body)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/event-stream")
    return r, parse_sse(r.text)


def test_events_in_order_with_deltas_adding_up_to_the_answer(client, originals):
    r, events = stream(client, {"question": XIUWU_Q})
    names = [n for n, _ in events]
    assert names[0] == "meta"
    assert names[-1] == "done"
    assert names.count("meta") == 1 and names.count("done") == 1
    assert set(names[1:-1]) == {"delta"}, names  # at least one delta, nothing else in between
    meta = events[0][1]
    assert meta["conversation_id"]
    assert meta["resolved_question"] is None
    done = events[-1][1]
    deltas = [d["text"] for n, d in events if n == "delta"]
    assert all(isinstance(t, str) and t for t in deltas)
    assert "".join(deltas) == done["answer"]
    assert XIUWU_FIG in done["answer"]
    assert done["conversation_id"] == meta["conversation_id"]
    assert done["citations"] and not done["abstained"]
    for c in done["citations"]:
        assert originals(c["doc_id"])[c["start"]:c["end"]] == c["quote"]
    # deltas are cut at clause punctuation, so the figure arrives whole in one of them
    assert any(XIUWU_FIG in t for t in deltas), deltas


def test_stream_and_chat_give_the_same_answer(client):
    _, events = stream(client, {"question": XIUWU_Q})
    plain = client.post("/chat", json={"question": XIUWU_Q}).json()
    done = events[-1][1]
    assert done["answer"] == plain["answer"]
    assert [(c["doc_id"], c["start"], c["end"]) for c in done["citations"]] == [
        (c["doc_id"], c["start"], c["end"]) for c in plain["citations"]
    ]


def test_abstention_streams_too(client):
    _, events = stream(client, {"question": "示范区今年的GDP增速是多少？"})
    assert [n for n, _ in events][0] == "meta" and events[-1][0] == "done"
    done = events[-1][1]
    assert done["abstained"] and done["citations"] == []
    assert "".join(d["text"] for n, d in events if n == "delta") == done["answer"]


def test_follow_up_is_resolved_in_meta(client):
    cid = uuid.uuid4().hex
    _, first = stream(client, {"question": "示范区规模以上工业企业复工了多少家？", "conversation_id": cid})
    assert first[0][1]["conversation_id"] == cid
    _, second = stream(client, {"question": "那定州呢？", "conversation_id": cid})
    meta, done = second[0][1], second[-1][1]
    assert meta["conversation_id"] == cid
    assert "定州" in meta["resolved_question"]
    assert done["resolved_question"] == meta["resolved_question"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"question": ""}, 422),
        ({"question": "  "}, 422),
        ({"question": "示" * 2001}, 422),
        ({"question": XIUWU_Q, "filters": {"county": "修武县"}}, 422),
        ({"question": XIUWU_Q, "top_k": 0}, 422),
        ({"question": XIUWU_Q, "extra": 1}, 422),
    ],
)
def test_bad_input_is_json_before_streaming(client, body, status):
    r = client.post("/chat/stream", json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]


def test_malformed_json_is_400_before_streaming(client):
    r = client.post("/chat/stream", content=b'{"question":', headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/json")
    assert "JSON" in r.json()["detail"]


class _FailingChat:
    """A chat service whose stream breaks after `meta`: the route must report it in-band."""

    def validate(self, question, filters):
        return question, None

    def stream(self, question, top_k=None, filters=None, conversation_id=None, owner=None):
        yield "meta", {"conversation_id": "c1", "resolved_question": None}
        yield "delta", {"text": "部分回答，"}
        raise RuntimeError("retriever exploded")


def test_a_failure_mid_stream_becomes_an_error_event(seeded_settings, seeded_engine):
    from fastapi.testclient import TestClient

    from service.api.app import create_app

    app = create_app(seeded_settings, seeded_engine)
    app.state.chat = _FailingChat()
    with TestClient(app) as c:
        r = c.post("/chat/stream", json={"question": XIUWU_Q})
    assert r.status_code == 200
    events = parse_sse(r.text)
    assert [n for n, _ in events] == ["meta", "delta", "error"]
    assert "retriever exploded" in events[-1][1]["detail"]


def test_events_arrive_incrementally_over_real_http(live_server):
    """Through uvicorn: the body is chunked SSE the browser can read as it comes, with no-cache headers."""
    chunks: list[str] = []
    with httpx.Client(base_url=live_server, timeout=30) as h, h.stream(
        "POST", "/chat/stream", json={"question": XIUWU_Q}, headers={"Accept": "text/event-stream"}
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert "no-cache" in r.headers.get("cache-control", "") or "no-store" in r.headers.get("cache-control", "")
        for text in r.iter_text():
            chunks.append(text)
    events = parse_sse("".join(chunks))
    assert events[0][0] == "meta" and events[-1][0] == "done"
    assert XIUWU_FIG in events[-1][1]["answer"]
