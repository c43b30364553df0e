"""Every write of the rectification loop: one function per action, in a transaction, with its audit row."""

from contextlib import nullcontext

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from workflow import audit, notices
from workflow.calendar import MAX_TERM, add_period, cn_date
from workflow.engine import ActionRefused, TaskClosed, complete_handle, complete_human_task, open_human_task
from workflow.models import NoticeKind, Staff
from workflow.periods import get_period
from workflow.roles import display_name, enterprise_of, staff_of

from supervision import services as supervision_services
from supervision.tasks import send_hazard_reminders

from .flows import ExtensionFlow, PlanFlow, RectificationFlow
from .models import (
    Attachment, ClosureDecision, ExtensionRequest, GovernancePlan, Hazard, HazardLevel, HazardState, Inspection,
    InspectionState, RectificationProcess, RectificationProof, Reinspection, ReinspectionResult, Signature,
)
from .uploads import check_upload

__all__ = ["ActionRefused", "TaskClosed"]



# --- helpers -----------------------------------------------------------------------------------------------

def _require_staff(user, *, office=None):
    staff = staff_of(user)
    if staff is None:
        raise PermissionDenied(_("仅管委会工作人员可以执行此操作。"))
    if office is not None and staff.office_id != office.pk:
        raise PermissionDenied(_("仅%(office)s的工作人员可以执行此操作。") % {"office": office.name})
    return staff


def _require_enterprise_user(user, hazard):
    enterprise = enterprise_of(user)
    if enterprise is None or enterprise.pk != hazard.inspection.enterprise_id:
        raise PermissionDenied(_("仅被检查单位的企业用户可以执行此操作。"))
    return enterprise


def _case_lock(inspection_id):
    """Writes outside a task take the flow lock first too, so every writer locks process, then case rows."""
    process_pk = RectificationProcess.objects.filter(inspection_id=inspection_id).values_list("pk", flat=True).first()
    return RectificationFlow.lock(process_pk) if process_pk else nullcontext()


def _lock_inspection(pk):
    return Inspection.objects.select_for_update().select_related("enterprise", "office", "sector").get(pk=pk)


def _lock_hazard(pk):
    return Hazard.objects.select_for_update().select_related("inspection__enterprise", "inspection__office").get(pk=pk)


def apply_transition(obj, method_name, *args, **kwargs):
    """Run one FSM transition and save; a refused or stale transition becomes a message for the user."""
    method = getattr(obj, method_name)
    try:
        method(*args, **kwargs)
        obj.save()
    except TransitionNotAllowed:
        raise ActionRefused(_("当前状态（%(state)s）不允许此操作。") % {"state": obj.get_state_display()}) from None
    except ConcurrentTransition:
        raise TaskClosed(_("该记录刚被他人修改，请刷新后重试。")) from None


def _audit(user, action, obj, summary, inspection, **data):
    audit.record(actor=user, action=action, target=obj, summary=summary, data=data, inspection_id=inspection.pk)


def default_deadline(start=None, key="default_rectification"):
    return add_period(start or timezone.localdate(), get_period(key))


def _hazard_snapshot(hazard):
    return {
        "id": hazard.pk, "number": hazard.number, "description": hazard.description, "location": hazard.location,
        "sector": hazard.sector.name, "level": hazard.level, "level_label": hazard.get_level_display(),
        "legal_basis": hazard.legal_basis, "measures": hazard.measures, "deadline": cn_date(hazard.deadline),
        "deadline_provisional": hazard.deadline_provisional, "state_label": hazard.get_state_display(),
    }


def _people(users):
    staff = {s.user_id: s for s in Staff.objects.filter(user__in=users)}
    return [
        {"name": staff[u.pk].full_name if u.pk in staff else display_name(u),
         "badge": staff[u.pk].badge_number if u.pk in staff else ""}
        for u in users
    ]


def _base_context(inspection):
    return {
        "enterprise": inspection.enterprise.snapshot(),
        "office_name": inspection.office.name,
        "issued_date": cn_date(timezone.localdate()),
        "inspected_on": cn_date(inspection.inspected_on),
        "place": inspection.place,
    }


