import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from viewflow.workflow.models import Process


class InspectionState(models.TextChoices):
    DRAFT = "draft", _("检查记录中")
    ORDER_REVIEW = "order_review", _("整改指令待审批")
    RECTIFYING = "rectifying", _("整改中")
    CLOSED = "closed", _("已销号")
    ARCHIVED = "archived", _("已归档（无需整改）")


class HazardState(models.TextChoices):
    RECORDED = "recorded", _("已登记")
    FIXED_ON_SPOT = "fixed_on_spot", _("当场整改")
    AWAITING_PLAN = "awaiting_plan", _("待提交治理方案")
    PLAN_REVIEW = "plan_review", _("治理方案待审批")
    RECTIFYING = "rectifying", _("整改中")
    PROOF_SUBMITTED = "proof_submitted", _("已提交整改佐证，待复查")
    CLOSURE_REVIEW = "closure_review", _("复查合格，待销号")
    CLOSED = "closed", _("已销号")


OPEN_HAZARD_STATES = [
    HazardState.AWAITING_PLAN, HazardState.PLAN_REVIEW, HazardState.RECTIFYING,
    HazardState.PROOF_SUBMITTED, HazardState.CLOSURE_REVIEW,
]
DONE_HAZARD_STATES = [HazardState.FIXED_ON_SPOT, HazardState.CLOSED]


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("一般事故隐患")
    MAJOR = "major", _("重大事故隐患")


class Signature(models.TextChoices):
    SIGNED = "signed", _("已签字")
    REFUSED = "refused", _("拒绝签字")


