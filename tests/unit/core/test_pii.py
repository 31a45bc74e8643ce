import pytest

from assist.core.pii import find, luhn, mask, mask_for_storage, valid_id_card
from testkit.pii_cases import PII_SHAPES, generate, score


def test_check_digit_and_luhn_by_hand():
    assert valid_id_card("11010519491231002X")
    assert not valid_id_card("110105194912310021")          # wrong check digit
    assert not valid_id_card("110105194913310021")          # month 13
    assert luhn("4111111111111111") and not luhn("4111111111111112")


@pytest.mark.parametrize("text,kinds", [
    ("身份证11010519491231002X", ["id_card"]),
    ("身份证 110105 19491231 002x", ["id_card"]),
    ("卡号 4111-1111-1111-1112 尾号", []),                   # fails Luhn: left alone
    ("卡号4111 1111 1111 1111", ["bank_card"]),
    ("电话+86 138-0013-8000", ["phone"]),
    ("电话0086 13800138000或86-13912345678", ["phone", "phone"]),
    ("１３８００１３８０００", ["phone"]),
    ("打12378投诉，或拨95588，逾期金额12,345.67元，2025-11-25前还", []),
    ("订单20251125000012345678", []),
    ("手机13800138000 卡号4111111111111111", ["phone", "bank_card"]),
    ("验证码 123456", []),
])
def test_find_types(text, kinds):
    assert [s.type for s in find(text)] == kinds


def test_mask_keeps_everything_else():
    assert mask("王先生，手机138 0013 8000，欠款3,000元。") == "王先生，手机【手机号】，欠款3,000元。"


def test_generated_set_precision_and_recall():
    res = score(find, generate(1500, seed=11))
    for t, m in res.items():
        assert m["precision"] >= 0.99 and m["recall"] >= 0.99, (t, m)


def test_storage_masking_also_hides_long_digit_runs_that_fail_the_checks():
    typo = "110101199003074478"       # an 身份证号 with a wrong check digit is still personal data
    assert mask_for_storage(f"身份证{typo}，订单号 2025 1125 0000") == "身份证【数字】，订单号 【数字】"
    assert mask_for_storage("欠款3000元") == "欠款3000元"


@pytest.mark.parametrize("name,text,raws", PII_SHAPES, ids=[s[0] for s in PII_SHAPES])
def test_every_shape_is_masked_for_storage(name, text, raws):
    masked = mask_for_storage(text)
    for raw in raws:
        assert raw not in masked, name
    assert "【" in masked


@pytest.mark.parametrize("text,kinds", [
    ("tel15697880932", ["phone"]),
    ("证件ID110101199003074477已核对", ["id_card"]),
    ("我手机是幺五六九七八八零九三二", ["phone"]),
    ("电话 156.9788.0932 找我", ["phone"]),
    ("2025.11.25 13800138000", ["phone"]),                    # a date beside a number is not part of it
    ("电话13800138000.身份证110101199003074477", ["phone", "id_card"]),
    ("第一13800138000", ["phone"]),
    ("13800138000xyz", ["phone"]),
    ("一万二千三百元，二〇二五年十一月", []),                   # amounts and dates in Chinese numerals
    ("合同HT1069002082，借款46000元", []),
])
def test_new_shapes_are_found_and_look_alikes_left(text, kinds):
    assert [s.type for s in find(text)] == kinds


def test_json_values_are_masked_wherever_they_sit():
    from assist.core.pii import mask_value

    v = mask_value({"id": "c1", "turns": [{"text": "电话13800138000"}], "n": 13800138000, "t": 12.5, "k": 3})
    assert v == {"id": "c1", "turns": [{"text": "电话【手机号】"}], "n": "【手机号】", "t": 12.5, "k": 3}
