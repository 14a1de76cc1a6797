"""HTTP API and web page (FastAPI), a thin layer over `veille.service`.

Every error, including 404/405/422/500, has one JSON shape:
`{"error": {"code": "...", "message": "...", "status": 404}}`. Writes (`POST /articles`) need
`Authorization: Bearer <VEILLE_TOKEN>`; without VEILLE_TOKEN set, writes are refused. Request
bodies are capped (`max_body_bytes`), CORS is off unless origins are given, and every filter
reaches SQL as a bound parameter.
"""
from __future__ import annotations

import hmac
import os
import threading
from collections.abc import Callable
from importlib import resources
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from veille import __version__, service
from veille.errors import InputError, StoreError, VeilleError
from veille.models import PLOVER_TYPES
from veille.service import PipelineLike
from veille.store import MAX_LIMIT, EventFilter, QueryError, Store

__all__ = ["create_app", "ApiError", "DEFAULT_MAX_BODY", "error_body"]

DEFAULT_MAX_BODY = 2 * 1024 * 1024
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type",
          422: "validation_error", 500: "internal_error", 503: "unavailable"}
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


class ApiError(Exception):
    """An error with an HTTP status and a machine-readable code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, code, message), status_code=status, headers=headers)


class BodyLimit:
    """Refuses request bodies over `limit` bytes with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = _error(413, "payload_too_large", f"request body is over {self.limit} bytes")
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _error(400, "bad_request", "invalid Content-Length")(scope, receive, send)
                    return
                if declared > self.limit:
                    await too_big(scope, receive, send)
                    return
        # read the whole body (bounded) before the app sees it, so a chunked body is capped too
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                await too_big(scope, receive, send)
                return
            chunks.append(body)
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SecurityHeaders:
    """Adds a strict Content-Security-Policy and nosniff to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", _CSP.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ArticleIn(BaseModel):
    """An article to process: exactly one of `text` (plain text, optional header) or `html`."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(default=None, description="plain text; the seed's header form is understood")
    html: str | None = Field(default=None, description="an HTML page; boilerplate is removed")
    source: str = Field(default="api", max_length=500, description="where it came from (a name or URL)")
    url: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(default=None, max_length=2000)
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}", description="ISO date")
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")


def _parse_bbox(bbox: str | None) -> tuple[float, float, float, float] | None:
    if bbox is None:
        return None
    parts = bbox.split(",")
    try:
        if len(parts) != 4:
            raise ValueError
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError as exc:
        raise QueryError("bbox must be min_lon,min_lat,max_lon,max_lat") from exc
    return min_lon, min_lat, max_lon, max_lat


def _filters(
    type: Annotated[list[str] | None, Query(description="PLOVER type(s); repeat or comma-separate")] = None,
    mode: Annotated[str | None, Query(max_length=100)] = None,
    actor: Annotated[str | None, Query(max_length=200, description="substring of the actor's name")] = None,
    actor_country: Annotated[str | None, Query(max_length=64, description="ISO3")] = None,
    target_country: Annotated[str | None, Query(max_length=64, description="ISO3")] = None,
    country: Annotated[str | None, Query(max_length=64, description="ISO3 of actor, target or place")] = None,
    place: Annotated[str | None, Query(max_length=200, description="substring of place or admin1 name")] = None,
    bbox: Annotated[str | None, Query(max_length=200, description="min_lon,min_lat,max_lon,max_lat")] = None,
    since: Annotated[str | None, Query(max_length=10, description="YYYY[-MM[-DD]]")] = None,
    until: Annotated[str | None, Query(max_length=10, description="YYYY[-MM[-DD]]")] = None,
    background: Annotated[bool | None, Query(description="history mentioned as context")] = None,
    q: Annotated[str | None, Query(max_length=500, description="text in the evidence sentences")] = None,
) -> EventFilter:
    types: list[str] = []
    for value in type or []:
        types.extend(t.strip().upper() for t in value.split(",") if t.strip())
    bad = [t for t in types if t not in PLOVER_TYPES]
    if bad:
        raise QueryError(f"unknown event type(s) {', '.join(bad)}; expected one of {', '.join(PLOVER_TYPES)}")
    return EventFilter(types=tuple(types), mode=mode, actor=actor, actor_country=actor_country,
                       target_country=target_country, country=country, place=place, bbox=_parse_bbox(bbox),
                       since=since, until=until, background=background, q=q)


