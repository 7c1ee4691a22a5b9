"""vectorstore.cleaning on real snippets of the seeds: line joining, spaces inside words and numbers,
page-jump markers, repeated paragraphs, width folding, and the offset map back to the original."""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path

import pytest

from vectorstore.cleaning import (
    MARKDOWN_HEADING,
    PAGE_JUMP,
    STRAY_PAGE_TAG,
    clean,
    fold_width,
    split_sentences,
    squash,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
SEED_IDS = [p.name[:3] for p in SEED_FILES]


@cache
def raw(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text("utf-8")


@cache
def cleaned(prefix: str):
    return clean(raw(prefix))


def marker_mask(original: str) -> list[bool]:
    """Characters cleaning drops as markup: page-jump markers, stray page tags, markdown heading marks
    (computed with the public patterns, independently of cleaning's private helpers)."""
    mask = [False] * len(original)
    for pattern in (PAGE_JUMP, STRAY_PAGE_TAG, MARKDOWN_HEADING):
        for m in pattern.finditer(original):
            mask[m.start() : m.end()] = [True] * (m.end() - m.start())
    return mask


def lost_runs(original: str, ct) -> list[tuple[int, int]]:
    """Maximal runs of original characters that are neither in the cleaned text nor markup; whitespace
    inside a run does not break it."""
    kept, markup = set(ct.offsets), marker_mask(original)
    runs, start, last = [], None, None
    for i, ch in enumerate(original):
        if i in kept or markup[i]:
            if start is not None:
                runs.append((start, last + 1))
            start = None
        elif not ch.isspace():
            start = i if start is None else start
            last = i
    if start is not None:
        runs.append((start, last + 1))
    return runs


def droppable_mask(original: str, ct) -> list[bool]:
    """Markup plus verbatim repeats: runs of 20+ characters whose text is in the cleaned text anyway."""
    mask = marker_mask(original)
    squashed_text = squash(ct.text)
    for s, e in lost_runs(original, ct):
        run = squash(original[s:e])
        if len(run) >= 20 and run in squashed_text:
            mask[s:e] = [True] * (e - s)
    return mask


def test_seed_files_present():
    assert len(SEED_FILES) == 5


# --- line joining and spaces ---------------------------------------------------------------------


def test_hard_broken_column_lines_join_without_spaces_002():
    original = raw("002")
    assert "2 月 24 日下\n午，省、市统筹推进新冠肺炎疫情防控和\n经济社会发展工作部署会议召开后，示范\n区立即召开" in original
    text = cleaned("002").text
    assert "本报讯（记者郭树勋）2月24日下午，省、市统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议召开后，示范区立即召开" in text
    # The column break falls on a blank line in the middle of a sentence: still one sentence.
    assert "当前，全区疫情\n\n防控工作取得了" in original
    assert "当前，全区疫情防控工作取得了阶段性成效" in text
    # A real paragraph end is kept as a paragraph break.
    assert "赵俊生出席会议。\n会议指出，疫情防控正处于最吃劲的关键阶段" in text


def test_hard_broken_column_lines_join_without_spaces_004():
    text = cleaned("004").text
    assert "截至昨日12时，示范区40家重点工业企业全部复工复产" in text
    assert "一要站位发展全局。稳定建筑和房地产业" in text  # blank line inside "全\n\n局"
    assert "副省长何金平和省委省政府服务企业复工复产工作专班组长" in text


def test_spaces_inside_dates_and_words_are_removed():
    assert "2 月 24 日" in raw("002")
    text = cleaned("002").text
    assert "2月24日" in text
    assert "2 月" not in text and "月 24" not in text


def test_spaced_characters_and_number_on_next_line_004():
    original = raw("004")
    assert "规 上 工 业 企 业 19.7% ， 用 工 人 数 达\n48773人" in original
    text = cleaned("004").text
    assert "目前，全市已开工企业236家，占规上工业企业19.7%，用工人数达48773人，防控物资生产企业累计生产口罩51.13万个" in text


def test_snippet_cleans_the_same_alone_and_in_its_file():
    snippet = " 本报讯 （记者郭树勋） 2 月 24 日下\n午，省、市统筹推进新冠肺炎疫情防控和\n经济社会发展工作部署会议召开后，示范\n区立即召开统筹推进新冠肺炎疫情防控和\n"
    assert clean(snippet).text == "本报讯（记者郭树勋）2月24日下午，省、市统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议召开后，示范区立即召开统筹推进新冠肺炎疫情防控和"


def test_space_between_ascii_words_is_kept_003():
    # "2020-02-26 17:37:48": a date and a time, not one number.
    assert "时间:2020-02-26 17:37:48" in cleaned("003").text


def test_ideographic_spaces_between_cjk_removed():
    assert clean("示范区\u300040\u3000家重点工业企业").text == "示范区40家重点工业企业"


# --- page-jump markers and stray page tags ------------------------------------------------------


def test_page_jump_markers_dropped_004():
    original, text = raw("004"), cleaned("004").text
    for marker in ("（下转第三版①）", "（下转第二版）", "（下转第三版②）"):
        assert marker in original
        assert marker not in text
    assert "下转" not in text
    assert "成立企业疫情防控纾困专班，\n" in text or text.endswith("成立企业疫情防控纾困专班，")


def test_page_jump_markers_dropped_001():
    original, text = raw("001"), cleaned("001").text
    assert "(上接A01版①)明确要求" in original and "(上接A01版②)要求在封闭状态下" in original
    assert "上接" not in text
    assert "\n明确要求、认真组织、强化措施" in text
    assert "\n要求在封闭状态下把好门、管好人" in text


def test_stray_page_tags_dropped_but_figures_kept_004():
    original, text = raw("004"), cleaned("004").text
    assert original.count("①5") == 5
    assert not re.search(r"[①-⑳]", text)
    # The figure right before a tag survives intact and the sentence ends the paragraph.
    assert "调拨8.15万个，缓解了我市疫情防控重点人群口罩的需求难题。\n" in text
    assert "年底建成通车目标。\n" in text


@pytest.mark.parametrize(
    "snippet, expected",
    [
        ("疫情防控纾困专班，（下转第三版①）\n", "疫情防控纾困专班，"),
        ("(上接A01版②)要求在封闭状态下把好门、管好人。", "要求在封闭状态下把好门、管好人。"),
        ("主心骨。（下转第二版）\n", "主心骨。"),
        ("需求难题。①5\n", "需求难题。"),
        ("阶奠定基础。①5", "阶奠定基础。"),
        # Not a tag: a circled number inside a line, and a figure at a line end.
        ("第①5项措施已落实。", "第①5项措施已落实。"),
        ("累计生产口罩51.13万个\n", "累计生产口罩51.13万个"),
    ],
)
def test_marker_snippets(snippet, expected):
    assert clean(snippet).text == expected


# --- repeated paragraphs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "needle",
    [
        "同时,全力推出“智能门磁”、联通“云名片”、防疫炫铃",
        "值得一提的是,为确保群众的通信服务不间断,市联通公司紧急开通了远程VPN业务",
        # This repeated line continues the paragraph before it ("...稳定运" / "行,开通..."): the copy
        # must go too, not survive as a stray fragment.
        "搭建1000M宽带,免费供方舱医院等地点使用。",
    ],
)
def test_verbatim_repeated_paragraphs_dropped_001(needle):
    original, text = raw("001"), cleaned("001").text
    assert original.count(needle) == 2
    assert squash(text).count(squash(needle)) == 1


def test_repeated_fragment_is_joined_to_its_sentence_001():
    text = cleaned("001").text
    assert "重点保障核酸检测平台、一码通平台的稳定运行,开通各类防疫视频会议" in text
    assert "\n行,开通" not in text


def test_repeated_byline_dropped_000():
    byline = "示范区(高新区)党工委书记、管委会主任 王家鹏"
    assert raw("000").count(byline) == 2
    assert squash(cleaned("000").text).count(squash(byline)) == 1


def test_short_repeated_paragraphs_are_kept():
    # Under 20 characters a repeat is normal ("会议要求，…" openers, dates), not an extraction error.
    text = clean("会议要求，加强领导。\n\n第一段正文内容在这里结束了。\n\n会议要求，加强领导。").text
    assert text.count("会议要求，加强领导。") == 2


def test_repeated_paragraph_synthetic_keeps_first_copy_offsets():
    para = "目前，全市已开工企业236家，占规上工业企业19.7%，用工人数达48773人。"
    original = f"{para}\n\n中间一段不同的内容，也是完整的句子。\n\n{para}\n"
    ct = clean(original)
    assert ct.text.count(para) == 1
    assert ct.offsets[0] == 0 and max(ct.offsets) < original.rindex(para)


# --- width folding ------------------------------------------------------------------------------

FULLWIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789%.ABCDEFGHIJKLMNOPQRSTUVWXYZ"})


def test_full_width_digits_folded_with_same_offsets():
    half = "目前，全市已开工企业236家，占\n规 上 工 业 企 业 19.7% ， 用 工 人 数 达\n48773人，搭建1000M宽带。"
    full = half.translate(FULLWIDTH)
    assert full != half and "２３６" in full and "１９．７％" in full
    a, b = clean(half), clean(full)
    assert b.text == a.text == "目前，全市已开工企业236家，占规上工业企业19.7%，用工人数达48773人，搭建1000M宽带。"
    assert b.offsets == a.offsets


def test_fold_width_is_one_for_one():
    assert fold_width("９") == "9" and fold_width("％") == "%" and fold_width("．") == "." and fold_width("Ａ") == "A"
    assert fold_width("，") == "，" and fold_width("（") == "（"  # CJK punctuation kept for display
    assert fold_width("\u3000") == " "


# --- offsets, for every seed --------------------------------------------------------------------


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_offset_map_is_consistent(prefix):
    original, ct = raw(prefix), cleaned(prefix)
    assert ct.text and len(ct.text) == len(ct.offsets)
    assert all(a < b for a, b in zip(ct.offsets, ct.offsets[1:], strict=False)), "offsets must strictly increase"
    assert ct.offsets[0] >= 0 and ct.offsets[-1] < len(original)
    for i, (c, o) in enumerate(zip(ct.text, ct.offsets, strict=True)):
        assert c == fold_width(original[o]) or c in "\n ", (i, c, original[o])
    # Paragraphs are separated by exactly one newline; no blank paragraphs, no edge whitespace.
    assert "\n\n" not in ct.text and ct.text == ct.text.strip()


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_cleaning_loses_nothing_but_droppable_text(prefix):
    """Every non-space original character is in the cleaned text, or markup, or part of a verbatim
    repeat (20+ characters) of text that the cleaned text holds."""
    original, ct = raw(prefix), cleaned(prefix)
    squashed_text = squash(ct.text)
    for s, e in lost_runs(original, ct):
        run = squash(original[s:e])
        assert len(run) >= 20 and run in squashed_text, f"lost {original[s:e]!r} at {s}"


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_to_original_round_trip_random_spans(prefix):
    original, ct = raw(prefix), cleaned(prefix)
    droppable = droppable_mask(original, ct)
    rng = random.Random(20200226)
    paras, pos = [], 0
    for para in ct.text.split("\n"):
        paras.append((pos, pos + len(para)))
        pos += len(para) + 1
    for _ in range(300):
        ps, pe = rng.choice(paras)
        s = rng.randrange(ps, pe)
        e = rng.randrange(s + 1, pe + 1)
        os_, oe = ct.to_original(s, e)
        assert 0 <= os_ < oe <= len(original)
        raw_span = "".join(ch for i, ch in enumerate(original[os_:oe], os_) if not droppable[i])
        assert squash(raw_span) == squash(ct.text[s:e]), (s, e, original[os_:oe])
        # The original span starts and ends on the very characters of the cleaned span.
        assert fold_width(original[os_]) == ct.text[s] and fold_width(original[oe - 1]) == ct.text[e - 1]


def test_to_original_empty_span():
    ct = cleaned("003")
    assert ct.to_original(10, 10) == (ct.offsets[10], ct.offsets[10])
    n = len(ct.text)
    assert ct.to_original(n, n) == (ct.offsets[-1] + 1, ct.offsets[-1] + 1)


def test_sentences_of_a_cleaned_seed():
    text = cleaned("004").text
    sents = [text[s:e] for s, e in split_sentences(text)]
    assert "目前，全市已开工企业236家，占规上工业企业19.7%，用工人数达48773人，防控物资生产企业累计生产口罩51.13万个、消毒剂1373.5吨、医用酒精18571吨。" in sents
    assert all(s == s.strip() and "\n" not in s for s in sents)


def test_empty_and_whitespace_input():
    assert clean("").text == "" and clean("").offsets == []
    assert clean(" \n\n\u3000 \n").text == ""


def test_a_photo_credit_is_a_sentence_of_its_own():
    text = "2月19日,河北宝塔医疗器械有限公司员工正在生产线上工作。记者白永民摄新冠肺炎疫情发生以来,市委认真学习。"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "2月19日,河北宝塔医疗器械有限公司员工正在生产线上工作。", "记者白永民摄", "新冠肺炎疫情发生以来,市委认真学习。"]
    credit = "图/本报记者郭树勋摄"  # a credit alone on its line stays whole
    assert [credit[s:e] for s, e in split_sentences(credit)] == [credit]


def test_a_data_card_keeps_one_item_per_line_with_its_label():
    # An official account's data card: each ▷ item is a figure, then its label on the next line; the
    # paragraph after the card is not glued to its last item.
    text = ("数说开封市复工复产\n\n▷ 1265家\n全市规上工业企业已复工\n\n▷ 96.8%\n规上工业企业复工率\n\n"
            "▷ 68个\n开复工重点项目\n\n本周，全市新开工项目29个，比上周多12个。\n")
    lines = clean(text).text.split("\n")
    assert lines[1:] == ["▷1265家全市规上工业企业已复工", "▷96.8%规上工业企业复工率", "▷68个开复工重点项目",
                         "本周，全市新开工项目29个，比上周多12个。"]
