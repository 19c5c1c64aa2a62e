"""The review page's routes: login, the queue, the case page and its forms.

Security, in one place:
- **Sessions.** A login sets a random token in a cookie that is `HttpOnly` (no script reads it),
  `SameSite=Lax` (no other site's form or fetch sends it) and `Secure` when served over https; the
  database keeps only its SHA-256, with an expiry (`CLEARANCE_REVIEW_SESSION_HOURS`, 8 by default).
  Logging out revokes it in the database, not only in the browser.
- **CSRF.** Every form carries its session's CSRF token, and every POST is refused (403) without the
  right one; the login form carries a token of its own, doubled in a short-lived cookie.
- **Roles.** Analysts review and decide; approvers and admins may also approve or reject another user's
  pending decision. The workflow itself refuses a user approving their own decision.
- **Headers.** A content security policy allowing this site's own style sheet and nothing else (no
  script at all), no framing, no referrer beyond this site, no caching of pages.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable
from importlib.resources import files
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from clearance.app import Clearance
from clearance.cases.models import CaseDetail, CaseStatus, DecisionKind
from clearance.cases.users import SESSION_HOURS, LoginFailed, Session, UserRole, Users
from clearance.cases.workflow import Workflow
from clearance.errors import ClearanceError, InputError, NotFoundError
from clearance.web.views import Finding, entity_fields, event_details

PREFIX = "/review"
SESSION_COOKIE = "clearance_review"
LOGIN_COOKIE = "clearance_review_login"
PAGE_SIZE = 50
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
STATUS_CHOICES = {
    "undecided": (
        "undecided (open, in review, pending approval)",
        (
            CaseStatus.OPEN,
            CaseStatus.IN_REVIEW,
            CaseStatus.PENDING_APPROVAL,
        ),
    ),
    **{s.value: (s.value.replace("_", " "), (s,)) for s in CaseStatus},
    "any": ("any status", ()),
}

templates = Environment(
    loader=PackageLoader("clearance.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["when"] = lambda value: value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if value else ""
templates.filters["label"] = lambda value: str(value).replace("_", " ")
templates.globals["prefix"] = PREFIX
STYLE = files("clearance.web").joinpath("static", "review.css").read_bytes()


class LoginRequired(Exception):
    """No live session: a page redirects to the login form, coming back where it was."""

    def __init__(self, back: str) -> None:
        self.back = back


class Refused(Exception):
    """A request the session may not make: no CSRF token, or a role short of the action. Answered 403."""

    def __init__(self, message: str) -> None:
        self.message = message


class Review:
    """What the pages share: the facade of the worker, and the users of its case database."""

    def __init__(self, app: FastAPI, session_hours: float) -> None:
        self.app = app
        self.session_hours = session_hours
        self._users: Users | None = None

    @property
    def clearance(self) -> Clearance:
        facade: Clearance = self.app.state.serving.app
        return facade

    @property
    def workflow(self) -> Workflow:
        return self.clearance.cases.workflow

    @property
    def users(self) -> Users:
        if self._users is None:
            self._users = Users(self.clearance.cases.store.db, self.session_hours)
        return self._users


router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _review(request: Request) -> Review:
    found: Review = request.app.state.review
    return found


def render(name: str, request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    html = templates.get_template(name).render(request=request, **context)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


async def _session(request: Request) -> Session:
    review = _review(request)
    found = await run_in_threadpool(review.users.session, request.cookies.get(SESSION_COOKIE))
    if found is None:
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(back if request.method == "GET" else PREFIX + "/")
    return found


async def _posted(request: Request) -> tuple[Session, FormData]:
    """The session and form of a POST, the form's CSRF token checked against the session's."""
    session = await _session(request)
    form = await request.form()
    sent = form.get("csrf")
    if not session.csrf_ok(sent if isinstance(sent, str) else None):
        raise Refused("This form has expired or did not come from this site: open the page again and resend it.")
    return session, form


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


# -- login ---------------------------------------------------------------------------------


@router.get("/login")
async def login_form(request: Request, next: str = PREFIX + "/") -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = render("login.html", request, csrf=token, back=_back(next), problem=None)
    response.set_cookie(
        LOGIN_COOKIE, token, max_age=3600, path=PREFIX, httponly=True, samesite="lax", secure=_secure(request)
    )
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    cookie, sent = request.cookies.get(LOGIN_COOKIE), _field(form, "csrf")
    if not cookie or not sent or not secrets.compare_digest(cookie.encode(), sent.encode()):
        raise Refused("This login form has expired or did not come from this site: open it again.")
    back = _back(_field(form, "next"))
    try:
        token, session = await run_in_threadpool(
            _review(request).users.login, _field(form, "name"), _field(form, "password")
        )
    except LoginFailed:
        return render("login.html", request, 401, csrf=cookie, back=back, problem="Wrong user name or password.")
    redirect = RedirectResponse(back, status_code=303, headers=SECURITY_HEADERS)
    lifetime = int((session.expires_at - dt.datetime.now(dt.UTC)).total_seconds())
    redirect.set_cookie(
        SESSION_COOKIE, token, max_age=lifetime, path=PREFIX, httponly=True, samesite="lax", secure=_secure(request)
    )
    redirect.delete_cookie(LOGIN_COOKIE, path=PREFIX)
    return redirect


def _back(target: str) -> str:
    """Where to go after logging in: a page of the review page only, never another site."""
    if target.startswith(PREFIX + "/") and not target.startswith(PREFIX + "//") and "\\" not in target:
        return target
    return PREFIX + "/"


@router.post("/logout")
async def logout(request: Request) -> Response:
    await _posted(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    await run_in_threadpool(_review(request).users.logout, token)
    redirect = RedirectResponse(PREFIX + "/login", status_code=303, headers=SECURITY_HEADERS)
    redirect.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return redirect


# -- the queue -----------------------------------------------------------------------------


@router.get("/")
async def queue(
    request: Request,
    status: str = "undecided",
    assignee: str = "",
    min_age_days: str = "",
    q: str = "",
    order: str = "oldest",
    page: int = 1,
) -> HTMLResponse:
    session = await _session(request)
    review = _review(request)
    problem = None
    if status not in STATUS_CHOICES:
        problem, status = f"Unknown status {status!r}: showing undecided cases.", "undecided"
    age: float | None = None
    if min_age_days.strip():
        try:
            age = float(min_age_days)
            if not 0 <= age <= 100_000:
                raise ValueError
        except ValueError:
            problem, age = f"Age: {min_age_days[:20]!r} is not a number of days from 0 up.", None
    who = {"": None, "me": session.user.name, "nobody": ""}.get(assignee, assignee)
    page = max(1, min(page, 1_000_000))
    found, users = await run_in_threadpool(
        lambda: (
            review.workflow.queue(
                STATUS_CHOICES[status][1],
                who,
                age,
                q[:200],
                limit=PAGE_SIZE,
                offset=(page - 1) * PAGE_SIZE,
                newest_first=order == "newest",
            ),
            review.users.all(),
        )
    )
    filters = {"status": status, "assignee": assignee, "min_age_days": min_age_days, "q": q, "order": order}
    pages = max(1, -(-found.total // PAGE_SIZE))

    def link(number: int) -> str:
        return f"{PREFIX}/?{urlencode({**filters, 'page': number})}"

    return render(
        "queue.html",
        request,
        session=session,
        page=found,
        number=page,
        pages=pages,
        previous=link(page - 1) if page > 1 else None,
        following=link(page + 1) if page < pages else None,
        filters=filters,
        statuses=[(key, label) for key, (label, _) in STATUS_CHOICES.items()],
        users=[u for u in users if u.active],
        problem=problem,
    )


# -- a case --------------------------------------------------------------------------------


def _case_page(review: Review, case_id: int) -> dict[str, Any]:
    """Everything the case page shows, read in one go (in the thread pool)."""
    case = review.workflow.show(case_id)
    recorded = {hit.alert_id: hit for hit in review.workflow.recorded_hits(case)}
    findings = []
    for alert in case.alert_list:
        entity = snapshot = problem = None
        try:
            entity = review.clearance.entity(alert.entity_id, alert.snapshot_id)
            snapshot = review.clearance.store.snapshot(alert.snapshot_id) if alert.snapshot_id is not None else None
        except ClearanceError as exc:
            problem = str(exc)
        findings.append(Finding(alert, recorded.get(alert.id), entity, problem, snapshot))
    users = [u for u in review.users.all() if u.active]
    return {"case": case, "findings": findings, "users": users}


async def _show(
    request: Request, session: Session, case_id: int, status: int = 200, problem: str | None = None
) -> HTMLResponse:
    review = _review(request)
    try:
        data = await run_in_threadpool(_case_page, review, case_id)
    except NotFoundError as exc:
        return render("error.html", request, 404, session=session, title="No such case", problem=str(exc))
    case: CaseDetail = data["case"]
    pending = next((d for d in reversed(case.decisions) if d.state.value == "pending"), None)
    done = request.query_params.get("done")
    return render(
        "case.html",
        request,
        status,
        session=session,
        problem=problem,
        done=DONE.get(done or ""),
        pending=pending,
        may_approve=session.user.role.may_approve,
        undecided=case.status in (CaseStatus.OPEN, CaseStatus.IN_REVIEW),
        fields=entity_fields,
        details=event_details,
        decisions=[("false_positive", "False positive"), ("true_match", "True match"), ("escalate", "Escalate")],
        **data,
    )


DONE = {
    "decided": "Decision recorded.",
    "approved": "Decision approved.",
    "rejected": "Decision rejected: the case is back in review.",
    "commented": "Comment added.",
    "assigned": "Case assigned.",
    "taken": "You have taken up this case.",
}


@router.get("/cases/{case_id}")
async def case_page(request: Request, case_id: int) -> HTMLResponse:
    session = await _session(request)
    return await _show(request, session, case_id)


async def _act(
    request: Request,
    case_id: int,
    done: str,
    action: Callable[[Workflow, Session, FormData], object],
    approving: bool = False,
) -> Response:
    """Run a workflow action from a form; on success back to the case (POST, redirect, GET), else the case
    page again with the workflow's own message and its status (409 for a state it forbids, 422 bad input)."""
    session, form = await _posted(request)
    if approving and not session.user.role.may_approve:
        raise Refused(
            f"Only an approver or an admin may approve or reject a decision; you are {session.user.role.value}."
        )
    review = _review(request)
    try:
        await run_in_threadpool(action, review.workflow, session, form)
    except ClearanceError as exc:
        return await _show(request, session, case_id, exc.status, str(exc))
    target = f"{PREFIX}/cases/{case_id}?done={done}"
    return RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)


