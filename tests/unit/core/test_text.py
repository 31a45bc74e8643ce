import pytest

from assist.core.text import decode_bytes, looks_binary, normalize
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


def test_binary_is_refused_with_the_path():
    data = bytes(range(256)) * 20
    assert looks_binary(data)
    with pytest.raises(KnowledgeError) as exc:
        decode_bytes(data, "x.txt")
    assert "binary" in exc.value.message and exc.value.path == "x.txt"


def test_normalize_full_width_and_traditional():
    assert normalize("ＡＢＣ１２３７８，請問徵信") == "abc12378,请问征信"
    assert normalize("  多个   空格\n换行 ") == "多个 空格 换行"
