"""Fit the extractive answerer's weights and its confidence model on labelled facts, and measure them
leave-one-bulletin-out.

    bulletins eval --fit   # the training sets below -> service/chat/weights.json (never heldout.yaml,
                           # generalization2/, heldout13/ or heldout14/)
    bulletins eval --cv    # leave-one-bulletin-out: fit on the other bulletins' facts, answer this one's

Training sets: facts.yaml and tuning.yaml on the five seeds, and three sets of bulletins the features were
not designed on (generalization/, read while diagnosing, calibration/ and calibration2/, written for this):
so the threshold is chosen on out-of-fold answers that include layouts the rules never saw.

Ranking: pairwise logistic regression (scikit-learn), each correct candidate of a question against each
wrong one: the weights order candidates, which is all the answerer needs of them. Confidence: logistic
regression from the best candidate's score and its margin over the best different answer to "the best
candidate is right" (unanswerable questions: never). The threshold below which no figure is stated is
chosen on out-of-fold confidences (leave-one-bulletin-out), so it is not fitted to answers it has seen:
the one with the most right answers less WRONG_COST per wrong one.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals import scoring
from evals.harness import FACTS, ROOT, SEEDS, Question, build_questions, load_facts

# (facts, the folder of bulletins they quote): the seeds' are in every index, the others are ingested beside.
TRAIN_SETS = (
    (FACTS, SEEDS),
    (ROOT / "evals" / "tuning.yaml", SEEDS),
    (ROOT / "evals" / "generalization" / "facts.yaml", ROOT / "evals" / "generalization" / "bulletins"),
    (ROOT / "evals" / "calibration" / "facts.yaml", ROOT / "evals" / "calibration" / "bulletins"),
    (ROOT / "evals" / "calibration2" / "facts.yaml", ROOT / "evals" / "calibration2" / "bulletins"),
    (ROOT / "evals" / "calibration3" / "facts.yaml", ROOT / "evals" / "calibration3" / "bulletins"),
    (ROOT / "evals" / "phrasing.yaml", SEEDS),
    # Held out until the seventh session of 2026-12-06, then its failures were read: training since.
    (ROOT / "evals" / "heldout3" / "facts.yaml", ROOT / "evals" / "heldout3" / "bulletins"),
    # Held out until the eighth session of 2026-12-06 (scored four times each, totals only), then read: training since.
    # (heldout4, heldout5, heldout6)
    (ROOT / "evals" / "heldout4" / "facts.yaml", ROOT / "evals" / "heldout4" / "bulletins"),
    (ROOT / "evals" / "heldout5" / "facts.yaml", ROOT / "evals" / "heldout5" / "bulletins"),
    (ROOT / "evals" / "heldout6" / "facts.yaml", ROOT / "evals" / "heldout6" / "bulletins"),
    # Held out until the ninth session of 2026-12-07 (scored three times, totals only), then read: training since.
    (ROOT / "evals" / "heldout7" / "facts.yaml", ROOT / "evals" / "heldout7" / "bulletins"),
    # Held out until the same session (scored three times, totals only; the first four of its two-part questions
    # were seen while heldout9 was commissioned), then read: training since.
    (ROOT / "evals" / "heldout8" / "facts.yaml", ROOT / "evals" / "heldout8" / "bulletins"),
    # Held out until the tenth session of 2026-12-07 (scored three times, totals only), then read: training since.
    (ROOT / "evals" / "heldout9" / "facts.yaml", ROOT / "evals" / "heldout9" / "bulletins"),
    # Held out until the eleventh session of 2026-12-07 (scored three times, totals only), then read: training since.
    (ROOT / "evals" / "heldout10" / "facts.yaml", ROOT / "evals" / "heldout10" / "bulletins"),
    # Held out until the twelfth session of 2026-12-07 (scored five times, totals only), then read: training since.
    (ROOT / "evals" / "heldout11" / "facts.yaml", ROOT / "evals" / "heldout11" / "bulletins"),
    # Held out until the thirteenth session of 2026-12-07 (scored six times, totals only), then read: training since.
    (ROOT / "evals" / "heldout12" / "facts.yaml", ROOT / "evals" / "heldout12" / "bulletins"),
    # Held out until later in the same session (scored four times, totals only), then read: training since.
    (ROOT / "evals" / "heldout13" / "facts.yaml", ROOT / "evals" / "heldout13" / "bulletins"),
    # Held out until the fourteenth session of 2026-12-07 (scored five times, totals only), then read: training since.
    (ROOT / "evals" / "heldout14" / "facts.yaml", ROOT / "evals" / "heldout14" / "bulletins"),
    # Held out until later in the same session (scored six times, totals only), then read: training since.
    (ROOT / "evals" / "heldout15" / "facts.yaml", ROOT / "evals" / "heldout15" / "bulletins"),
    # Held out until the fifteenth session of 2026-12-07 (scored six times, totals only), then read: training since.
    (ROOT / "evals" / "heldout16" / "facts.yaml", ROOT / "evals" / "heldout16" / "bulletins"),
    # Held out until later in the same session (scored four times, totals only), then read: training since.
    (ROOT / "evals" / "heldout17" / "facts.yaml", ROOT / "evals" / "heldout17" / "bulletins"),
    # Held out until the sixteenth session of 2026-12-07 (scored twice, totals only), then read: training since.
    (ROOT / "evals" / "heldout18" / "facts.yaml", ROOT / "evals" / "heldout18" / "bulletins"),
    # Held out until later in the same session (scored twice, totals only), then read: training since.
    (ROOT / "evals" / "heldout19" / "facts.yaml", ROOT / "evals" / "heldout19" / "bulletins"),
    # Held out until the seventeenth session of 2026-12-07 (scored four times, totals only), then read: training since.
    (ROOT / "evals" / "heldout20" / "facts.yaml", ROOT / "evals" / "heldout20" / "bulletins"),
    # Held out until the eighteenth session of 2026-12-07 (scored twice, totals only), then read: training since.
    (ROOT / "evals" / "heldout21" / "facts.yaml", ROOT / "evals" / "heldout21" / "bulletins"),
)


def corpora(sets: tuple[tuple[Path, Path], ...] = TRAIN_SETS) -> list[Path]:
    """The folders to ingest beside seeds/ for fitting."""
    return sorted({c for _, c in sets if c != SEEDS})
# The threshold maximises right answers less WRONG_COST per wrong one, out of fold. Measured 2026-12-06
# (552 questions, 14 bulletins): cost 1 -> figure accuracy 0.89 at 9.2% wrong; cost 3 -> 0.80 at 5.3%;
# cost 10 -> 0.64 at 2.8%. The stricter points did not carry over: they withheld 10-27% of the dev set's
# right answers and up to a third of follow-ups, yet on held-out questions cut the wrong-figure rate by
# about one point (14.5% -> 13.3% at cost 3). The confidence does not yet tell a wrong figure from a right
# one on unseen layouts, so the default withholds only what it is clearly unsure of;
# BULLETINS_MIN_CONFIDENCE picks a stricter point (`--fit` prints them). Re-measured later that day with
# each figure's own place and day as features and the answer's kind in the confidence: cost 1 -> 0.92 at
# 7.4% wrong out of fold, cost 3 -> 0.83 at 3.3%, but cost 3 still withheld 11% of the dev set (0.98 ->
# 0.89) and 4 of 22 follow-ups, so cost 1 stays the default. With calibration2 (695 questions, fourth session
# of that day) cost 1 chose 0.618: 0.915 at 5.9% wrong out of fold; the dev set 0.988, follow-ups 22/22.
# With phrasing.yaml and calibration3 (983 questions, fifth session) cost 1 chose 0.436: 0.870 at 9.5% wrong;
# the utility is flat up to 0.706 (cost 1.3 picks it: 0.832 at 7.0%), which withheld 11 dev answers (0.942).
# With tables, speakers' places and fact_asked (sixth session) cost 1 chose 0.349: 0.913 at 7.5% wrong, abstention
# 0.802; the dev set 0.984. 5% -> 0.860, 3% -> 0.724, 2% -> 0.606 (evals/README.md).
# Seventh session (two-part questions, 2020 place names, days and months, speakers): cost 1 chose 0.426: 0.925
# at 6.0% wrong, abstention 0.826; the dev set 0.988. 5% -> 0.906, 3% -> 0.770, 2% -> 0.703.
# With heldout3 added (1,108 questions, 29 bulletins) cost 1 chose 0.334: 0.921 at 6.8% wrong, abstention 0.801;
# 5% -> 0.886, 3% -> 0.739, 2% -> 0.630. Eighth session, heldout4 and heldout5 read and added (1,385 questions,
# 39 bulletins): cost 1 chose 0.463: 0.923 at 6.2% wrong, abstention 0.807; 5% -> 0.899, 3% -> 0.818, 2% -> 0.755.
# With heldout6 too (1,530 questions, 44 bulletins): 0.478: 0.924 at 6.1% wrong, abstention 0.806; 5% -> 0.899,
# 3% -> 0.837, 2% -> 0.786.
# Ninth session (heldout7, then heldout8, read and added; hard rules for an asked day, months and a whole place):
# on 1,675 questions 0.344: 0.932 at 5.3% wrong, abstention 0.873; 2% -> 0.792. With heldout8 (1,820 questions,
# 54 bulletins) 0.309: 0.925 at 5.7% wrong, abstention 0.863; 5% -> 0.911, 3% -> 0.846, 2% -> 0.761.
# Tenth session (heldout9 read and added; 数读 figure lines, price tables' rows, run-in headings, list labels):
# 1,965 questions, 59 bulletins: 0.280: 0.924 at 5.8% wrong, abstention 0.858; 5% -> 0.902, 3% -> 0.822, 2% -> 0.684.
# Eleventh session (heldout10 read and added; periods stated alone, card items, autonomous counties' short names,
# bulleted place labels): 2,110 questions, 64 bulletins: 0.309: 0.924 at 6.0% wrong, abstention 0.858; 5% -> 0.904,
# 3% -> 0.825, 2% -> 0.709. Later that session (kinds that never answer for each other, another batch, compared
# values in brackets, a speaker's 全区, long part labels, rate gaps): 0.281: 0.932 at 5.1% wrong, abstention 0.883;
# 5% -> 0.927, 3% -> 0.856, 2% -> 0.792.
# Twelfth session (heldout11 read and added; bylines and breadcrumbs, shares of a plan, a venue's bracketed county, a
# company spokesman's figures, months opening a paragraph, trade partners and 进出口/出口/进口 as kinds): 2,255
# questions, 69 bulletins: 0.423: 0.936 at 4.7% wrong, abstention 0.890; 5% -> 0.935, 3% -> 0.870, 2% -> 0.793.
# A stricter default was measured again: 0.743 (the 5% point) withheld 10 of the dev set's right answers (0.988 ->
# 0.946) and left its wrong rate as it was (0.4% -> 0.5%): the wrong answers left are confident ones.
# Thirteenth session (heldout12 read and added; a town head's turn at a press conference, a breakdown sentence, a
# section head over its lines, a conditional aside, a price cut's new value, 户次/工作日/奖励/增值税): 2,400 questions,
# 74 bulletins: 0.493: 0.937 at 4.5% wrong, abstention 0.897; 5% -> 0.938, 3% -> 0.872, 2% -> 0.807. Later that
# session heldout13 read and added (month columns of tables, a port named after its city, everyday short names of
# leagues and banners, a page's 简讯 column): 2,545 questions, 79 bulletins: 0.465: 0.938 at 4.4% wrong, abstention
# 0.903; 5% -> 0.939, 3% -> 0.875, 2% -> 0.798.
# Fourteenth session (heldout14 read and added; zones no gazetteer holds, bracketed line labels, limits, the rate a
# compared place's value is of, spans of days, a percent's label before it): 2,690 questions, 84 bulletins: 0.535:
# 0.940 at 4.1% wrong, abstention 0.914; 5% -> 0.941, 3% -> 0.892, 2% -> 0.820.
# Later that session heldout15 read and added (a 单位 column's units, limits, volumes, parts of their own months):
# 2,835 questions, 89 bulletins: 0.493: 0.936 at 4.4% wrong, abstention 0.906; 5% -> 0.938, 3% -> 0.888, 2% -> 0.803.
# Fifteenth session (heldout16 and heldout17 read and added; lines of days laid out in columns, kinds a sentence
# narrows to, plans and schedules, spans of days, several wordings of a word): 3,125 questions, 99 bulletins: 0.514:
# 0.938 at 4.1% wrong, abstention 0.929; 5% -> 0.938, 3% -> 0.896, 2% -> 0.818.
# Sixteenth session (heldout18 and heldout19 read and added; tables laid out by wide gaps, speakers by bare name,
# zones, the verb asked as a signal, kinds a paragraph never names): 3,415 questions, 109 bulletins: 0.531: 0.935 at
# 4.2% wrong, abstention 0.918; 5% -> 0.936, 3% -> 0.886, 2% -> 0.802.
# Seventeenth session (heldout20 read and added; weekly reports' spans, places labelling sentences, change columns of
# tables, contacts after their labels, rules for one firm): 3,560 questions, 114 bulletins: 0.492: 0.937 at 4.2%
# wrong, abstention 0.921; 5% -> 0.938, 3% -> 0.880, 2% -> 0.810.
WRONG_COST = 1.0
C = 1.0  # inverse regularisation strength of both regressions (scikit-learn's default)


@dataclass
class Sample:
    """One question with the features and labels of its candidates that pass the answerer's gate."""

    question: Question
    fold: str  # the gold bulletin's doc id, or a round-robin fold for unanswerable questions
    features: list[list[float]] = field(default_factory=list)
    correct: list[bool] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def label(c, q: Question) -> bool:
    from service.chat.extractive import render

    if q.gold is None:
        return False
    res = render(c)
    return c.passage.chunk.doc_id in q.gold.docs and scoring.figure_correct(res.answer, q.gold)


