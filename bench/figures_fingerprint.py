"""Fingerprint of the figure parser, matcher and question intent over every text in the repo.

    python bench/figures_fingerprint.py [--repeat 5]

Run it before and after a change that must not change behaviour (a refactor, a vocabulary move): the
hashes must be equal. Texts: seeds/*.txt, evals/generalization/bulletins/*, and the question / paraphrase
/ quote / note / as_of / value strings of evals/*.yaml and evals/generalization/*.yaml; plus probes, short
texts that put each vocabulary word into each of a few figure contexts, since the bulletins use few of the
rarer words (and likewise question probes for parse_intent). Prints one SHA-256 per section, one over all of them, and the time to parse the seeds (best of
--repeat). Writes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from service.figures import Figure, figure_grounded, index_tokens, matches, parse_figures, ungrounded
from service.intent import asks_rate, counted_units, expand_question, figures_of, fits, parse_intent

ROOT = Path(__file__).resolve().parents[1]
TEXT_KEYS = ("question", "paraphrase", "quote", "note", "as_of", "value")
SAMPLED_PAIRS = 200_000

# The figure vocabulary as of issue 11 (units, magnitudes, qualifiers and the chars that block them, numerals,
# day parts, citation words), frozen here so that the probes stay the same texts whatever the code reads.
PROBE_WORDS = """
万亿 千万 百万 亿 万 千 百 个百分点 百分点 人次 车次 架次 批次 户次 份次 条次 台次 篇次 平方米 平方公里 立方米 公里
公斤 千克 千米 千瓦时 千瓦 毫升 毫克 厘米 小时 分钟 个月 个工作日 工作日 周岁 人份 美元 家 人 名 位 例 吨 只 个 元 份
张 辆 盒 瓶 套 台 件 项 次 户 条 场 天 周 年 岁 亩 克 斤 升 米 箱 桶 袋 包 支 篇 起 种 类 部 处 所 座 间 栋 幢 层 轮
批 组 队 届 期 级 倍 枚 副 顶 双 片 粒 剂 针 根 卷 把 块 床 篮 趟 册 季度 道 扇 株 棵 Mbps GB MB TB KB M G 方面 号
阶段 波 站 章 节 款 日 月 余 多 超 超过 逾 以上 上 有余 近 将近 接近 不足 不到 以下 以内 约 大约 左右 最 附 就 远 新
临 邻 将 接 签 合 预 集 公 制 特 邀 履 违 协 契 相 大 赶 高 商 零 〇 一 二 两 三 四 五 六 七 八 九 十 第 初 再 唯 统
拜 逐 每 同 员 立 为 功 本 果 效 绩 熟 交 都 品 型 长 群 语 不 上午 下午 晚上 早上 凌晨 中午 傍晚 夜间 早晨 晚间 候 段
代 刻 速 来源 资料 文档 片段 引用 时 点 钟 成 番 分之
""".split()
PROBE_TEMPLATES = (
    "{w}3", "3{w}", "30{w}", "三{w}", "两{w}", "一{w}", "第三{w}", "第3{w}", "{w}300余万人", "约3万{w}以上",
    "3{w}/{w}", "3人/{w}", "{w}近3个", "{w}约3个", "{w}超3万人", "{w}百人", "近百{w}", "{w}一个", "{w}两成",
    "三成{w}", "九成九{w}", "{w}8点", "8点{w}", "8时{w}", "[{w}3]", "3月{w}", "2020年3月10日{w}24时",
    "{w}三分之二", "翻了两番{w}", "3至5{w}", "20-30{w}", "10{w}多", "1个多{w}", "百分之{w}十",
)
# The question vocabulary of service/intent (asked units, counted nouns, metric, money, rate and duration
# words, synonyms) as of issue 11, frozen likewise, and question shapes to put each word into.
INTENT_PROBE_WORDS = """
个百分点 人次 条次 平方米 公斤 千克 小时 个月 家 人 名 例 吨 只 个 元 份 张 辆 盒 瓶 套 台 件 项 次 户 条 场 天 周 位
部 处 所 座 批 支 轮 种 类 箱 袋 桶 株 头 间 栋 顿 餐 年 分钟 日 工人 员工 职工 人员 医护 医生 护士 患者 病例 病人 密接
密切接触者 志愿者 党员 干部 群众 居民 学生 专家 教师 农民工 游客 口罩 防护服 护目镜 手套 企业 公司 商户 超市 门店 药店
单位 工厂 酒店 饭店 商场 项目 酒精 消毒液 消毒剂 蔬菜 粮食 肉类 猪肉 食用油 面粉 大米 床位 车辆 汽车 救护车 生产 防疫
重点 医用 一线 产量 数量 总量 总数 库存 储备量 储备 产能 供应量 累计 总 每日 每天 点 区 站 室 队 组 口 馆 院 厂 村 社区
专班 部门 工地 同比 环比 增长 增幅 下降 降幅 提高了 提升了 多少钱 资金 贷款 投资 金额 营业额 收入 债 经费 补贴 补助 拨付
销售额 每 日均 日产 日供 一天 单日 能力 / 多长 多久 几天 多少天 几个月 多少小时 时限 几周 几小时 规上 限上 复课 复工企业
热线 电话 规模以上 限额以上 开学 用工 开工企业
""".split()
INTENT_TEMPLATES = (
    "示范区有多少{w}？", "共有几{w}", "多少万{w}", "几个{w}？", "多少{w}数", "{w}数是多少", "{w}累计产量是多少？",
    "有多少{w}在岗", "生产了多少{w}防护服", "几个集中{w}？", "{w}多少", "{w}同比增长了多少", "每天{w}多少", "口罩{w}是多少？",
)


def _yaml_strings(node: object) -> Iterator[tuple[str, str]]:
    """(key, string) for every TEXT_KEYS string anywhere in a parsed YAML document, in document order."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in TEXT_KEYS and isinstance(v, str):
                yield k, v
            else:
                yield from _yaml_strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _yaml_strings(v)