def _decision(text: str) -> DecisionKind:
    try:
        return DecisionKind.parse(text)
    except ValueError as exc:
        raise InputError(f"{exc}: choose one") from None


@router.post("/cases/{case_id}/decide")
async def decide(request: Request, case_id: int) -> Response:
    return await _act(
        request,
        case_id,
        "decided",
        lambda w, s, f: w.decide(case_id, _decision(_field(f, "decision")), _field(f, "reason"), s.user.name),
    )


@router.post("/cases/{case_id}/approve")
async def approve(request: Request, case_id: int) -> Response:
    return await _act(request, case_id, "approved", lambda w, s, f: w.approve(case_id, s.user.name), True)


@router.post("/cases/{case_id}/reject")
async def reject(request: Request, case_id: int) -> Response:
    return await _act(
        request, case_id, "rejected", lambda w, s, f: w.reject(case_id, _field(f, "reason"), s.user.name), True
    )


@router.post("/cases/{case_id}/comment")
async def comment(request: Request, case_id: int) -> Response:
    return await _act(request, case_id, "commented", lambda w, s, f: w.comment(case_id, _field(f, "body"), s.user.name))


@router.post("/cases/{case_id}/assign")
async def assign(request: Request, case_id: int) -> Response:
    def assigning(w: Workflow, s: Session, f: FormData) -> object:
        to = s.user.name if _field(f, "to") == "me" else _field(f, "to")
        return w.assign(case_id, to, s.user.name)

    return await _act(request, case_id, "assigned", assigning)