def _issue(kind, inspection, user, context):
    return notices.issue(kind=kind, office=inspection.office, enterprise=inspection.enterprise, issued_by=user,
                         inspection=inspection, context=context)


def _check_uploads(files, *, images_only=False):
    return [check_upload(f, images_only=images_only) for f in files]


def _save_attachments(files, *, hazard, purpose, user, proof=None, images_only=False, checked=None):
    checked = checked if checked is not None else _check_uploads(files, images_only=images_only)
    for content, meta in checked:
        Attachment.objects.create(hazard=hazard, proof=proof, purpose=purpose, file=content, uploaded_by=user, **meta)
    return [meta["original_name"] for _content, meta in checked]


# --- inspection -----------------------------------------------------------------------------------------

def _check_inspection_fields(*, user, inspectors, signature, refusal_note, office=None):
    staff = {s.user_id: s for s in Staff.objects.filter(user__in=inspectors).select_related("office")}
    if any(u.pk not in staff or staff[u.pk].office is None or staff[u.pk].office.is_legal_office for u in inspectors):
        raise ActionRefused(_("检查人员必须是管委会部室的执法人员。"))
    if office is not None and any(staff[u.pk].office_id != office.pk for u in inspectors):
        raise ActionRefused(_("复查人员须为%(o)s的执法人员。") % {"o": office.name})
    if user not in inspectors:
        raise ActionRefused(_("检查人员中必须包括您本人。"))
    if len(set(inspectors)) < 2:
        raise ActionRefused(_("现场检查不得少于两名执法人员（安全生产法第六十八条）。"))
    if signature == Signature.REFUSED and not refusal_note.strip():
        raise ActionRefused(_("被检查单位负责人拒绝签字的，应注明拒签情况。"))


def inspection_create(*, user, enterprise, sector, inspectors, place, enterprise_representative,
                      inspected_on=None, signature=Signature.SIGNED, refusal_note="", summary=""):
    staff = _require_staff(user)
    if staff.office_id is None:
        raise PermissionDenied(_("仅部室执法人员可以开展检查。"))
    inspectors = list(inspectors)
    _check_inspection_fields(user=user, inspectors=inspectors, signature=signature, refusal_note=refusal_note)
    if not enterprise.sectors.filter(pk=sector.pk).exists():
        raise ActionRefused(_("所选行业领域不属于该企业。"))
    if staff.office_id != sector.office_id:
        raise ActionRefused(_("%(s)s领域由%(o)s负责，请由%(o)s的执法人员主办检查（其他部室人员可作为检查人员参加）。") % {
            "s": sector.name, "o": sector.office.name})
    if inspected_on and inspected_on > timezone.localdate():
        raise ActionRefused(_("检查日期不能晚于今天。"))
    if inspected_on and inspected_on < timezone.localdate() - MAX_TERM:
        raise ActionRefused(_("检查日期不能早于一年前，请核对。"))
    with transaction.atomic():
        inspection = Inspection.objects.create(
            enterprise=enterprise, office=sector.office, sector=sector, lead_inspector=user, place=place,
            enterprise_representative=enterprise_representative, inspected_on=inspected_on or timezone.localdate(),
            signature=signature, refusal_note=refusal_note, summary=summary,
        )
        inspection.inspectors.set(inspectors)
        _audit(user, "inspection_opened", inspection, _("开展现场检查：%(e)s") % {"e": enterprise.name}, inspection,
               inspectors=[display_name(u) for u in inspectors], office=sector.office.name)
    return inspection


def inspection_update(*, user, inspection, inspectors, place, enterprise_representative, signature,
                      refusal_note="", summary=""):
    inspectors = list(inspectors)
    with transaction.atomic():
        inspection = _lock_inspection(inspection.pk)
        _check_draft_editor(user, inspection)
        _check_inspection_fields(user=user, inspectors=inspectors, signature=signature, refusal_note=refusal_note)
        inspection.place = place
        inspection.enterprise_representative = enterprise_representative
        inspection.signature = signature
        inspection.refusal_note = refusal_note
        inspection.summary = summary
        inspection.save()
        inspection.inspectors.set(inspectors)
        _audit(user, "inspection_updated", inspection, _("修改检查记录"), inspection)
    return inspection


