"""``ecopark review OUTDIR``: a local web app for the review queue.

Bound to 127.0.0.1 only. A token made at each start is required on every request (in the
URL of the page and of page images, in a header on API calls); a POST must also come from
the app's own origin (Origin, else Referer) and name this host — so another site open in
the same browser can neither read the queue nor post corrections (CSRF, DNS rebinding).
Each correction is logged, the record rewritten and re-judged at once; the dataset is
rebuilt in the background and the static report when the app stops.
"""

from __future__ import annotations

import json
import secrets
import socket
import sys
import threading
import webbrowser
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ecopark import batch, corrections
from ecopark.corrections import Action, CorrectionError
from ecopark.review import actions, queue
from schemas.record import Report

TOKEN_HEADER = "x-ecopark-token"
HOST = "127.0.0.1"
PAGES_DIR = "review-pages"  # under OUTDIR: page images rendered for the app, reusable


@dataclass
class State:
    outdir: Path
    token: str
    who: str
    port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    rebuild_lock: threading.Lock = field(default_factory=threading.Lock)
    changed: bool = False
    dirty: bool = False  # a correction newer than the last dataset build

    def origins(self) -> set[str]:
        return {f"http://{h}:{self.port}" for h in (HOST, "localhost")}


def _env() -> Environment:
    return Environment(
        loader=ChoiceLoader(
            [PackageLoader("ecopark.review", "templates"), PackageLoader("ecopark.report")]
        ),
        autoescape=select_autoescape(["html", "j2"]),
    )


class Guard(BaseHTTPMiddleware):
    """Token on every request; same origin and own host on every POST."""

    def __init__(self, app: Any, state: State) -> None:
        super().__init__(app)
        self.state = state

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        s = self.state
        given = request.headers.get(TOKEN_HEADER) or request.query_params.get("token") or ""
        if not secrets.compare_digest(given.encode(), s.token.encode()):
            return JSONResponse({"error": "missing or wrong token"}, status_code=403)
        host = request.headers.get("host", "")
        if host not in {o.removeprefix("http://") for o in s.origins()}:
            return JSONResponse({"error": f"unexpected Host {host!r}"}, status_code=403)
        if request.method != "GET":
            if request.headers.get(TOKEN_HEADER) != s.token:  # a POST carries it in a header
                return JSONResponse({"error": "token header required"}, status_code=403)
            origin = request.headers.get("origin")
            referer = request.headers.get("referer", "")
            same = (
                origin in s.origins()
                if origin
                else any(referer.startswith(o + "/") for o in s.origins())
            )
            if not same:
                return JSONResponse({"error": "cross-origin request refused"}, status_code=403)
        response = await call_next(request)
        response.headers["x-frame-options"] = "DENY"
        response.headers["referrer-policy"] = "same-origin"
        response.headers["x-content-type-options"] = "nosniff"
        response.headers.setdefault("cache-control", "no-store")
        return response


_CACHE: dict[Path, tuple[tuple[int, int], Report]] = {}
_CACHE_LOCK = threading.Lock()


def _records(outdir: Path) -> dict[str, Report]:
    """The records, each parsed again only when its file changed (the queue is rebuilt
    after every correction; an archive holds thousands of records)."""
    out: dict[str, Report] = {}
    with _CACHE_LOCK:
        for p in sorted((outdir / batch.RECORDS).glob("*.json")):
            try:
                st = p.stat()
            except OSError:
                continue
            sig = (st.st_mtime_ns, st.st_size)
            hit = _CACHE.get(p)
            if hit is None or hit[0] != sig:
                rec = batch.load_record(p)
                if rec is None:
                    continue
                hit = (sig, rec)
                _CACHE[p] = hit
            out[p.stem] = hit[1]
    return out


