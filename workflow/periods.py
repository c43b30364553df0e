"""The legal periods, in one table a lawyer can read (LegalPeriod rows, seeded from DEFAULTS)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Period:
    key: str
    name: str
    days: int
    working_days: bool
    basis: str


DEFAULTS = {
    p.key: p
    for p in [
        Period("reinspection", _("收到整改报告或整改期限届满后复查"), 10, True, "安全生产事故隐患排查治理暂行规定 第二十二条"),
        Period("resumption_review", _("重大隐患恢复生产申请审查"), 10, True, "安全生产事故隐患排查治理暂行规定 第二十三条"),
        Period("new_deadline_after_failed", _("复查不合格后重新责令整改期限"), 10, True, "安全生产法 第一百零二条"),
        Period("default_rectification", _("一般隐患默认整改期限"), 10, True, "安全生产法 第六十五条"),
        Period("extension_notice", _("延期申请须在期限届满前提出"), 1, True, "行政强制法 第六十九条"),
        Period("closure_review", _("销号审批"), 5, True, "园区规定"),
    ]
}


def get_period(key):
    """The period in force: the table's row if present, otherwise the default."""
    from .models import LegalPeriod

    row = LegalPeriod.objects.filter(key=key).first()
    if row:
        return Period(row.key, row.name, row.days, row.working_days, row.basis)
    return DEFAULTS[key]
