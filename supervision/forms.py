"""Forms of the supervision pages: they parse input only; the services hold the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import AssignmentChange, Enterprise, RiskGrade
from hazards.forms import MAX_ID, DateInput
from workflow.models import Staff

from .models import MeetingKind, Occasion

PRESENCE_OCCASIONS = [(c, label) for c, label in Occasion.choices
                      if c in (Occasion.RESUMPTION, Occasion.DANGER, Occasion.ACCIDENT, Occasion.KEY_DATE)]


def _check_pk(field, value):
    """A forged id (not a number, or too large for the database) is an invalid choice, not a crash."""
    if value in field.empty_values:
        return
    if not str(value).isdigit() or int(value) > MAX_ID:
        raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")


def staff_label(staff):
    if staff.leader_role:
        return f"{staff.full_name}（{Staff.LeaderRole(staff.leader_role).label}）"
    return f"{staff.full_name}（{staff.office}）" if staff.office else staff.full_name


def staff_users():
    """Every active committee member, leaders first."""
    return (get_user_model().objects.filter(staff__isnull=False, is_active=True).select_related("staff__office")
            .order_by(F("staff__office__order").asc(nulls_first=True), "staff__office_id", "-staff__is_office_head",
                      "id"))


def leader_users():
    return staff_users().exclude(staff__leader_role="")


def principal_users():
    return staff_users().filter(staff__leader_role=Staff.LeaderRole.PRINCIPAL)


class SafeModelChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("请选择…"))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        _check_pk(self, value)
        return super().to_python(value)


class UserChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj):
        return staff_label(obj.staff)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return staff_label(obj.staff)

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or int(pk) > MAX_ID:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": pk})
        return super()._check_values(value)


class StaffChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj):
        return staff_label(obj)


class EnterpriseChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{_('重点管控')}）" if obj.is_key_supervised else obj.name


def _today():
    return timezone.localdate()


# --- grade and the three responsible persons ------------------------------------------------------------

class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("风险等级"), choices=RiskGrade.choices, widget=forms.RadioSelect,
                              error_messages={"invalid_choice": _("风险等级须为红、橙、黄、蓝四级之一。"),
                                              "required": _("请选择风险等级。")})
    reason = forms.CharField(label=_("定级理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写定级理由。")})
    set_on = forms.DateField(label=_("定级日期"), widget=DateInput, initial=_today)


class AssignmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=AssignmentChange.Kind.choices, widget=forms.RadioSelect)
    effective_from = forms.DateField(label=_("生效日期"), widget=DateInput, initial=_today)
    administrative_staff = StaffChoiceField(
        label=_("行政负责人（园区领导）"), required=False,
        queryset=Staff.objects.exclude(leader_role="").order_by("id"),
        help_text=_("调整时只填写需要调整的责任人；解除重点管控时不填写。"))
    regulator_staff = StaffChoiceField(
        label=_("行业监管部门负责人（部室负责人）"), required=False,
        queryset=Staff.objects.filter(is_office_head=True).select_related("office").order_by("office__order", "id"),
        help_text=_("须为监管该企业行业领域的部室负责人。"))
    enterprise_person = forms.CharField(label=_("企业（单位）责任人姓名"), max_length=30, required=False)
    enterprise_position = forms.CharField(label=_("企业（单位）责任人职务"), max_length=50, required=False)
    enterprise_phone = forms.CharField(label=_("企业（单位）责任人电话"), max_length=20, required=False)
    reason = forms.CharField(label=_("理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


# --- duty records --------------------------------------------------------------------------------------

class VisitForm(forms.Form):
    enterprise = EnterpriseChoiceField(label=_("企业"), queryset=Enterprise.objects.order_by("-is_key_supervised",
                                                                                           "name"))
    visited_on = forms.DateField(label=_("检查日期"), widget=DateInput, initial=_today)
    occasion = forms.ChoiceField(label=_("事由"), choices=Occasion.choices, initial=Occasion.ROUTINE)
    led_by = UserChoiceField(label=_("带队人"), queryset=staff_users())
    participants = UserMultipleChoiceField(label=_("参加人员"), queryset=staff_users(), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    summary = forms.CharField(label=_("检查指导情况"), widget=forms.Textarea(attrs={"rows": 4}))
    problems_found = forms.IntegerField(label=_("发现问题数"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["led_by"].queryset = staff_users()
        self.fields["participants"].queryset = staff_users()


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类别"), choices=MeetingKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("会议名称"), max_length=100)
    held_on = forms.DateField(label=_("会议日期"), widget=DateInput, initial=_today)
    chaired_by = UserChoiceField(label=_("主持人"), queryset=staff_users())
    on_behalf_of = UserChoiceField(label=_("受委托主持（委托人）"), queryset=principal_users(), required=False,
                                   help_text=_("主要负责人委托分管负责人召开时选择主要负责人"))
    attendees = UserMultipleChoiceField(label=_("参会人员"), queryset=staff_users(),
                                        widget=forms.CheckboxSelectMultiple)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chaired_by"].queryset = staff_users()
        self.fields["on_behalf_of"].queryset = principal_users()
        self.fields["attendees"].queryset = staff_users()


class ReportForm(forms.Form):
    reporter = UserChoiceField(label=_("汇报人"), queryset=leader_users())
    received_by = UserChoiceField(label=_("听取人"), queryset=principal_users())
    reported_on = forms.DateField(label=_("汇报日期"), widget=DateInput, initial=_today)
    summary = forms.CharField(label=_("汇报内容"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporter"].queryset = leader_users()
        self.fields["received_by"].queryset = principal_users()


class PresenceForm(forms.Form):
    enterprise = EnterpriseChoiceField(label=_("重点管控企业"),
                                       queryset=Enterprise.objects.filter(is_key_supervised=True).order_by("name"))
    occasion = forms.ChoiceField(label=_("事由"), choices=PRESENCE_OCCASIONS, widget=forms.RadioSelect)
    occurred_on = forms.DateField(label=_("发生日期"), widget=DateInput, initial=_today)
    description = forms.CharField(label=_("情况说明"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


# --- annual inspection plans ------------------------------------------------------------------------------

class PlanVisitForm(forms.Form):
    planned_on = forms.DateField(label=_("计划日期"), widget=DateInput)
    note = forms.CharField(label=_("备注"), max_length=100, required=False)


class PlanMoveForm(forms.Form):
    planned_on = forms.DateField(label=_("调整为"), widget=DateInput)
