"""What the explorer asks for beyond the entity and analytics routes: laid-out views
(neighbourhoods, paths, introducers, connectors, overview), the nodes to add when one is
expanded, and all evidence of one relation. Also the explorer page itself and its assets."""

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from innograph.api.deps import LimitsDep, ServiceDep, StateDep, run_blocking
from innograph.api.limits import Cap
from innograph.api.lookup import name_param
from innograph.api.schemas import EvidenceList, EvidenceOut, ViewOut, error_responses
from innograph.api.text import clean_query
from innograph.errors import InvalidInput, NotFound
from innograph.model import Label, RelType
from innograph.viz import assets as viz_assets
from innograph.viz.view import MODES, View, ViewRequest, builder_for, compact_payload

ERRORS = error_responses(404, 422, 504)
ID_MAX = 128
KEY_MAX = 3 * ID_MAX
MAX_NAMES = 20
MAX_SHOWN = 50_000
FORMAT = Query(
    pattern="^(full|compact)$",
    description="`compact`: nodes and edges as rows of `node_fields` / `edge_fields` "
    "(what the explorer reads; half the bytes).",
)

router = APIRouter(tags=["explorer"])


@router.get(
    "/view",
    response_model=ViewOut,
    responses=ERRORS,
    summary="A laid-out view for the explorer: nodes with positions, edges, and the answer",
    description="`mode=focus` (the neighbourhood of `name`s within `hops`), `path` "
    "(k shortest paths between two `name`s), `introduce` (who can introduce the first "
    "`name` to the second), `connectors` (top connectors and their nearest neighbours) or "
    "`all` (the best-connected entities). Views are capped at `limit` nodes "
    "(`total_nodes` says how many there would be); positions are computed server-side "
    "and cached per view and graph version.",
)
async def view(
    state: StateDep,
    service: ServiceDep,
    limits: LimitsDep,
    mode: Annotated[str, Query(description=" | ".join(MODES))] = "focus",
    name: Annotated[
        list[str] | None, Query(max_length=MAX_NAMES, description="Entities (ids or names).")
    ] = None,
    hops: Annotated[int, Query(ge=0), Cap("max_depth")] = 1,
    limit: Annotated[int | None, Query(ge=1), Cap("max_view_nodes")] = None,
    label: Annotated[list[Label] | None, Query(description="Only these labels.")] = None,
    rel: Annotated[list[RelType] | None, Query(description="Only these types.")] = None,
    k: Annotated[int, Query(ge=1), Cap("max_k")] = 3,
    max_hops: Annotated[int, Query(ge=1), Cap("max_hops")] = 6,
    via: Annotated[list[Label] | None, Query()] = None,
    avoid: Annotated[list[str] | None, Query(max_length=MAX_NAMES)] = None,
    top: Annotated[int, Query(ge=1), Cap("max_page")] = 20,
    between: Annotated[list[str] | None, Query(max_length=2)] = None,
    size_by: Annotated[str, Query(pattern="^(degree|score)$")] = "degree",
    seed: Annotated[
        int, Query(ge=0, le=1_000_000, description="Layout seed (another layout).")
    ] = 0,
    format: Annotated[str, FORMAT] = "full",
) -> ViewOut | Response:
    if mode not in MODES:
        raise InvalidInput(f"mode must be one of {', '.join(MODES)}", parameter="mode")
    qmax = limits.max_query_chars
    names = tuple(name_param(x, "name", qmax) for x in name or ())
    avoided = tuple(name_param(x, "avoid", qmax) for x in avoid or ())

    def run() -> ViewOut | Response:
        req = ViewRequest(
            mode=mode,
            names=tuple(service.resolve(x, "name").id for x in names),
            hops=hops,
            limit=limit or limits.view_nodes,
            labels=tuple(sorted({x.value for x in label or ()})),
            rel_types=tuple(sorted({x.value for x in rel or ()})),
            k=k,
            max_hops=max_hops,
            via=tuple(sorted({x.value for x in via or ()})),
            avoid=tuple(service.resolve(x, "avoid").id for x in avoided),
            top=top,
            between=tuple(between or ()),
            size_by=size_by,
            seed=seed,
        )
        return _answer(builder_for(service).build(req), format)

    return await run_blocking(state, run)