def _source_lines(report: Report) -> list[str] | None:
    if report.source.kind in ("pdf", "scanned-pdf"):
        return None
    try:
        return Path(report.source.path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None


def queue_items(outdir: Path) -> list[dict[str, Any]]:
    records = _records(outdir)
    history = corrections.by_document(corrections.load(outdir))
    texts: dict[str, list[str] | None] = {}
    out = []
    for cell in queue.build(records.values(), history):
        r = cell.report
        sha = r.source.sha256 or ""
        if sha not in texts:
            texts[sha] = _source_lines(r)
        out.append(queue.item(cell, history.get(sha, []), texts[sha]))
    return out


def create_app(state: State) -> Starlette:
    env = _env()

    async def index(request: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        html = env.get_template("review.html.j2").render(
            token=state.token, who=state.who, nonce=nonce, outdir=str(state.outdir)
        )
        return HTMLResponse(
            html,
            headers={
                "content-security-policy": (
                    f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
                    "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
                    "frame-ancestors 'none'"
                )
            },
        )

    def api_queue(request: Request) -> Response:
        return JSONResponse({"items": queue_items(state.outdir), "who": state.who})

    def api_page(request: Request) -> Response:
        from ecopark.report.pages import render_pages

        sha, n = request.path_params["sha"], int(request.path_params["page"])
        hit = next((r for r in _records(state.outdir).values() if r.source.sha256 == sha), None)
        if hit is None:
            return JSONResponse({"error": "no such document"}, status_code=404)
        dest = state.outdir / PAGES_DIR
        images = render_pages(Path(hit.source.path), {n}, dest, sha[:16])
        if n not in images:
            return JSONResponse({"error": "no image (source file not at hand)"}, status_code=404)
        img = images[n]
        return JSONResponse(
            {
                "src": f"/image/{Path(img.src).name}?token={state.token}",
                "width": img.width,
                "height": img.height,
                "scale": img.scale,
            }
        )

    def image(request: Request) -> Response:
        name = request.path_params["name"]
        path = state.outdir / PAGES_DIR / name
        if "/" in name or not name.endswith(".jpg") or not path.is_file():
            return JSONResponse({"error": "no such image"}, status_code=404)
        return FileResponse(path, media_type="image/jpeg")

    async def api_correct(request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except ValueError:
            return JSONResponse({"error": "body is not JSON"}, status_code=400)
        return await _run_sync(lambda: _correct(state, body))

    routes = [
        Route("/", index),
        Route("/api/queue", api_queue),
        Route("/api/page/{sha}/{page:int}", api_page),
        Route("/image/{name}", image),
        Route("/api/correct", api_correct, methods=["POST"]),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if state.changed:  # the static report follows what was corrected here
            actions.refresh(state.outdir, html=True)

    return Starlette(routes=routes, middleware=[Middleware(Guard, state=state)], lifespan=lifespan)


async def _run_sync(fn: Callable[[], Response]) -> Response:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn)


def _rebuild(state: State) -> None:
    """Rebuild the dataset until no correction is newer than it; one rebuild at a time
    (a correction made meanwhile marks it dirty and the running rebuild goes again)."""
    state.dirty = True
    while state.dirty:
        if not state.rebuild_lock.acquire(blocking=False):
            return  # the running rebuild sees the flag
        try:
            while state.dirty:
                state.dirty = False
                batch.write_dataset(state.outdir)
        finally:
            state.rebuild_lock.release()


def _correct(state: State, body: dict[str, Any]) -> Response:
    action = body.get("action", "correct")
    if action not in ("correct", "confirm", "unreadable"):
        return JSONResponse({"error": f"unknown action {action!r}"}, status_code=400)
    fld = str(body.get("field", "value"))
    new: str | float | bool | None = body.get("new")
    if action == "correct" and fld == "value" and isinstance(new, str):
        parsed = _number(new)
        if parsed is None:
            fld = "text"  # not a number: the cell's text as read (达标, —, …)
        else:
            new = parsed
    act: Action = action
    try:
        year = body.get("year")
        with state.lock:
            done = actions.correct(
                state.outdir,
                str(body.get("sha256", "")),
                indicator=body.get("indicator"),
                field=fld,
                year=int(year) if year is not None else None,
                column=body.get("column") if year is None else None,
                action=act,
                new=new,
                note=str(body.get("note", "")),
                who=state.who,
                reason=str(body["reason"]) if body.get("reason") else None,
            )
            state.changed = True
    except CorrectionError as err:
        return JSONResponse({"error": str(err)}, status_code=400)
    r = done.report
    return JSONResponse(
        {
            "verdict": queue.verdict_state(r),
            "explanation": r.verdict.explanation if r.verdict else "",
            "correction": done.correction.model_dump(mode="json"),
        },
        background=BackgroundTask(_rebuild, state),
    )


def _number(text: str) -> float | None:
    from schemas.numbers import parse_value

    p = parse_value(text)
    return p.number if p.kind == "number" else None


def serve(outdir: Path, port: int = 0, who: str | None = None, open_browser: bool = True) -> None:
    import uvicorn

    if not (outdir / batch.RECORDS).is_dir():
        print(
            f"error: {outdir} holds no records (run `ecopark run … -o {outdir}`)", file=sys.stderr
        )
        raise SystemExit(2)  # a usage error (exit codes: CONTRACTS §5)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    state = State(outdir, secrets.token_urlsafe(24), who or corrections.default_who())
    state.port = sock.getsockname()[1]
    url = f"http://{HOST}:{state.port}/?token={state.token}"
    print(f"review: {url}", flush=True)
    if open_browser:
        webbrowser.open(url)
    config = uvicorn.Config(create_app(state), log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])