def collect(engine, questions: list[Question]) -> list[Sample]:
    from service.chat.extractive import answer_key, ranked
    from service.chat.scoring import FEATURES, HAND_WEIGHTS
    from service.chat.service import ANSWER_CANDIDATES

    folds = sorted({q.doc_id for q in questions if q.doc_id})
    samples, k = [], 0
    for q in questions:
        if q.doc_id:
            fold = q.doc_id
        else:
            fold, k = folds[k % len(folds)], k + 1
        s = Sample(q, fold)
        passages = engine.passages(engine.search(q.text, ANSWER_CANDIDATES))
        for c in ranked(q.text, passages, HAND_WEIGHTS):
            s.features.append([c.features.get(f, 0.0) for f in FEATURES])
            s.correct.append(label(c, q))
            s.keys.append(answer_key(c))
        samples.append(s)
    return samples


def fit_weights(samples: list[Sample]) -> dict[str, float]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from service.chat.scoring import FEATURES

    x, y = [], []
    for s in samples:
        f = np.asarray(s.features)
        pos = [i for i, ok in enumerate(s.correct) if ok]
        neg = [i for i, ok in enumerate(s.correct) if not ok and s.keys[i] not in {s.keys[j] for j in pos}]
        for i in pos:
            for j in neg:
                x += [f[i] - f[j], f[j] - f[i]]
                y += [1, 0]
    model = LogisticRegression(C=C, fit_intercept=False, max_iter=1000).fit(np.asarray(x), np.asarray(y))
    return {name: round(float(w), 4) for name, w in zip(FEATURES, model.coef_[0], strict=True)}


