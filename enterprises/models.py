from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from viewflow.workflow.models import Process

from .validators import validate_uscc


class Sector(models.Model):
    """An industry sector (行业领域) and the office that regulates it, for routing."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    office = models.ForeignKey(
        "workflow.Office", verbose_name=_("责任部室"), on_delete=models.PROTECT, related_name="sectors"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("行业领域")
        verbose_name_plural = _("行业领域")

    def __str__(self):
        return self.name


class RiskGrade(models.TextChoices):
    RED = "red", _("红色（重大风险）")
    ORANGE = "orange", _("橙色（较大风险）")
    YELLOW = "yellow", _("黄色（一般风险）")
    BLUE = "blue", _("蓝色（低风险）")


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    address = models.CharField(_("地址"), max_length=200)
    sectors = models.ManyToManyField(Sector, verbose_name=_("行业领域"), related_name="enterprises")
    employees = models.PositiveIntegerField(_("从业人员数"), default=0)
    legal_representative = models.CharField(_("法定代表人"), max_length=30)
    person_in_charge = models.CharField(_("主要负责人"), max_length=30)
    contact_person = models.CharField(_("联系人"), max_length=30, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # Kept in step with GradeAssessment and ResponsibleAssignment by the services, for cheap lists.
    risk_grade = models.CharField(_("风险等级"), max_length=10, choices=RiskGrade.choices, blank=True, default="")
    is_key_supervised = models.BooleanField(_("重点管控企业"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self):
        return self.name

    def snapshot(self):
        return {
            "name": self.name, "uscc": self.uscc, "address": self.address,
            "legal_representative": self.legal_representative, "person_in_charge": self.person_in_charge,
            "contact_person": self.contact_person, "contact_phone": self.contact_phone,
        }


class EnterpriseUser(models.Model):
    """Links a login to exactly one enterprise."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_account")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="users")
    full_name = models.CharField(_("姓名"), max_length=30)
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("企业用户")
        verbose_name_plural = _("企业用户")

    def __str__(self):
        return f"{self.full_name}（{self.enterprise}）"


class GradeCadence(models.Model):
    """What a risk grade means for inspections; set by the committee (the seed fixes no numbers)."""

    grade = models.CharField(_("风险等级"), max_length=10, choices=RiskGrade.choices, unique=True)
    interval_months = models.PositiveSmallIntegerField(_("检查间隔（月）"), help_text=_("每隔几个月安排一次监督检查"))
    yearly_cap = models.PositiveSmallIntegerField(_("年度检查上限（次）"),
                                                  help_text=_("同一企业一年内的监督检查次数上限，避免重复扰企"))
    routine_cadence = models.CharField(_("企业自查频次"), max_length=20, blank=True, help_text=_("日周月"))

    class Meta:
        ordering = ["interval_months"]
        verbose_name = _("分级监管频次")
        verbose_name_plural = _("分级监管频次")

    def __str__(self):
        return self.get_grade_display()

    @property
    def planned_per_year(self):
        return max(1, 12 // max(1, self.interval_months))


class GradeAssessment(models.Model):
    """One setting of an enterprise's risk grade; the newest is in force, the others are its history."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="grade_assessments")
    grade = models.CharField(_("风险等级"), max_length=10, choices=RiskGrade.choices)
    reason = models.CharField(_("定级理由"), max_length=300)
    set_on = models.DateField(_("定级日期"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("定级人"), on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["-set_on", "-id"]
        verbose_name = _("风险定级")
        verbose_name_plural = _("风险定级")

    def __str__(self):
        return f"{self.enterprise} {self.get_grade_display()}"


class ResponsibleRole(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("行政负责人")
    REGULATOR = "regulator", _("行业监管部门负责人")
    ENTERPRISE = "enterprise", _("企业（单位）责任人")


class AssignmentQuerySet(models.QuerySet):
    def overlapping(self, start, end):
        """Assignments held on at least one day of [start, end]."""
        return self.filter(start_date__lte=end).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=start))

    def held_on(self, day):
        return self.overlapping(day, day)


class ResponsibleAssignment(models.Model):
    """Who held one of the three roles for a key enterprise, and when (end_date empty = holds it now)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="responsible_assignments")
    role = models.CharField(_("责任人类别"), max_length=20, choices=ResponsibleRole.choices)
    staff = models.ForeignKey("workflow.Staff", verbose_name=_("管委会责任人"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="responsible_assignments")
    person_name = models.CharField(_("姓名"), max_length=30)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20)
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("终止日期"), null=True, blank=True)
    change = models.ForeignKey("AssignmentChange", verbose_name=_("审批记录"), on_delete=models.PROTECT,
                               related_name="assignments")

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise_id", "role", "-start_date"]
        indexes = [models.Index(fields=["enterprise", "role", "start_date"]), models.Index(fields=["staff", "role"])]
        verbose_name = _("责任人任职")
        verbose_name_plural = _("责任人任职")

    def __str__(self):
        return f"{self.enterprise} {self.get_role_display()} {self.person_name}"

    def covers(self, day):
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class ChangeState(models.TextChoices):
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已退回")


class AssignmentChange(ConcurrentTransitionMixin, models.Model):
    """A proposal to designate (or change) an enterprise's three responsible persons, approved by a leader."""

    class Kind(models.TextChoices):
        DESIGNATE = "designate", _("确定三个责任人（列入重点管控）")
        CHANGE = "change", _("调整责任人")
        RELEASE = "release", _("解除重点管控")

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="assignment_changes")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    effective_from = models.DateField(_("生效日期"))
    reason = models.CharField(_("理由"), max_length=300)
    # One slot per role; a change names only the roles that change, a designation all three.
    administrative_staff = models.ForeignKey("workflow.Staff", verbose_name=_("行政负责人"), on_delete=models.PROTECT,
                                             null=True, blank=True, related_name="+")
    regulator_staff = models.ForeignKey("workflow.Staff", verbose_name=_("行业监管部门负责人"),
                                        on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    enterprise_person = models.CharField(_("企业责任人姓名"), max_length=30, blank=True)
    enterprise_position = models.CharField(_("企业责任人职务"), max_length=50, blank=True)
    enterprise_phone = models.CharField(_("企业责任人电话"), max_length=20, blank=True)
    state = FSMField(_("状态"), default=ChangeState.SUBMITTED, choices=ChangeState.choices, protected=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    comment = models.CharField(_("审批意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("责任人确定与调整")
        verbose_name_plural = _("责任人确定与调整")

    def __str__(self):
        return f"{self.enterprise} {self.get_kind_display()}"

    @transition(field=state, source=ChangeState.SUBMITTED, target=ChangeState.APPROVED)
    def approve(self, *, by, comment=""):
        self.decided_by, self.decided_at, self.comment = by, timezone.now(), comment

    @transition(field=state, source=ChangeState.SUBMITTED, target=ChangeState.REJECTED)
    def reject(self, *, by, comment):
        self.decided_by, self.decided_at, self.comment = by, timezone.now(), comment


class AssignmentProcess(Process):
    """The viewflow process routing one AssignmentChange to its approver."""

    change = models.OneToOneField(AssignmentChange, verbose_name=_("责任人确定与调整"), on_delete=models.PROTECT,
                                  related_name="process")

    class Meta:
        verbose_name = _("三个责任人审批流程")
        verbose_name_plural = _("三个责任人审批流程")

    @property
    def summary_text(self):
        change = self.change
        return f"{change.enterprise.name} · {change.get_kind_display()}"