def _answer(view: View, format: str) -> ViewOut | Response:
    if format == "compact":
        return Response(compact_payload(view), media_type="application/json")
    return ViewOut.from_view(view)


class ShownIn(BaseModel):
    shown: list[str] = Field(default=[], max_length=MAX_SHOWN)


def _expand_request(
    entity_id: str,
    hops: int,
    limit: int,
    label: list[Label] | None,
    rel: list[RelType] | None,
) -> ViewRequest:
    return ViewRequest(
        mode="focus",
        names=(clean_query(entity_id),),
        hops=hops,
        limit=limit,
        labels=tuple(sorted({x.value for x in label or ()})),
        rel_types=tuple(sorted({x.value for x in rel or ()})),
        layout=False,
    )


@router.get(
    "/view/expand/{entity_id}",
    response_model=ViewOut,
    responses=ERRORS,
    summary="The nodes and edges to add when the explorer expands one entity",
    description="Like `/view?mode=focus` for one entity but without positions: the "
    "explorer places new nodes next to the expanded one, so the picture does not move.",
)
async def expand(
    state: StateDep,
    service: ServiceDep,
    entity_id: Annotated[str, Path(max_length=ID_MAX)],
    hops: Annotated[int, Query(ge=1), Cap("max_depth")] = 1,
    limit: Annotated[int, Query(ge=1), Cap("max_neighbors")] = 200,
    label: Annotated[list[Label] | None, Query()] = None,
    rel: Annotated[list[RelType] | None, Query()] = None,
    format: Annotated[str, FORMAT] = "full",
) -> ViewOut | Response:
    req = _expand_request(entity_id, hops, limit, label, rel)
    built = await run_blocking(state, builder_for(service).expand, req)
    return _answer(built, format)


@router.post(
    "/view/expand/{entity_id}",
    response_model=ViewOut,
    responses=ERRORS,
    summary="Expand one entity of a view: its neighbours, and their links to what is shown",
    description="As GET, plus every relation joining a new node to one of `shown` (the "
    "ids already drawn), so an expansion also closes the links into the rest of the view.",
)
async def expand_shown(
    state: StateDep,
    service: ServiceDep,
    entity_id: Annotated[str, Path(max_length=ID_MAX)],
    body: ShownIn,
    hops: Annotated[int, Query(ge=1), Cap("max_depth")] = 1,
    limit: Annotated[int, Query(ge=1), Cap("max_neighbors")] = 200,
    label: Annotated[list[Label] | None, Query()] = None,
    rel: Annotated[list[RelType] | None, Query()] = None,
    format: Annotated[str, FORMAT] = "full",
) -> ViewOut | Response:
    req = _expand_request(entity_id, hops, limit, label, rel)
    shown = [x for x in body.shown if 0 < len(x) <= ID_MAX]
    built = await run_blocking(state, builder_for(service).expand, req, shown)
    return _answer(built, format)


@router.get(
    "/view/dates/{token}",
    responses=ERRORS,
    summary="Evidence dates of a big view's relations, fetched after it is drawn",
    description="A view with many relations comes with `dates_pending: true` and a "
    "`token`; this answers `{dates: {relation key: [earliest, latest]}}` for it.",
)
async def view_dates(
    state: StateDep,
    service: ServiceDep,
    token: Annotated[str, Path(max_length=64)],
) -> dict[str, dict[str, list[str]]]:
    found = await run_blocking(state, builder_for(service).dates, token)
    if found is None:
        raise NotFound("that view is no longer cached; load it again")
    return {"dates": {k: [a, b] for k, (a, b) in found.items()}}


