"""Forms of the penalty loop (行政处罚). They only parse input; every rule is checked by penalty_services."""

from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise

from .forms import DateInput, StaffChoiceField, staff_users
from .models import LegalProvision, ServiceMethod

APPROVAL = [("approve", _("同意")), ("reject", _("不同意"))]


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


def _amount(label, **kwargs):
    kwargs.setdefault("required", False)
    kwargs.setdefault("initial", 0)
    return forms.IntegerField(label=label, min_value=0, widget=forms.NumberInput(attrs={
        "inputmode": "numeric", "step": "1", "min": "0"}), **kwargs)


def yuan(amount):
    return f"{amount:,}"


def provision_range(provision):
    """What the provision allows, in one line: the fines for the organisation and for the person, suspension."""
    parts = []
    if provision.org_fine_max:
        parts.append(_g("对单位罚款 %(lo)s 至 %(hi)s 元") % {
            "lo": yuan(provision.org_fine_min), "hi": yuan(provision.org_fine_max)})
    if provision.person_fine_max:
        parts.append(_g("对直接负责的主管人员罚款 %(lo)s 至 %(hi)s 元") % {
            "lo": yuan(provision.person_fine_min), "hi": yuan(provision.person_fine_max)})
    if provision.allows_suspension:
        parts.append(_g("可责令停产停业整顿"))
    if provision.daily_fine:
        parts.append(_g("按日连续处罚"))
    return "；".join(parts)


class ProvisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title}（{provision_range(obj)}）"


class ProposeForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("当事人（企业）"), queryset=Enterprise.objects.order_by("name"))
    cause = forms.CharField(label=_("案由"), max_length=200,
                            help_text=_("如：未按期消除事故隐患、未对安全设备进行经常性维护保养等"))
    facts = forms.CharField(label=_("违法事实（初步）"), widget=_textarea(4), required=False)


class FilingForm(forms.Form):
    decision = forms.ChoiceField(label=_("立案意见"), choices=[("approve", _("同意立案")), ("reject", _("不予立案"))],
                                 widget=forms.RadioSelect)
    officers = StaffChoiceField(label=_("承办人员（不少于两名，须持执法证件）"), queryset=staff_users(), required=False,
                                widget=forms.CheckboxSelectMultiple)
    comment = forms.CharField(label=_("审批意见"), max_length=300, required=False, widget=_textarea(2),
                              help_text=_("不予立案的，须写明理由。"))

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = staff_users().filter(staff__office=office)


class InvestigationForm(forms.Form):
    facts = forms.CharField(label=_("违法事实"), widget=_textarea(5))
    evidence = forms.CharField(label=_("证据"), widget=_textarea(4),
                               help_text=_("逐项列明：现场检查记录、询问笔录、照片、复查意见书等"))
    provision = ProvisionChoiceField(label=_("处罚依据"), queryset=LegalProvision.objects.filter(active=True),
                                     empty_label=_("请选择"))
    responsible_person = forms.CharField(label=_("直接负责的主管人员"), max_length=30, required=False,
                                         help_text=_("拟对个人罚款的，须填写姓名"))
    complex_case = forms.BooleanField(label=_("情节复杂（须经法制审核和负责人集体讨论）"), required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=300, widget=_textarea(2))


class PenaltyAmountForm(forms.Form):
    org_fine = _amount(_("对单位罚款（元）"))
    person_fine = _amount(_("对直接负责的主管人员罚款（元）"))
    suspension = forms.BooleanField(label=_("责令停产停业整顿"), required=False)

    def amounts(self):
        d = self.cleaned_data
        return {"org_fine": d["org_fine"] or 0, "person_fine": d["person_fine"] or 0, "suspension": d["suspension"]}


class HearingScheduleForm(forms.Form):
    hearing_on = forms.DateField(label=_("听证日期"), widget=DateInput)
    place = forms.CharField(label=_("听证地点"), max_length=200)


class HearingRecordForm(forms.Form):
    record = forms.CharField(label=_("听证笔录"), widget=_textarea(8),
                             help_text=_("记录听证主持人、参加人，当事人的陈述、申辩和质证意见"))


class LegalReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结论"), widget=forms.RadioSelect,
                                 choices=[("approve", _("审核通过")), ("return", _("退回承办人员"))])
    opinion = forms.CharField(label=_("法制审核意见"), widget=_textarea(4),
                              help_text=_("对执法主体、事实、证据、依据、程序和裁量适当性逐项提出意见"))


class DeliberationForm(forms.Form):
    participants = forms.CharField(label=_("参加讨论的负责人"), max_length=300,
                                   help_text=_("三名以上，以顿号分隔，如：肖培明、黄国栋、邓波"))
    held_on = forms.DateField(label=_("讨论日期"), widget=DateInput)
    conclusion = forms.CharField(label=_("讨论结论"), widget=_textarea(4))


OUTCOMES = [("decide", _("作出行政处罚决定")), ("no_penalty", _("不予行政处罚")), ("renotify", _("退回重新告知"))]


class DecideForm(PenaltyAmountForm):
    outcome = forms.ChoiceField(label=_("决定"), choices=OUTCOMES, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("理由"), max_length=300, required=False, widget=_textarea(2),
                             help_text=_("不予处罚的，须写明理由；退回重新告知的，请说明需要重新告知的原因。"))

    field_order = ["outcome", "org_fine", "person_fine", "suspension", "reason"]


class ServiceForm(forms.Form):
    served_on = forms.DateField(label=_("送达日期"), widget=DateInput)
    method = forms.ChoiceField(label=_("送达方式"), choices=ServiceMethod.choices, widget=forms.RadioSelect)
    recipient = forms.CharField(label=_("受送达人"), max_length=60)
    witness = forms.CharField(label=_("见证人"), max_length=60, required=False,
                              help_text=_("留置送达的，记录见证人姓名和身份"))
    consent = forms.BooleanField(label=_("当事人已书面同意电子送达"), required=False)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("缴款日期"), widget=DateInput)
    amount = forms.IntegerField(label=_("实缴金额（元）"), min_value=0,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1", "min": "0"}))
    receipt = forms.CharField(label=_("缴款凭证号"), max_length=60)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("审批意见"), max_length=300, required=False, widget=_textarea(2))


class BlacklistDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批意见"), choices=APPROVAL, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("说明"), max_length=300, required=False, widget=_textarea(2),
                              help_text=_("不同意列入的，须写明理由。"))


class ExtensionForm(forms.Form):
    reason = forms.CharField(label=_("延长理由"), max_length=300, widget=_textarea(2))


class DelistForm(forms.Form):
    reason = forms.CharField(label=_("移出理由"), max_length=300, widget=_textarea(2),
                             error_messages={"required": _("移出黑名单须写明理由。")})


class StatementForm(forms.Form):
    text = forms.CharField(label=_("陈述、申辩意见"), widget=_textarea(6),
                           help_text=_("可对违法事实、证据、依据和拟处罚的数额提出意见，并说明已采取的整改措施。"))


class HearingRequestForm(forms.Form):
    text = forms.CharField(label=_("申请事项和理由（可选）"), widget=_textarea(3), required=False)