def check_draft_editor(user, inspection):
    """Refuse anyone but the inspection's inspectors, and any edit once the record is submitted."""
    _check_draft_editor(user, inspection)


def _check_draft_editor(user, inspection):
    if inspection.state != InspectionState.DRAFT:
        raise ActionRefused(_("检查记录已提交，不能再修改。"))
    if not inspection.inspectors.filter(pk=user.pk).exists():
        raise PermissionDenied(_("仅本次检查的执法人员可以修改检查记录。"))


def hazard_add(*, user, inspection, description, location, sector, level, legal_basis, measures="",
               deadline=None, fixed_on_spot=False, photos=(), fix_photos=()):
    if fixed_on_spot and level == HazardLevel.MAJOR:
        raise ActionRefused(_("重大事故隐患不能按当场整改处理。"))
    if fixed_on_spot and not fix_photos:
        raise ActionRefused(_("当场整改的隐患须上传整改后的照片作为证据。"))
    if level == HazardLevel.MAJOR and not measures.strip():
        raise ActionRefused(_("重大事故隐患须填写现场处理措施（如停产停业、停止使用设备、撤出人员）。"))
    today = timezone.localdate()
    provisional = False
    if not fixed_on_spot:
        if deadline is None:
            computed = default_deadline(today)
            deadline, provisional = computed.date, computed.provisional
        elif deadline <= today:
            raise ActionRefused(_("整改期限必须晚于今天。"))
        elif deadline > today + MAX_TERM:
            raise ActionRefused(_("整改期限不能超过一年；确需更长的，请按重大隐患治理方案确定。"))
    # every file is checked before any is stored, so a refusal leaves nothing behind
    checked_photos = _check_uploads(photos, images_only=True)
    checked_fixes = _check_uploads(fix_photos, images_only=True) if fixed_on_spot else []
    with transaction.atomic():
        inspection = _lock_inspection(inspection.pk)
        _check_draft_editor(user, inspection)
        number = (inspection.hazards.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        hazard = Hazard.objects.create(
            inspection=inspection, number=number, description=description, location=location, sector=sector,
            level=level, legal_basis=legal_basis, measures=measures,
            deadline=None if fixed_on_spot else deadline, deadline_provisional=provisional,
        )
        _save_attachments(photos, hazard=hazard, purpose=Attachment.Purpose.FINDING, user=user, checked=checked_photos)
        if fixed_on_spot:
            _save_attachments(fix_photos, hazard=hazard, purpose=Attachment.Purpose.ON_SPOT_FIX, user=user,
                              checked=checked_fixes)
            apply_transition(hazard, "fix_on_spot")
        _audit(user, "hazard_recorded", hazard, _("登记隐患 %(n)d：%(d)s") % {"n": number, "d": description[:60]},
               inspection, level=level, fixed_on_spot=fixed_on_spot, deadline=hazard.deadline)
    return hazard


def hazard_remove(*, user, hazard):
    with transaction.atomic():
        inspection = _lock_inspection(hazard.inspection_id)
        _check_draft_editor(user, inspection)
        hazard = Hazard.objects.get(pk=hazard.pk)
        if hazard.state != HazardState.RECORDED:
            raise ActionRefused(_("当场整改完毕的隐患不能删除。"))
        if hazard.penalty_cases.exists():
            raise ActionRefused(_("该隐患已被处罚案件引用，不能删除。"))
        _audit(user, "hazard_removed", hazard, _("删除隐患 %(n)d") % {"n": hazard.number}, inspection,
               description=hazard.description)
        hazard.attachments.all().delete()
        hazard.delete()


def _inspection_record_context(inspection):
    hazards = list(inspection.hazards.select_related("sector"))
    return {
        **_base_context(inspection),
        "inspectors": _people(list(inspection.inspectors.order_by("id"))),
        "enterprise_representative": inspection.enterprise_representative,
        "signature": inspection.signature, "refusal_note": inspection.refusal_note, "summary": inspection.summary,
        "sector": inspection.sector.name,
        "hazards": [{**_hazard_snapshot(h), "fixed_on_spot": h.state == HazardState.FIXED_ON_SPOT} for h in hazards],
    }


def inspection_submit(*, user, inspection):
    """Submit the record: the inspection record is issued, and any hazard goes to the office head's order review."""
    process = RectificationProcess.objects.filter(inspection_id=inspection.pk).first()
    if process is not None:  # resubmitted after the office head returned the order
        task = _open_task(process, RectificationFlow.revise_inspection)
        return complete_human_task(task_id=task.pk, user=user, nodes=[RectificationFlow.revise_inspection],
                                   action=lambda t: _submit(user, inspection.pk, resubmission=True))
    with transaction.atomic():
        return _submit(user, inspection.pk, resubmission=False)


def _submit(user, inspection_id, *, resubmission):
    inspection = _lock_inspection(inspection_id)
    _check_draft_editor(user, inspection)
    if inspection.inspectors.count() < 2:
        raise ActionRefused(_("现场检查不得少于两名执法人员（安全生产法第六十八条）。"))
    if inspection.hazards.filter(state=HazardState.RECORDED).exists():
        apply_transition(inspection, "submit_for_order")
        if not resubmission:
            RectificationFlow.start.run(inspection=inspection)
        summary = _("提交检查记录，整改指令报部室负责人审批")
    else:
        if resubmission:
            raise ActionRefused(_("已退回的检查须至少保留一项待整改隐患，或联系部室负责人处理。"))
        apply_transition(inspection, "archive")
        summary = _("提交检查记录：未发现需限期整改的隐患，归档")
    _audit(user, "inspection_submitted", inspection, summary, inspection, state=inspection.state)
    _issue(NoticeKind.INSPECTION_RECORD, inspection, user, _inspection_record_context(inspection))
    return inspection


def _open_task(process, node):
    task = open_human_task(process, node)
    if task is None:
        raise TaskClosed(_("该环节已处理完毕，请刷新页面。"))
    return task


# --- order approval -------------------------------------------------------------------------------------

LEADER_PREFERENCE = {Staff.LeaderRole.SAFETY: 0, Staff.LeaderRole.OTHER: 1, Staff.LeaderRole.PRINCIPAL: 2}


def _leader_in_charge(office):
    """The leader whose portfolio holds the office: the one for safety first."""
    leaders = Staff.objects.filter(portfolio=office).exclude(leader_role="").order_by("id")
    return min(leaders, key=lambda s: LEADER_PREFERENCE[s.leader_role], default=None)


def order_decide(*, user, task_id, approve, comment=""):
    if not approve and not comment.strip():
        raise ActionRefused(_("退回整改指令须填写退回理由。"))

    def action(task):
        inspection = _lock_inspection(task.process.rectificationprocess.inspection_id)
        if not approve:
            apply_transition(inspection, "return_order")
            _audit(user, "order_returned", inspection, _("退回整改指令：%(c)s") % {"c": comment}, inspection,
                   comment=comment)
            return inspection
        hazards = list(inspection.hazards.select_for_update().filter(state=HazardState.RECORDED).select_related("sector"))
        today = timezone.localdate()
        for hazard in hazards:
            if hazard.deadline and hazard.deadline <= today:
                raise ActionRefused(_("隐患 %(n)d 的整改期限已过，请退回检查人员修改期限。") % {"n": hazard.number})
        leader = _leader_in_charge(inspection.office)
        for hazard in hazards:
            if hazard.is_major:
                hazard.supervising_leader = leader
                apply_transition(hazard, "order_governance_plan")
            else:
                apply_transition(hazard, "order_rectification")
        apply_transition(inspection, "approve_order")
        _audit(user, "order_approved", inspection, _("批准整改指令"), inspection, comment=comment,
               hazards=[h.number for h in hazards])
        context = {**_base_context(inspection), "hazards": [_hazard_snapshot(h) for h in hazards],
                   "approved_by": display_name(user), "comment": comment,
                   "inspection_record_number": _notice_number(inspection, NoticeKind.INSPECTION_RECORD)}
        _issue(NoticeKind.RECTIFICATION_ORDER, inspection, user, context)
        major = [h for h in hazards if h.is_major]
        for hazard in major:
            supervision_services.major_hazard_found(hazard=hazard, user=user)
        if major:
            ids = [h.pk for h in major]
            transaction.on_commit(lambda: send_hazard_reminders.enqueue(ids))
            _issue(NoticeKind.ONSITE_MEASURES, inspection, user, {
                **_base_context(inspection), "hazards": [_hazard_snapshot(h) for h in major],
                "leader": leader.full_name if leader else "",
            })
        return inspection

    return complete_human_task(task_id=task_id, user=user, nodes=[RectificationFlow.approve_order], action=action)


def _notice_number(inspection, kind):
    return inspection.notices.filter(kind=kind).order_by("-id").values_list("number", flat=True).first() or ""


# --- governance plan (major hazards) --------------------------------------------------------------------

def plan_submit(*, user, hazard, goal_and_tasks, methods_and_measures, funds_and_materials,
                organisation_and_people, time_limit, safety_and_emergency, files=()):
    _require_enterprise_user(user, hazard)
    if time_limit <= timezone.localdate():
        raise ActionRefused(_("治理时限必须晚于今天。"))
    if time_limit > timezone.localdate() + 2 * MAX_TERM:
        raise ActionRefused(_("治理时限不能超过两年，请核对。"))
    with _case_lock(hazard.inspection_id), transaction.atomic():
        inspection = _lock_inspection(hazard.inspection_id)
        hazard = _lock_hazard(hazard.pk)
        if hazard.state != HazardState.AWAITING_PLAN:
            raise ActionRefused(_("该隐患当前不需要提交治理方案。"))
        plan = GovernancePlan.objects.create(
            hazard=hazard, goal_and_tasks=goal_and_tasks, methods_and_measures=methods_and_measures,
            funds_and_materials=funds_and_materials, organisation_and_people=organisation_and_people,
            time_limit=time_limit, safety_and_emergency=safety_and_emergency, submitted_by=user,
        )
        names = _save_attachments(files, hazard=hazard, purpose=Attachment.Purpose.PLAN, user=user)
        apply_transition(hazard, "submit_plan")
        _audit(user, "plan_submitted", plan, _("提交隐患 %(n)d 的治理方案") % {"n": hazard.number}, inspection,
               files=names, time_limit=time_limit)
        PlanFlow.start.run(plan=plan)
    return plan


def plan_decide(*, user, task_id, decisions):
    """decisions: {hazard_id: (approve: bool, comment: str)} for the plan of this task's hazard."""

    def action(task):
        plan = GovernancePlan.objects.select_for_update().get(pk=task.process.planprocess.plan_id)
        inspection = _lock_inspection(plan.hazard.inspection_id)
        hazard = _lock_hazard(plan.hazard_id)
        _require_all_decided([hazard], decisions)
        approve, comment = decisions[hazard.pk]
        if plan.decision != GovernancePlan.Decision.PENDING or hazard.state != HazardState.PLAN_REVIEW:
            raise TaskClosed(_("该治理方案已审批，请刷新页面。"))
        if approve and plan.time_limit <= timezone.localdate():
            raise ActionRefused(_("隐患 %(n)d 的治理方案时限已过，请退回企业重新确定治理时限。") % {"n": hazard.number})
        plan.decision = GovernancePlan.Decision.APPROVED if approve else GovernancePlan.Decision.REJECTED
        plan.decided_by, plan.decided_at, plan.comment = user, timezone.now(), comment
        plan.save()
        if approve:
            apply_transition(hazard, "approve_plan")
            hazard.deadline, hazard.deadline_provisional = plan.time_limit, False
            hazard.save()
        else:
            apply_transition(hazard, "reject_plan")
        _audit(user, "plan_approved" if approve else "plan_rejected", plan,
               (_("批准隐患 %(n)d 的治理方案") if approve else _("退回隐患 %(n)d 的治理方案")) % {"n": hazard.number},
               inspection, comment=comment)
        return inspection

    return complete_human_task(task_id=task_id, user=user, nodes=[PlanFlow.approve_plan], action=action)


def _require_all_decided(hazards, decisions):
    for hazard in hazards:
        if hazard.pk not in decisions:
            raise ActionRefused(_("请对隐患 %(n)d 作出决定。") % {"n": hazard.number})
        approve, comment = decisions[hazard.pk]
        if not approve and not (comment or "").strip():
            raise ActionRefused(_("隐患 %(n)d 未通过，须填写理由。") % {"n": hazard.number})
    extra = set(decisions) - {h.pk for h in hazards}
    if extra:
        raise ActionRefused(_("提交的隐患不属于本环节待处理的事项。"))


# --- rectification proof and extension -------------------------------------------------------------------

def proof_submit(*, user, hazard, report, files):
    _require_enterprise_user(user, hazard)
    if not report.strip():
        raise ActionRefused(_("请填写整改情况报告。"))
    if not files:
        raise ActionRefused(_("请至少上传一张整改后照片或一份整改材料（JPEG、PNG 或 PDF）。"))
    with _case_lock(hazard.inspection_id), transaction.atomic():
        inspection = _lock_inspection(hazard.inspection_id)
        hazard = _lock_hazard(hazard.pk)
        if hazard.state != HazardState.RECTIFYING:
            raise ActionRefused(_("该隐患当前（%(s)s）不能提交整改佐证。") % {"s": hazard.get_state_display()})
        proof = RectificationProof.objects.create(hazard=hazard, report=report, submitted_by=user)
        names = _save_attachments(files, hazard=hazard, purpose=Attachment.Purpose.PROOF, user=user, proof=proof)
        apply_transition(hazard, "submit_proof")
        _audit(user, "proof_submitted", proof, _("提交隐患 %(n)d 的整改佐证") % {"n": hazard.number}, inspection,
               files=names, overdue=bool(hazard.deadline and hazard.deadline < timezone.localdate()))
        if not inspection.hazards.filter(state=HazardState.RECTIFYING).exists():
            complete_handle(process=inspection.process, node=RectificationFlow.wait_proof)
    return proof


def extension_request(*, user, hazard, requested_deadline, reason):
    _require_enterprise_user(user, hazard)
    if not reason.strip():
        raise ActionRefused(_("请填写延期理由。"))
    with _case_lock(hazard.inspection_id), transaction.atomic():
        inspection = _lock_inspection(hazard.inspection_id)
        hazard = _lock_hazard(hazard.pk)
        if hazard.state != HazardState.RECTIFYING:
            raise ActionRefused(_("只有整改中的隐患可以申请延期。"))
        if hazard.deadline < timezone.localdate():
            raise ActionRefused(_("整改期限已届满，不能再申请延期。延期申请应在期限届满前提出。"))
        if requested_deadline <= hazard.deadline:
            raise ActionRefused(_("申请的期限须晚于原整改期限（%(d)s）。") % {"d": cn_date(hazard.deadline)})
        if requested_deadline > hazard.deadline + MAX_TERM:
            raise ActionRefused(_("延期不能超过一年，请核对申请的期限。"))
        if hazard.extension_requests.filter(decision=ExtensionRequest.Decision.PENDING).exists():
            raise ActionRefused(_("该隐患已有待审批的延期申请，请勿重复提交。"))
        request = ExtensionRequest.objects.create(
            hazard=hazard, current_deadline=hazard.deadline, requested_deadline=requested_deadline, reason=reason,
            requested_by=user,
        )
        ExtensionFlow.start.run(extension_request=request)
        _audit(user, "extension_requested", request, _("申请隐患 %(n)d 延期至 %(d)s") % {
            "n": hazard.number, "d": cn_date(requested_deadline)}, inspection, reason=reason)
    return request


def extension_decide(*, user, task_id, approve, comment=""):
    if not approve and not comment.strip():
        raise ActionRefused(_("不同意延期须填写理由。"))

    def action(task):
        request = ExtensionRequest.objects.select_for_update().get(pk=task.process.extensionprocess.extension_request_id)
        inspection = _lock_inspection(request.hazard.inspection_id)
        hazard = _lock_hazard(request.hazard_id)
        if approve:
            if hazard.state != HazardState.RECTIFYING:
                raise ActionRefused(_("该隐患已不在整改中，无需延期，请选择不同意并说明。"))
            if request.requested_deadline <= timezone.localdate():
                raise ActionRefused(_("申请延期的日期已过，不能批准，请选择不同意并说明。"))
            apply_transition(hazard, "extend_deadline", request.requested_deadline)
        request.decision = ExtensionRequest.Decision.APPROVED if approve else ExtensionRequest.Decision.REJECTED
        request.decided_by, request.decided_at, request.comment = user, timezone.now(), comment
        request.save()
        _audit(user, "extension_approved" if approve else "extension_rejected", request,
               (_("同意隐患 %(n)d 延期") if approve else _("不同意隐患 %(n)d 延期")) % {"n": hazard.number},
               inspection, comment=comment, deadline=hazard.deadline)
        return request

    return complete_human_task(task_id=task_id, user=user, nodes=[ExtensionFlow.decide], action=action)


# --- re-inspection and closure -----------------------------------------------------------------------------

def hazards_due_for_reinspection(inspection):
    due = Q(state=HazardState.RECTIFYING, deadline__lt=timezone.localdate()) | Q(state=HazardState.PROOF_SUBMITTED)
    return list(inspection.hazards.filter(due).select_related("sector"))


def reinspection_record(*, user, task_id, co_inspectors, results, notes=""):
    """results: {hazard_id: (passed: bool, comment: str, new_deadline: date|None)} for every item due."""

    def action(task):
        inspection = _lock_inspection(task.process.rectificationprocess.inspection_id)
        _require_staff(user, office=inspection.office)
        inspectors = list({user, *co_inspectors})
        _check_inspection_fields(user=user, inspectors=inspectors, signature=Signature.SIGNED, refusal_note="",
                                 office=inspection.office)
        hazards = hazards_due_for_reinspection(inspection)
        for hazard in hazards:
            if hazard.pk not in results:
                raise ActionRefused(_("请填写隐患 %(n)d 的复查结论。") % {"n": hazard.number})
        if set(results) - {h.pk for h in hazards}:
            raise ActionRefused(_("提交的隐患不属于本次复查范围。"))
        today = timezone.localdate()
        round_no = inspection.reinspections.count() + 1
        reinspection = Reinspection.objects.create(inspection=inspection, round=round_no, performed_by=user,
                                                   notes=notes, performed_on=today)
        reinspection.inspectors.set(inspectors)
        rows = []
        for hazard in hazards:
            passed, comment, new_deadline = results[hazard.pk]
            hazard = _lock_hazard(hazard.pk)
            was_overdue = hazard.is_overdue
            if passed:
                if hazard.state != HazardState.PROOF_SUBMITTED:
                    raise ActionRefused(_("隐患 %(n)d 未提交整改佐证且已逾期，不能判定为合格。") % {"n": hazard.number})
                apply_transition(hazard, "pass_reinspection")
                new_deadline = None
            else:
                if not (comment or "").strip():
                    raise ActionRefused(_("隐患 %(n)d 复查不合格，须写明原因。") % {"n": hazard.number})
                provisional = False
                if new_deadline is None:
                    computed = default_deadline(today, "new_deadline_after_failed")
                    new_deadline, provisional = computed.date, computed.provisional
                elif new_deadline <= today:
                    raise ActionRefused(_("隐患 %(n)d 的重新整改期限必须晚于今天。") % {"n": hazard.number})
                elif new_deadline > today + MAX_TERM:
                    raise ActionRefused(_("隐患 %(n)d 的重新整改期限不能超过一年。") % {"n": hazard.number})
                apply_transition(hazard, "fail_reinspection", new_deadline, provisional)
            ReinspectionResult.objects.create(reinspection=reinspection, hazard=hazard, passed=passed,
                                              comment=comment, new_deadline=new_deadline)
            if not passed:  # 安全生产法 Art. 102: a penalty case is proposed for the office head to file
                from .penalty_services import propose_after_failed_reinspection

                propose_after_failed_reinspection(user=user, hazard=hazard, overdue=was_overdue)
            rows.append({**_hazard_snapshot(hazard), "passed": passed, "comment": comment,
                         "new_deadline": cn_date(new_deadline), "was_overdue": was_overdue})
        failed = [r["number"] for r in rows if not r["passed"]]
        _audit(user, "reinspection_recorded", reinspection, _("第 %(r)d 次复查：%(p)d 项合格，%(f)d 项不合格") % {
            "r": round_no, "p": len(rows) - len(failed), "f": len(failed)}, inspection,
            failed=failed, inspectors=[display_name(u) for u in inspectors],
            penalty_due=bool(failed))
        _issue(NoticeKind.REINSPECTION_OPINION, inspection, user, {
            **_base_context(inspection), "round": round_no, "reinspected_on": cn_date(today), "notes": notes,
            "inspectors": _people(inspectors), "results": rows,
            "order_number": _notice_number(inspection, NoticeKind.RECTIFICATION_ORDER),
        })
        return reinspection

    return complete_human_task(task_id=task_id, user=user, nodes=[RectificationFlow.reinspect], action=action)


def closure_decide(*, user, task_id, decisions):
    """decisions: {hazard_id: (approve: bool, comment: str)} for every item awaiting closure."""

    def action(task):
        inspection = _lock_inspection(task.process.rectificationprocess.inspection_id)
        hazards = list(inspection.hazards.select_for_update().filter(state=HazardState.CLOSURE_REVIEW))
        _require_all_decided(hazards, decisions)
        last = inspection.reinspections.order_by("-round").first()
        if last and (last.performed_by_id == user.pk or last.inspectors.filter(pk=user.pk).exists()):
            raise PermissionDenied(_("参加复查的执法人员不能审批本案销号。"))
        approved = []
        for hazard in hazards:
            approve, comment = decisions[hazard.pk]
            ClosureDecision.objects.create(hazard=hazard, approved=approve, decided_by=user, comment=comment)
            apply_transition(hazard, "approve_closure" if approve else "reject_closure")
            _audit(user, "closure_approved" if approve else "closure_rejected", hazard,
                   (_("隐患 %(n)d 销号") if approve else _("隐患 %(n)d 不予销号，退回复查")) % {"n": hazard.number},
                   inspection, comment=comment)
            if approve:
                approved.append({**_hazard_snapshot(hazard), "comment": comment})
                if hazard.is_major:
                    supervision_services.resumption_after_major_hazard(hazard=hazard, user=user)
        if approved:
            _issue(NoticeKind.CLOSURE_APPROVAL, inspection, user, {
                **_base_context(inspection), "hazards": approved, "approved_by": display_name(user),
                "approved_on": cn_date(timezone.localdate()),
                "reinspection_number": _notice_number(inspection, NoticeKind.REINSPECTION_OPINION),
                "reinspectors": [p["name"] for p in _people(list(last.inspectors.order_by("id")))] if last else [],
            })
        if not inspection.hazards.exclude(state__in=[HazardState.CLOSED, HazardState.FIXED_ON_SPOT]).exists():
            apply_transition(inspection, "close")
            _audit(user, "case_closed", inspection, _("全部隐患销号，案件办结"), inspection)
        return inspection

    return complete_human_task(task_id=task_id, user=user, nodes=[RectificationFlow.approve_closure], action=action)


def deadlines_check(*, today=None):
    """Hand overdue cases waiting for proof to re-inspection (run daily). Returns the cases moved."""
    today = today or timezone.localdate()
    moved = []
    waiting = Inspection.objects.filter(
        state=InspectionState.RECTIFYING, hazards__state=HazardState.RECTIFYING, hazards__deadline__lt=today
    ).distinct()
    for inspection in waiting:
        with transaction.atomic():
            if complete_handle(process=inspection.process, node=RectificationFlow.wait_proof):
                audit.record(actor=None, action="overdue_detected", target=inspection,
                             summary=_("整改期限届满，转复查"), inspection_id=inspection.pk)
                moved.append(inspection)
    return moved
