"""REST API (/api/v1/): the same services and checks as the pages, for every role."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from django.http import Http404
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action, api_view, permission_classes, throttle_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from viewflow.workflow.models import Task

from enterprises.models import Enterprise, Sector
from workflow import notices as notice_service
from workflow.engine import ActionRefused, TaskClosed, user_may_act
from workflow.models import Notice
from workflow.roles import enterprise_of, staff_of

from . import penalty_rules, penalty_services, selectors, services
from .models import BlacklistEntry, Hazard, Inspection, LegalProvision, PenaltyCase
from .throttle import LoginThrottleForm
from .views import visible_notices


API_MESSAGES = {
    exceptions.ParseError: _("请求内容无法解析，请检查格式。"),
    exceptions.NotAuthenticated: _("请先登录或提供有效的令牌。"),
    exceptions.AuthenticationFailed: _("身份验证失败，令牌无效或已失效。"),
    exceptions.MethodNotAllowed: _("不支持此请求方法。"),
    exceptions.UnsupportedMediaType: _("不支持的请求内容类型。"),
    exceptions.NotAcceptable: _("无法提供所要求的响应格式。"),
    exceptions.Throttled: _("请求过于频繁，请稍后再试。"),
}


def exception_handler(exc, context):
    """Every API refusal is a 4xx JSON error with a Chinese message."""
    if isinstance(exc, ActionRefused):
        return Response({"detail": exc.args[0]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, TaskClosed):
        return Response({"detail": exc.args[0]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, (Http404, exceptions.NotFound)):
        return Response({"detail": _("未找到，或您无权查看。")}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        exc = PermissionDenied(exc.args[0] if exc.args else _("您无权执行此操作。"))
    if isinstance(exc, PermissionDenied) and "CSRF" in str(exc.detail):
        exc = PermissionDenied(_("安全校验失败（缺少或过期的校验令牌），请刷新页面后重试。"))
    for kind, message in API_MESSAGES.items():
        if isinstance(exc, kind):
            response = drf_exception_handler(exc, context)
            response.data = {"detail": message}
            return response
    if isinstance(exc, exceptions.ValidationError) and exc.get_codes() in ({"non_field_errors": ["null"]},
                                                                          {"non_field_errors": ["invalid"]}):
        return Response({"detail": _("请求内容格式有误：应为包含各字段的对象。")}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
def not_found(request, path=""):
    return Response({"detail": _("接口不存在。")}, status=status.HTTP_404_NOT_FOUND)


# --- serializers ----------------------------------------------------------------------------------------

class EnterpriseSerializer(serializers.ModelSerializer):
    sectors = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Enterprise
        fields = ["id", "name", "uscc", "address", "sectors", "employees", "legal_representative",
                  "person_in_charge", "contact_person", "contact_phone"]


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    purpose = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class HazardSerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(read_only=True, slug_field="code")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    enterprise = serializers.CharField(source="inspection.enterprise.name", read_only=True)

    class Meta:
        model = Hazard
        fields = ["id", "inspection", "number", "description", "location", "sector", "level", "legal_basis",
                  "measures", "deadline", "deadline_provisional", "state", "state_label", "is_overdue",
                  "closed_at", "enterprise", "attachments"]


class InspectionSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    office = serializers.CharField(source="office.name", read_only=True)
    sector = serializers.SlugRelatedField(read_only=True, slug_field="code")
    hazards = HazardSerializer(many=True, read_only=True)
    inspectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "enterprise", "enterprise_name", "office", "sector", "lead_inspector", "inspectors",
                  "inspected_on", "place", "enterprise_representative", "signature", "refusal_note", "summary",
                  "state", "created_at", "closed_at", "hazards"]


class InspectionCreateSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    sector = serializers.SlugRelatedField(queryset=Sector.objects.all(), slug_field="code")
    inspectors = serializers.PrimaryKeyRelatedField(many=True, queryset=get_user_model().objects.all())
    inspected_on = serializers.DateField(required=False)
    place = serializers.CharField(max_length=200)
    enterprise_representative = serializers.CharField(max_length=30)
    signature = serializers.ChoiceField(choices=["signed", "refused"], default="signed")
    refusal_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class HazardCreateSerializer(serializers.Serializer):
    description = serializers.CharField()
    location = serializers.CharField(max_length=200)
    sector = serializers.SlugRelatedField(queryset=Sector.objects.all(), slug_field="code")
    level = serializers.ChoiceField(choices=["general", "major"])
    legal_basis = serializers.CharField(max_length=300)
    measures = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    fixed_on_spot = serializers.BooleanField(default=False)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    fix_photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ProofSerializer(serializers.Serializer):
    report = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)


class ExtensionRequestSerializer(serializers.Serializer):
    requested_deadline = serializers.DateField()
    reason = serializers.CharField()


class PlanSerializer(serializers.Serializer):
    goal_and_tasks = serializers.CharField()
    methods_and_measures = serializers.CharField()
    funds_and_materials = serializers.CharField()
    organisation_and_people = serializers.CharField()
    time_limit = serializers.DateField()
    safety_and_emergency = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ItemDecisionSerializer(DecisionSerializer):
    hazard = serializers.IntegerField()


class ItemDecisionsSerializer(serializers.Serializer):
    decisions = ItemDecisionSerializer(many=True)


class ResultSerializer(serializers.Serializer):
    hazard = serializers.IntegerField()
    passed = serializers.BooleanField()
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    new_deadline = serializers.DateField(required=False, allow_null=True, default=None)


class ReinspectionSerializer(serializers.Serializer):
    co_inspectors = serializers.PrimaryKeyRelatedField(
        many=True, queryset=get_user_model().objects.all())
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    results = ResultSerializer(many=True)


class TaskSerializer(serializers.ModelSerializer):
    node = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    inspection = serializers.SerializerMethodField()
    penalty_case = serializers.SerializerMethodField()
    can_act = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "node", "title", "status", "owner", "created", "inspection", "penalty_case", "can_act"]

    def get_node(self, task) -> str:
        return task.flow_task.name

    def get_title(self, task) -> str:
        return str(task.flow_task.task_title or task.flow_task.name)

    def get_inspection(self, task) -> int | None:
        process = task.process.coerced
        if hasattr(process, "inspection_id"):
            return process.inspection_id
        if hasattr(process, "extension_request_id"):
            return process.extension_request.hazard.inspection_id
        if hasattr(process, "plan_id"):
            return process.plan.hazard.inspection_id
        if hasattr(process, "case_id"):
            return process.case.inspection_id
        return None

    def get_penalty_case(self, task) -> int | None:
        return getattr(task.process.coerced, "case_id", None)

    def get_can_act(self, task) -> bool:
        return user_may_act(self.context["request"].user, task)


class NoticeSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "kind", "kind_label", "number", "year", "serial", "enterprise", "enterprise_name",
                  "inspection", "issued_at", "sha256", "verify_token"]


# --- endpoints ----------------------------------------------------------------------------------------------

def _staff_only(request):
    if staff_of(request.user) is None:
        raise PermissionDenied(_("仅管委会工作人员可以执行此操作。"))


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


@extend_schema(request=CredentialsSerializer, responses={200: dict})
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([])
def obtain_token(request):
    """Exchange a username and password for an API token (failed tries are throttled like the login page)."""
    credentials = CredentialsSerializer(data=request.data if isinstance(request.data, dict) else {})
    if not credentials.is_valid():
        return Response({"detail": _("请提供用户名和密码。"), "errors": credentials.errors},
                        status=status.HTTP_400_BAD_REQUEST)
    form = LoginThrottleForm(request, data=credentials.validated_data)
    if not form.is_valid():
        throttled = any(e.code == "throttled" for e in form.errors.as_data().get("__all__", []))
        return Response({"detail": " ".join(form.non_field_errors())},
                        status=status.HTTP_429_TOO_MANY_REQUESTS if throttled else status.HTTP_400_BAD_REQUEST)
    token, _created = Token.objects.get_or_create(user=form.get_user())
    return Response({"token": token.key})


class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EnterpriseSerializer

    def get_queryset(self):
        qs = Enterprise.objects.prefetch_related("sectors").order_by("id")
        if staff_of(self.request.user):
            return qs
        enterprise = enterprise_of(self.request.user)
        return qs.filter(pk=enterprise.pk) if enterprise else qs.none()


class InspectionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = InspectionSerializer

    def get_queryset(self):
        return selectors.visible_inspections(self.request.user).select_related(
            "enterprise", "office", "sector").prefetch_related("hazards__attachments", "hazards__sector",
                                                              "inspectors", "hazards__inspection__enterprise")

    @extend_schema(request=InspectionCreateSerializer, responses={201: InspectionSerializer})
    def create(self, request):
        _staff_only(request)
        s = InspectionCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        inspection = services.inspection_create(user=request.user, **s.validated_data)
        return Response(InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HazardCreateSerializer, responses={201: HazardSerializer})
    @action(detail=True, methods=["post"])
    def hazards(self, request, pk=None):
        _staff_only(request)
        inspection = self.get_object()
        s = HazardCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        hazard = services.hazard_add(user=request.user, inspection=inspection, **s.validated_data)
        return Response(HazardSerializer(hazard).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InspectionSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        _staff_only(request)
        inspection = services.inspection_submit(user=request.user, inspection=self.get_object())
        return Response(InspectionSerializer(Inspection.objects.get(pk=inspection.pk)).data)


class HazardViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = HazardSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.hazard_ledger(
            self.request.user, state=p.get("state") or None, level=p.get("level") or None,
            overdue=p.get("overdue") in ("1", "true"), search=p.get("q") or None,
        ).prefetch_related("attachments")

    def _hazard(self, pk):
        return selectors.get_visible_hazard(self.request.user, pk)

    @extend_schema(request=ProofSerializer, responses={201: HazardSerializer})
    @action(detail=True, methods=["post"])
    def proofs(self, request, pk=None):
        hazard = self._hazard(pk)
        s = ProofSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.proof_submit(user=request.user, hazard=hazard, **s.validated_data)
        return Response(HazardSerializer(Hazard.objects.get(pk=hazard.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExtensionRequestSerializer, responses={201: dict})
    @action(detail=True, methods=["post"], url_path="extension-requests")
    def extension_requests(self, request, pk=None):
        hazard = self._hazard(pk)
        s = ExtensionRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        extension = services.extension_request(user=request.user, hazard=hazard, **s.validated_data)
        return Response({"id": extension.pk, "decision": extension.decision}, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanSerializer, responses={201: dict})
    @action(detail=True, methods=["post"])
    def plans(self, request, pk=None):
        hazard = self._hazard(pk)
        s = PlanSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        plan = services.plan_submit(user=request.user, hazard=hazard, **s.validated_data)
        return Response({"id": plan.pk, "decision": plan.decision}, status=status.HTTP_201_CREATED)


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Open human tasks the user may act on: assigned to them or queued to their office."""

    serializer_class = TaskSerializer

    def get_queryset(self):
        if staff_of(self.request.user) is None:
            return Task.objects.none()
        if self.action == "list":
            return Task.objects.user_queue(self.request.user).filter(
                status__in=["NEW", "ASSIGNED"]).select_related("process").order_by("id")
        # acting on another office's task is a 403 from the service, not a 404
        return Task.objects.filter(flow_task_type="HUMAN").select_related("process")

    def _complete(self, request, pk, serializer_class, call):
        _staff_only(request)
        task = self.get_object()
        s = serializer_class(data=request.data)
        s.is_valid(raise_exception=True)
        call(task, s.validated_data)
        return Response(TaskSerializer(Task.objects.get(pk=task.pk), context={"request": request}).data)

    @extend_schema(request=DecisionSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"], url_path="order-decision")
    def order_decision(self, request, pk=None):
        return self._complete(request, pk, DecisionSerializer, lambda t, d: services.order_decide(
            user=request.user, task_id=t.pk, approve=d["approve"], comment=d["comment"]))

    @extend_schema(request=ItemDecisionsSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"], url_path="plan-decisions")
    def plan_decisions(self, request, pk=None):
        return self._complete(request, pk, ItemDecisionsSerializer, lambda t, d: services.plan_decide(
            user=request.user, task_id=t.pk, decisions=_decisions(d)))

    @extend_schema(request=ReinspectionSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"])
    def reinspection(self, request, pk=None):
        return self._complete(request, pk, ReinspectionSerializer, lambda t, d: services.reinspection_record(
            user=request.user, task_id=t.pk, co_inspectors=d["co_inspectors"], notes=d["notes"],
            results={r["hazard"]: (r["passed"], r["comment"], r["new_deadline"]) for r in d["results"]}))

    @extend_schema(request=ItemDecisionsSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"], url_path="closure-decisions")
    def closure_decisions(self, request, pk=None):
        return self._complete(request, pk, ItemDecisionsSerializer, lambda t, d: services.closure_decide(
            user=request.user, task_id=t.pk, decisions=_decisions(d)))

    @extend_schema(request=DecisionSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"], url_path="extension-decision")
    def extension_decision(self, request, pk=None):
        return self._complete(request, pk, DecisionSerializer, lambda t, d: services.extension_decide(
            user=request.user, task_id=t.pk, approve=d["approve"], comment=d["comment"]))


def _decisions(data):
    return {d["hazard"]: (d["approve"], d["comment"]) for d in data["decisions"]}


class NoticeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NoticeSerializer

    def get_queryset(self):
        return visible_notices(self.request.user).select_related("enterprise").order_by("-issued_at", "-id")

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        notice = notice_service.ensure_pdf(self.get_object().pk)
        return FileResponse(notice.pdf.open("rb"), content_type="application/pdf", filename=f"{notice.number}.pdf")




# --- administrative penalty ----------------------------------------------------------------------------------



class ProvisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalProvision
        fields = ["code", "title", "violation", "penalty_text", "org_fine_min", "org_fine_max", "person_fine_min",
                  "person_fine_max", "allows_suspension", "daily_fine"]


class PenaltyCaseSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    office = serializers.CharField(source="office.name", read_only=True)
    provision = serializers.SlugRelatedField(read_only=True, slug_field="code")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    next_deadline = serializers.SerializerMethodField()
    statements = serializers.SerializerMethodField()

    class Meta:
        model = PenaltyCase
        fields = ["id", "enterprise", "enterprise_name", "office", "inspection", "hazard", "origin", "cause", "facts",
                  "evidence", "provision", "responsible_person", "complex_case", "state", "state_label", "filed_on",
                  "decision_due", "notified_org_fine", "notified_person_fine", "notified_suspension", "notified_on",
                  "hearing_rights", "statement_due", "hearing_request_due", "hearing_on", "hearing_place",
                  "decided_org_fine", "decided_person_fine", "decided_suspension", "decided_on", "served_on",
                  "service_method", "disclosed_on", "paid_on", "paid_amount", "late_fee", "drop_kind", "drop_reason",
                  "next_deadline", "statements"]
        read_only_fields = fields

    def get_next_deadline(self, case) -> dict | None:
        found = penalty_rules.next_deadline(case)
        return {"label": str(found[0]), "date": found[1]} if found else None

    def get_statements(self, case) -> list[dict]:
        return [{"kind": s.kind, "text": s.text, "filed_at": s.filed_at} for s in case.statements.all()]


class PenaltyProposeSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    cause = serializers.CharField(max_length=200)
    facts = serializers.CharField(required=False, allow_blank=True, default="")
    hazard = serializers.PrimaryKeyRelatedField(queryset=Hazard.objects.all(), required=False, allow_null=True,
                                                default=None)


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")


class HearingScheduleSerializer(serializers.Serializer):
    hearing_on = serializers.DateField()
    place = serializers.CharField(max_length=200)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class AmountsSerializer(serializers.Serializer):
    org_fine = serializers.IntegerField(min_value=0, default=0)
    person_fine = serializers.IntegerField(min_value=0, default=0)
    suspension = serializers.BooleanField(default=False)


class PenaltyTaskSerializer(serializers.Serializer):
    """The fields each penalty step takes; only those of the task's step are read."""

    approve = serializers.BooleanField(required=False, default=True)
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    officers = serializers.PrimaryKeyRelatedField(many=True, queryset=get_user_model().objects.all(), required=False,
                                                  default=list)
    revoke_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    facts = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    provision = serializers.SlugRelatedField(queryset=LegalProvision.objects.filter(active=True), slug_field="code",
                                             required=False, allow_null=True, default=None)
    responsible_person = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    complex_case = serializers.BooleanField(required=False, default=False)
    org_fine = serializers.IntegerField(min_value=0, required=False, default=0)
    person_fine = serializers.IntegerField(min_value=0, required=False, default=0)
    suspension = serializers.BooleanField(required=False, default=False)
    renotify = AmountsSerializer(required=False, allow_null=True, default=None)
    record = serializers.CharField(required=False, allow_blank=True, default="")
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    participants = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    held_on = serializers.DateField(required=False, allow_null=True, default=None)
    conclusion = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(choices=["decide", "no_penalty", "renotify"], required=False, default="decide")
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    served_on = serializers.DateField(required=False, allow_null=True, default=None)
    method = serializers.ChoiceField(choices=["in_person", "left", "post", "electronic"], required=False,
                                     default="in_person")
    recipient = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    witness = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    consent = serializers.BooleanField(required=False, default=False)
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)
    amount = serializers.IntegerField(min_value=0, required=False, default=0)
    receipt = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


def _required(d, *names):
    missing = [n for n in names if d.get(n) in (None, "")]
    if missing:
        raise serializers.ValidationError({n: [_("该字段是必填项。")] for n in missing})


def _penalty_step(node_name, user, task_id, d):
    ps = penalty_services
    if d["revoke_reason"] and node_name in ("investigate", "notify"):
        return ps.case_revoke(user=user, task_id=task_id, reason=d["revoke_reason"])
    if node_name == "approve_filing":
        return ps.filing_decide(user=user, task_id=task_id, approve=d["approve"], officers=d["officers"],
                                comment=d["comment"])
    if node_name == "investigate":
        _required(d, "provision")
        return ps.investigation_record(user=user, task_id=task_id, facts=d["facts"], evidence=d["evidence"],
                                       provision=d["provision"], responsible_person=d["responsible_person"],
                                       complex_case=d["complex_case"])
    if node_name == "notify":
        return ps.notification_issue(user=user, task_id=task_id, org_fine=d["org_fine"], person_fine=d["person_fine"],
                                     suspension=d["suspension"])
    if node_name == "prepare_decision":
        return ps.prepare_submit(user=user, task_id=task_id, renotify=d["renotify"])
    if node_name == "hold_hearing":
        return ps.hearing_record_submit(user=user, task_id=task_id, record=d["record"])
    if node_name == "legal_review":
        return ps.legal_review_decide(user=user, task_id=task_id, approve=d["approve"], opinion=d["opinion"])
    if node_name == "deliberate":
        _required(d, "held_on")
        return ps.deliberation_record(user=user, task_id=task_id, participants=d["participants"],
                                      held_on=d["held_on"], conclusion=d["conclusion"])
    if node_name == "decide":
        return ps.decision_make(user=user, task_id=task_id, outcome=d["outcome"], org_fine=d["org_fine"],
                                person_fine=d["person_fine"], suspension=d["suspension"], reason=d["reason"])
    if node_name == "serve":
        _required(d, "served_on")
        return ps.service_record(user=user, task_id=task_id, served_on=d["served_on"], method=d["method"],
                                 recipient=d["recipient"], witness=d["witness"], consent=d["consent"])
    if node_name == "disclose":
        return ps.disclosure_publish(user=user, task_id=task_id)
    if node_name == "record_payment":
        _required(d, "paid_on")
        return ps.payment_record(user=user, task_id=task_id, paid_on=d["paid_on"], amount=d["amount"],
                                 receipt=d["receipt"])
    if node_name == "approve_closing":
        return ps.closing_approve(user=user, task_id=task_id, comment=d["comment"])
    raise ActionRefused(_("此任务不是行政处罚环节。"))


@extend_schema(request=PenaltyTaskSerializer, responses={200: TaskSerializer})
@api_view(["POST"])
def penalty_task_complete(request, pk):
    """Complete a penalty (or blacklist) step: the body carries the fields of that step."""
    _staff_only(request)
    try:
        task = Task.objects.get(pk=pk, flow_task_type="HUMAN")
    except Task.DoesNotExist:
        return Response({"detail": _("任务不存在。")}, status=status.HTTP_404_NOT_FOUND)
    s = PenaltyTaskSerializer(data=request.data)
    s.is_valid(raise_exception=True)
    from .flows import BlacklistFlow, PenaltyFlow

    node = task.flow_task
    if node.flow_class is BlacklistFlow:
        penalty_services.blacklist_decide(user=request.user, task_id=task.pk, approve=s.validated_data["approve"],
                                          comment=s.validated_data["comment"])
    elif node.flow_class is PenaltyFlow:
        _penalty_step(node.name, request.user, task.pk, s.validated_data)
    else:
        raise ActionRefused(_("此任务不是行政处罚环节。"))
    return Response(TaskSerializer(Task.objects.get(pk=task.pk), context={"request": request}).data)


class ProvisionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProvisionSerializer
    queryset = LegalProvision.objects.filter(active=True).order_by("id")
    lookup_field = "code"


class PenaltyCaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PenaltyCaseSerializer

    def get_queryset(self):
        return selectors.visible_penalty_cases(self.request.user).select_related(
            "enterprise", "office", "provision").prefetch_related("statements").order_by("-proposed_at", "-id")

    @extend_schema(request=PenaltyProposeSerializer, responses={201: PenaltyCaseSerializer})
    def create(self, request):
        _staff_only(request)
        s = PenaltyProposeSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        case = penalty_services.penalty_propose(user=request.user, enterprise=d["enterprise"], cause=d["cause"],
                                                facts=d["facts"], hazard=d["hazard"],
                                                origin="inspection_finding" if d["hazard"] else "manual")
        return Response(PenaltyCaseSerializer(case).data, status=status.HTTP_201_CREATED)

    def _respond(self, case):
        return Response(PenaltyCaseSerializer(PenaltyCase.objects.get(pk=case.pk)).data)

    @extend_schema(request=TextSerializer, responses={200: PenaltyCaseSerializer})
    @action(detail=True, methods=["post"])
    def statements(self, request, pk=None):
        s = TextSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        case = self.get_object()
        penalty_services.statement_file(user=request.user, case=case, text=s.validated_data["text"])
        return self._respond(case)

    @extend_schema(request=TextSerializer, responses={200: PenaltyCaseSerializer})
    @action(detail=True, methods=["post"], url_path="hearing-request")
    def hearing_request(self, request, pk=None):
        s = TextSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        case = self.get_object()
        penalty_services.hearing_request(user=request.user, case=case, text=s.validated_data["text"])
        return self._respond(case)

    @extend_schema(request=HearingScheduleSerializer, responses={200: PenaltyCaseSerializer})
    @action(detail=True, methods=["post"], url_path="hearing-schedule")
    def hearing_schedule(self, request, pk=None):
        _staff_only(request)
        s = HearingScheduleSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        case = self.get_object()
        penalty_services.hearing_schedule(user=request.user, case=case, **s.validated_data)
        return self._respond(case)

    @extend_schema(request=ReasonSerializer, responses={200: PenaltyCaseSerializer})
    @action(detail=True, methods=["post"])
    def extension(self, request, pk=None):
        _staff_only(request)
        s = ReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        case = self.get_object()
        penalty_services.decision_extend(user=request.user, case=case, reason=s.validated_data["reason"])
        return self._respond(case)


class BlacklistSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = BlacklistEntry
        fields = ["id", "enterprise", "enterprise_name", "kind", "reason", "state", "proposed_at", "decided_at",
                  "delisted_at", "delist_reason"]
        read_only_fields = fields


class BlacklistViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BlacklistSerializer

    def get_queryset(self):
        if staff_of(self.request.user) is None:
            return BlacklistEntry.objects.none()
        return BlacklistEntry.objects.select_related("enterprise")

    @extend_schema(request=ReasonSerializer, responses={200: BlacklistSerializer})
    @action(detail=True, methods=["post"])
    def delist(self, request, pk=None):
        s = ReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        entry = penalty_services.blacklist_delist(user=request.user, entry=self.get_object(),
                                                  reason=s.validated_data["reason"])
        return Response(BlacklistSerializer(entry).data)


class DisclosureSerializer(serializers.Serializer):
    """The public disclosure: no identity or phone numbers (安全生产法 Art. 78)."""

    id = serializers.IntegerField()
    enterprise = serializers.CharField(source="enterprise.name")
    uscc = serializers.CharField(source="enterprise.uscc")
    cause = serializers.SerializerMethodField()
    facts = serializers.SerializerMethodField()
    provision = serializers.CharField(source="provision.title")
    org_fine = serializers.IntegerField(source="decided_org_fine")
    suspension = serializers.BooleanField(source="decided_suspension")
    decided_on = serializers.DateField()
    decision_number = serializers.SerializerMethodField()

    def get_cause(self, case) -> str:
        return penalty_rules.redact(case.cause)

    def get_facts(self, case) -> str:
        return penalty_rules.redact(case.facts)

    def get_decision_number(self, case) -> str:
        notice = case.notices.filter(kind="penalty_decision", context__variant="organisation").first()
        return notice.number if notice else ""


class DisclosureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DisclosureSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return selectors.disclosed_penalties().prefetch_related("notices")