def _best(s: Sample, t: tuple[int, float, float | None]) -> tuple[float, float | None, dict[str, float], int, str]:
    """(score, rival score, features, distinct answers, answer kind) of the best candidate t, as the answerer
    passes them."""
    from service.chat.scoring import FEATURES, answer_kind

    return t[1], t[2], dict(zip(FEATURES, s.features[t[0]], strict=True)), len(set(s.keys)), answer_kind(s.keys[t[0]])


def inputs(s: Sample, t: tuple[int, float, float | None]) -> list[float]:
    """The confidence model's inputs for the best candidate t of sample s."""
    from service.chat.scoring import confidence_inputs

    return confidence_inputs(*_best(s, t))


def top(s: Sample, w: dict[str, float]) -> tuple[int, float, float | None] | None:
    """(index of the best candidate, its score, the best different answer's score) under weights w."""
    from service.chat.scoring import FEATURES

    if not s.features:
        return None
    scores = [sum(w[n] * v for n, v in zip(FEATURES, f, strict=True)) for f in s.features]
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    best = order[0]
    rival = next((scores[i] for i in order[1:] if s.keys[i] != s.keys[best]), None)
    return best, scores[best], rival


def fit_confidence(samples: list[Sample], w: dict[str, float]) -> dict[str, Any]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x, y = [], []
    for s in samples:
        t = top(s, w)
        if t is not None:
            x.append(inputs(s, t))
            y.append(int(s.correct[t[0]]))
    if len(set(y)) < 2:
        return {"intercept": 10.0, "coef": [0.0] * len(x[0]) if x else [], "threshold": 0.0}
    model = LogisticRegression(C=C, max_iter=1000).fit(np.asarray(x), np.asarray(y))
    return {"intercept": float(model.intercept_[0]), "coef": [float(c) for c in model.coef_[0]], "threshold": 0.0}


