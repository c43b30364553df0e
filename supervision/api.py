"""REST API of real-name supervision (/api/v1/supervision/): the same services and checks as the pages."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from viewflow.workflow.models import Task

from enterprises import services as ent_services
from enterprises.flows import AssignmentFlow
from enterprises.models import (
    AssignmentChange, ChangeState, Enterprise, GradeAssessment, GradeCadence, ResponsibleAssignment, ResponsibleRole,
    RiskGrade,
)
from hazards.forms import MAX_ID
from workflow.engine import open_human_task, user_may_act
from workflow.models import Staff
from workflow.roles import enterprise_of, staff_of

from . import duties as duty_service
from .boards import board_notices
from . import services
from .models import (
    DutyReport, DutyRule, GuidanceVisit, InspectionPlan, MeetingKind, Occasion, PlannedVisit, PresenceRequest,
    Reminder, SafetyMeeting,
)

User = get_user_model()
EARLIEST = datetime.date(2000, 1, 1)


# --- permissions -----------------------------------------------------------------------------------------------

class IsStaff(BasePermission):
    message = _("仅管委会工作人员可以使用此接口。")

    def has_permission(self, request, view):
        return staff_of(request.user) is not None


class StaffOrEnterpriseReads(BasePermission):
    """Staff do everything; an enterprise user may only read (its own record, by the queryset)."""

    message = _("企业用户只能查看本企业的监管信息。")

    def has_permission(self, request, view):
        if staff_of(request.user) is not None:
            return True
        return request.method in SAFE_METHODS and enterprise_of(request.user) is not None


STAFF_ONLY = [IsAuthenticated, IsStaff]


# --- fields --------------------------------------------------------------------------------------------------

class UserField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "required": _("该字段是必填项。"),
        "does_not_exist": _("用户（编号 {pk_value}）不存在。"),
        "incorrect_type": _("用户编号应为整数。"),
    }

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", User.objects.all())
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.INT)
class StaffField(serializers.RelatedField):
    """A committee member given by the id of their user account."""

    default_error_messages = {
        "does_not_exist": _("用户（编号 {pk_value}）不是管委会工作人员。"),
        "incorrect_type": _("工作人员应以其用户编号（整数）表示。"),
    }

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Staff.objects.select_related("office"))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)) or not str(data).strip().isdigit():
            self.fail("incorrect_type", data_type=type(data).__name__)
        if int(data) > MAX_ID:  # too large for the database: no such person, not a crash
            self.fail("does_not_exist", pk_value=data)
        try:
            return self.get_queryset().get(user_id=int(data))
        except Staff.DoesNotExist:
            self.fail("does_not_exist", pk_value=data)

    def to_representation(self, value):
        return value.user_id


class EnterpriseField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "required": _("该字段是必填项。"),
        "does_not_exist": _("企业（编号 {pk_value}）不存在。"),
        "incorrect_type": _("企业编号应为整数。"),
    }

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Enterprise.objects.all())
        super().__init__(**kwargs)


def _name(user):
    if user is None:
        return ""
    staff = staff_of(user)
    return staff.full_name if staff else (user.get_full_name() or user.get_username())


@extend_schema_field(OpenApiTypes.STR)
class NameField(serializers.Field):
    """Read-only display name of a user."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return _name(value)


# --- enterprises, grades and the three responsible persons ------------------------------------------------------

class PersonSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    name = serializers.CharField(source="person_name", read_only=True)
    user = serializers.SerializerMethodField()

    class Meta:
        model = ResponsibleAssignment
        fields = ["role", "role_label", "name", "position", "phone", "start_date", "end_date", "user"]
        read_only_fields = fields

    def get_user(self, a) -> int | None:
        return a.staff.user_id if a.staff_id else None


class HistorySerializer(PersonSerializer):
    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "change"]
        read_only_fields = fields


