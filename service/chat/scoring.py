"""How the extractive answerer weighs a candidate's signals, and how sure it is of its best one.

A candidate (a figure, date, name or sentence that could answer) carries general signals (FEATURES):
coverage of the question's topic, the place and date it states, how near the topic words stand to the
figure, whether it is a part or a total when the question asks for one, ... Its score is a weighted sum.
The weights are fitted on the labelled facts (`bulletins eval --fit`, evals/fit.py: pairwise logistic
regression, correct candidate against each wrong one of the same question), not set by hand, and stored
in weights.json beside this file with the confidence model: a logistic regression from the best
candidate's score and its margin over the best rival to the probability that it answers the question.
HAND_WEIGHTS are the rules' weights before fitting, kept as the fallback and as the fit's start line.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("weights.json")

FEATURES = (
    "coverage",  # topic bigrams the sentence (with its heading/speaker/context) covers, IDF-weighted, 0..1
    "place",  # +1 states an asked place (or is about it), -1 names another, 0 the question names none
    "date",  # +1 states an asked date, -1 only other dates, 0 no opinion
    "prior",  # 0.05 / retrieval rank of the passage
    "clause_coverage",  # topic coverage of the answering clause alone
    "proximity",  # topic words right around the figure, nearer counts more, 0..1
    "rate",  # +1 a per-day (or per-person) figure for such a question, -1 a per-day one for another question
    "excluded",  # 1 the clause is about a group the question excludes (不限于规上企业)
    "unasked_modifier",  # 1 the count is modified in a way the question does not ask (解除隔离 for 隔离)
    "nameless",  # 1 a 谁/哪个 question answered by a sentence in which no name was found
    "part",  # +1 a part (已/其中) or a total (一共) asked and stated so, -1 the other of the two stated
    "fact_place",  # +1 the figure's own place (its fact's) is the asked one, -1 another known place, 0 unknown
    "fact_date",  # +1 the figure is of an asked day (its fact's, its paragraph's or section's), -1 another, 0 unknown
    "counted_match",  # 1 the noun the question counts (几名护士) is named in the figure's clause (护士8名)
    "fact_asked",  # -1..+1 how much of what the figure's fact is about (metric, counted, subject) the question names
    "asked_verb",  # 1 the verb asked ("带动了多少") stands before the figure in its clause ("直接带动消费2.34亿元")
)
HAND_WEIGHTS = {
    "coverage": 1.0, "place": 0.2, "date": 0.15, "prior": 1.0, "clause_coverage": 0.3, "proximity": 0.8,
    "rate": 0.2, "excluded": -0.3, "unasked_modifier": -0.3, "nameless": -0.3, "part": 0.0,
    "fact_place": 0.3, "fact_date": 0.3, "counted_match": 0.3, "fact_asked": 0.0, "asked_verb": 0.0,
}


@lru_cache(maxsize=1)
def _load() -> dict:
    if WEIGHTS_FILE.is_file():
        return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    return {}


def weights() -> dict[str, float]:
    return {**HAND_WEIGHTS, **_load().get("weights", {})}


def score(features: dict[str, float], w: dict[str, float]) -> float:
    return sum(w.get(k, 0.0) * v for k, v in features.items())


MARGIN_CAP = 10.0  # a margin past this says no more (fitted scores run to ~20)


ANSWER_KINDS = ("name", "date", "sentence")  # else a figure: scores of these kinds run on another scale


def answer_kind(key: str) -> str:
    """"name", "date", "sentence" or "figure", from an answer key (extractive.answer_key)."""
    head = key.split(":", 1)[0]
    return head if head in ANSWER_KINDS else "figure"


def confidence_inputs(best: float, rival: float | None, features: dict[str, float] | None = None,
                      answers: int = 1, kind: str = "figure") -> list[float]:
    """What the confidence model reads: the best score, its margin over the best different answer, the
    best candidate's features (a place or part it does not agree with lowers trust whatever the score),
    how many different answers the candidates give (/20, capped) and what kind of answer it is (a name's
    score, with no figure features, is not a figure's)."""
    margin = best - rival if rival is not None else MARGIN_CAP
    feats = features or {}
    return [best, min(margin, MARGIN_CAP), *(feats.get(f, 0.0) for f in FEATURES), min(answers, 20) / 20,
            *(float(kind == k) for k in ANSWER_KINDS)]


def confidence(best: float, rival: float | None, model: dict | None = None,
               features: dict[str, float] | None = None, answers: int = 1, kind: str = "figure") -> float | None:
    """P(the best candidate answers the question), or None before a confidence model is fitted."""
    model = model if model is not None else _load().get("confidence")
    if not model:
        return None
    x = confidence_inputs(best, rival, features, answers, kind)
    if len(model["coef"]) != len(x):
        return None  # a model fitted on other inputs: refit (bulletins eval --fit)
    z = model["intercept"] + sum(c * v for c, v in zip(model["coef"], x, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def threshold(model: dict | None = None) -> float:
    """The confidence below which the answerer states no figure and shows its evidence instead."""
    model = model if model is not None else _load().get("confidence")
    return float(model["threshold"]) if model else 0.0
