import pytest

from assist.core.text import decode_bytes, looks_binary, normalize, simplify_aligned
from assist.errors import KnowledgeError

SAMPLE = "停息挂账不是法定权利，协商还款请直接联系贷款机构。"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig", "utf-16"])
def test_decodes_common_chinese_encodings(encoding):
    text, used = decode_bytes(SAMPLE.encode(encoding))
    assert text.lstrip("\ufeff") == SAMPLE


def test_gb18030_only_characters_survive():
    s = "𠀀字与㐀字"  # outside GBK, inside GB18030
    text, used = decode_bytes(s.encode("gb18030"))
    assert text == s and used == "gb18030"


TRADITIONAL = "授權委託書：本人陳大文，現委託兒子陳志明代為辦理本人在貴公司借款的還款協商事宜，委託期限半年。"


@pytest.mark.parametrize("encoding", ["big5", "big5hkscs", "gbk", "utf-8"])
def test_traditional_text_reads_in_the_encodings_it_is_saved_in(encoding):
    # Big5 bytes also decode as GB18030 (into kana and symbols): they must be read as Big5
    assert decode_bytes(TRADITIONAL.encode(encoding))[0] == TRADITIONAL


def test_simplify_aligned_keeps_every_offset():
    for written, simple in [(TRADITIONAL, None), ("衞生院（章）", "卫生院（章）"), ("已经是简体", "已经是简体")]:
        out = simplify_aligned(written)
        assert len(out) == len(written) and (simple is None or out == simple)
    assert simplify_aligned(TRADITIONAL).startswith("授权委托书：本人陈大文")


def test_binary_is_refused_with_the_path():
    data = bytes(range(256)) * 20
    assert looks_binary(data)
    with pytest.raises(KnowledgeError) as exc:
        decode_bytes(data, "x.txt")
    assert "binary" in exc.value.message and exc.value.path == "x.txt"


def test_normalize_full_width_and_traditional():
    assert normalize("ＡＢＣ１２３７８，請問徵信") == "abc12378,请问征信"
    assert normalize("  多个   空格\n换行 ") == "多个 空格 换行"
