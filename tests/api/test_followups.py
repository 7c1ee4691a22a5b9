"""Two-turn conversations (tests/followups.yaml) through POST /chat with a conversation_id: the follow-up
is resolved against the first turn and answered with the right figure. Also unit tests of
service.chat.conversations.resolve on the same examples and on the patterns it documents.

Follow-up accuracy = share of conversations whose turn-2 answer states the gold figure first (parsed and
compared with service.figures), or abstains when the bulletins do not answer turn 2."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import pytest
import yaml

from service.chat.conversations import resolve
from service.figures import Figure, matches, parse_figures

ROOT = Path(__file__).resolve().parents[2]
CONVERSATIONS = yaml.safe_load((ROOT / "tests" / "followups.yaml").read_text(encoding="utf-8"))["conversations"]
FACTS = {f["id"]: f for f in yaml.safe_load((ROOT / "evals" / "facts.yaml").read_text(encoding="utf-8"))["facts"]}

# Measured on the seeded index, extractive answerer: 22/22 on 2026-11-22 (21/22 before the answerer's
# second pass that day; fu08 was the miss); 20/22 on 2026-12-06 with weights fitted on unseen layouts too:
# fu14 states a wrong figure (9000吨 for 2700吨), fu22 is resolved right but withheld below the fitted
# confidence threshold (evidence shown, no figure). Lowered to 0.90 for that withheld answer; 22/22 again
# later that day with each figure's own place and day as features (fu14 and fu22 right): back to 0.95, one
# miss allowed.
MIN_ACCURACY = 0.95

# resolve() cases that are wrong today; strict, so a fix shows up as XPASS and the mark is removed.
RESOLVE_KNOWN_WRONG: dict[str, str] = {}  # none today: fu15-fu17 and fu22 were fixed in resolve()


def gold_figure(conv: dict) -> Figure | None:
    if conv["gold"] is None:
        return None
    figs = parse_figures(str(conv["gold"]))
    assert len(figs) == 1, (conv["id"], figs)
    return figs[0]


def nows(text: str) -> str:
    return re.sub(r"\s", "", text)


# --- the data file itself ---------------------------------------------------------------------------------

def test_the_file_has_enough_conversations():
    assert len(CONVERSATIONS) >= 15
    assert len({c["id"] for c in CONVERSATIONS}) == len(CONVERSATIONS)
    assert sum(c["gold"] is not None for c in CONVERSATIONS) >= 15
    for c in CONVERSATIONS:
        assert len(c["turns"]) == 2 and all(t.strip() for t in c["turns"])


@pytest.mark.parametrize("conv", [c for c in CONVERSATIONS if c["gold"] is not None], ids=lambda c: c["id"])
def test_gold_is_written_in_the_seed_and_agrees_with_facts(conv):
    gold = gold_figure(conv)
    src = conv["source"]
    seed = nows((ROOT / "seeds" / f"{src['doc_id']}.txt").read_text(encoding="utf-8"))
    assert nows(src["quote"]) in seed, conv["id"]
    assert any(matches(gold, f) for f in parse_figures(src["quote"])), (conv["id"], src["quote"])
    if conv.get("fact"):
        fact = FACTS[conv["fact"]]
        assert fact["doc_id"] == src["doc_id"]
        assert any(matches(gold, f) for f in parse_figures(fact["quote"])), (conv["id"], fact["quote"])


# --- resolve(), pure ---------------------------------------------------------------------------------------

def _resolve_params():
    for c in CONVERSATIONS:
        marks = []
        if c["id"] in RESOLVE_KNOWN_WRONG:
            marks.append(pytest.mark.xfail(reason=RESOLVE_KNOWN_WRONG[c["id"]], strict=True))
        yield pytest.param(c, id=c["id"], marks=marks)


@pytest.mark.parametrize("conv", list(_resolve_params()))
def test_resolve_on_the_examples(conv):
    first, follow = conv["turns"]
    resolved = resolve(follow, [first])
    assert resolved != follow, "a follow-up must be rewritten"
    for s in conv["resolved_contains"]:
        assert s in resolved, (resolved, s)
    for s in conv.get("resolved_excludes", []):
        assert s not in resolved, (resolved, s)


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (["示范区累计排查密接多少人？"], "那修武县呢？", "修武县累计排查密接多少人？"),
        (["示范区规模以上工业企业复工了多少家？"], "那定州呢？", "定州市规模以上工业企业复工了多少家？"),
        (["示范区规模以上工业企业复工了多少家？"], "定州呢", "定州市规模以上工业企业复工了多少家？"),
        (["修武县累计确诊病例多少例？"], "示范区的情况呢？", "示范区累计确诊病例多少例？"),
        (["截至3月27日20时，修武县累计确诊病例多少例？"], "3月25日呢？", "截至3月25日，修武县累计确诊病例多少例？"),
        (["修武县累计确诊病例多少例？"], "3月25日呢？", "3月25日，修武县累计确诊病例多少例？"),
    ],
    ids=["place", "place-2", "bare-place", "place-qingkuang", "date-swap", "date-added"],
)
def test_resolve_swaps_place_or_date(history, question, expected):
    assert resolve(question, history) == expected


@pytest.mark.parametrize(
    ("previous", "gone"),
    [
        pytest.param("定州市累计集中隔离了多少人？", "定州"),
        pytest.param("高新区复工了多少家企业？", "高新区"),
        pytest.param("焦作全市储备了多少盒防疫相关药品？", "焦作"),
    ],
    ids=["定州市", "高新区", "焦作全市"],
)
def test_resolve_replaces_a_place_written_as_an_alias(previous, gone):
    r = resolve("那修武县呢？", [previous])
    assert "修武县" in r and gone not in r and "县市" not in r, r


def test_resolve_narrows_with_qizhong():
    r = resolve("其中县内多少人？", ["修武县共集中隔离了多少人？"])
    assert r.startswith("修武县共集中隔离")  # the previous metric, narrowed
    assert r.endswith("其中县内多少人？")


def test_resolve_uses_the_latest_turn():
    history = ["示范区规模以上工业企业复工了多少家？", "定州规模以上工业企业复工了多少家？"]
    assert resolve("那修武县呢？", history) == "修武县规模以上工业企业复工了多少家？"


@pytest.mark.parametrize(
    "question",
    ["修武县累计做了多少份核酸检测？", "定州市有多少个村实行了全封闭管理？", "焦作市疫情防控指挥部是哪天成立的？"],
)
def test_resolve_leaves_full_questions_alone(question):
    assert resolve(question, ["示范区规模以上工业企业复工了多少家？"]) == question


def test_resolve_without_history_is_identity():
    assert resolve("那修武县呢？", []) == "那修武县呢？"


# --- bounded rewrites (issue 12, item 4): before the fix 25 long "其中…呢？" turns resolved to 47,563 chars

MAX_CHARS = 2000  # Settings.max_question_chars, the longest question /chat accepts


def long_narrowing(i: int) -> str:
    """A "其中…呢？" follow-up nearly as long as a question may be."""
    return "其中" + ("县内外地返乡人员" * 240)[i % 5:] + "呢？"


def test_resolve_stays_bounded_over_many_long_turns():
    history = ["修武县共集中隔离了多少人？"]
    for i in range(30):
        history.append(resolve(long_narrowing(i), history))
    assert max(len(r) for r in history) <= MAX_CHARS, [len(r) for r in history]


@pytest.mark.parametrize("limit", [40, 120])
def test_resolve_honours_a_smaller_cap(limit):
    history = ["修武县共集中隔离了多少人？"]
    for q in ["其中县内呢？", "其中县外返乡的人员呢？", "那定州呢？", "其中外省呢？"] * 7:
        history.append(resolve(q, history, max_chars=limit))
    assert all(len(r) <= limit for r in history), history


def test_a_narrowing_replaces_the_previous_one_instead_of_nesting():
    history = ["修武县共集中隔离了多少人？"]
    for q in ["其中县内呢？", "其中县外呢？", "其中男性呢？"] * 9:  # 27 turns
        history.append(resolve(q, history))
    assert history[-1] == "修武县共集中隔离了多少人，其中男性是多少？"
    assert history[1] == "修武县共集中隔离了多少人，其中县内是多少？"  # the first narrowing as before


def test_a_long_conversation_through_the_api_stays_bounded(client, capsys):
    cid = f"long-{uuid.uuid4().hex[:8]}"
    turns = ["修武县共集中隔离了多少人？"] + [long_narrowing(i) for i in range(25)]
    lengths, times = [], []
    for q in turns:
        t0 = time.perf_counter()
        r = client.post("/chat", json={"question": q, "conversation_id": cid})
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200, r.text[:300]
        lengths.append(len(r.json()["resolved_question"] or q))
    with capsys.disabled():
        print(f"\n{len(turns)} turns: longest resolved question {max(lengths)} chars, "
              f"last turn {times[-1] * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms")
    assert max(lengths) <= MAX_CHARS, lengths


# --- through the API ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def outcomes(client) -> list[dict]:
    out = []
    for conv in CONVERSATIONS:
        cid = f"followup-{conv['id']}-{uuid.uuid4().hex[:8]}"
        answers = []
        for q in conv["turns"]:
            r = client.post("/chat", json={"question": q, "conversation_id": cid})
            assert r.status_code == 200, r.text
            answers.append(r.json())
        a1, a2 = answers
        assert a1["conversation_id"] == a2["conversation_id"] == cid
        gold = gold_figure(conv)
        figs = parse_figures(a2["answer"])
        if gold is None:
            ok = a2["abstained"] and not a2["citations"]
        else:
            ok = not a2["abstained"] and bool(figs) and matches(figs[0], gold)
        out.append({
            "id": conv["id"], "ok": ok, "turns": conv["turns"], "gold": conv["gold"],
            "resolved": a2["resolved_question"], "turn1": a1["answer"], "answer": a2["answer"],
            "stated": figs[0].text if figs and not a2["abstained"] else None,
        })
    return out


def test_follow_ups_are_resolved_by_the_api(outcomes):
    for o, conv in zip(outcomes, CONVERSATIONS, strict=True):
        assert o["resolved"] == resolve(conv["turns"][1], [conv["turns"][0]]), o


def test_follow_up_accuracy(outcomes, capsys):
    right = sum(o["ok"] for o in outcomes)
    accuracy = right / len(outcomes)
    lines = [f"follow-up accuracy: {right}/{len(outcomes)} = {accuracy:.0%} (threshold {MIN_ACCURACY:.0%})"]
    for o in outcomes:
        if not o["ok"]:
            lines.append(f"  {o['id']} MISS {' → '.join(o['turns'])} | resolved {o['resolved']} | gold {o['gold']} | "
                         f"stated {o['stated']} | {o['answer'][:60]}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert accuracy >= MIN_ACCURACY, "\n".join(lines)


def test_no_follow_up_states_a_figure_the_bulletins_do_not_give_for_it(outcomes):
    """Where the bulletins do not answer turn 2, the first turn's figure must not be passed off as it."""
    wrong = [o for o, c in zip(outcomes, CONVERSATIONS, strict=True) if c["gold"] is None and o["stated"]]
    assert not wrong, wrong
