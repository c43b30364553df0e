"""The legal periods, in one table a lawyer can read (LegalPeriod rows, seeded from DEFAULTS)."""

import time
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
        Period("statement_defence", _("陈述申辩期限"), 3, True, "行政处罚法 第四十五条；安全生产违法行为行政处罚办法"),
        Period("hearing_request", _("听证申请期限"), 5, True, "行政处罚法 第六十四条第（一）项"),
        Period("hearing_notice", _("听证举行前通知"), 7, True, "行政处罚法 第六十四条第（二）项"),
        Period("decision_limit", _("作出处罚决定期限（自立案之日起）"), 90, False, "行政处罚法 第六十条"),
        Period("decision_extension", _("经批准延长办案期限"), 30, False, "安全生产违法行为行政处罚办法"),
        Period("decision_warning", _("办案期限届满前提醒"), 15, False, "园区规定"),
        Period("service", _("处罚决定书送达期限"), 7, True, "行政处罚法 第六十一条"),
        Period("disclosure", _("行政处罚决定公示期限"), 7, True, "安全生产法 第七十八条"),
        Period("duty_handover", _("责任人任职不满此天数的当期履职自下期起算"), 7, False, "园区规定"),
        Period("presence", _("重点企业特殊时期责任人到场期限"), 3, True, "园区管委发〔2023〕15号 附件2第10项"),
        Period("payment", _("缴纳罚款期限（自收到决定书之日起）"), 15, False, "行政处罚法 第六十七条"),
    ]
}


_CACHE_SECONDS = 30
_cache = {"at": 0.0, "periods": {}}


def get_period(key):
    """The period in force: the table's row if present, otherwise the default (read at most every 30 s)."""
    from .models import LegalPeriod

    now = time.monotonic()
    if now - _cache["at"] > _CACHE_SECONDS:
        _cache["periods"] = {
            row.key: Period(row.key, row.name, row.days, row.working_days, row.basis)
            for row in LegalPeriod.objects.all()
        }
        _cache["at"] = now
    return _cache["periods"].get(key) or DEFAULTS[key]


def clear_cache():
    _cache["at"] = 0.0