@dataclass
class Outcome:
    question: Question
    confidence: float | None  # None: nothing passed the gate (abstains whatever the threshold)
    correct: bool


def cross_validate(samples: list[Sample]) -> list[Outcome]:
    """Leave one bulletin out: weights and confidence fitted on the other folds, applied to this one."""
    from service.chat.scoring import confidence

    out = []
    for fold in sorted({s.fold for s in samples}):
        train = [s for s in samples if s.fold != fold]
        w = fit_weights(train)
        model = fit_confidence(train, w)
        for s in (s for s in samples if s.fold == fold):
            t = top(s, w)
            if t is None:
                out.append(Outcome(s.question, None, False))
            else:
                best, rival, features, answers, kind = _best(s, t)
                out.append(Outcome(s.question, confidence(best, rival, model, features, answers, kind), s.correct[t[0]]))
    return out


def metrics(outcomes: list[Outcome], threshold: float) -> dict[str, Any]:
    answerable = [o for o in outcomes if o.question.gold is not None]
    unanswerable = [o for o in outcomes if o.question.gold is None]
    answered = [o for o in outcomes if o.confidence is not None and o.confidence >= threshold]
    wrong = [o for o in answered if not o.correct]
    said = {id(o) for o in answered}  # by identity: comparing outcomes compares their questions field by field
    return {
        "figure_accuracy": round(sum(id(o) in said and o.correct for o in answerable) / max(1, len(answerable)), 4),
        "abstention_rate": round(sum(id(o) not in said for o in unanswerable) / max(1, len(unanswerable)), 4),
        "wrong_figure_rate": round(len(wrong) / max(1, len(answered)), 4),
        "answered": len(answered), "wrong": len(wrong), "answerable": len(answerable),
        "unanswerable": len(unanswerable),
    }