class GradeSerializer(serializers.ModelSerializer):
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)
    set_by_name = NameField(source="set_by")

    class Meta:
        model = GradeAssessment
        fields = ["id", "grade", "grade_label", "reason", "set_on", "set_by", "set_by_name", "created_at"]
        read_only_fields = fields


class SupervisedEnterpriseSerializer(serializers.ModelSerializer):
    risk_grade_label = serializers.CharField(source="get_risk_grade_display", read_only=True)
    sectors = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    persons = serializers.SerializerMethodField()
    board = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = ["id", "name", "uscc", "address", "sectors", "risk_grade", "risk_grade_label", "is_key_supervised",
                  "persons", "board"]
        read_only_fields = fields

    def get_persons(self, enterprise) -> list[dict]:
        rows = sorted(enterprise.current_rows, key=lambda a: ResponsibleRole.values.index(a.role))
        return PersonSerializer(rows, many=True).data

    def get_board(self, enterprise) -> dict | None:
        notice = enterprise.board_notices[0] if enterprise.board_notices else None
        if notice is None:
            return None
        return {"id": notice.pk, "number": notice.number, "issued_at": notice.issued_at}


class SupervisedEnterpriseDetailSerializer(SupervisedEnterpriseSerializer):
    assignment_history = serializers.SerializerMethodField()
    grade_history = serializers.SerializerMethodField()

    class Meta(SupervisedEnterpriseSerializer.Meta):
        fields = [*SupervisedEnterpriseSerializer.Meta.fields, "assignment_history", "grade_history"]
        read_only_fields = fields

    def get_assignment_history(self, enterprise) -> list[dict]:
        rows = enterprise.responsible_assignments.select_related("staff").order_by("role", "-start_date", "-id")
        return HistorySerializer(rows, many=True).data

    def get_grade_history(self, enterprise) -> list[dict]:
        return GradeSerializer(enterprise.grade_assessments.select_related("set_by__staff"), many=True).data


class GradeSetSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=RiskGrade.choices, error_messages={
        "invalid_choice": _("风险等级须为 red、orange、yellow、blue 之一。")})
    reason = serializers.CharField(max_length=300)
    set_on = serializers.DateField(required=False, allow_null=True, default=None)


def _flag(request, name):
    return request.query_params.get(name, "").lower() in ("1", "true", "yes")


def _int_param(request, name):
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        raise ValidationError({name: [_("参数 %(n)s 应为整数。") % {"n": name}]}) from None
    if abs(number) > MAX_ID:  # a forged id too large for the database
        raise ValidationError({name: [_("参数 %(n)s 超出范围。") % {"n": name}]})
    return number


ENTERPRISE_PARAMS = [OpenApiParameter("all", OpenApiTypes.BOOL, description=_("为 1 时列出全部企业，否则只列重点管控企业")),
                     OpenApiParameter("grade", OpenApiTypes.STR, enum=RiskGrade.values)]


@extend_schema(parameters=ENTERPRISE_PARAMS)
class SupervisedEnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    """Key-supervised enterprises with their grade, three responsible persons and latest listing board."""

    permission_classes = [IsAuthenticated, StaffOrEnterpriseReads]
    queryset = Enterprise.objects.none()

    def get_serializer_class(self):
        return SupervisedEnterpriseDetailSerializer if self.action == "retrieve" else SupervisedEnterpriseSerializer

    def get_queryset(self):
        today = timezone.localdate()
        current = ResponsibleAssignment.objects.held_on(today).select_related("staff")
        boards = board_notices()
        qs = Enterprise.objects.prefetch_related(
            "sectors", Prefetch("responsible_assignments", queryset=current, to_attr="current_rows"),
            Prefetch("notices", queryset=boards, to_attr="board_notices")).order_by("name", "id")
        if staff_of(self.request.user) is None:
            enterprise = enterprise_of(self.request.user)
            return qs.filter(pk=enterprise.pk) if enterprise else qs.none()
        if self.action == "list":
            if not _flag(self.request, "all"):
                qs = qs.filter(is_key_supervised=True)
            grade = self.request.query_params.get("grade")
            if grade:
                if grade not in RiskGrade.values:
                    raise ValidationError({"grade": [_("风险等级须为 red、orange、yellow、blue 之一。")]})
                qs = qs.filter(risk_grade=grade)
        return qs

    def get_object(self):
        pk = self.kwargs.get("pk", "")
        if not str(pk).isdigit():
            raise NotFound()
        return super().get_object()

    @extend_schema(request=GradeSetSerializer, responses={201: GradeSerializer})
    @action(detail=True, methods=["post"])
    def grade(self, request, pk=None):
        enterprise = self.get_object()
        s = GradeSetSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        assessment = ent_services.grade_set(user=request.user, enterprise=enterprise, **s.validated_data)
        return Response(GradeSerializer(assessment).data, status=status.HTTP_201_CREATED)


class AssignmentChangeSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    administrative_staff = StaffField(read_only=True)
    regulator_staff = StaffField(read_only=True)
    administrative_name = serializers.CharField(source="administrative_staff.full_name", default="", read_only=True)
    regulator_name = serializers.CharField(source="regulator_staff.full_name", default="", read_only=True)
    requested_by_name = NameField(source="requested_by")
    decided_by_name = NameField(source="decided_by")
    task = serializers.SerializerMethodField()

    class Meta:
        model = AssignmentChange
        fields = ["id", "enterprise", "enterprise_name", "kind", "kind_label", "effective_from", "reason",
                  "administrative_staff", "administrative_name", "regulator_staff", "regulator_name",
                  "enterprise_person", "enterprise_position", "enterprise_phone", "state", "state_label",
                  "requested_by", "requested_by_name", "requested_at", "decided_by", "decided_by_name", "decided_at",
                  "comment", "task"]
        read_only_fields = fields

    def get_task(self, change) -> dict | None:
        """The open approval task, and whether the requesting user may act on it."""
        process = getattr(change, "process", None)
        task = open_human_task(process, AssignmentFlow.approve) if process is not None else None
        if task is None:
            return None
        request = self.context.get("request")
        return {"id": task.pk, "can_act": bool(request and user_may_act(request.user, task))}


class AssignmentProposeSerializer(serializers.Serializer):
    enterprise = EnterpriseField()
    kind = serializers.ChoiceField(choices=AssignmentChange.Kind.choices, error_messages={
        "invalid_choice": _("类别须为 designate（确定）、change（调整）或 release（解除）。")})
    effective_from = serializers.DateField()
    reason = serializers.CharField(max_length=300)
    administrative_staff = StaffField(required=False, allow_null=True, default=None)
    regulator_staff = StaffField(required=False, allow_null=True, default=None)
    enterprise_person = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    enterprise_position = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    enterprise_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


@extend_schema(parameters=[OpenApiParameter("enterprise", OpenApiTypes.INT),
                           OpenApiParameter("state", OpenApiTypes.STR, enum=["submitted", "approved", "rejected"])])
class AssignmentChangeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Designations and changes of the three responsible persons (approved by a leader)."""

    permission_classes = STAFF_ONLY
    serializer_class = AssignmentChangeSerializer
    queryset = AssignmentChange.objects.none()

    def get_queryset(self):
        qs = AssignmentChange.objects.select_related(
            "enterprise", "administrative_staff", "regulator_staff", "requested_by__staff", "decided_by__staff",
            "process")
        if self.action == "list":
            enterprise = _int_param(self.request, "enterprise")
            if enterprise is not None:
                qs = qs.filter(enterprise_id=enterprise)
            state = self.request.query_params.get("state")
            if state:
                if state not in ChangeState.values:
                    raise ValidationError({"state": [_("状态须为 submitted、approved 或 rejected。")]})
                qs = qs.filter(state=state)
        return qs

    @extend_schema(request=AssignmentProposeSerializer, responses={201: AssignmentChangeSerializer})
    def create(self, request):
        s = AssignmentProposeSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        change = ent_services.assignment_propose(user=request.user, **s.validated_data)
        change = self.get_queryset().get(pk=change.pk)
        return Response(self.get_serializer(change).data, status=status.HTTP_201_CREATED)


class AssignmentDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", _("批准")), ("reject", _("退回"))], error_messages={
        "invalid_choice": _("决定须为 approve（批准）或 reject（退回）。")})
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


@extend_schema(request=AssignmentDecisionSerializer, responses={200: AssignmentChangeSerializer})
@api_view(["POST"])
@permission_classes(STAFF_ONLY)
def assignment_task_decide(request, task_id):
    """Approve or return a designation or change of the three responsible persons."""
    if not Task.objects.filter(pk=task_id, flow_task_type="HUMAN").exists():
        raise NotFound()
    s = AssignmentDecisionSerializer(data=request.data)
    s.is_valid(raise_exception=True)
    change = ent_services.assignment_decide(user=request.user, task_id=task_id,
                                            approve=s.validated_data["decision"] == "approve",
                                            comment=s.validated_data["comment"])
    change = AssignmentChange.objects.select_related("enterprise", "process").get(pk=change.pk)
    return Response(AssignmentChangeSerializer(change, context={"request": request}).data)


# --- duty records -------------------------------------------------------------------------------------------------

def _date_range(request, qs, field):
    for name, lookup in (("from", "gte"), ("to", "lte")):
        value = request.query_params.get(name)
        if value:
            try:
                day = datetime.date.fromisoformat(value)
            except ValueError:
                raise ValidationError({name: [_("日期格式应为 YYYY-MM-DD。")]}) from None
            qs = qs.filter(**{f"{field}__{lookup}": day})
    return qs


DATE_PARAMS = [OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)]


class VisitSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    occasion = serializers.ChoiceField(choices=Occasion.choices, default=Occasion.ROUTINE, error_messages={
        "invalid_choice": _("检查事由无效。")})
    occasion_label = serializers.CharField(source="get_occasion_display", read_only=True)
    led_by = UserField()
    led_by_name = NameField(source="led_by")
    participants = UserField(many=True, required=False)
    participant_names = serializers.SerializerMethodField()
    problems_found = serializers.IntegerField(min_value=0, max_value=999, default=0)
    recorded_by_name = NameField(source="recorded_by")

    class Meta:
        model = GuidanceVisit
        fields = ["id", "enterprise", "enterprise_name", "visited_on", "occasion", "occasion_label", "led_by",
                  "led_by_name", "participants", "participant_names", "summary", "problems_found", "recorded_by",
                  "recorded_by_name", "recorded_at"]
        read_only_fields = ["id", "recorded_by", "recorded_at"]

    def get_participant_names(self, visit) -> list[str]:
        return [_name(u) for u in visit.participants.all()]


@extend_schema(parameters=[OpenApiParameter("enterprise", OpenApiTypes.INT), *DATE_PARAMS])
class VisitViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Checks and guidance visits (检查指导) at enterprises."""

    permission_classes = STAFF_ONLY
    serializer_class = VisitSerializer
    queryset = GuidanceVisit.objects.none()

    def get_queryset(self):
        qs = GuidanceVisit.objects.select_related("enterprise", "led_by__staff", "recorded_by__staff").prefetch_related(
            "participants__staff")
        if self.action == "list":
            enterprise = _int_param(self.request, "enterprise")
            if enterprise is not None:
                qs = qs.filter(enterprise_id=enterprise)
            qs = _date_range(self.request, qs, "visited_on")
        return qs

    def create(self, request):
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        visit = services.visit_record(user=request.user, enterprise=d["enterprise"], visited_on=d["visited_on"],
                                      led_by=d["led_by"], participants=d.get("participants", []),
                                      summary=d["summary"], occasion=d["occasion"],
                                      problems_found=d["problems_found"])
        return Response(self.get_serializer(self.get_queryset().get(pk=visit.pk)).data, status=status.HTTP_201_CREATED)


class MeetingSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices, error_messages={
        "invalid_choice": _("会议类别须为 work_meeting（安全生产工作会议）或 study（研究分析安全生产工作）。")})
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    chaired_by = UserField()
    chaired_by_name = NameField(source="chaired_by")
    on_behalf_of = UserField(required=False, allow_null=True, default=None)
    on_behalf_of_name = NameField(source="on_behalf_of")
    attendees = UserField(many=True)
    attendee_names = serializers.SerializerMethodField()

    class Meta:
        model = SafetyMeeting
        fields = ["id", "kind", "kind_label", "title", "held_on", "chaired_by", "chaired_by_name", "on_behalf_of",
                  "on_behalf_of_name", "attendees", "attendee_names", "minutes", "recorded_by", "recorded_at"]
        read_only_fields = ["id", "recorded_by", "recorded_at"]

    def get_attendee_names(self, meeting) -> list[str]:
        return [_name(u) for u in meeting.attendees.all()]


@extend_schema(parameters=DATE_PARAMS)
class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Safety meetings (安全生产工作会议, 研究分析) with minutes and attendees."""

    permission_classes = STAFF_ONLY
    serializer_class = MeetingSerializer
    queryset = SafetyMeeting.objects.none()

    def get_queryset(self):
        qs = SafetyMeeting.objects.select_related("chaired_by__staff", "on_behalf_of__staff").prefetch_related(
            "attendees__staff")
        if self.action == "list":
            qs = _date_range(self.request, qs, "held_on")
        return qs

    def create(self, request):
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        meeting = services.meeting_record(user=request.user, **s.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data,
                        status=status.HTTP_201_CREATED)


class ReportSerializer(serializers.ModelSerializer):
    reporter = UserField()
    reporter_name = NameField(source="reporter")
    received_by = UserField()
    received_by_name = NameField(source="received_by")

    class Meta:
        model = DutyReport
        fields = ["id", "reporter", "reporter_name", "received_by", "received_by_name", "reported_on", "summary",
                  "recorded_by", "recorded_at"]
        read_only_fields = ["id", "recorded_by", "recorded_at"]


@extend_schema(parameters=DATE_PARAMS)
class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Leaders' reports on their safety duties to the principal leader (专题汇报)."""

    permission_classes = STAFF_ONLY
    serializer_class = ReportSerializer
    queryset = DutyReport.objects.none()

    def get_queryset(self):
        qs = DutyReport.objects.select_related("reporter__staff", "received_by__staff")
        if self.action == "list":
            qs = _date_range(self.request, qs, "reported_on")
        return qs

    def create(self, request):
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        report = services.report_record(user=request.user, **s.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data,
                        status=status.HTTP_201_CREATED)


class PresenceDutySerializer(serializers.Serializer):
    role = serializers.CharField()
    role_label = serializers.SerializerMethodField()
    person = serializers.IntegerField(source="person_id")
    person_name = NameField(source="person")
    attended = serializers.BooleanField()
    visit = serializers.IntegerField(source="visit_id", allow_null=True)
    visited_on = serializers.DateField(source="visit.visited_on", allow_null=True, default=None)

    def get_role_label(self, duty) -> str:
        return str(ResponsibleRole(duty.role).label) if duty.role in ResponsibleRole.values else duty.role


PRESENCE_OCCASIONS = [(o.value, o.label) for o in (Occasion.RESUMPTION, Occasion.DANGER, Occasion.ACCIDENT,
                                                    Occasion.KEY_DATE)]


class PresenceRequestSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    occasion = serializers.ChoiceField(choices=PRESENCE_OCCASIONS, error_messages={
        "invalid_choice": _("到场事由须为 resumption（复工复产）、danger（出现险情）、accident（发生事故）或 "
                            "key_date（重要节点）。")})
    occasion_label = serializers.CharField(source="get_occasion_display", read_only=True)
    duties = PresenceDutySerializer(many=True, read_only=True)
    attended = serializers.SerializerMethodField()

    class Meta:
        model = PresenceRequest
        fields = ["id", "enterprise", "enterprise_name", "occasion", "occasion_label", "occurred_on", "due_by",
                  "description", "hazard", "raised_by", "created_at", "attended", "duties"]
        read_only_fields = ["id", "due_by", "hazard", "raised_by", "created_at"]

    def get_attended(self, presence) -> bool:
        """Every person asked to be present has been."""
        return all(d.attended for d in presence.duties.all())


@extend_schema(parameters=[OpenApiParameter("enterprise", OpenApiTypes.INT),
                           OpenApiParameter("open", OpenApiTypes.BOOL, description=_("为 1 时只列尚有人未到场的")),
                           *DATE_PARAMS])
class PresenceRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Key moments at which the administrative and regulator leads must be present, and whether they were."""

    permission_classes = STAFF_ONLY
    serializer_class = PresenceRequestSerializer
    queryset = PresenceRequest.objects.none()

    def get_queryset(self):
        qs = PresenceRequest.objects.select_related("enterprise").prefetch_related(
            "duties__person__staff", "duties__visit")
        if self.action == "list":
            enterprise = _int_param(self.request, "enterprise")
            if enterprise is not None:
                qs = qs.filter(enterprise_id=enterprise)
            if _flag(self.request, "open"):
                qs = qs.filter(duties__visit__isnull=True).distinct()
            qs = _date_range(self.request, qs, "occurred_on")
        return qs

    def create(self, request):
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        presence = services.presence_request_raise(user=request.user, **s.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=presence.pk)).data,
                        status=status.HTTP_201_CREATED)


# --- annual inspection plans -------------------------------------------------------------------------------------

class PlannedVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlannedVisit
        fields = ["id", "plan", "planned_on", "note"]
        read_only_fields = ["id", "plan"]


class InspectionPlanSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    grade_label = serializers.SerializerMethodField()
    visits = PlannedVisitSerializer(many=True, read_only=True)
    done = serializers.SerializerMethodField()

    class Meta:
        model = InspectionPlan
        fields = ["id", "enterprise", "enterprise_name", "year", "grade", "grade_label", "yearly_cap", "created_by",
                  "created_at", "visits", "done"]
        read_only_fields = fields

    def get_grade_label(self, plan) -> str:
        return str(RiskGrade(plan.grade).label) if plan.grade in RiskGrade.values else plan.grade

    def get_done(self, plan) -> list[str]:
        """What happened: the checks at the enterprise in the plan's year (for comparison with the plan)."""
        start, end = datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31)
        return [c.label for c in duty_service.checks_between(start, end) if c.enterprise_id == plan.enterprise_id]


class InspectionPlanGenerateSerializer(serializers.Serializer):
    enterprise = EnterpriseField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class PlansGenerateAllSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class PlanVisitAddSerializer(serializers.Serializer):
    planned_on = serializers.DateField()
    note = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class PlanVisitMoveSerializer(serializers.Serializer):
    planned_on = serializers.DateField()


@extend_schema(parameters=[OpenApiParameter("enterprise", OpenApiTypes.INT),
                           OpenApiParameter("year", OpenApiTypes.INT)])
class PlanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Annual inspection plans generated from the risk grade, then edited."""

    permission_classes = STAFF_ONLY
    serializer_class = InspectionPlanSerializer
    queryset = InspectionPlan.objects.none()

    def get_queryset(self):
        qs = InspectionPlan.objects.select_related("enterprise").prefetch_related("visits")
        if self.action == "list":
            for name in ("enterprise", "year"):
                value = _int_param(self.request, name)
                if value is not None:
                    qs = qs.filter(**{name if name == "year" else "enterprise_id": value})
        return qs

    @extend_schema(request=InspectionPlanGenerateSerializer, responses={201: InspectionPlanSerializer})
    def create(self, request):
        s = InspectionPlanGenerateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        plan = services.plan_generate(user=request.user, **s.validated_data)
        return Response(InspectionPlanSerializer(self.get_queryset().get(pk=plan.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=PlansGenerateAllSerializer, responses={201: InspectionPlanSerializer(many=True)})
    @action(detail=False, methods=["post"], url_path="generate-all")
    def generate_all(self, request):
        s = PlansGenerateAllSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        plans = services.plans_generate_all(user=request.user, **s.validated_data)
        qs = self.get_queryset().filter(pk__in=[p.pk for p in plans]).order_by("enterprise__name")
        return Response(InspectionPlanSerializer(qs, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanVisitAddSerializer, responses={201: PlannedVisitSerializer})
    @action(detail=True, methods=["post"])
    def visits(self, request, pk=None):
        plan = self.get_object()
        s = PlanVisitAddSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        visit = services.plan_visit_add(user=request.user, plan=plan, **s.validated_data)
        return Response(PlannedVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class PlannedVisitViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One planned visit of a plan: move it (PATCH planned_on) or remove it (DELETE)."""

    permission_classes = STAFF_ONLY
    serializer_class = PlannedVisitSerializer
    queryset = PlannedVisit.objects.select_related("plan__enterprise")

    @extend_schema(request=PlanVisitMoveSerializer, responses={200: PlannedVisitSerializer})
    def partial_update(self, request, pk=None):
        visit = self.get_object()
        s = PlanVisitMoveSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        visit = services.plan_visit_move(user=request.user, visit=visit, **s.validated_data)
        return Response(PlannedVisitSerializer(visit).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.plan_visit_remove(user=request.user, visit=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- duties ---------------------------------------------------------------------------------------------------

class DutySerializer(serializers.Serializer):
    """One duty of one period: owed versus done (duties.Duty.as_dict)."""

    rule = serializers.CharField()
    name = serializers.CharField()
    basis = serializers.CharField()
    user_id = serializers.IntegerField()
    person = serializers.CharField()
    office = serializers.CharField()
    role = serializers.CharField()
    period = serializers.CharField()
    period_label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    enterprise_id = serializers.IntegerField(allow_null=True)
    enterprise = serializers.CharField()
    required = serializers.IntegerField()
    done = serializers.IntegerField()
    status = serializers.ChoiceField(choices=[duty_service.KEPT, duty_service.OPEN, duty_service.DUE_SOON,
                                              duty_service.OVERDUE])
    status_label = serializers.CharField()
    evidence = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())


class DutyQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=DutyRule.Period.choices, required=False, error_messages={
        "invalid_choice": _("周期须为 month、quarter、half_year 或 year。")})
    on = serializers.DateField(required=False)
    user = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=DutySerializer().fields["status"].choices, required=False,
                                     error_messages={"invalid_choice": _("状态须为 kept、open、due_soon 或 overdue。")})

    def validate_on(self, value):
        # The same range as the dashboard's ?on=: no duties before the system, none yet in the future.
        if value < EARLIEST or value > timezone.localdate():
            raise ValidationError(_("查看日期须在2000年1月1日至今天之间。"))
        return value


class OverdueQuerySerializer(serializers.Serializer):
    months = serializers.IntegerField(required=False, min_value=1, max_value=24, default=12)
    user = serializers.IntegerField(required=False, min_value=1)


def _query(serializer_class, request):
    s = serializer_class(data=request.query_params)
    s.is_valid(raise_exception=True)
    return s.validated_data


