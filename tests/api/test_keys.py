"""Staff keys (BULLETINS_API_KEYS): every API route needs `Authorization: Bearer <key>` when keys are set,
except /healthz, the page and its static files; the openai SDK works with a key and fails cleanly with a
wrong one; `bulletins serve` on a non-loopback host without keys warns."""

from __future__ import annotations

import argparse
import uuid

import openai
import pytest

XIUWU_Q = "修武县累计做了多少份核酸检测？"
DOC = "001_c3fcc6018ef9c5e5"

# A valid request for each route, so that with a key the route answers normally (not 401, not 422).
BODIES = {
    ("POST", "/chat"): {"question": XIUWU_Q},
    ("POST", "/chat/stream"): {"question": XIUWU_Q},
    ("POST", "/v1/chat/completions"): {"model": "bulletins", "messages": [{"role": "user", "content": XIUWU_Q}]},
}


def api_routes(app) -> list[tuple[str, str]]:
    """(method, concrete path) of every API route the app publishes (its OpenAPI paths), so a route added
    later is covered without editing this test."""
    out = []
    for path, ops in app.openapi()["paths"].items():
        if path == "/healthz":
            continue
        for method in ops:
            concrete = path.replace("{doc_id}", DOC).replace("{model}", "bulletins")
            assert "{" not in concrete, f"add a value for the parameters of {path}"
            out.append((method.upper(), concrete))
    return out


def test_route_list_is_complete(keyed_app):
    routes = {p for _, p in api_routes(keyed_app)}
    for p in ("/chat", "/chat/stream", "/documents", f"/documents/{DOC}", f"/documents/{DOC}/summary",
              f"/documents/{DOC}/figures.csv", "/digest", "/v1/models", "/v1/models/bulletins",
              "/v1/chat/completions"):
        assert p in routes, p


def _call(client, method: str, path: str, headers: dict | None = None):
    body = BODIES.get((method, path.replace(DOC, "{doc_id}")))
    return client.request(method, path, json=body, headers=headers or {})


@pytest.mark.parametrize(
    ("headers", "says"),
    [
        ({}, "missing API key"),
        ({"Authorization": "Bearer wrong"}, "invalid API key"),
        ({"Authorization": "Bearer "}, "invalid API key"),
        ({"Authorization": "k1"}, "invalid API key"),  # no scheme
        ({"Authorization": "Basic azE6"}, "invalid API key"),
        ({"Authorization": "Bearer k1k2"}, "invalid API key"),
        ({"Authorization": "Bearer K1"}, "invalid API key"),  # keys are case-sensitive
    ],
    ids=["none", "wrong", "empty", "no-scheme", "basic", "concatenated", "case"],
)
def test_every_api_route_needs_a_key(keyed_app, keyed_client, headers, says):
    routes = api_routes(keyed_app)
    assert len(routes) >= 9
    for method, path in routes:
        r = _call(keyed_client, method, path, headers)
        assert r.status_code == 401, (method, path, r.status_code, r.text[:200])
        assert r.headers.get("www-authenticate") == "Bearer", (method, path)
        body = r.json()
        if path.startswith("/v1/"):  # OpenAI's error shape, so SDKs and chat front-ends show the message
            assert set(body) == {"error"} and body["error"]["code"] == "invalid_api_key", (path, body)
            detail = body["error"]["message"]
        else:
            detail = body["detail"]
        assert isinstance(detail, str) and says in detail, (method, path, detail)
        assert "Authorization: Bearer" in detail or "key" in detail


def test_the_key_is_checked_before_the_body(keyed_client):
    # a bad body without a key is a 401, not a 422 that would reveal the API's shape
    r = keyed_client.post("/chat", json={"nonsense": True})
    assert r.status_code == 401


@pytest.mark.parametrize("key", ["k1", "k2"])
def test_every_api_route_works_with_a_key(keyed_app, keyed_client, key):
    for method, path in api_routes(keyed_app):
        if path.startswith(f"/documents/{DOC}/") or path == "/digest":
            continue  # summaries: covered by test_summary_routes_work_with_a_key (their module may lag)
        if (method, path) in {("POST", "/documents"), ("DELETE", f"/documents/{DOC}")}:
            continue  # they change the shared index: tests/api/test_uploads.py covers them with a key
        r = _call(keyed_client, method, path, {"Authorization": f"Bearer {key}"})
        assert r.status_code == 200, (method, path, r.status_code, r.text[:300])


def test_summary_routes_work_with_a_key(keyed_client):
    h = {"Authorization": "Bearer k2"}
    for path in (f"/documents/{DOC}/summary", f"/documents/{DOC}/figures.csv", "/digest"):
        r = keyed_client.get(path, headers=h)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])


def test_scheme_is_case_insensitive(keyed_client):
    r = keyed_client.post("/chat", json={"question": XIUWU_Q}, headers={"Authorization": "bearer k2"})
    assert r.status_code == 200
    assert "167.78万份" in r.json()["answer"]


