"""Chinese word lists the figure parser and matcher read: magnitudes, units, qualifiers, numerals."""

from __future__ import annotations

from decimal import Decimal

# 1:1 char map, so offsets survive normalisation.
FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "．": ".",
        "％": "%",
        "（": "(",
        "）": ")",
        "：": ":",
        "－": "-",
        "～": "~",
        "／": "/",
        "［": "[",
        "］": "]",
        "\u3000": " ",
        "\xa0": " ",
    }
)

MAGNITUDES: dict[str, Decimal] = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
}
MAGNITUDE_WORDS = sorted(MAGNITUDES, key=len, reverse=True)


def _by_length(words: str) -> tuple[str, ...]:
    """Space-separated vocabulary -> tuple sorted longest first, so prefix matching is longest-match."""
    return tuple(sorted(set(words.split()), key=len, reverse=True))


# Units accepted after Arabic numbers (longest match wins).  Not included on purpose: 号 (3号楼),
# 分 (score/minute), 方 (万方铝业), 日 (a day of month, handled as a date).
UNITS: tuple[str, ...] = _by_length(
    "个百分点 百分点 人次 车次 架次 批次 户次 份次 条次 台次 篇次 平方米 平方公里 "
    "立方米 公里 公斤 千克 千米 千瓦时 千瓦 毫升 毫克 厘米 小时 分钟 个月 个工作日 "
    "工作日 周岁 人份 美元 家 人 名 位 例 吨 只 个 元 份 张 辆 盒 瓶 套 台 "
    "件 项 次 户 条 场 天 周 年 岁 亩 克 斤 升 米 箱 桶 袋 包 支 篇 起 种 "
    "类 部 处 所 座 间 栋 幢 层 轮 批 组 队 届 期 级 倍 枚 副 顶 双 片 粒 "
    "剂 针 根 卷 把 块 床 篮 趟 册 季度 道 扇 株 棵 Mbps GB MB TB KB M G"
)

# Measure words that make a Chinese numeral a figure (narrower than UNITS: 三区/两口 are words).
CN_UNITS: tuple[str, ...] = _by_length(
    "个百分点 人次 个月 小时 季度 方面 个 家 人 名 位 天 次 项 条 场 轮 例 吨 "
    "只 元 年 届 级 类 种 件 组 队 所 座 处 户 部 张 份 台 辆 篇 倍 周 岁 "
    "支 批 套 盒 瓶 起 期 道 箱 公斤 千克 亩"
)

# Units after 第: 第三人民医院 / 第一时间 / 第一责任人 must not become ordinals.
ORDINAL_UNITS: tuple[str, ...] = _by_length(
    "场 次 批 轮 届 期 季度 个 家 位 名 条 项 天 周 年 号 阶段 波 站 组 章 节 部 款 类 种 剂 针 道"
)

# Unit synonyms: same claim, different measure word.
UNIT_CANON: dict[str, str] = {
    "名": "人",
    "位": "人",
    "千克": "公斤",
    "只": "个",
    "枚": "个",
    "百分点": "个百分点",
}

GT = {"余", "多", "超", "超过", "逾", "以上", "上", "有余"}
LT = {"近", "将近", "接近", "不足", "不到", "以下", "以内"}
APPROX = {"约", "大约", "左右"}
PREFIX_QUALIFIERS = ("超过", "将近", "接近", "不足", "不到", "大约", "近", "约", "超", "逾")
SUFFIX_QUALIFIERS = ("以上", "以下", "以内", "左右", "有余")
# Chars before a prefix qualifier that make it part of another word (最近3天, 签约12个).
PREFIX_QUALIFIER_BLOCKERS = {
    "近": set("最附就远新临邻将接"),
    "约": set("签合预节集公制特邀履违条协契相大"),
    "超": set("赶高商"),
}

CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUM_CHARS = CN_DIGITS + "十百千万亿"
CN_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}

DAY_PARTS = ("上午", "下午", "晚上", "早上", "凌晨", "中午", "傍晚", "夜间", "早晨", "晚间")
# 时间/时候/时期...: 时 starting a word is not a clock hour.
NOT_HOUR_AFTER = set("间候期段代刻节效速长")


def canon_unit(unit: str) -> str:
    return UNIT_CANON.get(unit, unit)
