"""Edits of one enterprise's file: register it, correct its registration (a dated
correction keeps the old value), change its state (停产, 注销 …), and append its dated
facts (checks, drills, trainings, certificates, the town's inspections).

Every edit reads the record, changes it in place (round-trip), checks the result, and
returns an ``EditResult`` that ``transaction.apply`` writes under the lock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeplan import vocab, yamlio
from safeplan.edit.context import Change, Context, broken, compact, context, invalid, new_errors
from safeplan.edit.register import ALPHABET, SUFFIX_LENGTH, Choice, default_choice
from safeplan.edit.transaction import EditResult
from safeplan.errors import RefusedError, UsageError
from safeplan.models.enterprises import ENTERPRISE_FIELDS, EnterpriseRecord
from safeplan.models.fields import HAZARD_ID_RE, typed_credit_code
from safeplan.problems import N_, Coded, Finding, ListOf
from safeplan.repo.layout import ENTERPRISES_DIR, YAML_SUFFIXES, confine
from safeplan.repo.parse import load_round_trip, located, parse_bytes, parse_file
from safeplan.rules.enterprises import check_against_plan, check_enterprise
from safeplan.rules.hints import coded, unknown

ORDER = tuple(EnterpriseRecord.model_fields)
PREFIX = "QY"


@dataclass
class NewEnterprise:
    """The fields of ``enterprise new``; ``None`` is 'not given'."""

    name: str | None = None
    industry: str | None = None
    registered_on: dt.date | None = None
    credit_code: str | None = None
    address: str | None = None
    village: str | None = None
    grade: str | None = None
    flags: list[str] = field(default_factory=list)
    high_risk: bool | None = None
    high_risk_reason: str | None = None
    principal: str | None = None
    principal_phone: str | None = None
    safety_managers: list[str] = field(default_factory=list)
    employees: int | None = None
    department: str | None = None
    id: str | None = None


def enterprise_paths(root: Path) -> dict[str, Path]:
    """Every enterprise file by its id (file stem)."""
    folder = root / ENTERPRISES_DIR
    if not folder.is_dir():
        return {}
    return {
        p.stem: p
        for p in sorted(folder.iterdir())
        if p.suffix in YAML_SUFFIXES and not p.name.startswith(".")
    }


def new_enterprise_id(day: dt.date, taken: Sequence[str], choice: Choice | None = None) -> str:
    """An id for an enterprise without a credit code: ``QY-<YYYYMMDD>-<4 characters>``."""
    pick = choice or default_choice
    folded = {t.casefold() for t in taken}
    for _ in range(1000):
        candidate = f"{PREFIX}-{day:%Y%m%d}-" + "".join(
            pick(ALPHABET) for _ in range(SUFFIX_LENGTH)
        )
        if candidate.casefold() not in folded:
            return candidate
    raise RuntimeError("no free enterprise id found")


def _findings(ent: EnterpriseRecord, stem: str, ctx: Context) -> list[Finding]:
    return check_enterprise(ent, stem, None) + check_against_plan(ent, ctx.plan)


def _check_bytes(
    data: bytes, rel: str, stem: str, ctx: Context, before: Sequence[Finding]
) -> EnterpriseRecord:
    parsed = parse_bytes(data, rel, EnterpriseRecord)
    if not isinstance(parsed.record, EnterpriseRecord):
        raise invalid(rel, parsed.problems)
    errors = new_errors(before, _findings(parsed.record, stem, ctx))
    if errors:
        raise invalid(rel, located(errors, rel, parsed.text))
    return parsed.record


def _person(name: str | None, phone: str | None = None) -> dict[str, Any] | None:
    if name is None or not name.strip():
        return None
    return compact(name=name.strip(), phone=phone)


def record_of(new: NewEnterprise, ent_id: str) -> dict[str, Any]:
    """The data of a new enterprise file (codes checked; the record is validated after)."""
    assert new.name and new.industry and new.registered_on
    industry = coded(vocab.INDUSTRY, new.industry, "--industry")
    flags = [coded(vocab.SCENARIO, f, "--flag") for f in new.flags]
    high_risk = None
    derived = industry in vocab.HIGH_RISK_INDUSTRIES
    if new.high_risk is not None and new.high_risk != derived:
        if not new.high_risk_reason or not new.high_risk_reason.strip():
            raise UsageError(
                N_(
                    "--high-risk/--not-high-risk differs from what the industry says: give "
                    "the reason with --high-risk-reason"
                )
            )
        high_risk = {"value": new.high_risk, "reason": new.high_risk_reason}
    code = typed_credit_code(new.credit_code) if new.credit_code else None
    return compact(
        id=ent_id,
        name=new.name.strip(),
        credit_code=code,
        address=new.address,
        village=new.village,
        industry=industry,
        high_risk=high_risk,
        grade=new.grade,
        flags=flags,
        principal=_person(new.principal, new.principal_phone),
        safety_managers=[p for p in (_person(n) for n in new.safety_managers) if p],
        employees=new.employees,
        department=new.department,
        registered_on=new.registered_on,
    )


def new_enterprise(
    root: Path, new: NewEnterprise, choice: Choice | None = None, write: bool = True
) -> EditResult:
    """Register an enterprise: ``data/enterprises/<ID>.yaml``, the id its credit code."""
    missing = [
        opt
        for opt, value in (
            ("--name", new.name),
            ("--industry", new.industry),
            ("--on", new.registered_on),
        )
        if value is None or (isinstance(value, str) and not value.strip())
    ]
    if missing:
        raise UsageError(
            N_("a new enterprise needs {fields}: give them as options"), fields=ListOf(missing)
        )
    ctx = context(root)
    existing = enterprise_paths(root)
    code = typed_credit_code(new.credit_code) if new.credit_code else None
    if new.id is not None:
        ent_id = new.id
    elif code is not None:
        ent_id = code
    else:
        assert new.registered_on is not None
        ent_id = new_enterprise_id(new.registered_on, list(existing), choice)
    if not HAZARD_ID_RE.match(ent_id):
        raise UsageError(
            N_("'{id}' cannot be an enterprise id: letters, digits, '-', '_' and '.' only"),
            id=ent_id,
        )
    if ent_id.casefold() in {k.casefold() for k in existing}:
        raise RefusedError(
            N_(
                "enterprise {id} is already registered ({path}): 'safeplan enterprise edit' corrects it"
            ),
            id=ent_id,
            path=f"{ENTERPRISES_DIR.as_posix()}/{ent_id}.yaml",
        )
    data = yamlio.rt_dump_new(record_of(new, ent_id))
    path = root / ENTERPRISES_DIR / f"{ent_id}.yaml"
    rel = path.relative_to(root).as_posix()
    confine(root, rel)
    _check_bytes(data, rel, ent_id, ctx, ())
    assert new.name is not None
    done = ctx.change("enterprise_registered", id=ent_id, name=new.name.strip())
    return done.of_file(root, (path, rel), (None, data), ent_id, write)


# --------------------------------------------------------------------------- editing one file


EnterpriseChange = Callable[[EnterpriseRecord, Any, Context], Change]


def enterprise_file(root: Path, typed: str) -> tuple[Path, str]:
    """The file of an enterprise named by id, credit code (any case) or exact name."""
    paths = enterprise_paths(root)
    code = typed_credit_code(typed)
    path = paths.get(typed) or paths.get(code)
    if path is None:
        for p in paths.values():
            parsed = parse_file(p, "", EnterpriseRecord)
            if isinstance(parsed.record, EnterpriseRecord) and parsed.record.name == typed:
                path = p
                break
    if path is None:
        raise unknown("enterprise", typed, list(paths))
    rel = path.relative_to(root).as_posix()
    confine(root, rel)
    if path.is_symlink():
        raise RefusedError(
            N_("{path} is a symbolic link: safeplan edits only regular files"), path=rel
        )
    return path, rel


def edit_enterprise(root: Path, typed: str, change: EnterpriseChange, write: bool) -> EditResult:
    """Read an enterprise, change it in place, check the result, and write it (or not)."""
    path, rel = enterprise_file(root, typed)
    ctx = context(root)
    parsed = parse_file(path, rel, EnterpriseRecord)
    if not isinstance(parsed.record, EnterpriseRecord):
        raise broken(rel, parsed.problems)
    ent = parsed.record
    before = _findings(ent, path.stem, ctx)
    rt = load_round_trip(path, rel, parsed.text)
    done = change(ent, rt.data, ctx)
    new = rt.dump()
    _check_bytes(new, rel, path.stem, ctx, before)
    return done.of_file(root, (path, rel), (rt.original, new), ent.id, write)


def _refuse_closed(ent: EnterpriseRecord, on: dt.date, what: str) -> None:
    closed = ent.closed_on()
    if closed is not None and closed <= on:
        raise RefusedError(
            N_("{id} was deregistered (注销) on {closed}: no {what} after that is recorded"),
            id=ent.id,
            closed=closed,
            what=Coded("enterprise fact", what),
        )


def _refuse_before(ent: EnterpriseRecord, on: dt.date, ctx: Context) -> None:
    ctx.refuse_before_start(on)
    if on < ent.registered_on:
        raise RefusedError(
            N_("--on {on} is before {id} was registered ({registered}): check the date"),
            on=on,
            id=ent.id,
            registered=ent.registered_on,
        )


_FACT_KEY = {
    "check": "checks",
    "drill": "drills",
    "training": "trainings",
    "certificate": "certificates",
    "inspection": "inspections",
}


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def fact_values(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """What a fact needs, checked as the command line and the web form both give it (one
    home for the rule): a check its leader, a training its topic, a certificate its
    person, role and last valid day, an inspection who inspected; the certificate's role
    coded and its day read. Returns the values to record (empty ones dropped)."""
    if kind == "check" and not _given(values.get("led_by")):
        raise UsageError(N_("--led-by NAME: who led the check (the principal)"))
    if kind == "training" and not _given(values.get("topic")):
        raise UsageError(N_("--topic TEXT: what the training was"))
    if kind == "inspection" and not _given(values.get("by")):
        raise UsageError(N_("--by NAME: who inspected"))
    out = dict(values)
    if kind == "certificate":
        if not all(_given(values.get(k)) for k in ("person", "role", "valid_until")):
            raise UsageError(N_("a certificate needs --person, --role and --valid-until"))
        out["role"] = coded(vocab.CERTIFICATE_ROLE, values["role"], "--role")
        until = values["valid_until"]
        if isinstance(until, str):
            from safeplan.edit.typed import parse_date

            out["valid_until"] = parse_date(until, "--valid-until")
    return {k: v for k, v in out.items() if v not in (None, [], "")}


def add_fact(
    root: Path, typed: str, kind: str, on: dt.date, values: dict[str, Any], write: bool = True
) -> EditResult:
    """Append one dated fact (``check``, ``drill``, ``training``, ``certificate``,
    ``inspection``) to an enterprise: facts are never changed, only added."""
    values = fact_values(kind, values)

    def change(ent: EnterpriseRecord, data: Any, ctx: Context) -> Change:
        _refuse_before(ent, on, ctx)
        _refuse_closed(ent, on, kind)
        yamlio.rt_append(data, _FACT_KEY[kind], compact(on=on, **values), ORDER)
        return ctx.change("enterprise_fact", id=ent.id, on=on, fact=Coded("enterprise fact", kind))

    return edit_enterprise(root, typed, change, write)


def set_state(
    root: Path,
    typed: str,
    state: str,
    on: dt.date,
    reason: str | None,
    by: str | None = None,
    write: bool = True,
) -> EditResult:
    """From ``on`` the enterprise is ``state`` (停产, 歇业, 注销, or 在营 again); the file
    and its history stay (``enterprise close`` is ``state deregistered``)."""
    code = coded(vocab.ENTERPRISE_STATE, state, "--state")

    def change(ent: EnterpriseRecord, data: Any, ctx: Context) -> Change:
        _refuse_before(ent, on, ctx)
        if ent.states and on < ent.states[-1].on:
            raise RefusedError(
                N_(
                    "--on {on} is before the last change of state ({last}): state changes are dated in order"
                ),
                on=on,
                last=ent.states[-1].on,
            )
        if ent.state_on(on) == code:
            raise RefusedError(
                N_("{id} is already {state} on {on}: nothing to record"),
                id=ent.id,
                state=Coded("enterprise state", code),
                on=on,
            )
        yamlio.rt_append(data, "states", compact(on=on, state=code, reason=reason, by=by), ORDER)
        said = Coded("enterprise state", code)
        return ctx.change("enterprise_state", id=ent.id, on=on, state=said)

    return edit_enterprise(root, typed, change, write)


def correct(
    root: Path,
    typed: str,
    values: dict[str, str],
    on: dt.date,
    by: str | None = None,
    reason: str | None = None,
    write: bool = True,
) -> EditResult:
    """Correct registration facts (name, credit code, village, industry, grade …): each
    change leaves a dated correction with what it was, as a hazard's does."""
    if not values:
        raise UsageError(N_("say what to correct: --name, --credit-code, --village, --industry …"))
    typed_values = dict(values)
    if "industry" in typed_values:
        typed_values["industry"] = coded(vocab.INDUSTRY, typed_values["industry"], "--industry")
    if "credit_code" in typed_values:
        typed_values["credit_code"] = typed_credit_code(typed_values["credit_code"])

    def change(ent: EnterpriseRecord, data: Any, ctx: Context) -> Change:
        ctx.refuse_before_start(on)
        changed = []
        for key, value in typed_values.items():
            assert key in ENTERPRISE_FIELDS
            old = getattr(ent, key)
            old_text = None if old is None else str(old)
            if old_text == value:
                continue
            stored: Any = int(value) if key == "employees" else value
            yamlio.rt_set(data, key, stored, ORDER)
            yamlio.rt_append(
                data,
                "corrections",
                compact(on=on, by=by, field=key, **{"from": old_text}, to=value, reason=reason),
                ORDER,
            )
            changed.append(key)
        if not changed:
            raise RefusedError(N_("{id} already reads so: nothing to correct"), id=ent.id)
        fields = ListOf([Coded("enterprise field", k) for k in changed])
        return ctx.change("enterprise_corrected", id=ent.id, fields=fields)

    return edit_enterprise(root, typed, change, write)
