"""The site's forms (Flask-WTF): each carries a CSRF token, labels are translatable."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)

from collab.access.authz import ACCOUNT_ROLES
from collab.analysis import datasets
from collab.cases.case_files import PARTY_GRADES, SANCTIONS
from collab.cases.clues import DISPOSALS
from collab.cases.departments import KINDS, MAX_FEEDBACK_DAYS
from collab.web.labels import DATASET_KINDS, DEPARTMENT_KINDS, ROLES, STATES


def plain_file_name(_form: FlaskForm, field: FileField) -> None:
    """Refuse an upload whose name carries a folder path: a browser sends the bare name only."""
    name = getattr(field.data, "filename", None) or ""
    if any(c in name for c in "/\\\0") or name.startswith(".."):
        raise StopValidation(_l("The file name may not contain a folder path."))


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels with it."""


class LoginForm(FlaskForm):
    name = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    code = StringField(_l("Authenticator code (once set up)"),
                       validators=[Optional(), Length(max=12)])


class CodeForm(FlaskForm):
    code = StringField(_l("Code from the authenticator"),
                       validators=[DataRequired(), Length(max=12)])


class ChoosePasswordForm(FlaskForm):
    """A new password, twice (after signing in with a one-time reset code)."""

    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=256)])
    confirm = PasswordField(_l("New password again"),
                            validators=[DataRequired(), EqualTo("new", _l("The two differ."))])


class PasswordForm(ChoosePasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])


class TokenForm(FlaskForm):
    """Asking for an API token: what it is for, and proof of who one is, afresh."""

    label = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    code = StringField(_l("Code from the authenticator"),
                       validators=[DataRequired(), Length(max=12)])


class ExpireForm(FlaskForm):
    """Bringing a token's end forward."""

    on = DateField(_l("Ends on"), validators=[DataRequired()])


class LanguageForm(FlaskForm):
    lang = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class NewUserForm(FlaskForm):
    name = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Initial password"), validators=[DataRequired()])


class GrantForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[str(r) for r in ACCOUNT_ROLES])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=100)])
    department = StringField(_l("Department"), validators=[Optional(), Length(max=100)])


