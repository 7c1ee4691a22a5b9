"""The staff page in a real browser (Debian's chromium, headless) against a real server: a streamed, cited
answer; a citation opening the source with the exact quote highlighted and scrolled into view; a follow-up
shown with its resolved question; an abstention; the bulletin list, a summary and its key figures; no
horizontal scroll at phone width; the staff-key dialog. Screenshots go to test-artifacts/ (gitignored)."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.browser

XIUWU_Q = "修武县累计做了多少份核酸检测？"
XIUWU_FIG = "167.78万份"
XIUWU_DOC = "001_c3fcc6018ef9c5e5"
UNANSWERABLE = "示范区今年的GDP增速是多少？"

# Records what the answer element shows while its turn is still streaming, and keeps a copy of every
# /chat/stream body the page reads (the page cancels its reader after `done`, so the browser's own copy of
# the body is gone; a tee keeps one without changing what the page sees).
STREAM_RECORDER = """
window.__streamed = [];
window.__bodies = [];
// Mutation records arrive in order, after the fact: the answer's text nodes added before its turn's
// data-state turned "done" are what the page showed while streaming.
const finished = new WeakSet();
new MutationObserver((records) => {
  for (const r of records) {
    if (r.type === "attributes" && r.target.classList.contains("turn")) { finished.add(r.target); continue; }
    const turn = r.target.nodeType === 1 && r.target.classList.contains("answer") && r.target.closest(".turn");
    if (!turn || finished.has(turn)) continue;
    // streaming sets textContent (one text node); the final render replaces it with marked-up segments
    const n = r.addedNodes.length === 1 ? r.addedNodes[0] : null;
    if (n && n.nodeType === 3 && n.data) window.__streamed.push(n.data);
  }
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
const realFetch = window.fetch;
window.fetch = async (...args) => {
  const res = await realFetch(...args);
  if (!String(args[0]).endsWith("/chat/stream") || !res.ok || !res.body) return res;
  const [mine, copy] = res.body.tee();
  const slot = window.__bodies.push(null) - 1;
  new Response(copy).text().then((t) => { window.__bodies[slot] = t; });
  return new Response(mine, { status: res.status, statusText: res.statusText, headers: res.headers });
};
"""


def nows(s: str) -> str:
    return re.sub(r"\s", "", s)


def sse_done(body: str) -> dict:
    """The `done` event's JSON from a /chat/stream body."""
    for block in re.split(r"\r\n\r\n|\n\n", body):
        lines = block.splitlines()
        if "event: done" in lines:
            return json.loads("\n".join(ln[len("data: "):] for ln in lines if ln.startswith("data: ")))
    raise AssertionError(f"no done event in {body[:300]!r}")


def open_page(new_page, url: str, width: int = 1400, height: int = 900, wait_docs: bool = True):
    page = new_page(width, height)
    page.add_init_script(STREAM_RECORDER)
    page.goto(url)
    if wait_docs:  # attached, not visible: at phone width the list is on another tab
        page.wait_for_selector("#doc-list .doc-item", state="attached")
    return page


def ask(page, question: str, n: int) -> dict:
    """Type the question, click 提问, wait for turn n to finish; returns the `done` answer the page received."""
    before = page.evaluate("window.__bodies.length")
    page.fill("#question", question)
    page.click("#ask")
    page.wait_for_selector(f'.turn[data-turn="{n}"][data-state="done"]')
    page.wait_for_function(f"window.__bodies.length > {before} && window.__bodies[{before}] !== null")
    return sse_done(page.evaluate(f"window.__bodies[{before}]"))


def no_horizontal_scroll(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
                           " document.body.scrollWidth]")
    assert widths[0] <= widths[1] and widths[2] <= widths[1], f"horizontal scroll: {widths}"


def in_view(page, selector: str, container: str) -> None:
    """The element's box lies within the scroll container's visible box (and the window)."""
    el = page.locator(selector).bounding_box()
    box = page.locator(container).bounding_box()
    assert el and box, (el, box)
    assert el["height"] > 0
    assert box["y"] - 1 <= el["y"] and el["y"] + min(el["height"], box["height"]) <= box["y"] + box["height"] + 1, (
        el, box)
    vh = page.viewport_size["height"]
    assert 0 <= el["y"] < vh, (el, vh)


def test_answer_citation_and_highlighted_source(new_page, live_server, artifacts):
    page = open_page(new_page, live_server)
    assert page.locator("#doc-list .doc-item").count() == 5
    done = ask(page, XIUWU_Q, 1)
    turn = page.locator('.turn[data-turn="1"]')

    # streamed: the answer element showed partial text before the turn was done, each a prefix of the answer
    streamed = page.evaluate("window.__streamed")
    assert len(streamed) >= 2, f"the answer did not grow while streaming: {streamed}"
    assert all(done["answer"].startswith(t) for t in streamed), streamed
    assert any(XIUWU_FIG in t for t in streamed)
    # finished: the answer as sent, the figure marked grounded, citations listed
    answer_text = turn.locator(".answer").text_content()
    assert answer_text == done["answer"]
    assert XIUWU_FIG in answer_text
    assert turn.locator(".answer .grounded", has_text=XIUWU_FIG).count() >= 1
    assert turn.locator(".answer .marker").count() >= 1
    cites = turn.locator(".citation")
    assert cites.count() == len(done["citations"]) >= 1
    assert turn.locator(".ungrounded-warning").count() == 0
    assert page.locator("#ask").is_enabled() is False  # the box was emptied; nothing to send
    page.screenshot(path=str(artifacts / "answer-with-citations.png"), full_page=True)

    # a citation opens its bulletin with exactly the quote highlighted, scrolled into view
    first = done["citations"][0]
    cites.first.click()
    page.wait_for_selector("#source-viewer mark#hl")
    page.wait_for_function("!document.querySelector('#source-viewer').hasAttribute('aria-busy')")
    mark = page.locator("#source-viewer mark#hl")
    assert mark.count() == 1
    assert mark.text_content() == first["quote"]
    assert nows(mark.text_content()) == nows(first["quote"])
    assert page.locator("#source-viewer").get_attribute("data-doc-id") == first["doc_id"]
    assert cites.first.get_attribute("class").split().count("active") == 1
    page.wait_for_timeout(150)  # let scrollIntoView settle
    in_view(page, "#source-viewer mark#hl", "#source-viewer")
    assert first["doc_id"] in page.locator("#viewer-meta").text_content()
    page.screenshot(path=str(artifacts / "highlighted-source.png"))

    # the inline [1] marker does the same
    page.locator("#source-viewer").evaluate("v => { v.scrollTop = 0; }")
    turn.locator(".answer .marker").first.click()
    page.wait_for_function("!document.querySelector('#source-viewer').hasAttribute('aria-busy')")
    assert page.locator("#source-viewer mark#hl").text_content() == first["quote"]
    page.wait_for_timeout(150)
    in_view(page, "#source-viewer mark#hl", "#source-viewer")
    assert not page.errors, page.errors


def test_follow_up_shows_the_resolved_question(new_page, live_server):
    page = open_page(new_page, live_server)
    first = ask(page, "示范区共设置了多少个交通卡点？", 1)
    assert "23个" in first["answer"]
    assert page.locator('.turn[data-turn="1"] .resolved').is_hidden()
    second = ask(page, "那修武县呢？", 2)
    assert second["conversation_id"] == first["conversation_id"]
    resolved = page.locator('.turn[data-turn="2"] .resolved')
    assert resolved.is_visible()
    assert "修武县" in resolved.text_content()
    assert "交通卡点" in resolved.text_content()
    assert "30个" in page.locator('.turn[data-turn="2"] .answer').text_content()

    # 新对话 forgets the conversation: the same follow-up is no longer resolved
    page.click("#new-conversation")
    assert page.locator(".turn").count() == 0
    third = ask(page, "那修武县呢？", 3)
    assert third["conversation_id"] != first["conversation_id"]
    assert page.locator('.turn[data-turn="3"] .resolved').is_hidden()
    assert not page.errors, page.errors


def test_unanswerable_question_shows_an_abstention(new_page, live_server):
    page = open_page(new_page, live_server)
    done = ask(page, UNANSWERABLE, 1)
    assert done["abstained"]
    turn = page.locator('.turn[data-turn="1"]')
    assert turn.locator(".abstained").is_visible()
    assert "没有找到" in turn.locator(".abstained").text_content()
    assert turn.locator(".citation").count() == 0
    assert not page.errors, page.errors


def test_doc_list_summary_and_key_figures(new_page, live_server, artifacts):
    page = open_page(new_page, live_server)
    item = page.locator(f'#doc-list .doc-item[data-doc-id="{XIUWU_DOC}"]')
    assert item.count() == 1
    item.locator("button").click()
    page.wait_for_selector("#summary-view:not([hidden]) .summary-sentence")
    assert page.locator("#doc-list-view").is_hidden()
    assert page.locator("#summary-doc-id").text_content() == XIUWU_DOC
    sentences = page.locator(".summary-sentence")
    assert sentences.count() >= 3
    rows = page.locator("#figures-table tbody tr")
    assert rows.count() >= 5
    assert page.locator("#figures-empty").is_hidden()
    assert "167.78" in page.locator("#figures-table tbody").text_content()
    assert page.locator("#figures-csv").get_attribute("href").endswith(f"/documents/{XIUWU_DOC}/figures.csv")
    page.screenshot(path=str(artifacts / "summary-view.png"))
    page.locator("#figures-table").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "summary-figures.png"))

    # a summary sentence opens its place in the original
    s = sentences.nth(1)
    start, end = int(s.get_attribute("data-start")), int(s.get_attribute("data-end"))
    s.click()
    page.wait_for_function("!document.querySelector('#source-viewer').hasAttribute('aria-busy')")
    original = page.evaluate(f"fetch('/documents/{XIUWU_DOC}').then(r => r.json()).then(d => d.original)")
    assert page.locator("#source-viewer mark#hl").text_content() == original[start:end]
    assert nows(original[start:end]) == nows(s.text_content())
    page.wait_for_timeout(150)
    in_view(page, "#source-viewer mark#hl", "#source-viewer")

    # and back to the list
    page.click("#summary-back")
    assert page.locator("#doc-list-view").is_visible()
    assert not page.errors, page.errors


