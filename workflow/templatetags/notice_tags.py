from django import template

register = template.Library()

DIGITS = "零一二三四五六七八九"


@register.filter
def cn_num(value):
    """1–999 in Chinese numerals as printed in legal text (15 → 十五, 60 → 六十, 90 → 九十)."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return value
    if not 0 < n < 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    text = f"{DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    if ones:
        text += DIGITS[ones]
    return text
