"""Clean a bulletin's text while keeping a map back to the original characters.

Pure functions. `clean(original)` returns `CleanText(text, offsets)` where `offsets[i]` is the index in
`original` of cleaned character `i`, so any cleaned span maps back to `original[start:end]`.

What it fixes (see shared/design.md, "the bulletins' quirks"):
- hard line breaks inside sentences (newspaper columns) are joined without inserting spaces; a table row
  (cells between ｜ or |) and a bulleted item (· 东台：…) keep their own lines;
- spaces inside CJK words and numbers are removed ("2 月 24 日" -> "2月24日");
- page-jump markers "(下转第三版①)", "(上接A01版②)" and stray "①5" page tags are dropped;
- verbatim repeated paragraphs are dropped (the later copy);
- a line of figures laid out in columns ("3月16日　26.4万件　　3月17日　27.2万件") keeps its line, and a wide gap
  between two of its items reads as "；" (each item a sentence of its own, its day with its figure);
- a table laid out in columns by wide gaps ("指标名称　　计量单位　　1—5月" over "　原煤产量　　万吨　　4126.3　　3.5")
  reads as a table of cells between ｜, one row a line (its figures would otherwise run together: "4126.33.5");
- full-width ASCII (digits, letters, ％．) is folded to half-width one character for one character, so
  offsets survive; CJK punctuation (，。：；（）) is kept for display.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

SENTENCE_END = "。！？!?；;"
# A line ending in one of these ends a paragraph even inside a hard-wrapped column.
PARAGRAPH_END = SENTENCE_END + "：:”\"」』"
CLOSERS = "”’\"」』）)》"

PAGE_JUMP = re.compile(
    r"[（(]\s*[上下]\s*[转接]\s*(?:第\s*)?[A-Za-z0-9一二三四五六七八九十\s]{0,6}\s*版\s*[①-⑳]?\s*[)）]"
)
# "①5" printed at an article's end: a circled digit followed by a page number, at a line end.
STRAY_PAGE_TAG = re.compile(r"[①-⑳]\s*\d{1,2}(?=[ \t]*(?:\r?\n|$))")
HAS_COMMA = re.compile(r"[，,、]")
# A table row ("祁东县｜0例｜4例｜1例｜3例") or a site's menu bar ("首页｜版面导航｜…"): its own line, never
# joined to the lines around it, so each row stays a row under its header.
TABLE_ROW = re.compile(r"^[^|｜\n]*(?:[|｜][^|｜\n]*){2,}$")
BULLET = re.compile(r"^[·•●▪◆■▷▶►➤◇◆☆★\u2600-\u27bf\U0001F300-\U0001FAFF]")  # "· 东台：专车专列接回外地员工": one item of a 导读 list per line
MARKDOWN_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
# A data card's "标签：数值" line ("已复工：181家", "1—2月工业用电量：5.62亿千瓦时，同比增长2.1%"): one item per
# line, never joined to the lines around it (each label says what its own figure is).
LABEL_VALUE = re.compile(
    r"[^，,。；;：:｜|\n]{1,24}[：:](?=[ \t]*(?:约|近|超过|超|逾|不足|同比|环比|比|已|累计)?[ \t]*[\d一二两三四五六七八九十])"
)
LABEL_VALUE_LINE = re.compile(LABEL_VALUE.pattern + r"[^\n]{0,36}$")
# A data card's item with a longer value ("早稻插秧：全市计划种植早稻82.6万亩，已插秧36.4万亩，进度44.1%"): a short
# label, its colon, a figure within a few words, no sentence end. Its own line only inside a card (after a
# heading or another item), never in a hard-wrapped column, where "…获悉：截至3月5日" is a sentence going on.
# "【限上商贸】1862家复业1848家", "【诸暨】全市袜业企业…": a line led by a bracketed label is an item of its own
LABELLED_LINE = re.compile(r"【[^】\n]{1,10}】")
CARD_ITEM_LINE = re.compile(r"[^，,。；;：:｜|\n\d]{2,14}[：:][^。！？!?；;：:\n\d]{0,14}\d[^。！？!?；;\n]{0,60}(?<![（(])$")
# A 数读 column's figure on a line of its own ("96.8亿元" above "一季度，全市社会消费品零售总额96.8亿元，…"): a
# heading that restates the paragraph's figure, never joined to that paragraph (nor read as its first words).
FIGURE_LINE = re.compile(r"^[-+−－]?\d[\d,.]*(?:%|‰|[万亿]?[\u4e00-\u9fff]{1,4})?$")
# A numbered list's item ("1．遇龙河景区（含竹筏漂流）：最大承载量8000人次…"): each on a line of its own.
NUMBERED_ITEM = re.compile(r"^\d{1,2}[．.、](?!\d)\s*[\u4e00-\u9fff]")
# A numbered heading on a line of its own ("①全县疫情最新情况", "（一）疫情防控情况", "二、主要做法"): short, no
# comma, no sentence end, opening a line. It is never joined to the paragraph under it, so that paragraph keeps
# its opening date ("之\n一、示范区唯一一家…" is a sentence wrapped, not a heading: 一、 must open a paragraph).
NUMBERED_HEADING = re.compile(
    r"^(?:[①-⑳]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)])"
    r"(?:[^，,、。！？!?；;：:（(]|[（(][^，,。！？!?；;：:）)]{1,8}[）)]){1,24}$"  # "四、县（市、区）动态"
)


# A page's byline ("来源：六枝特区融媒体中心　记者：张敏　发布时间：2020-03-20　阅读：3582"): two or more of its
# labels on one line. Its own line, never joined to a headline above or the first paragraph below.
META_LABEL = re.compile(r"(?:来源|信息来源|发布时间|发布日期|作者|记者|编辑|责任编辑|阅读|浏览次数|浏览|点击数|点击)[：:]")


ITEM_GAP = re.compile(r"[ \t\u3000]{2,}")  # the gap between two items of a line laid out in columns


def is_item_row(text: str) -> bool:
    """"3月16日　26.4万件　　3月17日　27.2万件": two or more items, each with a figure, apart by wide gaps (not
    "发布时间：2020-03-24　　来源：市场监管科", whose 来源 item has no figure)."""
    items = ITEM_GAP.split(text.strip())
    return len(items) >= 2 and all(re.search(r"\d", x) for x in items) and not TABLE_ROW.match(text)


# A day's line of a daily log ("2月21日　复工612家　新增25家　复工率73.6%　到岗5.12万人"): the day, then items
# apart by single full-width spaces, each with a figure. Each item reads as a clause of that day.
_DAY_LINE = re.compile(r"^\d{1,2}月\d{1,2}[日号](?:[（(][^）)\n]{1,4}[）)])?\u3000")


def is_day_items_row(text: str) -> bool:
    t = text.strip()
    if not _DAY_LINE.match(t) or ITEM_GAP.search(t):
        return False
    items = t.split("\u3000")
    return len(items) >= 3 and all(re.search(r"\d", x) for x in items)


def gap_table_lines(texts: list[str]) -> set[int]:
    """The lines of tables laid out in columns by wide gaps: three or more lines in a row, each of as many
    cells (three or more), one at least of words only (the header), none a line of items (is_item_row).
    `texts` are the stripped lines; blank lines end a table."""
    out: set[int] = set()
    k = 0
    while k < len(texts):
        n = _gap_cells(texts[k])
        j = k
        while j < len(texts) and n >= 3 and _gap_cells(texts[j]) == n:
            j += 1
        rows = texts[k:j]
        if j - k >= 3 and not any(is_item_row(t) or is_meta_line(t) or TABLE_ROW.match(t) for t in rows) \
                and any(not re.search(r"\d", _COLUMN_NAME_FIGURES.sub("", t)) for t in rows):
            out.update(range(k, j))
        k = max(j, k + 1)
    return out


# What a header cell may hold that is a name, not a figure: "1—5月", "同比增长（%）"
_COLUMN_NAME_FIGURES = re.compile(r"\d{1,2}(?:—|－|-|至)?\d{0,2}月|（%）|\(%\)")


def _gap_cells(text: str) -> int:
    return len(ITEM_GAP.split(text.strip())) if text.strip() else 0


def is_meta_line(text: str) -> bool:
    return len(META_LABEL.findall(text)) >= 2


# A section heading numbered 一、 ("一、一般贸易占比提升，民营企业增势较好"), commas allowed.
CN_NUMBERED_HEAD = re.compile(r"^[一二三四五六七八九十]{1,3}、")


def fold_width(ch: str) -> str:
    """Full-width ASCII -> half-width, one char for one char (keeps offsets)."""
    code = ord(ch)
    if ch == "\u3000":
        return " "
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A or ch in "％．＋－／":
        return chr(code - 0xFEE0)
    return ch


def fold_all(text: str) -> str:
    """Fold every full-width ASCII form, punctuation included (for indexing and matching)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\u3000":
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def squash(text: str) -> str:
    """Matching key: folded, with all whitespace removed. Used to compare quotes with bulletins."""
    return re.sub(r"\s+", "", fold_all(text))


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass
class CleanText:
    text: str
    offsets: list[int]  # offsets[i] = index into the original of text[i]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned span [start, end) to the original span covering the same characters."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else (self.offsets[-1] + 1 if self.offsets else 0)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


