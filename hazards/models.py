import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
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
        indexes = [models.Index(fields=["office", "state"]), models.Index(fields=["enterprise", "state"]),
                   models.Index(fields=["-created_at", "-id"], name="inspection_newest_first")]
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
        indexes = [models.Index(fields=["state", "deadline"]), models.Index(fields=["deadline", "id"])]
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

    @cached_property
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


class PlanProcess(Process):
    """Approval of one governance plan, beside the case's own flow so general items need not wait for it."""

    plan = models.OneToOneField(GovernancePlan, verbose_name=_("隐患治理方案"), on_delete=models.PROTECT,
                                related_name="process")

    class Meta:
        verbose_name = _("治理方案审批流程")
        verbose_name_plural = _("治理方案审批流程")

    @cached_property
    def summary_text(self):
        hazard = self.plan.hazard
        return _("%(enterprise)s · 重大隐患 %(n)d 治理方案（治理时限 %(date)s）") % {
            "enterprise": hazard.inspection.enterprise.name, "n": hazard.number,
            "date": self.plan.time_limit.strftime("%Y-%m-%d")}


class ExtensionProcess(Process):
    extension_request = models.OneToOneField(ExtensionRequest, verbose_name=_("延期申请"), on_delete=models.PROTECT,
                                             related_name="process")

    class Meta:
        verbose_name = _("整改延期流程")
        verbose_name_plural = _("整改延期流程")

    @cached_property
    def summary_text(self):
        request = self.extension_request
        hazard = request.hazard
        return _("%(enterprise)s · 隐患 %(n)d 申请延期至 %(date)s") % {
            "enterprise": hazard.inspection.enterprise.name, "n": hazard.number,
            "date": request.requested_deadline.strftime("%Y-%m-%d")}


# --- administrative penalty (行政处罚) ---------------------------------------------------------------------

