"""Question-aware boost for retrieval candidates: the right place and a figure of the asked kind/unit.

RRF gives rank 1 about 1/61 = 0.016 per list; these boosts move a candidate a few ranks, enough to put
"示范区 ... 70家" above "定州 ... 208家" for a 示范区 question, without overriding strong matches.
"""

from __future__ import annotations

from service.intent import figures_of, fits, parse_intent, place_score
from vectorstore.models import Chunk

PLACE_WEIGHT = 0.010
SHAPE_WEIGHT = 0.008


def question_boost(question: str, chunk: Chunk) -> float:
    intent = parse_intent(question)
    score = PLACE_WEIGHT * place_score(intent, chunk.text, chunk.places)
    if intent.wants != "text" and any(fits(intent, f) for f in figures_of(chunk.text)):
        score += SHAPE_WEIGHT
    return score