@router.post("/cases/{case_id}/take")
async def take(request: Request, case_id: int) -> Response:
    return await _act(request, case_id, "taken", lambda w, s, f: w.start_review(case_id, s.user.name))


@router.get("/static/review.css")
async def style() -> Response:
    return Response(STYLE, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


# -- wiring --------------------------------------------------------------------------------


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    target = f"{PREFIX}/login?{urlencode({'next': exc.back})}"
    return RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    return render("error.html", request, 403, session=None, title="Refused", problem=exc.message)


def session_hours() -> float:
    """`CLEARANCE_REVIEW_SESSION_HOURS`, read once when the service starts; a bad value stops it."""
    text = os.environ.get("CLEARANCE_REVIEW_SESSION_HOURS", "").strip()
    if not text:
        return SESSION_HOURS
    try:
        hours = float(text)
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 24 * 30:
        raise InputError(f"CLEARANCE_REVIEW_SESSION_HOURS: {text!r} is not a number of hours above 0, at most 720")
    return hours


def install(app: FastAPI) -> None:
    """Mount the review page on the service: its routes (left out of the API schema) and its error pages."""
    app.state.review = Review(app, session_hours())
    app.include_router(router)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(Refused, _refused)


__all__ = ["PREFIX", "SESSION_COOKIE", "UserRole", "install"]
