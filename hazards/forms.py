from django import forms
from django.core.exceptions import ValidationError
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Sector

from .models import HazardLevel, Signature


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # <input type="date"> accepts ISO dates only
        super().__init__(attrs, format=format)


def staff_users():
    return get_user_model().objects.filter(
        staff__office__isnull=False, staff__office__is_legal_office=False, is_active=True,
    ).select_related("staff").order_by(
        "staff__office__order", "id")


MAX_ID = 2**63 - 1  # the largest id the database holds: a larger forged id is not found, never a crash


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.staff.full_name}（{obj.staff.office}）"

    def _check_values(self, value):
        for pk in value:  # a forged id too large for the database is an invalid choice, not a crash
            if not str(pk).isdigit():
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": pk})
            if int(pk) > MAX_ID:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": pk})
        return super()._check_values(value)


class InspectionForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("被检查单位"), queryset=Enterprise.objects.all())
    sector = forms.ModelChoiceField(label=_("行业领域"), queryset=Sector.objects.select_related("office"))
    inspected_on = forms.DateField(label=_("检查日期"), widget=DateInput)
    place = forms.CharField(label=_("检查场所"), max_length=200)
    inspectors = StaffChoiceField(label=_("检查人员（不少于两名）"), queryset=staff_users(),
                                  widget=forms.CheckboxSelectMultiple)
    enterprise_representative = forms.CharField(label=_("被检查单位现场负责人"), max_length=30)
    signature = forms.ChoiceField(label=_("签字情况"), choices=Signature.choices, widget=forms.RadioSelect)
    refusal_note = forms.CharField(label=_("拒签情况说明"), max_length=200, required=False)
    summary = forms.CharField(label=_("检查情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = staff_users()
        if editing:
            del self.fields["enterprise"], self.fields["sector"], self.fields["inspected_on"]

    def clean(self):
        data = super().clean()
        enterprise, sector = data.get("enterprise"), data.get("sector")
        if enterprise and sector and not enterprise.sectors.filter(pk=sector.pk).exists():
            self.add_error("sector", _("所选行业领域不属于该企业。"))
        return data


class HazardForm(forms.Form):
    description = forms.CharField(label=_("隐患描述"), widget=forms.Textarea(attrs={"rows": 3}))
    location = forms.CharField(label=_("隐患部位"), max_length=200)
    sector = forms.ModelChoiceField(label=_("行业领域"), queryset=Sector.objects.all())
    level = forms.ChoiceField(label=_("隐患等级"), choices=HazardLevel.choices, widget=forms.RadioSelect)
    legal_basis = forms.CharField(label=_("依据（法律法规及标准条款）"), max_length=300)
    measures = forms.CharField(label=_("现场处理措施（重大隐患必填）"), max_length=300, required=False)
    fixed_on_spot = forms.BooleanField(label=_("已当场整改"), required=False)
    deadline = forms.DateField(label=_("整改期限"), widget=DateInput, required=False,
                               help_text=_("留空则按默认期限（工作日）计算"))
    photos = MultipleFileField(label=_("隐患照片"), widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
    fix_photos = MultipleFileField(label=_("当场整改后照片"),
                                   widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))


DECISIONS = [("approve", _("同意")), ("reject", _("不同意"))]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批意见"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("说明"), max_length=300, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ItemDecisionsForm(forms.Form):
    """One decision and comment per hazard (plans, closures)."""

    def __init__(self, *args, hazards, **kwargs):
        super().__init__(*args, **kwargs)
        self.hazards = hazards
        for h in hazards:
            self.fields[f"decision_{h.pk}"] = forms.ChoiceField(
                label=_("隐患 %(n)d") % {"n": h.number}, choices=DECISIONS, widget=forms.RadioSelect)
            self.fields[f"comment_{h.pk}"] = forms.CharField(label=_("意见"), max_length=300, required=False)

    def rows(self):
        return [(h, self[f"decision_{h.pk}"], self[f"comment_{h.pk}"]) for h in self.hazards]

    def decisions(self):
        return {h.pk: (self.cleaned_data[f"decision_{h.pk}"] == "approve", self.cleaned_data[f"comment_{h.pk}"])
                for h in self.hazards}


class ReinspectionForm(forms.Form):
    co_inspectors = StaffChoiceField(label=_("共同复查人员"), queryset=staff_users(),
                                     widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("复查情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, hazards, office, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.hazards = hazards
        self.fields["co_inspectors"].queryset = staff_users().filter(staff__office=office).exclude(pk=user.pk)
        for h in hazards:
            self.fields[f"result_{h.pk}"] = forms.ChoiceField(
                label=_("隐患 %(n)d") % {"n": h.number}, widget=forms.RadioSelect,
                choices=[("pass", _("合格")), ("fail", _("不合格"))])
            self.fields[f"comment_{h.pk}"] = forms.CharField(label=_("复查意见"), max_length=300, required=False)
            self.fields[f"deadline_{h.pk}"] = forms.DateField(label=_("重新整改期限"), required=False, widget=DateInput)

    def rows(self):
        return [(h, self[f"result_{h.pk}"], self[f"comment_{h.pk}"], self[f"deadline_{h.pk}"]) for h in self.hazards]

    def results(self):
        d = self.cleaned_data
        return {h.pk: (d[f"result_{h.pk}"] == "pass", d[f"comment_{h.pk}"], d[f"deadline_{h.pk}"])
                for h in self.hazards}


class ProofForm(forms.Form):
    report = forms.CharField(label=_("整改情况报告"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("整改照片或材料（JPEG、PNG、PDF，至少一个）"),
                              widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))


class ExtensionForm(forms.Form):
    requested_deadline = forms.DateField(label=_("申请延期至"), widget=DateInput)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 3}))


class PlanForm(forms.Form):
    goal_and_tasks = forms.CharField(label=_("治理的目标和任务"), widget=forms.Textarea(attrs={"rows": 2}))
    methods_and_measures = forms.CharField(label=_("采取的方法和措施"), widget=forms.Textarea(attrs={"rows": 2}))
    funds_and_materials = forms.CharField(label=_("经费和物资的落实"), widget=forms.Textarea(attrs={"rows": 2}))
    organisation_and_people = forms.CharField(label=_("负责治理的机构和人员"), widget=forms.Textarea(attrs={"rows": 2}))
    time_limit = forms.DateField(label=_("治理的时限"), widget=DateInput)
    safety_and_emergency = forms.CharField(label=_("安全措施和应急预案"), widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label=_("方案附件（PDF 或图片，可选）"),
                              widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
