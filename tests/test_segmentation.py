"""The Chinese tokenizer must give exactly the tokens of spaCy's stock jieba tokenizer: every
rule downstream reads them, so a faster segmentation is only allowed if nothing moves."""

from __future__ import annotations

import random

import jieba
import pytest
import spacy
from spacy.util import get_words_and_spaces

from innograph.ingest.components import document
from innograph.ingest.components.document import JiebaTokenizer, words_and_spaces

SENTENCES = [
    "该基地依托G60科创走廊，与卡尤迪生物科技(北京)有限公司开展合作。",
    "星河量子研究院与澜舟芯片有限公司签署协议，共建联合实验室。",
    "2023-07-15，林远航教授在e-mail中提到C++和AT&T的co-founder。",
    "增长率达到7.90M，约12.5%，型号为hq-9与f-15e，网址ms.example.cn。",
    "第一行\n\n第二行  两个空格\r\n第三行\t制表 end",
    "  开头有空格，结尾也有  ",
    "Northwind Labs spun off a start-up (lithium-ion cells) in 2019.",
    "溦澔璟钰珩旸等生僻字组成的名字出现在句中。",
    "",
    " ",
    "孙悟空与猪八戒一同来到花果山水帘洞。",
]


@pytest.fixture(scope="module")
def stock() -> spacy.language.Language:
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def _fuzz(n: int) -> list[str]:
    rnd = random.Random(7)
    han = "".join(SENTENCES).replace(" ", "")
    pool = list(han) + list("abcXYZ0123456789.-+#&_% \n\t") * 4 + ["\r\n", "C++", "c#", "1.5%"]
    return ["".join(rnd.choice(pool) for _ in range(rnd.randint(1, 40))) for _ in range(n)]


@pytest.mark.parametrize("text", SENTENCES)
def test_tokens_match_spacys_jieba_tokenizer(stock: spacy.language.Language, text: str) -> None:
    ours = JiebaTokenizer(stock.vocab)(text)
    theirs = stock.make_doc(text)
    assert [(t.text, t.whitespace_) for t in ours] == [(t.text, t.whitespace_) for t in theirs]


def test_segmentation_matches_jieba_on_mixed_text() -> None:
    for text in [*SENTENCES, *_fuzz(3000)]:
        assert document.segmenter()(text) == list(jieba.cut(text, cut_all=False)), text


@pytest.mark.skipif(document.rjieba is None, reason="rjieba not installed")
def test_rjieba_path_equals_plain_jieba() -> None:
    for text in [*SENTENCES, *_fuzz(3000)]:
        assert document._rjieba_cut(text) == document._jieba_cut(text), text


def test_words_and_spaces_equals_spacy() -> None:
    for text in [*SENTENCES, *_fuzz(500)]:
        words = [w for w in jieba.cut(text) if w]
        assert words_and_spaces(words, text) == get_words_and_spaces(words, text), text
