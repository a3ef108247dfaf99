"""The per-file cache's JSON: each hazard file's reading (summary, problems, what
cross-file rules need) encoded as plain JSON values and decoded field by field, any
unexpected value refusing the whole cache (``_Bad``), never pickle."""

from __future__ import annotations

import datetime as dt
import os
import stat
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from safeplan.models.summary import (
    CycleFacts,
    DeadlineFact,
    HazardSummary,
    SupervisionFacts,
    day_of,
    shared,
)
from safeplan.repo.hazardfile import VOLATILE_CODES, HazardFile
from safeplan.repo.problem_codec import (
    _Bad,
    _date,
    _dec_problem,
    _enc_problem,
    _list,
    _str,
    _Uncacheable,
)
from safeplan.rules.cross import HazardRef

Key = tuple[int, int, int, int]


def _folder_stamps(path: str, rel: str, targets: Sequence[str]) -> list[list[Any]] | None:
    """The folders of the evidence files, stamped, if every file is there now and is a
    plain file (a link's target could vanish without its folder changing); else None."""
    inside = path[: len(path) - len(rel)]
    folders: dict[str, list[Any]] = {}
    for target in targets:
        folder = os.path.dirname(target)
        if folder not in folders:
            try:
                st = os.stat(inside + folder)  # before the files: a later change shows
            except OSError:
                return None
            folders[folder] = [folder, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    for target in targets:
        try:
            if not stat.S_ISREG(os.lstat(inside + target).st_mode):
                return None
        except OSError:
            return None
    return list(folders.values())


def _encode_entry(key: Key, rel: str, r: HazardFile, path: str = "") -> dict[str, Any]:
    if r.digest is None or any(p.code == "unreadable" for p in r.problems):
        raise _Uncacheable  # nothing read, or a problem that a chmod (not a write) can fix
    if any(p.path != rel for p in r.problems) or (r.summary and r.summary.path != rel):
        raise _Uncacheable  # the entry stores its own path once
    if r.summary is not None and r.ref != HazardRef(rel, r.summary.id, r.summary.responsible_unit):
        raise _Uncacheable  # the reference is rebuilt from the summary
    evidence = [t for t in map(os.path.normpath, r.evidence) if not t.startswith("..")]
    entry = {
        "k": list(key),
        "h": r.digest,
        "s": None if r.summary is None else _enc_summary(r.summary),
        "p": [_enc_problem(p) for p in r.problems if p.code not in VOLATILE_CODES],
        "r": None if r.ref is None or r.summary is not None else [r.ref.id, r.ref.unit],
        "t": None if r.latest is None else r.latest.toordinal(),
        "e": evidence,
    }
    if evidence and path:
        stamps = _folder_stamps(path, rel, evidence)
        if stamps is not None:
            entry["d"] = stamps
    return entry


def _decode_entry(raw: dict[str, Any], rel: str) -> HazardFile:
    summary = raw["s"]
    ref = raw["r"]
    latest = raw["t"]
    evidence = raw["e"]  # strings, or os.path.exists refuses them (TypeError)
    if type(evidence) is not list:
        raise _Bad
    problems = raw["p"]
    if summary is not None:
        hazard = _dec_summary(summary, rel)
        # A valid record's reference is its id and unit: not stored twice.
        reference: HazardRef | None = HazardRef(rel, hazard.id, hazard.responsible_unit)
    else:
        hazard = None
        reference = (
            None if ref is None else HazardRef(rel, _opt_str(_list(ref)[0]), _opt_str(ref[1]))
        )
    return HazardFile(
        hazard,
        [_dec_problem(p, rel) for p in _list(problems)] if problems else [],
        reference,
        _str(raw["h"]),
        None if latest is None else _date(latest),
        tuple(evidence),
    )


def _opt_str(x: Any) -> str | None:
    return None if x is None else _str(x)


def _d(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def _enc_summary(s: HazardSummary) -> list[Any]:
    return [
        s.id,
        s.title,
        s.level,
        s.responsible_unit,
        _d(s.discovered_on),
        s.source,
        _d(s.deadline),
        s.enterprise,
        s.location,
        [
            [_d(c.rectified_on), _d(c.accepted_on), c.accepted, _d(c.closed_on), _d(c.ended_on)]
            for c in s.cycles
        ],
        [[v.level, v.by, _d(v.listed_on), _d(v.lifted_on)] for v in s.supervision],
        _d(s.reported_regulator_on),
        _d(s.reported_workers_on),
        list(s.former_ids),
        [[_d(f.on), _d(f.deadline), f.extension] for f in s.deadlines],
        _d(s.plan_complete_on),
        _d(s.withdrawn_on),
        None if s.funds is None else str(s.funds),
        list(s.plan_gaps),
        s.industry,
        s.broken,
        s.basis,
        s.enterprise_id,
        s.credit_code,
    ]


def _dec_summary(x: Any, rel: str) -> HazardSummary:
    """A stored summary, every field's type checked (inline: this runs 10,000 times).

    ``date.fromordinal`` refuses anything but an int in range; strings are checked with
    ``type(v) is str``; a wrong shape raises ``ValueError`` in the unpacking."""
    day = day_of  # each day made once, as summarize shares them
    (
        id_,
        title,
        level,
        unit,
        discovered,
        source,
        deadline,
        enterprise,
        location,
        cycles,
        supervision,
        regulator,
        workers,
        former,
        deadlines,
        complete,
        withdrawn,
        funds,
        gaps,
        industry,
        broken,
        basis,
        enterprise_id,
        credit_code,
    ) = x
    if not (
        type(id_) is type(title) is type(level) is type(unit) is type(source) is str
        and (enterprise is None or type(enterprise) is str)
        and (location is None or type(location) is str)
        and (industry is None or type(industry) is str)
        and type(broken) is bool
        and (basis is None or type(basis) is str)
        and (enterprise_id is None or type(enterprise_id) is str)
        and (credit_code is None or type(credit_code) is str)
        and type(former) is type(gaps) is type(cycles) is type(supervision) is list
        and type(deadlines) is list
        and (funds is None or type(funds) is str)
    ):
        raise _Bad
    # Most records have no former ids and a whole 五落实: the loops are skipped.
    if former and not all(type(v) is str for v in former):
        raise _Bad
    if gaps and not all(type(v) is str for v in gaps):
        raise _Bad
    text = sys.intern
    return HazardSummary(
        id_,
        rel,
        text(title),
        text(level),
        text(unit),
        day(discovered),
        text(source),
        None if deadline is None else day(deadline),
        None if enterprise is None else text(enterprise),
        None if location is None else text(location),
        _dec_cycles(cycles),
        _dec_supervision(supervision) if supervision else (),
        None if regulator is None else day(regulator),
        None if workers is None else day(workers),
        tuple(former),
        _dec_deadlines(deadlines),
        None if complete is None else day(complete),
        None if withdrawn is None else day(withdrawn),
        None if funds is None else shared(Decimal(funds)),
        shared(tuple(gaps)),
        None if industry is None else text(industry),
        broken,
        None if basis is None else text(basis),
        None if enterprise_id is None else text(enterprise_id),
        None if credit_code is None else text(credit_code),
    )


def _day_or_none(v: Any) -> dt.date | None:
    return None if v is None else dt.date.fromordinal(v)


def _dec_cycles(cycles: list[Any]) -> tuple[CycleFacts, ...]:
    day = day_of
    out = []
    for a, b, accepted, c, d in cycles:
        if type(accepted) is not bool:
            raise _Bad
        out.append(
            CycleFacts(
                None if a is None else day(a),
                None if b is None else day(b),
                accepted,
                None if c is None else day(c),
                None if d is None else day(d),
            )
        )
    return shared(tuple(out))


def _dec_supervision(supervision: list[Any]) -> tuple[SupervisionFacts, ...]:
    out = []
    for lvl, by, listed, lifted in supervision:
        if type(lvl) is not str or type(by) is not str:
            raise _Bad
        out.append(SupervisionFacts(lvl, by, dt.date.fromordinal(listed), _day_or_none(lifted)))
    return tuple(out)


def _dec_deadlines(deadlines: list[Any]) -> tuple[DeadlineFact, ...]:
    day = day_of
    out = []
    for on, to, extension in deadlines:
        if type(extension) is not bool:
            raise _Bad
        out.append(DeadlineFact(day(on), day(to), extension))
    return shared(tuple(out))
