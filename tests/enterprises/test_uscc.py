import pytest
from django.core.exceptions import ValidationError

from enterprises.validators import uscc_check_character, validate_uscc


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91500114MA5U7K3L0G", "91110000600037341L"])
def test_it_accepts_codes_with_the_right_check_character(code):
    validate_uscc(code)


@pytest.mark.parametrize("code,message", [
    ("91500114MA5U7K3L0H", "校验位错误：应为 G"),
    ("91500114MA5U7K3L0", "应为18位"),
    ("91500114MA5U7K3LOG", "不允许的字符：O"),
    ("", "应为18位"),
])
def test_it_refuses_bad_codes_with_a_chinese_reason(code, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code)
    assert message in excinfo.value.messages[0]


def test_the_check_character_follows_gb_32100():
    # weights 1,3,9,27,... mod 31 over the 31-character alphabet
    assert uscc_check_character("91350100M000100Y4") == "3"
