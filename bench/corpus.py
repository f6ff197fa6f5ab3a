"""A generated news-style corpus for ingest benchmarks: Chinese and English documents made from
templates with a fixed seed, with many distinct academicians, institutes, firms, parks,
technologies and events, so extraction, resolution and writes all do real work."""

from __future__ import annotations

import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建华晓明志强海燕丽娟文博思远国栋子涵雨轩嘉怡振宇俊杰明辉秀英桂兰玉梅德胜永福春生"
CITIES = [
    "上海",
    "北京",
    "深圳",
    "杭州",
    "苏州",
    "合肥",
    "南京",
    "武汉",
    "成都",
    "西安",
    "广州",
    "天津",
]
FIELDS = [
    "人工智能",
    "集成电路",
    "生物医药",
    "新材料",
    "量子计算",
    "高端装备",
    "新能源汽车",
    "区块链",
    "云计算",
    "大数据",
    "机器人",
    "航空航天",
    "基因编辑",
    "储能技术",
    "智能制造",
]
INST_HEADS = [
    "先进技术",
    "智能计算",
    "生命科学",
    "材料科学",
    "微电子",
    "能源研究",
    "数据科学",
    "精密仪器",
]
INST_KINDS = ["研究院", "研究所", "实验室", "创新中心"]
FIRM_HEADS = [
    "华芯",
    "星河",
    "锐新",
    "智源",
    "海川",
    "天衡",
    "博远",
    "中创",
    "启明",
    "云图",
    "极光",
    "拓维",
]
FIRM_KINDS = ["科技有限公司", "生物科技有限公司", "智能科技股份有限公司", "集团"]
PARKS = ["张江科学城", "中关村科技园", "苏州工业园区", "合肥高新区", "光谷科创走廊", "南山科技园"]
EVENTS = [
    "世界人工智能大会",
    "浦江创新论坛",
    "中关村论坛",
    "长三角科技创新峰会",
    "全球硬科技创新大会",
]
UNIS = [
    "复旦大学",
    "清华大学",
    "浙江大学",
    "南京大学",
    "武汉大学",
    "中山大学",
    "同济大学",
    "四川大学",
]
ACADEMIES = ["中国科学院", "中国工程院"]
EN_FIRST = ["Anna", "James", "Maria", "David", "Elena", "Peter", "Sofia", "Lucas", "Irina", "Tom"]
EN_LAST = [
    "Smith",
    "Ivanov",
    "Garcia",
    "Brown",
    "Novak",
    "Keller",
    "Rossi",
    "Hughes",
    "Berg",
    "Clark",
]
EN_ORGS = ["Institute of Advanced Materials", "Centre for Quantum Technology", "Bio Innovation Lab"]
EN_FIRMS = [
    "Nova Robotics Ltd",
    "Helix Therapeutics Inc",
    "Quantum Leap Systems Ltd",
    "Orbit Semiconductors Inc",
]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN[::2]) + rng.choice(GIVEN[1::2])


def _institute(rng: random.Random) -> str:
    return rng.choice(CITIES) + rng.choice(INST_HEADS) + rng.choice(INST_KINDS)


def _firm(rng: random.Random) -> str:
    return rng.choice(CITIES) + rng.choice(FIRM_HEADS) + rng.choice(FIRM_KINDS)


def zh_document(rng: random.Random) -> str:
    a, b, c = _person(rng), _person(rng), _person(rng)
    inst, firm, firm2 = _institute(rng), _firm(rng), _firm(rng)
    uni, academy, park, event = (
        rng.choice(UNIS),
        rng.choice(ACADEMIES),
        rng.choice(PARKS),
        rng.choice(EVENTS),
    )
    f1, f2, f3 = rng.sample(FIELDS, 3)
    city = rng.choice(CITIES)
    sentences = [
        f"{academy}院士{a}出席了在{city}举行的{event}。",
        f"{inst}院长{b}表示,该院将与{firm}签署战略合作协议,共建联合实验室。",
        f"{firm}位于{park},专注于{f1}、{f2}和{f3}等领域的研发。",
        f"{firm2}由{uni}教授{c}创办,近日获得{firm}领投的新一轮融资。",
        f"{inst}与{uni}共同承担了国家重点研发计划项目,推动{f1}成果转化。",
        f"据悉,{firm2}已入驻{park},并参加了{event}。",
        f"{a}院士指出,{city}在{f2}领域具有良好的产业基础和应用场景。",
    ]
    rng.shuffle(sentences)
    title = f"{inst}与{firm}深化合作"
    return title + "\n" + "".join(sentences)


def en_document(rng: random.Random) -> str:
    p1 = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
    p2 = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
    org, firm = rng.choice(EN_ORGS), rng.choice(EN_FIRMS)
    return (
        f"{firm} signed a cooperation agreement with the {org} on Monday. "
        f"Professor {p1}, director of the {org}, said the partners will build a joint laboratory "
        f"for artificial intelligence and new materials. {firm} was founded by Dr. {p2} in 2019 "
        f"and is located in Zhangjiang Science City. The company attended the World Artificial "
        f"Intelligence Conference in Shanghai."
    )


def generate(n_docs: int, seed: int = 7, english_share: float = 0.2) -> list[tuple[str, str]]:
    """(name, text) pairs; deterministic for a given seed."""
    rng = random.Random(seed)
    docs = []
    for i in range(n_docs):
        if rng.random() < english_share:
            docs.append((f"gen_{i:06d}.txt", en_document(rng)))
        else:
            docs.append((f"gen_{i:06d}.txt", zh_document(rng)))
    return docs