class DepartmentForm(FlaskForm):
    """A department's editable fields; `feedback_days` empty means the deployment default."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice("", "—")] + [
        SelectChoice(k, DEPARTMENT_KINDS[k]) for k in KINDS])
    feedback_days = IntegerField(_l("Feedback days"), validators=[
        Optional(), NumberRange(min=1, max=MAX_FEEDBACK_DAYS)])


class NewDepartmentForm(DepartmentForm):
    code = StringField(_l("Department code"), validators=[DataRequired(), Length(max=32)])
    region = StringField(_l("Region"), validators=[DataRequired(), Length(max=100)])


class DisableForm(FlaskForm):
    disabled = BooleanField(_l("Disabled"))


class NewCheckForm(FlaskForm):
    no = StringField(_l("Number"), validators=[DataRequired(), Length(max=64)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    start = DateField(_l("Start"), validators=[DataRequired()])
    end = DateField(_l("End"), validators=[DataRequired()])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=100)])
    rectifications = StringField(_l("Rectification tasks"),
                                 validators=[Optional(), Length(max=200)])


class FindingForm(FlaskForm):
    rectification = StringField(_l("Rectification task"),
                                validators=[DataRequired(), Length(max=200)])
    verified = BooleanField(_l("Verified"))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class AdvanceForm(FlaskForm):
    to = HiddenField(validators=[DataRequired()])


class UploadForm(FlaskForm):
    ledger = FileField(_l("Ledger file (.xlsx or .csv)"), validators=[
        FileRequired(), plain_file_name,
        FileAllowed(["xlsx", "csv"], _l("Only .xlsx and .csv ledgers."))])


class TransferForm(FlaskForm):
    """A transfer (移交): the department is picked by its name (`collab.web.pickers`)."""

    department = StringField(_l("Receiving department"),
                             validators=[DataRequired(), Length(max=100)])
    letter_no = StringField(_l("Letter number"), validators=[DataRequired(), Length(max=100)])
    on = DateField(_l("Date"), validators=[DataRequired()])
    feedback_due = DateField(_l("Feedback due"), validators=[Optional()])
    # drawn when the form is shown: submitting it twice (a retry) transfers once
    request_key = HiddenField(default=lambda: uuid.uuid4().hex,
                              validators=[Optional(), Length(max=100)])


class StepForm(FlaskForm):
    on = DateField(_l("Date"), validators=[DataRequired()])
    disposal = SelectField(_l("Disposal"), choices=[SelectChoice(s, STATES[s]) for s in DISPOSALS],
                           validate_choice=False)
    case_no = StringField(_l("Case number"), validators=[Optional(), Length(max=64)])
    reason = StringField(_l("Why"), validators=[Optional(), Length(max=500)])


class RegisterIssueForm(FlaskForm):
    """An issue an inspection found; the unit and group are picked by name."""

    no = StringField(_l("Issue number"), validators=[DataRequired(), Length(max=64)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    found_on = DateField(_l("Found on"), validators=[DataRequired()])
    unit = StringField(_l("Unit"), validators=[DataRequired(), Length(max=100)])
    group = StringField(_l("Inspection group"), validators=[Optional(), Length(max=100)])
    category = StringField(_l("Category"), validators=[Optional(), Length(max=50)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])


class RegisterClueForm(FlaskForm):
    """A clue (问题线索), from an issue when there is one, naming up to three people; the
    region, issue and people are picked by name."""

    no = StringField(_l("Clue number"), validators=[DataRequired(), Length(max=64)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    on = DateField(_l("Registered on"), validators=[DataRequired()])
    region = StringField(_l("Region"), validators=[DataRequired(), Length(max=100)])
    issue = StringField(_l("From issue"), validators=[Optional(), Length(max=200)])
    against_1 = StringField(_l("Person named"), validators=[Optional(), Length(max=64)])
    against_2 = StringField(_l("Person named"), validators=[Optional(), Length(max=64)])
    against_3 = StringField(_l("Person named"), validators=[Optional(), Length(max=64)])
    category = StringField(_l("Category"), validators=[Optional(), Length(max=50)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=4000)])
    request_key = HiddenField(default=lambda: uuid.uuid4().hex,
                              validators=[Optional(), Length(max=100)])

    def people(self) -> list[StringField]:
        return [self.against_1, self.against_2, self.against_3]


class OutcomeForm(FlaskForm):
    """How a case ended: sanctions, the party discipline's grade, funds recovered, closing."""

    sanctions = SelectMultipleField(_l("Sanctions"), choices=list(SANCTIONS),
                                    validators=[Optional()])
    party_grade = SelectField(_l("Party discipline grade"),
                              choices=[SelectChoice("", "—")] + list(PARTY_GRADES),
                              validators=[Optional()])
    funds_recovered = DecimalField(_l("Funds recovered (yuan)"),
                                   validators=[Optional(), NumberRange(min=0)])
    closed_on = DateField(_l("Closed on"), validators=[Optional()])