class LegalProvision(models.Model):
    """A provision the park enforces, with the fines and measures it allows (editable by the legal office)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    title = models.CharField(_("条款"), max_length=80)
    violation = models.CharField(_("违法行为"), max_length=300)
    penalty_text = models.CharField(_("处罚规定"), max_length=400)
    org_fine_min = models.PositiveIntegerField(_("对单位罚款下限（元）"), default=0)
    org_fine_max = models.PositiveIntegerField(_("对单位罚款上限（元）"), default=0)
    person_fine_min = models.PositiveIntegerField(_("对责任人员罚款下限（元）"), default=0)
    person_fine_max = models.PositiveIntegerField(_("对责任人员罚款上限（元）"), default=0)
    allows_suspension = models.BooleanField(_("可责令停产停业整顿"), default=False)
    daily_fine = models.BooleanField(_("按日连续处罚"), default=False)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("处罚依据")
        verbose_name_plural = _("处罚依据")

    def __str__(self):
        return f"{self.title}（{self.violation[:30]}）"


class PenaltyPolicy(models.Model):
    """Thresholds the committee sets: hearing rights, legal review, deliberation, repeat offenders (one row)."""

    hearing_org_fine = models.PositiveIntegerField(_("听证：对单位罚款达到（元）"), default=50000)
    hearing_person_fine = models.PositiveIntegerField(_("听证：对个人罚款达到（元）"), default=20000)
    major_org_fine = models.PositiveIntegerField(_("重大决定：对单位罚款达到（元）"), default=100000)
    blacklist_count = models.PositiveSmallIntegerField(_("列入黑名单：处罚次数"), default=2)
    blacklist_days = models.PositiveSmallIntegerField(_("列入黑名单：统计天数"), default=365)
    closure_count_short = models.PositiveSmallIntegerField(_("提请关闭：短期处罚次数"), default=3)
    closure_days_short = models.PositiveSmallIntegerField(_("提请关闭：短期天数"), default=180)
    closure_count_long = models.PositiveSmallIntegerField(_("提请关闭：一年处罚次数"), default=4)
    closure_days_long = models.PositiveSmallIntegerField(_("提请关闭：一年天数"), default=365)
    late_fee_percent_per_day = models.PositiveSmallIntegerField(_("加处罚款（每日百分比）"), default=3)

    class Meta:
        verbose_name = _("处罚规则")
        verbose_name_plural = _("处罚规则")

    def __str__(self):
        return str(_("处罚规则"))

    @classmethod
    def current(cls):
        return cls.objects.order_by("id").first() or cls()


class PenaltyState(models.TextChoices):
    PROPOSED = "proposed", _("待立案")
    FILED = "filed", _("已立案")
    INVESTIGATING = "investigating", _("调查取证")
    NOTIFIED = "notified", _("已告知")
    HEARING = "hearing", _("听证")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    DELIBERATION = "deliberation", _("集体讨论")
    AWAITING_DECISION = "awaiting_decision", _("待作出决定")
    DECIDED = "decided", _("已决定")
    SERVED = "served", _("已送达")
    EXECUTING = "executing", _("执行中")
    CLOSED = "closed", _("已结案")
    DROPPED = "dropped", _("已终止")


class PenaltyOrigin(models.TextChoices):
    REINSPECTION_FAILED = "reinspection_failed", _("复查不合格")
    OVERDUE = "overdue", _("逾期未整改")
    INSPECTION_FINDING = "inspection_finding", _("检查发现")
    MANUAL = "manual", _("其他来源")


class DropKind(models.TextChoices):
    NOT_FILED = "not_filed", _("不予立案")
    REVOKED = "revoked", _("撤销立案")
    NO_PENALTY = "no_penalty", _("不予处罚")


class ServiceMethod(models.TextChoices):
    IN_PERSON = "in_person", _("直接送达")
    LEFT = "left", _("留置送达")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达（经当事人同意）")


class PenaltyCase(ConcurrentTransitionMixin, models.Model):
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("当事人"), on_delete=models.PROTECT,
                                   related_name="penalty_cases")
    office = models.ForeignKey("workflow.Office", verbose_name=_("承办部室"), on_delete=models.PROTECT,
                               related_name="penalty_cases")
    inspection = models.ForeignKey(Inspection, verbose_name=_("来源检查"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="penalty_cases")
    hazard = models.ForeignKey(Hazard, verbose_name=_("来源隐患"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="penalty_cases")
    origin = models.CharField(_("案件来源"), max_length=30, choices=PenaltyOrigin.choices)
    cause = models.CharField(_("案由"), max_length=200)
    facts = models.TextField(_("违法事实"), blank=True)
    evidence = models.TextField(_("证据"), blank=True)
    provision = models.ForeignKey(LegalProvision, verbose_name=_("处罚依据"), on_delete=models.PROTECT, null=True,
                                  blank=True)
    responsible_person = models.CharField(_("直接负责的主管人员"), max_length=30, blank=True)
    complex_case = models.BooleanField(_("情节复杂"), default=False)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("承办人员"), related_name="+")
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    decision_due = models.DateField(_("决定期限"), null=True, blank=True)
    extension_reason = models.CharField(_("延长办案期限理由"), max_length=300, blank=True)
    # the penalty as notified (罚告) and as decided; Art. 45 forbids deciding heavier than notified
    notified_org_fine = models.PositiveIntegerField(_("告知对单位罚款（元）"), default=0)
    notified_person_fine = models.PositiveIntegerField(_("告知对个人罚款（元）"), default=0)
    notified_suspension = models.BooleanField(_("告知责令停产停业整顿"), default=False)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    hearing_rights = models.BooleanField(_("享有听证权利"), default=False)
    statement_due = models.DateField(_("陈述申辩期限"), null=True, blank=True)
    hearing_request_due = models.DateField(_("听证申请期限"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_place = models.CharField(_("听证地点"), max_length=200, blank=True)
    hearing_scheduled_on = models.DateField(_("听证通知日期"), null=True, blank=True)
    hearing_record = models.TextField(_("听证笔录"), blank=True)
    legal_opinion = models.TextField(_("法制审核意见"), blank=True)
    legal_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+")
    deliberation_participants = models.CharField(_("集体讨论参加人"), max_length=300, blank=True)
    deliberation_on = models.DateField(_("集体讨论日期"), null=True, blank=True)
    deliberation_conclusion = models.TextField(_("集体讨论结论"), blank=True)
    decided_org_fine = models.PositiveIntegerField(_("决定对单位罚款（元）"), default=0)
    decided_person_fine = models.PositiveIntegerField(_("决定对个人罚款（元）"), default=0)
    decided_suspension = models.BooleanField(_("决定责令停产停业整顿"), default=False)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    service_method = models.CharField(_("送达方式"), max_length=20, choices=ServiceMethod.choices, blank=True)
    service_recipient = models.CharField(_("受送达人"), max_length=60, blank=True)
    service_witness = models.CharField(_("见证人"), max_length=60, blank=True)
    disclosed_on = models.DateField(_("公示日期"), null=True, blank=True)
    paid_on = models.DateField(_("缴款日期"), null=True, blank=True)
    paid_amount = models.PositiveIntegerField(_("实缴金额（元）"), default=0)
    late_fee = models.PositiveIntegerField(_("加处罚款（元）"), default=0)
    payment_receipt = models.CharField(_("缴款凭证号"), max_length=60, blank=True)
    drop_kind = models.CharField(_("终止类型"), max_length=20, choices=DropKind.choices, blank=True)
    drop_reason = models.CharField(_("终止理由"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    state = FSMField(_("状态"), default=PenaltyState.PROPOSED, choices=PenaltyState.choices, protected=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["office", "state"]), models.Index(fields=["enterprise", "state"])]
        verbose_name = _("行政处罚案件")
        verbose_name_plural = _("行政处罚案件")

    def __str__(self):
        return f"{self.enterprise} {self.cause}"

    @property
    def total_fine(self):
        return self.decided_org_fine + self.decided_person_fine

    @property
    def officer_permission(self):
        """Held only by the case's named officers (see workflow.auth), so only they can claim officer steps."""
        return f"hazards.penalty_officer_{self.pk}"

    @transition(field=state, source=PenaltyState.PROPOSED, target=PenaltyState.FILED)
    def file(self, filed_on, decision_due):
        self.filed_on, self.decision_due = filed_on, decision_due

    @transition(field=state, source=PenaltyState.FILED, target=PenaltyState.INVESTIGATING)
    def start_investigation(self):
        pass

    @transition(field=state, source=[PenaltyState.INVESTIGATING, PenaltyState.NOTIFIED], target=PenaltyState.NOTIFIED)
    def notify(self, *, org_fine, person_fine, suspension, notified_on, statement_due, hearing_rights,
               hearing_request_due):
        self.notified_org_fine, self.notified_person_fine = org_fine, person_fine
        self.notified_suspension, self.notified_on = suspension, notified_on
        self.statement_due, self.hearing_rights, self.hearing_request_due = statement_due, hearing_rights, hearing_request_due

    @transition(field=state, source=PenaltyState.NOTIFIED, target=PenaltyState.HEARING)
    def request_hearing(self):
        pass

    @transition(field=state, source=[PenaltyState.NOTIFIED, PenaltyState.HEARING], target=PenaltyState.LEGAL_REVIEW)
    def submit_for_legal_review(self):
        pass

    @transition(field=state, source=PenaltyState.LEGAL_REVIEW, target=PenaltyState.NOTIFIED)
    def return_from_legal_review(self):
        pass

    @transition(field=state, source=PenaltyState.LEGAL_REVIEW, target=PenaltyState.DELIBERATION)
    def pass_legal_review_to_deliberation(self):
        pass

    @transition(field=state, source=[PenaltyState.LEGAL_REVIEW, PenaltyState.DELIBERATION, PenaltyState.NOTIFIED],
                target=PenaltyState.AWAITING_DECISION)
    def ready_for_decision(self):
        pass

    @transition(field=state, source=PenaltyState.AWAITING_DECISION, target=PenaltyState.NOTIFIED)
    def return_for_renotification(self):
        pass

    @transition(field=state, source=PenaltyState.AWAITING_DECISION, target=PenaltyState.DECIDED)
    def decide(self, *, org_fine, person_fine, suspension, decided_on, decided_by):
        self.decided_org_fine, self.decided_person_fine, self.decided_suspension = org_fine, person_fine, suspension
        self.decided_on, self.decided_by = decided_on, decided_by

    @transition(field=state, source=PenaltyState.DECIDED, target=PenaltyState.SERVED)
    def serve(self, *, served_on, service_method, recipient, witness):
        self.served_on, self.service_method, self.service_recipient, self.service_witness = (
            served_on, service_method, recipient, witness)

    @transition(field=state, source=PenaltyState.SERVED, target=PenaltyState.EXECUTING)
    def disclose(self, disclosed_on):
        self.disclosed_on = disclosed_on

    @transition(field=state, source=PenaltyState.EXECUTING, target=PenaltyState.CLOSED)
    def close(self):
        self.closed_at = timezone.now()

    @transition(field=state, source=[PenaltyState.PROPOSED, PenaltyState.FILED, PenaltyState.INVESTIGATING,
                                     PenaltyState.AWAITING_DECISION], target=PenaltyState.DROPPED)
    def drop(self, kind, reason):
        self.drop_kind, self.drop_reason = kind, reason
        self.closed_at = timezone.now()


