"""How the explorer draws each kind of thing: colour and shape per entity label, colour and
dash per relationship type, colour per sector. One table, sent to the browser with every view
(as vis-network groups), so the page, the legend and the exports agree."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from innograph.model import SECTOR_OF, SYMMETRIC_TYPES, Label, RelType


@dataclass(frozen=True, slots=True)
class NodeStyle:
    color: str
    shape: str  # a vis-network shape
    label_zh: str  # legend text


@dataclass(frozen=True, slots=True)
class EdgeStyle:
    color: str
    dashes: bool
    arrows: bool  # False for symmetric types


# Colour-blind-safe-ish palette (Okabe-Ito plus two); shapes differ too, so the legend does
# not rest on colour alone.
NODE_STYLES: dict[str, NodeStyle] = {
    Label.ACADEMICIAN.value: NodeStyle("#D55E00", "star", "院士"),
    Label.PERSON.value: NodeStyle("#E69F00", "dot", "人物"),
    Label.INSTITUTE.value: NodeStyle("#0072B2", "square", "机构"),
    Label.FIRM.value: NodeStyle("#009E73", "diamond", "企业"),
    Label.PARK.value: NodeStyle("#56B4E9", "hexagon", "园区"),
    Label.TECHNOLOGY.value: NodeStyle("#CC79A7", "triangle", "技术"),
    Label.EVENT.value: NodeStyle("#F0E442", "triangleDown", "活动"),
    Label.ORGANIZATION.value: NodeStyle("#7F3C8D", "box", "组织"),
    Label.PLACE.value: NodeStyle("#8C8C8C", "ellipse", "地点"),
}
UNKNOWN_NODE = NodeStyle("#BBBBBB", "dot", "其他")

EDGE_STYLES: dict[str, EdgeStyle] = {
    RelType.AFFILIATED_WITH.value: EdgeStyle("#0072B2", False, True),
    RelType.COLLABORATES_WITH.value: EdgeStyle("#009E73", False, False),
    RelType.FOUNDED.value: EdgeStyle("#D55E00", False, True),
    RelType.PART_OF.value: EdgeStyle("#56B4E9", True, True),
    RelType.LOCATED_IN.value: EdgeStyle("#999999", True, True),
    RelType.FOCUSES_ON.value: EdgeStyle("#CC79A7", True, True),
    RelType.PARTICIPATED_IN.value: EdgeStyle("#E69F00", True, True),
    RelType.INVESTS_IN.value: EdgeStyle("#7F3C8D", False, True),
    RelType.SPUN_OFF_FROM.value: EdgeStyle("#B8860B", False, True),
}
UNKNOWN_EDGE = EdgeStyle("#BBBBBB", True, True)

SECTOR_COLORS: dict[str, str] = {
    "academia": "#0072B2",
    "industry": "#009E73",
    "government": "#7F3C8D",
    "": "#BBBBBB",
}
SECTORS: dict[str, str] = {label.value: sector for label, sector in SECTOR_OF.items()}

# Latin first for English names, then CJK fonts by platform (Noto/Source Han on Linux,
# PingFang/Hiragino on macOS, YaHei/JhengHei on Windows), then the generic family.
FONT_STACK = (
    '"Noto Sans", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", '
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Microsoft JhengHei", '
    '"WenQuanYi Micro Hei", "Droid Sans Fallback", sans-serif'
)


def node_style(label: str) -> NodeStyle:
    return NODE_STYLES.get(label, UNKNOWN_NODE)


def edge_style(rel_type: str) -> EdgeStyle:
    return EDGE_STYLES.get(rel_type, UNKNOWN_EDGE)


def sector(label: str) -> str:
    return SECTORS.get(label, "")


def style_table() -> dict[str, Any]:
    """What the browser needs to draw and explain a view (JSON-ready)."""
    return {
        "nodes": {k: asdict(v) for k, v in NODE_STYLES.items()},
        "edges": {
            k: {**asdict(v), "arrows": k not in {t.value for t in SYMMETRIC_TYPES}}
            for k, v in EDGE_STYLES.items()
        },
        "sectors": dict(SECTOR_COLORS),
        "font": FONT_STACK,
    }