def _yaml_docs() -> list[tuple[Path, object]]:
    paths = sorted(ROOT.glob("evals/*.yaml")) + sorted(ROOT.glob("evals/generalization/*.yaml"))
    return [(p, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in paths]


def _facts(doc: object) -> Iterator[dict]:
    if isinstance(doc, dict):
        for key in ("facts", "multipart"):
            yield from doc.get(key) or []


class Digest:
    def __init__(self) -> None:
        self.sections: dict[str, Any] = {}  # name -> hashlib.sha256 object

    def add(self, section: str, item: object) -> None:
        h = self.sections.setdefault(section, hashlib.sha256())
        h.update(repr(item).encode("utf-8"))
        h.update(b"\n")

    def report(self) -> str:
        total = hashlib.sha256()
        lines = []
        for name, h in self.sections.items():
            lines.append(f"{name:<12} {h.hexdigest()}")
            total.update(f"{name}:{h.hexdigest()}\n".encode())
        lines.append(f"{'ALL':<12} {total.hexdigest()}")
        return "\n".join(lines)


def _match_pairs(pool: list[Figure]) -> list[tuple[Figure, Figure]]:
    """All pairs that share a value or key (where matches decides on bound, unit, kind), plus a seeded sample."""
    groups: dict[str, list[Figure]] = defaultdict(list)
    for f in pool:
        groups[str(f.value) if f.value is not None else f.normalized.split(":", 1)[1][-7:]].append(f)
    pairs = [(a, b) for key in sorted(groups) for a in groups[key] for b in groups[key]]
    rng = random.Random(7)
    pairs += [(rng.choice(pool), rng.choice(pool)) for _ in range(SAMPLED_PAIRS)]
    return pairs


def fingerprint() -> Digest:
    d = Digest()
    docs = {p.stem: p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("seeds/*.txt"))}
    docs |= {p.stem: p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("evals/generalization/bulletins/*"))}
    yamls = _yaml_docs()
    strings = [s for _, doc in yamls for _, s in _yaml_strings(doc)]
    texts = list(docs.values()) + strings

    pool: dict[str, Figure] = {}
    for t in texts:
        for loose in (False, True):
            figs = parse_figures(t, loose=loose)
            d.add("parse", (loose, figs))
            pool |= {repr(f): f for f in figs}
    ordered = [pool[k] for k in sorted(pool)]
    for a, b in _match_pairs(ordered):
        d.add("matches", matches(a, b))

    for name, text in docs.items():
        d.add("index", (name, index_tokens(text)))

    for w in PROBE_WORDS:
        for tpl in PROBE_TEMPLATES:
            probe = tpl.format(w=w)
            d.add("probes", (parse_figures(probe), parse_figures(probe, loose=True)))

    # Gold quotes against their bulletin, and every question against it (questions state figures too).
    for _, doc in yamls:
        for fact in _facts(doc):
            text = docs.get(fact.get("doc_id", ""), "")
            quotes = [fact.get("quote")] + [p.get("quote") for p in fact.get("parts") or []]
            for q in filter(None, quotes):
                d.add("grounding", (ungrounded(q, [text]), [figure_grounded(f, q) for f in parse_figures(text[:4000])]))

    for key, s in (ks for _, doc in yamls for ks in _yaml_strings(doc)):
        if key not in ("question", "paraphrase"):
            continue
        it = parse_intent(s)
        fields = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in vars(it).items()}
        d.add("intent", (fields, expand_question(s), sorted(counted_units(s))))
    for w in INTENT_PROBE_WORDS:
        for tpl in INTENT_TEMPLATES:
            q = tpl.format(w=w)
            it = parse_intent(q)
            fields = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in vars(it).items()}
            d.add("intent", (fields, asks_rate(q)))
    for _, doc in yamls:
        for fact in _facts(doc):
            if fact.get("question") and fact.get("quote"):
                it = parse_intent(fact["question"])
                d.add("fits", [fits(it, f) for f in figures_of(fact["quote"])])
    return d


def time_seeds(repeat: int) -> float:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("seeds/*.txt"))]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for s in seeds:
            parse_figures(s)
            parse_figures(s, loose=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="timing runs over the seeds (best is printed)")
    args = ap.parse_args()
    print(fingerprint().report())
    print(f"parse seeds (strict + loose, best of {args.repeat}): {time_seeds(args.repeat) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
