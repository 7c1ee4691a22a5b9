"""evals/multipart.py: a two-part question is right only when every part's figure is stated and cited."""

from __future__ import annotations

from pathlib import Path

from evals import multipart

DOC = "102_f5bfafdf2410fa60"
QUESTION = {
    "id": "m102_02", "doc_id": DOC, "question": "靖江各银行一共投放了多少复工复产贷款，其中给中小微企业的有多少？",
    "parts": [
        {"value": "18.6", "magnitude": "亿", "unit": "元", "qualifier": None, "quote": "累计为1260家企业投放复工复产贷款18.6亿元"},
        {"value": "9.8", "magnitude": "亿", "unit": "元", "qualifier": None, "quote": "其中为中小微企业投放9.8亿元"},
    ],
}
CITES = [{"doc_id": DOC, "text": "累计为1260家企业投放复工复产贷款18.6亿元"},
         {"doc_id": DOC, "text": "其中为中小微企业投放9.8亿元"}]


def test_every_part_stated_and_cited():
    ans = {"answer": "投放总额：18.6亿元[1]\n其中中小微企业：9.8亿元[2]", "citations": CITES}
    assert multipart.score(ans, multipart.golds(QUESTION))["parts_correct"]


def test_one_part_missing_is_wrong():
    ans = {"answer": "18.6亿元[1]", "citations": CITES[:1]}
    res = multipart.score(ans, multipart.golds(QUESTION))
    assert not res["parts_correct"]
    assert [m["figure_correct"] for m in res["parts"]] == [True, False]


def test_magnitude_matters():
    ans = {"answer": "18.6万元[1]；9.8亿元[2]", "citations": CITES}
    assert not multipart.score(ans, multipart.golds(QUESTION))["parts_correct"]


def test_the_generalization_file_loads():
    questions = multipart.load(Path(__file__).parents[2] / "evals" / "generalization" / "multipart.yaml")
    assert questions and all(len(multipart.golds(q)) >= 2 for q in questions)
    assert multipart.load(Path(__file__).parents[2] / "evals" / "heldout.yaml") is None


def test_the_generalization_quotes_are_in_their_bulletins():
    root = Path(__file__).parents[2] / "evals" / "generalization"
    assert multipart.problems(multipart.load(root / "multipart.yaml"), root / "bulletins") == []
    wrong = {**QUESTION, "parts": [{**QUESTION["parts"][0], "value": "18.7"}, QUESTION["parts"][1]]}
    assert multipart.problems([wrong], root / "bulletins") == ["m102_02.1: quote does not state 18.7亿元"]