@router.get(
    "/relations/evidence",
    response_model=EvidenceList,
    responses=ERRORS,
    summary="Every sentence behind one relationship, with its document",
)
async def relation_evidence(
    state: StateDep,
    service: ServiceDep,
    key: Annotated[
        str, Query(max_length=KEY_MAX, description="The relation key `source|TYPE|target`.")
    ],
    limit: Annotated[int, Query(ge=1), Cap("max_page")] = 50,
) -> EvidenceList:
    parts = key.split("|")
    if len(parts) != 3 or not all(parts):
        raise InvalidInput("key is `source|TYPE|target`", parameter="key")
    found = await run_blocking(state, service.evidence, [key], limit)
    items = found.get(key) or []
    if not items:
        raise NotFound(f"no relation with key {key!r}")
    return EvidenceList(
        key=key,
        source=parts[0],
        type=parts[1],
        target=parts[2],
        evidence=[EvidenceOut.of(e) for e in items],
    )


# ---- the page ---------------------------------------------------------------------------


@router.get("/", include_in_schema=False)
async def root() -> RedirectResponse:
    return RedirectResponse("/explore", status_code=307)


@router.get("/explore", include_in_schema=False, response_class=HTMLResponse)
async def explore(request: Request, limits: LimitsDep) -> HTMLResponse:
    first = first_view_url(request.query_params)
    config = {"api": "", "standalone": False, "viewLimit": limits.view_nodes, "initial": first}
    return HTMLResponse(
        viz_assets.render_page(config, preload=first), headers={"Cache-Control": "no-cache"}
    )


def _split(value: str | None) -> list[str]:
    return [x.strip() for x in (value or "").split(",") if x.strip()]


def first_view_url(q: Mapping[str, str]) -> str:
    """The /view request the page will make for a deep link (as explorer.js's
    `requestFromUrl` and `load` read it), so the browser can fetch it in parallel with the
    scripts. The page uses this answer only when it would ask for the same parameters."""
    common: dict[str, Any] = {
        "label": _split(q.get("label")),
        "limit": q.get("limit"),
        "size_by": q.get("size"),
        "seed": q.get("seed"),
    }
    params: dict[str, Any]
    if q.get("path"):
        params = {
            "mode": "path",
            "name": _split(q.get("path"))[:2],
            "k": q.get("k") or 3,
            "max_hops": q.get("max_hops") or 6,
            "via": _split(q.get("via")),
            "avoid": _split(q.get("avoid")),
            **common,
        }
    elif q.get("introduce"):
        params = {
            "mode": "introduce",
            "name": _split(q.get("introduce"))[:2],
            "top": q.get("top") or 10,
            **common,
        }
    elif "connectors" in q:
        params = {
            "mode": "connectors",
            "top": q.get("connectors") or 20,
            "between": _split(q.get("between")),
            **common,
        }
    elif q.get("focus"):
        params = {"mode": "focus", "name": _split(q.get("focus")), "hops": q.get("hops") or 1}
        params.update(common)
    elif "overview" in q:
        params = {"mode": "all", **common, "limit": q.get("overview")}
    else:
        params = {"mode": "all"}
    if q.get("size") == "score":
        params["size_by"] = "score"
    params["format"] = "compact"
    pairs = [
        (k, str(x))
        for k, v in params.items()
        for x in (v if isinstance(v, list) else [v])
        if x is not None and x != ""
    ]
    return "/view?" + urlencode(pairs)


@router.get("/explore/assets/{name}", include_in_schema=False)
async def asset(name: str) -> FileResponse:
    path = viz_assets.assets().get(name)
    if path is None:
        raise NotFound(f"no asset {name!r}")
    return FileResponse(
        path,
        media_type=viz_assets.MEDIA_TYPES[path.suffix],
        headers={"Cache-Control": "public, max-age=3600"},
    )
