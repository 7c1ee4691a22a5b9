"""POST /chat through FastAPI's TestClient over the seeded index: a cited answer whose quote is exactly the
original file's span, an abstention, filters, every kind of bad input (a clear 4xx with a string `detail`,
never a 500), health and the OpenAPI docs."""

from __future__ import annotations

import re
import uuid

import pytest

from service.figures import matches, parse_figures

XIUWU_Q = "修武县累计做了多少份核酸检测？"
XIUWU_FIG = "167.78万份"
XIUWU_DOC = "001_c3fcc6018ef9c5e5"
UNANSWERABLE = "示范区今年的GDP增速是多少？"


def ask(client, question: str, **extra):
    r = client.post("/chat", json={"question": question, **extra})
    assert r.status_code == 200, r.text
    return r.json()


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["documents"] == 5
    assert body["answerer"] == "extractive"


def test_answer_states_the_figure_with_an_exact_citation(client, originals):
    a = ask(client, XIUWU_Q)
    assert not a["abstained"]
    assert a["mode"] == "extractive"
    assert XIUWU_FIG in a["answer"]
    assert "[1]" in a["answer"]
    assert a["ungrounded_figures"] == []
    assert a["question"] == XIUWU_Q
    assert isinstance(a["latency_ms"], float | int) and a["latency_ms"] > 0
    assert a["citations"], a
    for c in a["citations"]:
        original = originals(c["doc_id"])
        assert 0 <= c["start"] < c["end"] <= len(original)
        assert original[c["start"]:c["end"]] == c["quote"], c
        # the displayed text is the same span, cleaned: same characters once whitespace is gone
        assert re.sub(r"\s", "", c["text"]) == re.sub(r"\s", "", c["quote"])
        assert f"[{c['n']}]" in a["answer"]
    # the figure is grounded in a citation whose quote states it, and that citation is from 修武县's bulletin
    gold = parse_figures(XIUWU_FIG)[0]
    stating = [c for c in a["citations"] if any(matches(gold, f) for f in parse_figures(c["quote"]))]
    assert stating and stating[0]["doc_id"] == XIUWU_DOC
    checks = [f for f in a["figures"] if f["text"] == XIUWU_FIG]
    assert checks and all(f["grounded"] and f["citations"] for f in checks)
    assert a["figures"] and all(f["grounded"] for f in a["figures"])


def test_abstains_when_the_bulletins_do_not_say(client):
    a = ask(client, UNANSWERABLE)
    assert a["abstained"] is True
    assert a["citations"] == []
    assert a["figures"] == []
    assert a["ungrounded_figures"] == []
    assert a["answer"].strip()  # says so, in words
    assert not parse_figures(a["answer"]), a["answer"]


def test_question_is_stripped_and_echoed(client):
    a = ask(client, f"  {XIUWU_Q}\n ")
    assert a["question"] == XIUWU_Q
    assert XIUWU_FIG in a["answer"]


def test_question_of_exactly_2000_characters_is_accepted(client):
    r = client.post("/chat", json={"question": "示" * 2000})
    assert r.status_code == 200, r.text


BAD_BODIES = [
    ({"question": ""}, "empty"),
    ({"question": "   \n\t "}, "empty"),
    ({"question": "示" * 2001}, "2000"),
    ({"question": 123}, "question"),
    ({"question": None}, "question"),
    ({"question": ["修武县"]}, "question"),
    ({}, "question"),
    ({"question": XIUWU_Q, "colour": "red"}, "unknown field"),
    ({"question": XIUWU_Q, "filters": {"county": "修武县"}}, "unknown filter"),
    ({"question": XIUWU_Q, "filters": "修武县"}, "filters"),
    ({"question": XIUWU_Q, "filters": {"place": 3}}, "place"),
    ({"question": XIUWU_Q, "filters": {"date_from": "2020/03/01"}}, "date_from"),
    ({"question": XIUWU_Q, "top_k": 0}, "top_k"),
    ({"question": XIUWU_Q, "top_k": 100}, "top_k"),
    ({"question": XIUWU_Q, "top_k": "five"}, "top_k"),
    ({"question": XIUWU_Q, "conversation_id": 7}, "conversation_id"),
    ({"question": XIUWU_Q, "conversation_id": "x" * 101}, "conversation_id"),
]