def _deleted_mask(original: str) -> list[bool]:
    mask = [False] * len(original)
    for pattern in (PAGE_JUMP, STRAY_PAGE_TAG, MARKDOWN_HEADING):
        for m in pattern.finditer(original):
            for i in range(m.start(), m.end()):
                mask[i] = True
    for i, ch in enumerate(original):
        if ch in "\ufeff\u200b\u200c\u200d\x00":
            mask[i] = True
    _mask_repeated_blocks(original, mask)
    return mask


def _mask_repeated_blocks(original: str, mask: list[bool]) -> None:
    """Delete the later copy of a verbatim repeated block (non-blank lines between blank lines).

    Done on the raw text, before lines are joined: in 001 a repeated run starts with a fragment that
    continues the paragraph before it ("...稳定运" / "行,开通..."), so once the first copy is joined to
    that paragraph the copies no longer match paragraph for paragraph and the fragment would survive
    twice. Blocks shorter than 20 characters (dates, "会议要求") may repeat legitimately and are kept.
    """
    seen: set[str] = set()
    pos, block_start = 0, 0
    block: list[str] = []

    def close(end: int) -> None:
        key = squash("".join(block))
        if len(key) >= 20:
            if key in seen:
                for i in range(block_start, end):
                    if original[i] != "\n":
                        mask[i] = True
            seen.add(key)

    for line in original.split("\n"):
        end = pos + len(line)
        kept = "".join(ch for i, ch in enumerate(line, pos) if not mask[i])
        if kept.strip():
            if not block:
                block_start = pos
            block.append(kept)
        elif block:
            close(pos)
            block = []
        pos = end + 1
    if block:
        close(len(original))