class Inspection(ConcurrentTransitionMixin, models.Model):
    """One inspection at one enterprise; its findings are the items of one rectification case."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("被检查单位"), on_delete=models.PROTECT, related_name="inspections"
    )
    office = models.ForeignKey(
        "workflow.Office", verbose_name=_("责任部室"), on_delete=models.PROTECT, related_name="inspections"
    )
    sector = models.ForeignKey("enterprises.Sector", verbose_name=_("行业领域"), on_delete=models.PROTECT)
    lead_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("主办检查人员"), on_delete=models.PROTECT, related_name="+"
    )
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), related_name="+")
    inspected_on = models.DateField(_("检查日期"), default=datetime.date.today)
    place = models.CharField(_("检查场所"), max_length=200)
    enterprise_representative = models.CharField(_("被检查单位现场负责人"), max_length=30)
    signature = models.CharField(_("签字情况"), max_length=10, choices=Signature.choices, default=Signature.SIGNED)
    refusal_note = models.CharField(_("拒签情况说明"), max_length=200, blank=True)
    summary = models.TextField(_("检查情况"), blank=True)
    state = FSMField(_("状态"), default=InspectionState.DRAFT, choices=InspectionState.choices, protected=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["office", "state"]), models.Index(fields=["enterprise", "state"])]
        verbose_name = _("检查")
        verbose_name_plural = _("检查")

    def __str__(self):
        return f"{self.enterprise} {self.inspected_on:%Y-%m-%d}"

    @transition(field=state, source=InspectionState.DRAFT, target=InspectionState.ORDER_REVIEW)
    def submit_for_order(self):
        pass

    @transition(field=state, source=InspectionState.DRAFT, target=InspectionState.ARCHIVED)
    def archive(self):
        self.closed_at = timezone.now()

    @transition(field=state, source=InspectionState.ORDER_REVIEW, target=InspectionState.RECTIFYING)
    def approve_order(self):
        pass

    @transition(field=state, source=InspectionState.ORDER_REVIEW, target=InspectionState.DRAFT)
    def return_order(self):
        pass

    @transition(field=state, source=InspectionState.RECTIFYING, target=InspectionState.CLOSED)
    def close(self):
        self.closed_at = timezone.now()


class Hazard(ConcurrentTransitionMixin, models.Model):
    inspection = models.ForeignKey(Inspection, verbose_name=_("检查"), on_delete=models.PROTECT, related_name="hazards")
    number = models.PositiveSmallIntegerField(_("序号"))
    description = models.TextField(_("隐患描述"))
    location = models.CharField(_("隐患部位"), max_length=200)
    sector = models.ForeignKey("enterprises.Sector", verbose_name=_("行业领域"), on_delete=models.PROTECT)
    level = models.CharField(_("隐患等级"), max_length=10, choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    legal_basis = models.CharField(_("依据"), max_length=300)
    measures = models.CharField(_("现场处理措施"), max_length=300, blank=True,
                                help_text=_("重大隐患：责令暂时停产停业、停止使用相关设施设备或从危险区域撤出作业人员等"))
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    deadline_provisional = models.BooleanField(_("期限待校准"), default=False)
    supervising_leader = models.ForeignKey(
        "workflow.Staff", verbose_name=_("挂牌督办领导"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = FSMField(_("状态"), default=HazardState.RECORDED, choices=HazardState.choices, protected=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)

    class Meta:
        ordering = ["inspection_id", "number"]
        constraints = [models.UniqueConstraint(fields=["inspection", "number"], name="unique_hazard_number")]
        indexes = [models.Index(fields=["state", "deadline"])]
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")

    def __str__(self):
        return f"{self.number}. {self.description[:30]}"

    @property
    def is_major(self):
        return self.level == HazardLevel.MAJOR

    @property
    def is_overdue(self):
        return (
            self.state in (HazardState.RECTIFYING, HazardState.AWAITING_PLAN)
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )

    @property
    def days_overdue(self):
        return (timezone.localdate() - self.deadline).days if self.is_overdue else 0

    @property
    def days_left(self):
        if self.deadline is None or self.state in DONE_HAZARD_STATES:
            return None
        return (self.deadline - timezone.localdate()).days

    @transition(field=state, source=HazardState.RECORDED, target=HazardState.FIXED_ON_SPOT)
    def fix_on_spot(self):
        self.closed_at = timezone.now()

    @transition(field=state, source=HazardState.RECORDED, target=HazardState.RECTIFYING)
    def order_rectification(self):
        pass

    @transition(field=state, source=HazardState.RECORDED, target=HazardState.AWAITING_PLAN)
    def order_governance_plan(self):
        pass

    @transition(field=state, source=HazardState.AWAITING_PLAN, target=HazardState.PLAN_REVIEW)
    def submit_plan(self):
        pass

    @transition(field=state, source=HazardState.PLAN_REVIEW, target=HazardState.RECTIFYING)
    def approve_plan(self):
        pass

    @transition(field=state, source=HazardState.PLAN_REVIEW, target=HazardState.AWAITING_PLAN)
    def reject_plan(self):
        pass

    @transition(field=state, source=HazardState.RECTIFYING, target=HazardState.PROOF_SUBMITTED)
    def submit_proof(self):
        pass

    @transition(field=state, source=[HazardState.RECTIFYING, HazardState.AWAITING_PLAN], target=HazardState.RECTIFYING)
    def extend_deadline(self, new_deadline):
        self.deadline = new_deadline
        self.deadline_provisional = False

    @transition(field=state, source=[HazardState.PROOF_SUBMITTED, HazardState.RECTIFYING],
                target=HazardState.CLOSURE_REVIEW)
    def pass_reinspection(self):
        pass

    @transition(field=state, source=[HazardState.PROOF_SUBMITTED, HazardState.RECTIFYING],
                target=HazardState.RECTIFYING)
    def fail_reinspection(self, new_deadline, provisional):
        self.deadline = new_deadline
        self.deadline_provisional = provisional

    @transition(field=state, source=HazardState.CLOSURE_REVIEW, target=HazardState.CLOSED)
    def approve_closure(self):
        self.closed_at = timezone.now()

    @transition(field=state, source=HazardState.CLOSURE_REVIEW, target=HazardState.PROOF_SUBMITTED)
    def reject_closure(self):
        pass


class Attachment(models.Model):
    """A photo or PDF: evidence of a finding, of an on-the-spot fix, of rectification, or of a plan."""

    class Purpose(models.TextChoices):
        FINDING = "finding", _("隐患照片")
        ON_SPOT_FIX = "on_spot_fix", _("当场整改照片")
        PROOF = "proof", _("整改佐证")
        PLAN = "plan", _("治理方案附件")

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="attachments")
    proof = models.ForeignKey("RectificationProof", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="attachments")
    purpose = models.CharField(_("用途"), max_length=20, choices=Purpose.choices)
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class RectificationProof(models.Model):
    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="proofs")
    report = models.TextField(_("整改情况报告"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("整改佐证")
        verbose_name_plural = _("整改佐证")


class GovernancePlan(models.Model):
    """隐患治理方案 with its six elements (安全生产事故隐患排查治理暂行规定 第十五条)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已退回")

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="plans")
    goal_and_tasks = models.TextField(_("治理的目标和任务"))
    methods_and_measures = models.TextField(_("采取的方法和措施"))
    funds_and_materials = models.TextField(_("经费和物资的落实"))
    organisation_and_people = models.TextField(_("负责治理的机构和人员"))
    time_limit = models.DateField(_("治理的时限"))
    safety_and_emergency = models.TextField(_("安全措施和应急预案"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(_("审批结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.CharField(_("审批意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("隐患治理方案")
        verbose_name_plural = _("隐患治理方案")


class ExtensionRequest(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REJECTED = "rejected", _("不同意")

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="extension_requests")
    current_deadline = models.DateField(_("原整改期限"))
    requested_deadline = models.DateField(_("申请延期至"))
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(_("审批结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.CharField(_("审批意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self):
        return _("隐患 %(n)d 延期至 %(d)s") % {"n": self.hazard.number, "d": self.requested_deadline}


class Reinspection(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="reinspections")
    round = models.PositiveSmallIntegerField(_("轮次"))
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    performed_on = models.DateField(_("复查日期"), default=datetime.date.today)
    notes = models.TextField(_("复查情况"), blank=True)

    class Meta:
        ordering = ["round"]
        constraints = [models.UniqueConstraint(fields=["inspection", "round"], name="unique_reinspection_round")]
        verbose_name = _("复查")
        verbose_name_plural = _("复查")


class ReinspectionResult(models.Model):
    reinspection = models.ForeignKey(Reinspection, on_delete=models.PROTECT, related_name="results")
    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="reinspection_results")
    passed = models.BooleanField(_("是否合格"))
    comment = models.CharField(_("复查意见"), max_length=300, blank=True)
    new_deadline = models.DateField(_("重新整改期限"), null=True, blank=True)

    class Meta:
        ordering = ["hazard__number"]


class ClosureDecision(models.Model):
    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="closure_decisions")
    approved = models.BooleanField(_("是否同意销号"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    comment = models.CharField(_("意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]


class RectificationProcess(Process):
    """The viewflow process routing one inspection's case; it holds no status of its own."""

    inspection = models.OneToOneField(Inspection, verbose_name=_("检查"), on_delete=models.PROTECT,
                                      related_name="process")

    class Meta:
        verbose_name = _("隐患整改流程")
        verbose_name_plural = _("隐患整改流程")

    @property
    def summary_text(self):
        """One line for inbox, queue and archive rows; overdue items stand out."""
        inspection = self.inspection
        hazards = list(inspection.hazards.all())
        text = _("%(enterprise)s · %(office)s · %(count)d 项隐患") % {
            "enterprise": inspection.enterprise.name, "office": inspection.office.name, "count": len(hazards)}
        overdue = sum(h.is_overdue for h in hazards)
        if overdue:
            text += _(" · ⚠ 逾期 %(n)d 项") % {"n": overdue}
        if any(h.is_major for h in hazards):
            text += _(" · 重大隐患")
        return text


class ExtensionProcess(Process):
    extension_request = models.OneToOneField(ExtensionRequest, verbose_name=_("延期申请"), on_delete=models.PROTECT,
                                             related_name="process")

    class Meta:
        verbose_name = _("整改延期流程")
        verbose_name_plural = _("整改延期流程")

    @property
    def summary_text(self):
        request = self.extension_request
        hazard = request.hazard
        return _("%(enterprise)s · 隐患 %(n)d 申请延期至 %(date)s") % {
            "enterprise": hazard.inspection.enterprise.name, "n": hazard.number,
            "date": request.requested_deadline.strftime("%Y-%m-%d")}