@pytest.mark.parametrize(("body", "mentions"), BAD_BODIES, ids=[str(i) for i in range(len(BAD_BODIES))])
def test_bad_input_is_a_clear_422(client, body, mentions):
    r = client.post("/chat", json=body)
    assert r.status_code == 422, (body, r.status_code, r.text)
    detail = r.json()["detail"]
    assert isinstance(detail, str) and detail.strip()
    assert mentions in detail, detail


@pytest.mark.parametrize("body", [[], [XIUWU_Q], "修武县", 5])
def test_non_object_json_body_is_a_clear_422(client, body):
    r = client.post("/chat", json=body)
    assert r.status_code == 422, r.text
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]


@pytest.mark.parametrize("raw", [b'{"question": "x"', b"{question: 1}", b"\xff\xfe", b'{"question": "x"} trailing'])
def test_malformed_json_is_a_400_with_a_hint(client, raw):
    r = client.post("/chat", content=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, str) and "JSON" in detail


@pytest.mark.parametrize(
    ("content", "ctype"), [(b"", None), (b"question=x", "application/x-www-form-urlencoded"), (b"x", "text/plain")]
)
def test_missing_or_non_json_body_is_a_4xx(client, content, ctype):
    headers = {"Content-Type": ctype} if ctype else {}
    r = client.post("/chat", content=content, headers=headers)
    assert 400 <= r.status_code < 500, r.text
    assert isinstance(r.json()["detail"], str)


def test_wrong_method_and_path(client):
    r = client.get("/chat")
    assert r.status_code == 405
    assert isinstance(r.json()["detail"], str)
    r = client.post("/chats", json={"question": XIUWU_Q})
    assert r.status_code == 404


def test_doc_id_filter_restricts_the_sources(client):
    # restricted to the bulletin that states it: answered from there
    a = ask(client, XIUWU_Q, filters={"doc_id": XIUWU_DOC})
    assert XIUWU_FIG in a["answer"]
    assert {c["doc_id"] for c in a["citations"]} == {XIUWU_DOC}
    # restricted to a bulletin that does not (示范区, 2020): no figure from elsewhere leaks in
    a = ask(client, XIUWU_Q, filters={"doc_id": ["000_f13d48eef836739b"]})
    assert XIUWU_FIG not in a["answer"]
    assert all(c["doc_id"] == "000_f13d48eef836739b" for c in a["citations"])


def test_place_filter_restricts_the_sources(client):
    a = ask(client, "累计确诊病例多少例？", filters={"place": "修武县"})
    assert all(c["doc_id"] == XIUWU_DOC for c in a["citations"])


def test_unknown_doc_id_filter_is_a_422(client):
    # Not an abstention: "the bulletins do not say" would be wrong when the filter names no bulletin.
    r = client.post("/chat", json={"question": XIUWU_Q, "filters": {"doc_id": "no_such_doc"}})
    assert r.status_code == 422 and "no_such_doc" in r.json()["detail"] and "GET /documents" in r.json()["detail"]


@pytest.mark.parametrize("top_k", [1, 20])
def test_top_k_within_bounds_is_accepted(client, top_k):
    a = ask(client, XIUWU_Q, top_k=top_k)
    assert XIUWU_FIG in a["answer"]


def test_conversation_id_is_echoed_and_resolves_a_follow_up(client):
    cid = uuid.uuid4().hex
    first = ask(client, "示范区规模以上工业企业复工了多少家？", conversation_id=cid)
    assert first["conversation_id"] == cid
    second = ask(client, "那定州呢？", conversation_id=cid)
    assert second["conversation_id"] == cid
    assert second["question"] == "那定州呢？"
    assert "定州" in (second["resolved_question"] or "")
    # without the conversation the follow-up has nothing to resolve against
    alone = ask(client, "那定州呢？")
    assert alone["resolved_question"] is None
    assert alone["conversation_id"] is None


def test_openapi_and_docs(client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert spec["info"]["title"]
    for path in ("/chat", "/chat/stream", "/documents", "/documents/{doc_id}", "/v1/chat/completions", "/healthz"):
        assert path in spec["paths"], path
    chat_schema = spec["paths"]["/chat"]["post"]
    assert "requestBody" in chat_schema
    r = client.get("/docs")
    assert r.status_code == 200
    assert "text/html" in r.headers["content-type"]
    assert "/openapi.json" in r.text


def test_staff_page_and_static_assets_are_served(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    for asset in ("/static/app.js", "/static/style.css"):
        r = client.get(asset)
        assert r.status_code == 200, asset
    assert client.get("/static/nope.js").status_code == 404