def create_app(
    store: Store,
    *,
    pipeline: PipelineLike | Callable[[], PipelineLike] | None = None,
    token: str | None = None,
    cors_origins: tuple[str, ...] = (),
    max_body_bytes: int = DEFAULT_MAX_BODY,
) -> FastAPI:
    """The ASGI app over one store. `pipeline` may be a factory, called on the first submission.

    `token` defaults to the VEILLE_TOKEN environment variable; when neither is set, writes are refused.
    """
    secret = token if token is not None else os.environ.get("VEILLE_TOKEN") or None
    app = FastAPI(title="Veille", version=__version__, docs_url=None, redoc_url=None,
                  description="Geocoded, dated PLOVER events extracted from news articles, with their evidence.")
    web_dir = resources.files("veille.web")
    is_factory = isinstance(pipeline, type) or (pipeline is not None and not hasattr(pipeline, "process_many"))
    state: dict[str, Any] = {"pipeline": None if is_factory else pipeline}
    lock = threading.Lock()

    def get_pipeline() -> PipelineLike:
        with lock:
            if state["pipeline"] is None:
                if pipeline is None:
                    from veille.pipeline import Pipeline

                    state["pipeline"] = Pipeline()
                else:
                    state["pipeline"] = pipeline()  # type: ignore[operator]
            return state["pipeline"]

    # -- errors: one shape everywhere ------------------------------------------------------
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else _CODES.get(exc.status_code, "error")
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such resource: {request.url.path}"
        if exc.status_code == 405:
            message = f"method {request.method} is not allowed on {request.url.path}"
        return _error(exc.status_code, _CODES.get(exc.status_code, "error"), message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()))
            parts.append(f"{where}: {err.get('msg', 'invalid')}")
        return _error(422, "validation_error", "; ".join(parts) or "invalid request")

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return _error(exc.status, exc.code, exc.message, headers=headers)

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError) -> JSONResponse:
        return _error(422, "invalid_filter", str(exc))

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> JSONResponse:
        return _error(422, "invalid_input", str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        return _error(503, "store_unavailable", str(exc))

    @app.exception_handler(VeilleError)
    async def veille_error(request: Request, exc: VeilleError) -> JSONResponse:
        return _error(422, "processing_failed", str(exc))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        return _error(500, "internal_error", "internal server error")

    # -- auth ---------------------------------------------------------------------------------
    def require_token(authorization: Annotated[str | None, Header()] = None) -> None:
        if secret is None:
            raise ApiError(403, "writes_disabled", "writes are disabled: set VEILLE_TOKEN on the server")
        given = ""
        if authorization and authorization[:7].lower() == "bearer ":
            given = authorization[7:].strip()
        if not hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8")):
            raise ApiError(401, "unauthorized", "missing or wrong token (Authorization: Bearer <token>)")

    # -- routes -------------------------------------------------------------------------------
    @app.get("/events", tags=["events"], summary="Events matching filters, newest first, paginated")
    def list_events(
        f: Annotated[EventFilter, Depends(_filters)],
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
        cursor: Annotated[str | None, Query(max_length=500, description="next_cursor of the previous page")] = None,
    ) -> dict[str, Any]:
        return service.query_events(store, f, limit=limit, offset=offset, cursor=cursor).to_dict()

    @app.get("/events/{event_id}", tags=["events"], summary="One event with its mentions and evidence")
    def one_event(event_id: Annotated[str, PathParam(max_length=100)]) -> dict[str, Any]:
        found = service.get_event(store, event_id)
        if found is None:
            raise ApiError(404, "not_found", f"no event {event_id!r}")
        event, mentions = found
        out = event.to_dict()
        out["mentions"] = [m.to_dict() for m in mentions]
        return out

    @app.get("/articles/{article_id}", tags=["articles"], summary="An article with its event spans")
    def one_article(article_id: Annotated[str, PathParam(max_length=100)]) -> dict[str, Any]:
        found = service.get_article(store, article_id)
        if found is None:
            raise ApiError(404, "not_found", f"no article {article_id!r}")
        article, mentions = found
        return {
            "article": article.to_dict(),
            "spans": [{"start": m.event.evidence.start, "end": m.event.evidence.end, "event_id": m.event_id,
                       "mention_id": m.id, "type": m.event.type} for m in mentions],
            "event_ids": list(dict.fromkeys(m.event_id for m in mentions)),
        }

    @app.get("/stats", tags=["events"], summary="Counts per day, ISO week, type and place country")
    def get_stats(f: Annotated[EventFilter, Depends(_filters)]) -> dict[str, Any]:
        return service.stats(store, f).to_dict()

    @app.post("/articles", tags=["articles"], status_code=201, dependencies=[Depends(require_token)],
              summary="Submit a text or HTML article for processing (token required)")
    def post_article(body: ArticleIn) -> JSONResponse:
        if (body.text is None) == (body.html is None):
            raise ApiError(422, "validation_error", "give exactly one of text or html")
        result = service.submit_article(store, get_pipeline(), text=body.text, html=body.html, source=body.source,
                                        url=body.url, title=body.title, published=body.published,
                                        language=body.language)
        return JSONResponse(result.to_dict(), status_code=201 if result.created else 200)

    # -- web page -----------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return Response(web_dir.joinpath("index.html").read_bytes(), media_type="text/html; charset=utf-8")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        types = {"app.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8"}
        if name not in types:
            raise ApiError(404, "not_found", f"no such resource: /static/{name}")
        return Response(web_dir.joinpath(name).read_bytes(), media_type=types[name],
                        headers={"Cache-Control": "no-cache"})

    @app.get("/basemap.svg", include_in_schema=False)
    def basemap() -> Response:
        from veille.web.basemap import basemap_svg

        return Response(basemap_svg(), media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    @app.get("/health", tags=["meta"], summary="Liveness and store row counts")
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "counts": store.counts()}

    if cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=max_body_bytes)
    return app