def _typical_line_length(lines: list[str]) -> float:
    lengths = [len(re.sub(r"\s", "", ln)) for ln in lines]
    lengths = [n for n in lengths if n >= 4]
    return statistics.median(lengths) if lengths else 0.0


def clean(original: str) -> CleanText:
    """Clean `original`; see the module docstring. Paragraphs are separated by a single "\n"."""
    deleted = _deleted_mask(original)
    # Work line by line on kept characters; remember each line's original positions.
    lines: list[list[tuple[str, int]]] = [[]]
    heading_lines: set[int] = set()
    for m in MARKDOWN_HEADING.finditer(original):
        heading_lines.add(original.count("\n", 0, m.start()))
    for i, ch in enumerate(original):
        if ch == "\n":
            lines.append([])
            continue
        if deleted[i] or ch == "\r":
            continue
        lines[-1].append((ch, i))
    newline_pos = [i for i, ch in enumerate(original) if ch == "\n"]

    def stripped(line: list[tuple[str, int]]) -> str:
        return "".join(c for c, _ in line).strip()

    typical = _typical_line_length(["".join(c for c, _ in ln) for ln in lines])
    texts = [stripped(ln) for ln in lines]
    blank = [not t for t in texts]
    meta = [is_meta_line(t) for t in texts]
    day_rows = [not meta[k] and is_day_items_row(t) for k, t in enumerate(texts)]
    item_rows = [day_rows[k] or (not meta[k] and is_item_row(t)) for k, t in enumerate(texts)]
    table_rows = gap_table_lines(texts)

    def isolated(k: int) -> bool:
        # A short line with blank lines on both sides and no sentence end: a headline or label. (Two such
        # lines in a row are one headline broken in two, as in seed 004, or a headline and its subheadline.)
        before = k == 0 or blank[k - 1]
        after = k == len(lines) - 1 or blank[k + 1]
        t = texts[k]
        # Headlines use spaces, not commas: a comma means a sentence cut by a column break.
        return before and after and 0 < len(t) <= 40 and t[-1] not in SENTENCE_END and not HAS_COMMA.search(t)

    def short_head(k: int) -> bool:
        # A heading: short for the text's lines, no comma, no sentence end; a line of a column's usual length is
        # a sentence wrapped ("…指挥部公布以下\n服务电话：").
        t = texts[k]
        return len(t) <= 20 and len(t) < 0.75 * typical and not HAS_COMMA.search(t) and t[-1] not in SENTENCE_END

    def in_card(k: int) -> bool:
        # The line above a card item: another item, or a heading.
        return bool(LABEL_VALUE_LINE.match(texts[k]) or CARD_ITEM_LINE.match(texts[k])) or short_head(k)

    out_chars: list[str] = []
    out_offsets: list[int] = []

    def emit_break(pos: int) -> None:
        if out_chars and out_chars[-1] != "\n":
            out_chars.append("\n")
            out_offsets.append(pos)

    prev_nonblank: int | None = None
    run_start = 0  # the first line of the output line being built: a card item's "▷ 68个" above its label
    for k, line in enumerate(lines):
        if blank[k]:
            continue
        if prev_nonblank is not None:
            gap_has_blank = k - prev_nonblank > 1
            last = texts[prev_nonblank][-1]
            first_text = texts[k]
            prev_len = len(re.sub(r"\s", "", texts[prev_nonblank]))
            brk = (
                last in PARAGRAPH_END
                or first_text.startswith("本报讯")
                or prev_nonblank in heading_lines
                or k in heading_lines
                or isolated(k)
                or isolated(prev_nonblank)
                or bool(BULLET.match(first_text))
                or bool(LABELLED_LINE.match(first_text))
                or bool(LABEL_VALUE_LINE.match(first_text))
                or bool(LABEL_VALUE_LINE.match(texts[prev_nonblank]))
                or (bool(CARD_ITEM_LINE.match(first_text)) and in_card(prev_nonblank))
                # A section's emoji head ("✅ 景区开放"): the paragraph under it is not its continuation.
                # ("▷ 68个" is a card item, its label below it)
                or (bool(BULLET.match(texts[prev_nonblank])) and short_head(prev_nonblank)
                    and not re.search(r"[：:\d]", texts[prev_nonblank]))
                or (run_start == prev_nonblank and bool(CARD_ITEM_LINE.match(texts[prev_nonblank])))
                or (run_start == prev_nonblank and bool(NUMBERED_HEADING.match(texts[prev_nonblank])))
                or (bool(NUMBERED_HEADING.match(first_text)) and first_text[0] not in "一二三四五六七八九十")
                # A paragraph after a data card's last item ("▷68个\n开复工重点项目\n\n本周，全市…").
                or (gap_has_blank and bool(HAS_COMMA.search(first_text)) and bool(BULLET.match(texts[run_start])))
                # "一、一般贸易占比提升，民营企业增势较好" above a blank line: a section heading, commas and all
                or (gap_has_blank and bool(CN_NUMBERED_HEAD.match(texts[prev_nonblank]))
                    and len(texts[prev_nonblank]) <= 30 and last not in SENTENCE_END)
                or meta[k]
                or meta[prev_nonblank]
                or bool(TABLE_ROW.match(first_text))
                or bool(TABLE_ROW.match(texts[prev_nonblank]))
                or bool(FIGURE_LINE.match(texts[prev_nonblank]))
                or bool(NUMBERED_ITEM.match(first_text))
                or item_rows[k]
                or item_rows[prev_nonblank]
                or k in table_rows
                or prev_nonblank in table_rows
                or (
                    gap_has_blank
                    and typical > 0
                    and prev_len < 0.75 * typical
                    and not HAS_COMMA.search(texts[prev_nonblank])
                )
            )
            if brk:
                emit_break(newline_pos[prev_nonblank])
            run_start = k if brk else run_start
        _emit_line(line, out_chars, out_offsets, items=item_rows[k], cells=k in table_rows, single_gaps=day_rows[k])
        prev_nonblank = k

    text = "".join(out_chars).strip("\n")
    lead = len("".join(out_chars)) - len("".join(out_chars).lstrip("\n"))
    offsets = out_offsets[lead : lead + len(text)]
    # Break before an inline "本报讯" that follows a headline on the same line.
    text, offsets = _break_before(original, text, offsets, re.compile(r"(?<=[^\n])(?=本报讯)"))
    return _drop_repeated_paragraphs(text, offsets)