def test_phone_width_has_no_horizontal_scroll(new_page, live_server, artifacts):
    page = open_page(new_page, live_server, 375, 740)
    assert page.locator(".tabs").is_visible()
    no_horizontal_scroll(page)
    ask(page, XIUWU_Q, 1)
    assert page.locator("#chat-panel").is_visible()
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / "phone-answer.png"))
    # a citation switches to the source tab, with the quote in view
    page.locator('.turn[data-turn="1"] .citation').first.click()
    page.wait_for_function("!document.querySelector('#source-viewer').hasAttribute('aria-busy')")
    assert page.locator("#viewer-panel").is_visible() and page.locator("#chat-panel").is_hidden()
    page.wait_for_timeout(150)
    in_view(page, "#source-viewer mark#hl", "#source-viewer")
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / "phone-source.png"))
    # the bulletin tab: list, then a summary with its figures table
    page.click('.tabs button[data-view="docs"]')
    assert page.locator("#side-panel").is_visible()
    page.locator(f'#doc-list .doc-item[data-doc-id="{XIUWU_DOC}"] button').click()
    page.wait_for_selector("#summary-view:not([hidden]) #figures-table tbody tr")
    no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / "phone-summary.png"))
    assert not page.errors, page.errors


def test_staff_key_dialog(new_page, keyed_live_server, staff_key, artifacts):
    page = open_page(new_page, keyed_live_server, wait_docs=False)
    # the bulletin list needs the key: the page asks for it
    dialog = page.locator("#api-key-dialog")
    dialog.wait_for(state="visible")
    assert "密钥" in page.locator("#api-key-msg").text_content()
    assert page.locator("#doc-list .doc-item").count() == 0

    # a wrong key is rejected and the dialog asks again
    page.fill("#api-key-input", "wrong-key")
    page.click("#api-key-save")
    page.wait_for_function("document.querySelector('#api-key-dialog').open && "
                           "document.querySelector('#api-key-msg').textContent.includes('无效')")
    page.screenshot(path=str(artifacts / "key-dialog.png"))

    # the right key: saved, the list loads, questions work
    page.fill("#api-key-input", staff_key)
    page.click("#api-key-save")
    page.wait_for_selector("#doc-list .doc-item", state="attached")
    assert not dialog.is_visible()
    assert page.evaluate("localStorage.getItem('bulletins_api_key')") == staff_key
    done = ask(page, XIUWU_Q, 1)
    assert XIUWU_FIG in done["answer"]
    assert page.locator("#api-key-dialog").is_hidden()

    # the key survives a reload
    page.reload()
    page.wait_for_selector("#doc-list .doc-item", state="attached")
    assert page.locator("#api-key-dialog").is_hidden()
    real_errors = [e for e in page.errors if "401" not in e]
    assert not real_errors, real_errors