class DutyViewSet(viewsets.GenericViewSet):
    """Duties owed versus done, computed from the records (the same computation as the dashboard)."""

    permission_classes = STAFF_ONLY
    serializer_class = DutySerializer
    queryset = DutyRule.objects.none()

    def _page(self, rows, q):
        if q.get("user"):
            rows = [d for d in rows if d.user_id == q["user"]]
        if q.get("status"):
            rows = [d for d in rows if d.status == q["status"]]
        page = self.paginate_queryset(rows)
        data = DutySerializer([d.as_dict() for d in page], many=True).data
        return self.get_paginated_response(data)

    @extend_schema(parameters=[DutyQuerySerializer], responses={200: DutySerializer(many=True)})
    def list(self, request):
        q = _query(DutyQuerySerializer, request)
        on = q.get("on") or timezone.localdate()
        rows = duty_service.compute(start=on, end=on, today=timezone.localdate(),
                                    kinds=[q["period"]] if q.get("period") else None)
        return self._page(rows, q)

    @extend_schema(parameters=[OverdueQuerySerializer], responses={200: DutySerializer(many=True)})
    @action(detail=False, methods=["get"])
    def overdue(self, request):
        q = _query(OverdueQuerySerializer, request)
        return self._page(duty_service.overdue(today=timezone.localdate(), months=q["months"]), q)


# --- reminders -------------------------------------------------------------------------------------------------

class ReminderSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    read = serializers.SerializerMethodField()

    class Meta:
        model = Reminder
        fields = ["id", "kind", "kind_label", "message", "link", "created_at", "read", "read_at", "emailed_at"]
        read_only_fields = fields

    def get_read(self, reminder) -> bool:
        return reminder.read_at is not None


class ReminderReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                allow_empty=True,
                                help_text=_("要标记为已读的提醒编号；不填则将本人全部未读提醒标记为已读"))


@extend_schema(parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL)])
class ReminderViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The user's own reminders (due soon, overdue, presence, hazards of key enterprises).

    Enterprise users get hazard reminders too (as the enterprise's responsible person), so any signed-in user
    reads their own, and only their own.
    """

    permission_classes = [IsAuthenticated]
    serializer_class = ReminderSerializer
    queryset = Reminder.objects.none()

    def get_queryset(self):
        qs = Reminder.objects.filter(user=self.request.user)
        if _flag(self.request, "unread"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(request=ReminderReadSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def read(self, request):
        s = ReminderReadSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        qs = Reminder.objects.filter(user=request.user, read_at__isnull=True)
        ids = s.validated_data.get("ids")
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        count = qs.update(read_at=timezone.now())
        unread = Reminder.objects.filter(user=request.user, read_at__isnull=True).count()
        return Response({"marked": count, "unread": unread})


# --- configuration tables --------------------------------------------------------------------------------------

class CadenceSerializer(serializers.ModelSerializer):
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)
    planned_per_year = serializers.IntegerField(read_only=True)

    class Meta:
        model = GradeCadence
        fields = ["id", "grade", "grade_label", "interval_months", "yearly_cap", "routine_cadence", "planned_per_year"]
        read_only_fields = fields


class CadenceViewSet(viewsets.ReadOnlyModelViewSet):
    """The graded supervision table: inspection interval and yearly cap per risk grade."""

    permission_classes = STAFF_ONLY
    serializer_class = CadenceSerializer
    queryset = GradeCadence.objects.all()


class DutyRuleSerializer(serializers.ModelSerializer):
    subject_label = serializers.CharField(source="get_subject_display", read_only=True)
    period_label = serializers.CharField(source="get_period_display", read_only=True)
    measure_label = serializers.CharField(source="get_measure_display", read_only=True)

    class Meta:
        model = DutyRule
        fields = ["id", "code", "name", "subject", "subject_label", "period", "period_label", "measure",
                  "measure_label", "required", "remind_days_before", "basis", "active"]
        read_only_fields = fields


class DutyRuleViewSet(viewsets.ReadOnlyModelViewSet):
    """The duty standards of annex 1 and section 10 of the notice."""

    permission_classes = STAFF_ONLY
    serializer_class = DutyRuleSerializer
    queryset = DutyRule.objects.all()
