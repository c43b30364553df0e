"""Records of what responsible persons and leaders really did, the duties computed from them, and reminders."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Occasion(models.TextChoices):
    ROUTINE = "routine", _("日常检查指导")
    RESUMPTION = "resumption", _("复工复产")
    MAJOR_HAZARD = "major_hazard", _("发现重大事故隐患")
    DANGER = "danger", _("出现险情")
    ACCIDENT = "accident", _("发生事故")
    KEY_DATE = "key_date", _("重要节点")


class GuidanceVisit(models.Model):
    """A check or guidance visit (检查指导) at an enterprise, led by one person with others taking part."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="guidance_visits")
    visited_on = models.DateField(_("检查日期"))
    occasion = models.CharField(_("事由"), max_length=20, choices=Occasion.choices, default=Occasion.ROUTINE)
    led_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("带队人"), on_delete=models.PROTECT,
                               related_name="+")
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("参加人员"), blank=True,
                                          related_name="+")
    summary = models.TextField(_("检查指导情况"))
    problems_found = models.PositiveSmallIntegerField(_("发现问题数"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "visited_on"]), models.Index(fields=["visited_on"])]
        verbose_name = _("检查指导")
        verbose_name_plural = _("检查指导")

    def __str__(self):
        return f"{self.enterprise} {self.visited_on}"


class MeetingKind(models.TextChoices):
    WORK_MEETING = "work_meeting", _("安全生产工作会议")
    STUDY = "study", _("研究分析安全生产工作")


class SafetyMeeting(models.Model):
    kind = models.CharField(_("会议类别"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=100)
    held_on = models.DateField(_("会议日期"))
    chaired_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("主持人"), on_delete=models.PROTECT,
                                   related_name="+")
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受委托主持（委托人）"),
                                     on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     help_text=_("主要负责人委托分管负责人召开时填写主要负责人"))
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("参会人员"), related_name="+")
    minutes = models.TextField(_("会议纪要"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on"])]
        verbose_name = _("安全生产会议")
        verbose_name_plural = _("安全生产会议")

    def __str__(self):
        return f"{self.held_on} {self.title}"


class DutyReport(models.Model):
    """A leader's report on their safety duties to the principal leader (专题汇报)."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("汇报人"), on_delete=models.PROTECT,
                                 related_name="+")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("听取人"), on_delete=models.PROTECT,
                                    related_name="+")
    reported_on = models.DateField(_("汇报日期"))
    summary = models.TextField(_("汇报内容"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("履职汇报")
        verbose_name_plural = _("履职汇报")

    def __str__(self):
        return f"{self.reported_on} {self.reporter}"


class PresenceRequest(models.Model):
    """A key moment at a key enterprise at which its administrative and regulator leads must be present."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="presence_requests")
    occasion = models.CharField(_("事由"), max_length=20, choices=Occasion.choices)
    occurred_on = models.DateField(_("发生日期"))
    due_by = models.DateField(_("到场期限"))
    description = models.CharField(_("情况说明"), max_length=300)
    hazard = models.OneToOneField("hazards.Hazard", verbose_name=_("重大隐患"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="presence_request")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("到场履职要求")
        verbose_name_plural = _("到场履职要求")

    def __str__(self):
        return f"{self.enterprise} {self.get_occasion_display()} {self.occurred_on}"


class PresenceDuty(models.Model):
    request = models.ForeignKey(PresenceRequest, verbose_name=_("到场履职要求"), on_delete=models.CASCADE,
                                related_name="duties")
    role = models.CharField(_("责任人类别"), max_length=20)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), on_delete=models.PROTECT,
                               related_name="+")
    visit = models.ForeignKey(GuidanceVisit, verbose_name=_("到场记录"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="presence_duties")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "person"], name="unique_presence_person")]
        verbose_name = _("到场履职")
        verbose_name_plural = _("到场履职")

    @property
    def attended(self):
        return self.visit_id is not None


class DutyRule(models.Model):
    """One duty of annex 1 or section 10 of the seed: who owes it, how often, how many; numbers editable."""

    class Subject(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("行政负责人")
        REGULATOR = "regulator", _("行业监管部门负责人")
        PRINCIPAL = "principal", _("主要负责人")
        SAFETY = "safety", _("分管安全生产负责人")
        OTHER = "other", _("其他分管负责人")

    class Period(models.TextChoices):
        MONTH = "month", _("每月")
        QUARTER = "quarter", _("每季度")
        HALF_YEAR = "half_year", _("每半年")
        YEAR = "year", _("每年")

    class Measure(models.TextChoices):
        ENTERPRISE_CHECK = "enterprise_check", _("对所负责企业开展检查指导")
        COVERAGE = "coverage", _("所负责企业检查指导全覆盖")
        LED_CHECK = "led_check", _("带队检查")
        CHAIRED_MEETING = "chaired_meeting", _("主持召开安全生产工作会议")
        STUDY = "study", _("研究分析安全生产工作")
        HEARD_REPORT = "heard_report", _("听取班子成员履职汇报")
        GAVE_REPORT = "gave_report", _("向主要负责人专题汇报")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("职责"), max_length=100)
    subject = models.CharField(_("履职主体"), max_length=20, choices=Subject.choices)
    period = models.CharField(_("周期"), max_length=10, choices=Period.choices)
    measure = models.CharField(_("计量方式"), max_length=20, choices=Measure.choices)
    required = models.PositiveSmallIntegerField(_("每期至少（次）"), default=1)
    remind_days_before = models.PositiveSmallIntegerField(_("到期前提醒（日）"), default=5)
    basis = models.CharField(_("依据"), max_length=200)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("履职标准")
        verbose_name_plural = _("履职标准")

    def __str__(self):
        return self.name


class InspectionPlan(models.Model):
    """An enterprise's annual inspection plan (年度监督检查计划), generated from its grade and then edited."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="inspection_plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(_("制定时风险等级"), max_length=10)
    yearly_cap = models.PositiveSmallIntegerField(_("年度检查上限"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("制定人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("制定时间"), default=timezone.now)

    class Meta:
        ordering = ["-year", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="unique_plan_per_year")]
        verbose_name = _("年度监督检查计划")
        verbose_name_plural = _("年度监督检查计划")

    def __str__(self):
        return f"{self.enterprise} {self.year}"


class PlannedVisit(models.Model):
    plan = models.ForeignKey(InspectionPlan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="visits")
    planned_on = models.DateField(_("计划日期"))
    note = models.CharField(_("备注"), max_length=100, blank=True)

    class Meta:
        ordering = ["planned_on", "id"]
        verbose_name = _("计划检查")
        verbose_name_plural = _("计划检查")


class Reminder(models.Model):
    """An in-app reminder (and e-mail where the person has an address); `key` makes each one unique per person."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("已逾期")
        PRESENCE = "presence", _("须到场履职")
        HAZARD = "hazard", _("重点企业隐患")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(max_length=200)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    message = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("提醒时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_reminder_per_user")]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")

    def __str__(self):
        return self.message


class BoardBatch(models.Model):
    """One batch print of listing boards into a single PDF, with progress for the page that waits on it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    paper = models.CharField(_("纸张"), max_length=4, default="A4")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    pdf = models.FileField(upload_to="boards/%Y/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("公示牌批量打印")
        verbose_name_plural = _("公示牌批量打印")