def choose_threshold(outcomes: list[Outcome]) -> float:
    """The threshold with the most right answers less WRONG_COST per wrong one (out of fold)."""
    def utility(t: float) -> float:
        m = metrics(outcomes, t)
        return m["figure_accuracy"] * m["answerable"] - WRONG_COST * m["wrong"]

    levels = sorted({o.confidence for o in outcomes if o.confidence is not None})
    return max([0.0, *levels], key=utility)


def operating_points(outcomes: list[Outcome], rates: tuple[float, ...] = (0.02, 0.03, 0.05, 0.08)) -> list[dict]:
    """For each wrong-figure rate, the lowest threshold that keeps to it and what it answers: the choices an
    operator has for BULLETINS_MIN_CONFIDENCE."""
    levels = [0.0, *sorted({o.confidence for o in outcomes if o.confidence is not None})]
    points = []
    for rate in rates:
        t = next((t for t in levels if metrics(outcomes, t)["wrong_figure_rate"] <= rate), 1.0)
        points.append({"max_wrong_rate": rate, "threshold": round(t, 4), **metrics(outcomes, t)})
    return points


def fit(engine, sets: tuple[tuple[Path, Path], ...] = TRAIN_SETS) -> dict[str, Any]:
    """Everything weights.json holds, plus the leave-one-bulletin-out report. `engine` must hold every
    set's bulletins (`corpora(sets)` beside the seeds)."""
    questions = [q for f, corpus in sets for q in build_questions(load_facts(f, corpus))]
    samples = collect(engine, questions)
    outcomes = cross_validate(samples)
    threshold = choose_threshold(outcomes)
    w = fit_weights(samples)
    model = fit_confidence(samples, w)
    model["threshold"] = threshold
    by_fold = {}
    for fold in sorted({s.fold for s in samples}):
        ids = {s.question.id for s in samples if s.fold == fold}
        by_fold[fold] = metrics([o for o in outcomes if o.question.id in ids], threshold)
    return {
        "fitted_on": [str(f.relative_to(ROOT)) for f, _ in sets],
        "questions": len(questions),
        "weights": w,
        "confidence": model,
        "leave_one_bulletin_out": {"threshold": threshold, "total": metrics(outcomes, threshold), "by_bulletin": by_fold,
                                   "without_threshold": metrics(outcomes, 0.0),
                                   "operating_points": operating_points(outcomes)},
    }