class PartyStatement(models.Model):
    """What the party filed: a statement and defence (陈述申辩) or a hearing request."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("陈述申辩")
        HEARING_REQUEST = "hearing_request", _("听证申请")

    case = models.ForeignKey(PenaltyCase, on_delete=models.PROTECT, related_name="statements")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("内容"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]


class BlacklistEntry(ConcurrentTransitionMixin, models.Model):
    """A listing on the blacklist (or a proposal to close under Art. 113), approved and lifted as steps."""

    class Kind(models.TextChoices):
        BLACKLIST = "blacklist", _("列入黑名单")
        CLOSURE = "closure", _("提请关闭（安全生产法第一百一十三条）")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        LISTED = "listed", _("已列入")
        REJECTED = "rejected", _("不予列入")
        DELISTED = "delisted", _("已移出")

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="blacklist")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("理由"), max_length=300)
    cases = models.ManyToManyField(PenaltyCase, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    delisted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    delisted_at = models.DateTimeField(null=True, blank=True)
    delist_reason = models.CharField(_("移出理由"), max_length=300, blank=True)
    state = FSMField(_("状态"), default=State.PROPOSED, choices=State.choices, protected=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("黑名单")
        verbose_name_plural = _("黑名单")

    def __str__(self):
        return f"{self.enterprise} · {self.get_kind_display()}"

    @transition(field=state, source=State.PROPOSED, target=State.LISTED)
    def approve(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=State.PROPOSED, target=State.REJECTED)
    def reject(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=State.LISTED, target=State.DELISTED)
    def delist(self, reason):
        self.delisted_at, self.delist_reason = timezone.now(), reason


class PenaltyProcess(Process):
    case = models.OneToOneField(PenaltyCase, verbose_name=_("处罚案件"), on_delete=models.PROTECT,
                                related_name="process")

    class Meta:
        verbose_name = _("行政处罚流程")
        verbose_name_plural = _("行政处罚流程")

    @cached_property
    def summary_text(self):
        case = self.case
        text = _("%(enterprise)s · %(cause)s · %(state)s") % {
            "enterprise": case.enterprise.name, "cause": case.cause, "state": case.get_state_display()}
        from .penalty_rules import next_deadline

        due = next_deadline(case)
        if due:
            text += _(" · %(label)s %(date)s") % {"label": due[0], "date": due[1].strftime("%Y-%m-%d")}
        return text


class BlacklistProcess(Process):
    entry = models.OneToOneField(BlacklistEntry, verbose_name=_("黑名单事项"), on_delete=models.PROTECT,
                                 related_name="process")

    class Meta:
        verbose_name = _("黑名单审批流程")
        verbose_name_plural = _("黑名单审批流程")

    @cached_property
    def summary_text(self):
        entry = self.entry
        return f"{entry.enterprise.name} · {entry.get_kind_display()} · {entry.get_state_display()}"
