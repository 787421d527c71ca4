"""``ecopark correct``: the options → one correction, with a one-line error for a bad one."""

from __future__ import annotations

from pathlib import Path

import typer

from ecopark.corrections import Action, CorrectionError, parse_claim
from ecopark.review.actions import correct, refresh


def correct_command(
    outdir: Path,
    doc: str,
    indicator: int | None,
    year: int | None,
    column: str | None,
    value: float | None,
    text: str | None,
    claim: str | None,
    park_field: str | None,
    park_value: str | None,
    unreadable: bool,
    confirm: bool,
    note: str,
    who: str | None,
    html: bool,
) -> int:
    """Exit code 0 on success, 2 for a correction that names no cell (a usage error)."""
    given = [x for x in (value, text, claim, park_value) if x is not None]
    if len(given) + unreadable + confirm != 1:
        typer.echo(
            "error: give exactly one of --value, --text, --claim, --park-value, "
            "--unreadable, --confirm",
            err=True,
        )
        return 2
    action: Action = "unreadable" if unreadable else "confirm" if confirm else "correct"
    new: str | float | bool | None = None
    try:
        if park_field is not None:
            field = f"park.{park_field}"
            new = park_value
        elif claim is not None or (
            value is None and text is None and year is None and column is None
        ):
            field, new = "claim", parse_claim(claim) if claim is not None else None
        elif text is not None:
            field, new = "text", text
        else:
            field, new = "value", value
        if field != "claim" and not field.startswith("park.") and indicator is None:
            raise CorrectionError("--indicator is needed for a cell")
        if field in ("value", "text") and year is None and column is None:
            raise CorrectionError("--year (or --column) is needed for a cell")
        done = correct(
            outdir,
            doc,
            indicator=indicator,
            field=field,
            year=year,
            column=column,
            action=action,
            new=new,
            note=note,
            who=who,
        )
    except CorrectionError as err:
        typer.echo(f"error: {err}", err=True)
        return 2
    c, r = done.correction, done.report
    v = r.verdict
    state = (
        "—"
        if v is None
        else {True: "meets", False: "fails", None: "undetermined"}[v.meets_standard]
    )
    where = f"#{c.indicator} " if c.indicator is not None else ""
    where += str(c.year or c.column or "") if c.field in ("value", "text") else c.field
    typer.echo(
        f"{c.action} {where}: {c.printed!r} → {c.new!r} by {c.who}; "
        f"{r.park.name or r.source.path} {r.report_year or ''}: verdict {state}"
    )
    report = refresh(outdir, html=html)
    if report is not None:
        typer.echo(f"report: {report}")
    return 0