def _emit_line(line: list[tuple[str, int]], out_chars: list[str], out_offsets: list[int], items: bool = False,
               cells: bool = False, single_gaps: bool = False) -> None:
    """Append a line's characters, removing whitespace unless it separates two ASCII words; in a line of items
    (is_item_row) a wide gap between two items reads as "；", in a table's row (gap_table_lines) as "｜"; in a
    day's line of items (is_day_items_row) a single full-width space reads as "，"."""
    chars = [(fold_width(c), i) for c, i in line]
    n = len(chars)
    j = 0
    while j < n:
        c, i = chars[j]
        if c.isspace():
            k = j
            while k < n and chars[k][0].isspace():
                k += 1
            prev = out_chars[-1] if out_chars and out_chars[-1] != "\n" else ""
            nxt = chars[k][0] if k < n else ""
            if single_gaps and prev and nxt and line[j][0] == "\u3000":
                out_chars.append("，")  # the day opens the line: its items are clauses of one sentence
                out_offsets.append(i)
            elif (items or cells) and prev and nxt and k - j >= 2:
                out_chars.append("｜" if cells else "；")
                out_offsets.append(i)
            elif prev and nxt and _is_ascii_alnum(prev) and _is_ascii_alnum(nxt) and not (prev.isdigit() and nxt.isdigit() and _digit_run_split(out_chars)):
                out_chars.append(" ")
                out_offsets.append(i)
            j = k
            continue
        out_chars.append(c)
        out_offsets.append(i)
        j += 1
    # Joining across lines: nothing to insert; CJK text never needs a space.


