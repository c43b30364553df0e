import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class Office(models.Model):
    """A department of the park committee (部、办、中心)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    abbreviation = models.CharField(_("文号简称"), max_length=4, help_text=_("文号中的部室简称，如“安”"))
    is_legal_office = models.BooleanField(_("法制审核部室"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("部室")
        verbose_name_plural = _("部室")

    def __str__(self):
        return self.name

    @property
    def member_permission(self):
        return f"workflow.office_{self.pk}"

    @property
    def head_permission(self):
        return f"workflow.office_head_{self.pk}"

    @property
    def leader_permission(self):
        return f"workflow.leader_{self.pk}"


class Staff(models.Model):
    """A committee member who works in the system: inspector, office head, leader or legal reviewer."""

    class LeaderRole(models.TextChoices):
        NONE = "", _("非领导")
        PRINCIPAL = "principal", _("主要负责人")
        SAFETY = "safety", _("分管安全生产负责人")
        OTHER = "other", _("其他分管负责人")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    full_name = models.CharField(_("姓名"), max_length=30)
    office = models.ForeignKey(
        Office, verbose_name=_("所在部室"), on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    is_office_head = models.BooleanField(_("部室负责人"), default=False)
    leader_role = models.CharField(_("领导职务"), max_length=10, choices=LeaderRole.choices, blank=True, default="")
    portfolio = models.ManyToManyField(
        Office, verbose_name=_("分管部室"), blank=True, related_name="leaders_in_charge"
    )
    badge_number = models.CharField(_("执法证号"), max_length=30, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self):
        return self.full_name


class Holiday(models.Model):
    """Overrides and extends chinese-calendar: a holiday, or a 调休 working day."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"), help_text=_("调休上班日勾选；法定节假日不勾选"))
    name = models.CharField(_("说明"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")

    def __str__(self):
        return f"{self.date} {self.name}"


class LegalPeriod(models.Model):
    """One legal period, readable and changeable by the legal office."""

    key = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    days = models.PositiveSmallIntegerField(_("天数"))
    working_days = models.BooleanField(_("按工作日计算"), default=True)
    basis = models.CharField(_("法律依据"), max_length=120, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("法定期限")
        verbose_name_plural = _("法定期限")

    def __str__(self):
        unit = _("个工作日") if self.working_days else _("日")
        return f"{self.name}：{self.days}{unit}"


class NoticeKind(models.TextChoices):
    INSPECTION_RECORD = "inspection_record", _("现场检查记录")
    RECTIFICATION_ORDER = "rectification_order", _("责令限期整改指令书")
    ONSITE_MEASURES = "onsite_measures", _("现场处理措施决定书")
    REINSPECTION_OPINION = "reinspection_opinion", _("整改复查意见书")
    CLOSURE_APPROVAL = "closure_approval", _("隐患整改销号审批表")
    CASE_FILING = "case_filing", _("立案审批表")
    PENALTY_NOTIFICATION = "penalty_notification", _("行政处罚告知书")
    HEARING_NOTIFICATION = "hearing_notification", _("听证告知书")
    PENALTY_DECISION = "penalty_decision", _("行政处罚决定书")
    SERVICE_RECEIPT = "service_receipt", _("送达回执")
    CASE_CLOSING = "case_closing", _("结案审批表")
    LISTING_BOARD = "listing_board", _("三个责任人公示牌")


# Kind code inside the notice number (正阳园安责改〔2026〕3号).
NOTICE_KIND_CODES = {
    NoticeKind.INSPECTION_RECORD: "检记",
    NoticeKind.RECTIFICATION_ORDER: "责改",
    NoticeKind.ONSITE_MEASURES: "现决",
    NoticeKind.REINSPECTION_OPINION: "复查",
    NoticeKind.CLOSURE_APPROVAL: "销号审批",
    NoticeKind.CASE_FILING: "立",
    NoticeKind.PENALTY_NOTIFICATION: "罚告",
    NoticeKind.HEARING_NOTIFICATION: "听告",
    NoticeKind.PENALTY_DECISION: "罚",
    NoticeKind.SERVICE_RECEIPT: "送",
    NoticeKind.CASE_CLOSING: "结",
    NoticeKind.LISTING_BOARD: "公示",
}


class NoticeSequence(models.Model):
    """Last serial used per issuing office, kind and year; incremented under a row lock."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT)
    kind = models.CharField(max_length=40, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "kind", "year"], name="unique_notice_sequence")]


class Notice(models.Model):
    """An issued, numbered enforcement document; its PDF is rendered once from the snapshot taken at issue."""

    kind = models.CharField(_("文书种类"), max_length=40, choices=NoticeKind.choices)
    office = models.ForeignKey(Office, verbose_name=_("制发部室"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=60, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="notices"
    )
    inspection = models.ForeignKey(
        "hazards.Inspection", verbose_name=_("检查"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="notices",
    )
    penalty_case = models.ForeignKey(
        "hazards.PenaltyCase", verbose_name=_("处罚案件"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="notices",
    )
    issued_at = models.DateTimeField(_("制发时间"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    context = models.JSONField(_("文书内容"), default=dict, encoder=DjangoJSONEncoder)
    verify_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pdf = models.FileField(_("PDF"), upload_to="notices/%Y/", blank=True)
    sha256 = models.CharField(_("指纹"), max_length=64, blank=True)
    page_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "kind", "year", "serial"], name="unique_notice_serial"),
        ]
        indexes = [models.Index(fields=["enterprise", "kind"])]
        verbose_name = _("文书")
        verbose_name_plural = _("文书")

    def __str__(self):
        return self.number

    @property
    def kind_label(self):
        return NoticeKind(self.kind).label


class AuditEntry(models.Model):
    """Append-only record of every step (执法全过程记录); each row carries the previous row's hash."""

    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=60, blank=True)
    action = models.CharField(_("动作"), max_length=60)
    target_type = models.CharField(_("对象类型"), max_length=60)
    target_id = models.CharField(_("对象编号"), max_length=40)
    inspection_id = models.BigIntegerField(_("检查编号"), null=True, blank=True, db_index=True)
    penalty_case_id = models.BigIntegerField(_("处罚案件编号"), null=True, blank=True, db_index=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    data = models.JSONField(_("数据"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("执法全过程记录")
        verbose_name_plural = _("执法全过程记录")

    def __str__(self):
        return f"{self.id} {self.action}"


class AuditHead(models.Model):
    """Single row holding the chain's tip; locked while appending so rows chain in commit order."""

    last_entry_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)


class LoginFailure(models.Model):
    """A failed login, for throttling across every server process."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=45, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