@pytest.mark.parametrize("path", ["/healthz", "/", "/static/app.js", "/static/style.css", "/static/index.html"])
def test_public_paths_need_no_key(keyed_client, path):
    r = keyed_client.get(path)
    assert r.status_code == 200, (path, r.status_code)


def test_stream_with_a_key_streams(keyed_client):
    r = keyed_client.post("/chat/stream", json={"question": XIUWU_Q}, headers={"Authorization": "Bearer k1"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    assert "event: done" in r.text


def test_a_conversation_belongs_to_the_key_that_made_it(keyed_app, keyed_client):
    """Issue 12, item 4: another staff key must not read or extend a conversation (its turns hold questions
    and answers); the store keeps a hash of the key, never the key."""
    import hashlib

    cid = f"owned-{uuid.uuid4().hex[:8]}"
    k1, k2 = {"Authorization": "Bearer k1"}, {"Authorization": "Bearer k2"}
    r = keyed_client.post("/chat", json={"question": "示范区累计排查密接多少人？", "conversation_id": cid}, headers=k1)
    assert r.status_code == 200 and r.json()["conversation_id"] == cid
    follow = {"question": "那修武县呢？", "conversation_id": cid}
    for path in ("/chat", "/chat/stream"):
        r = keyed_client.post(path, json=follow, headers=k2)
        assert r.status_code == 404, (path, r.status_code, r.text[:200])
        assert "conversation" in r.json()["detail"]
    r = keyed_client.post("/chat", json=follow, headers=k1)
    assert r.status_code == 200
    assert r.json()["resolved_question"].startswith("修武县")
    conv = keyed_app.state.chat.conversations.get(cid, hashlib.sha256(b"k1").hexdigest())
    assert len(conv.turns) == 2
    assert conv.owner == hashlib.sha256(b"k1").hexdigest() and "k1" not in repr(conv.owner)


def test_without_keys_nothing_is_required(client):
    assert client.get("/documents").status_code == 200
    assert client.post("/chat", json={"question": XIUWU_Q}).status_code == 200


# --- the openai SDK against a real server with keys -------------------------------------------------------

def test_openai_client_with_a_key(keyed_live_server):
    oa = openai.OpenAI(base_url=f"{keyed_live_server}/v1", api_key="k1", max_retries=0, timeout=60)
    assert [m.id for m in oa.models.list().data] == ["bulletins"]
    resp = oa.chat.completions.create(model="bulletins", messages=[{"role": "user", "content": XIUWU_Q}])
    assert "167.78万份" in resp.choices[0].message.content
    chunks = list(oa.chat.completions.create(
        model="bulletins", messages=[{"role": "user", "content": XIUWU_Q}], stream=True))
    assert chunks[-1].choices[0].finish_reason == "stop"


@pytest.mark.parametrize("key", ["wrong", "k3"])
def test_openai_client_with_a_wrong_key(keyed_live_server, key):
    oa = openai.OpenAI(base_url=f"{keyed_live_server}/v1", api_key=key, max_retries=0, timeout=60)
    with pytest.raises(openai.AuthenticationError) as err:
        oa.models.list()
    assert err.value.status_code == 401
    assert "invalid API key" in err.value.message
    assert err.value.code == "invalid_api_key" and err.value.type == "invalid_request_error"
    with pytest.raises(openai.AuthenticationError):
        oa.chat.completions.create(model="bulletins", messages=[{"role": "user", "content": XIUWU_Q}])


# --- `bulletins serve` warns when exposed without keys -----------------------------------------------------

@pytest.fixture
def serve_cli(monkeypatch, seeded_settings):
    """Run service.cli.cmd_serve with uvicorn.run replaced (nothing is served) and settings pointing at the
    seeded index; returns a function(host, keys) -> (exit code, uvicorn.run kwargs)."""
    import uvicorn

    import service.settings
    from service import cli

    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))

    def run(host: str | None, keys: list[str]):
        settings = seeded_settings.model_copy(update={"api_keys": keys})
        monkeypatch.setattr(service.settings, "get_settings", lambda: settings)
        calls.clear()
        rc = cli.cmd_serve(argparse.Namespace(host=host, port=8123, verbose=False))
        return rc, (calls[0] if calls else None)

    return run


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_serve_on_a_public_host_without_keys_warns(serve_cli, capsys, host):
    rc, call = serve_cli(host, [])
    err = capsys.readouterr().err
    assert rc == 0
    assert call is not None and call["host"] == host and call["port"] == 8123
    assert "WARNING" in err
    assert host in err
    assert "BULLETINS_API_KEYS" in err


@pytest.mark.parametrize(("host", "keys"), [("0.0.0.0", ["k1"]), ("127.0.0.1", []), ("localhost", [])])
def test_serve_does_not_warn_with_keys_or_on_loopback(serve_cli, capsys, host, keys):
    rc, call = serve_cli(host, keys)
    assert rc == 0 and call is not None
    assert "WARNING" not in capsys.readouterr().err