def _digit_run_split(out_chars: list[str]) -> bool:
    # "2 0 2 0" style spaced digits are one number; "2020-02-26 17:37:48" keeps its space because the
    # run before the space is a time/date fragment, handled by returning False for multi-digit runs.
    run = 0
    for ch in reversed(out_chars):
        if ch.isdigit():
            run += 1
        else:
            break
    return run == 1


def _break_before(
    original: str, text: str, offsets: list[int], pattern: re.Pattern[str]
) -> tuple[str, list[int]]:
    pieces: list[str] = []
    new_offsets: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        pos = m.start()
        pieces.append(text[last:pos])
        new_offsets.extend(offsets[last:pos])
        pieces.append("\n")
        # Map the new break to the whitespace it replaces ("工作者 本报讯") so offsets stay strictly
        # increasing; with no whitespace in between there is no source character, use the next one.
        gap = range(offsets[pos - 1] + 1, offsets[pos])
        new_offsets.append(next((j for j in gap if original[j].isspace()), offsets[pos]))
        last = pos
    pieces.append(text[last:])
    new_offsets.extend(offsets[last:])
    return "".join(pieces), new_offsets


def _drop_repeated_paragraphs(text: str, offsets: list[int]) -> CleanText:
    seen: set[str] = set()
    out: list[str] = []
    out_offsets: list[int] = []
    pos = 0
    for para in text.split("\n"):
        start, end = pos, pos + len(para)
        pos = end + 1
        key = squash(para)
        if len(key) >= 20 and key in seen:
            continue  # verbatim repeat (e.g. 001 prints some paragraphs twice)
        seen.add(key)
        if out:
            out.append("\n")
            out_offsets.append(offsets[start - 1])
        out.append(para)
        out_offsets.extend(offsets[start:end])
    return CleanText("".join(out), out_offsets)


SENTENCE_SPLIT = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’\"」』）)]*|\n|$)")


# A photo credit printed between a caption and the body: "…正在生产线上工作。记者白永民摄新冠肺炎疫情发生以来,…".
PHOTO_CREDIT = re.compile(r"\s*(?:记者|通讯员)\s*[\u4e00-\u9fff]{2,3}\s*摄(?=[\u4e00-\u9fff])")


def _pieces(text: str):
    """Sentence matches, with a photo credit cut off the sentence it is glued to."""
    for m in SENTENCE_SPLIT.finditer(text):
        s, e = m.start(), m.end()
        credit = PHOTO_CREDIT.match(text, s)
        if credit and credit.end() < e:
            yield s, credit.end()
            s = credit.end()
        yield s, e


def split_sentences(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Sentence spans [(start, end)] in `text` (+ base), ending at 。！？；, keeping closing quotes; a
    photo credit ("记者白永民摄") is a sentence of its own."""
    spans = []
    for s, e in _pieces(text):
        # Trim whitespace/newlines from both ends.
        while s < e and text[s] in " \n\t":
            s += 1
        while e > s and text[e - 1] in " \n\t":
            e -= 1
        if e > s:
            spans.append((base + s, base + e))
    return spans


def has_lone_surrogate(text: str) -> bool:
    """JSON's \\ud800 escape yields a str that UTF-8 (the embedder, Chroma, SQLite, a response) cannot encode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