class OtherCaseForm(FlaskForm):
    """A case filed from another origin (信访举报 …) by a department, its people picked."""

    no = StringField(_l("Case number"), validators=[DataRequired(), Length(max=64)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    department = StringField(_l("Department"), validators=[DataRequired(), Length(max=100)])
    origin = SelectField(_l("Origin"), choices=[])
    filed_on = DateField(_l("Filed on"), validators=[DataRequired()])
    subject_1 = StringField(_l("Person concerned"), validators=[Optional(), Length(max=64)])
    subject_2 = StringField(_l("Person concerned"), validators=[Optional(), Length(max=64)])


class NewTaskForm(FlaskForm):
    """A rectification task for an issue, owned by a unit (both picked by name)."""

    no = StringField(_l("Task number"), validators=[DataRequired(), Length(max=64)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    issue = StringField(_l("Issue"), validators=[DataRequired(), Length(max=200)])
    unit = StringField(_l("Unit"), validators=[DataRequired(), Length(max=100)])
    deadline = DateField(_l("Deadline"), validators=[DataRequired()])
    responsible = StringField(_l("Responsible (主办人)"), validators=[Optional(), Length(max=64)])
    leader = StringField(_l("Leader in charge (分管领导)"),
                         validators=[Optional(), Length(max=64)])
    principal = StringField(_l("Principal (主要负责人)"), validators=[Optional(), Length(max=64)])


class EvidenceFileForm(FlaskForm):
    """An evidence file for a task (the kind and size are checked against its bytes)."""

    file = FileField(_l("Evidence file (PDF, image or Office document)"),
                     validators=[FileRequired(), plain_file_name])
    on = DateField(_l("Date"), validators=[DataRequired()])
    version = IntegerField(validators=[Optional()])


class TaskStepForm(FlaskForm):
    """One step on a rectification task's page; `version` is the version the page showed,
    so a step taken on a page someone else changed meanwhile is refused."""

    on = DateField(_l("Date"), validators=[DataRequired()])
    version = IntegerField(validators=[Optional()])
    to = HiddenField(validators=[Optional(), Length(max=32)])
    role = HiddenField(validators=[Optional(), Length(max=32)])
    reason = StringField(_l("Why"), validators=[Optional(), Length(max=500)])
    text = StringField(_l("Evidence (what was done, which documents)"),
                       validators=[Optional(), Length(max=2000)])
    score = IntegerField(_l("Score (0–100)"), validators=[Optional(), NumberRange(0, 100)])


class CrossCheckForm(FlaskForm):
    list_a = FileField(_l("List A (.xlsx or .csv)"), validators=[
        FileRequired(), plain_file_name,
        FileAllowed(["xlsx", "csv"], _l("Only .xlsx and .csv lists."))])
    list_b = FileField(_l("List B (.xlsx or .csv)"), validators=[
        FileRequired(), plain_file_name,
        FileAllowed(["xlsx", "csv"], _l("Only .xlsx and .csv lists."))])
    key = SelectField(_l("Match by"), choices=[
        SelectChoice("id_number", _l("ID number, then name and birth date")),
        SelectChoice("name_birth", _l("Name and birth date only"))])


class RaiseIssueForm(FlaskForm):
    unit = StringField(_l("Unit"), validators=[DataRequired(), Length(max=100)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    found_on = DateField(_l("Found on"), validators=[DataRequired()])


class RunModelsForm(FlaskForm):
    """Which models to run is ticked beside each (`model`), their settings typed there too."""

    region = StringField(_l("Region (default: all of your jurisdiction)"),
                         validators=[Optional(), Length(max=100)])
    as_of = DateField(_l("Judge as of"), validators=[DataRequired()])


class ConfirmHitForm(FlaskForm):
    clue_no = StringField(_l("Clue number (default: from the hit)"),
                          validators=[Optional(), Length(max=64)])
    title = StringField(_l("Clue title (default: the model and the subject)"),
                        validators=[Optional(), Length(max=200)])
    on = DateField(_l("Date"), validators=[DataRequired()])


class DismissHitForm(FlaskForm):
    reason = StringField(_l("Why it is dismissed"), validators=[DataRequired(), Length(max=500)])
    on = DateField(_l("Date"), validators=[DataRequired()])


def _user_roles() -> list[SelectChoice]:
    return [SelectChoice(r, ROLES[r]) for r in datasets.USER_ROLES]


class DataSetAccessForm(FlaskForm):
    roles = SelectMultipleField(_l("Roles that may use it"), choices=_user_roles(),
                                validators=[DataRequired()])
    regions = StringField(_l("Regions that may use it (default: the data set's own)"),
                          validators=[Optional(), Length(max=100)])


class DataSetForm(DataSetAccessForm):
    file = FileField(_l("List (.xlsx or .csv)"), validators=[
        FileRequired(), plain_file_name,
        FileAllowed(["xlsx", "csv"], _l("Only .xlsx and .csv lists."))])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, DATASET_KINDS[k])
                                            for k in datasets.KINDS])
    code = StringField(_l("Code (never reused)"), validators=[DataRequired(), Length(max=64)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    source = StringField(_l("Source department"), validators=[DataRequired(), Length(max=100)])
    as_of = DateField(_l("Drawn up on"), validators=[DataRequired()])
    region = StringField(_l("Region it covers"), validators=[DataRequired(), Length(max=100)])