def main(engine, write: bool) -> int:
    from service.chat.scoring import WEIGHTS_FILE

    result = fit(engine)
    cv = result["leave_one_bulletin_out"]
    print(f"fitted on {result['questions']} questions ({', '.join(result['fitted_on'])})")
    print("weights: " + ", ".join(f"{k}={v:+.3f}" for k, v in result["weights"].items()))
    print(f"leave-one-bulletin-out (threshold {cv['threshold']:.3f}): {json.dumps(cv['total'], ensure_ascii=False)}")
    print(f"  without a threshold: {json.dumps(cv['without_threshold'], ensure_ascii=False)}")
    for pt in cv["operating_points"]:
        print(f"  wrong <= {pt['max_wrong_rate']:.0%}: BULLETINS_MIN_CONFIDENCE={pt['threshold']:.3f} -> figure_accuracy="
              f"{pt['figure_accuracy']:.3f} abstention={pt['abstention_rate']:.3f} wrong={pt['wrong']}/{pt['answered']}")
    for fold, m in cv["by_bulletin"].items():
        print(f"  {fold}: figure_accuracy={m['figure_accuracy']:.3f} abstention={m['abstention_rate']:.3f} "
              f"wrong={m['wrong']}/{m['answered']}")
    if write:
        WEIGHTS_FILE.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE.relative_to(ROOT)}", file=sys.stderr)
    return 0
