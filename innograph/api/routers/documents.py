"""Documents: read one with what was extracted from it, add one (JSON or file upload),
delete one with the evidence it contributed."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import ValidationError

from innograph.api.deps import ApiState, api_state, run_blocking
from innograph.api.errors import ApiError
from innograph.api.limits import Limits
from innograph.api.schemas import (
    Deleted,
    DocumentDetail,
    DocumentIn,
    DocumentMeta,
    EntitySummary,
    ErrorBody,
    IngestedDocument,
    IngestFailure,
    IngestResult,
    RelationOut,
    WrittenOut,
)
from innograph.api.security import require_writer
from innograph.model import Failure

ID_MAX = 128
READ_ERRORS = {404: {"model": ErrorBody}, 422: {"model": ErrorBody}}
WRITE_ERRORS = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    413: {"model": ErrorBody},
    415: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


# The upload body is parsed by hand (JSON or multipart) so that size errors, bad JSON and
# bad forms all come back in the API's error format; this documents both shapes for /docs.
# DocumentIn is inlined: it is not a route parameter, so it is not among the components.
_UPLOAD_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": DocumentIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string", "maxLength": 1000},
                        "url": {"type": "string", "maxLength": 2000},
                        "source": {"type": "string", "maxLength": 300},
                        "date": {"type": "string", "maxLength": 40},
                    },
                }
            },
        },
    }
}


def _outcome(item: Any) -> IngestedDocument:
    from innograph.ingest.jsonout import extraction_to_json

    doc = item.document
    w = item.written
    return IngestedDocument(
        document=DocumentMeta(**doc.metadata()),
        unchanged=bool(item.unchanged),
        extraction=extraction_to_json(item.extraction, doc.path),
        written=WrittenOut(
            documents=w.documents,
            entities_created=w.entities_created,
            relations_created=w.relations_created,
            evidence_added=w.evidence_added,
        ),
    )


def _result(items: list[Any]) -> IngestResult:
    return IngestResult(
        documents=[_outcome(i) for i in items if not isinstance(i, Failure)],
        failed=[
            IngestFailure(path=i.path, reason=i.reason) for i in items if isinstance(i, Failure)
        ],
    )


async def _json_document(request: Request) -> DocumentIn:
    body = await request.body()
    try:
        return DocumentIn.model_validate(json.loads(body))
    except ValueError as exc:  # bad JSON, or a ValidationError (a ValueError subclass)
        detail: Any = (
            [
                {"loc": ["body", *map(str, e["loc"])], "msg": e["msg"], "type": e["type"]}
                for e in exc.errors()
            ]
            if isinstance(exc, ValidationError)
            else [{"loc": ["body"], "msg": "body is not valid JSON", "type": "json_invalid"}]
        )
        raise ApiError(422, "invalid_parameters", "invalid document body", detail) from None


def router(limits: Limits) -> APIRouter:
    r = APIRouter(tags=["documents"])

    @r.get(
        "/documents/{document_id}",
        response_model=DocumentDetail,
        responses=READ_ERRORS,
        summary="A document's metadata, its entities and relationships",
    )
    async def get_document(
        state: Annotated[ApiState, Depends(api_state)],
        document_id: Annotated[str, Path(max_length=ID_MAX)],
    ) -> DocumentDetail:
        def load() -> DocumentDetail | None:
            doc = state.store.get_document(document_id)
            if doc is None:
                return None
            rels = state.store.document_relations(document_id)
            ids = sorted({x for rel in rels for x in (rel.source, rel.target)})
            ents = state.store.get_entities(ids) if ids else []
            names = {e.id: e.name for e in ents}
            return DocumentDetail(
                document=DocumentMeta.from_record(doc),
                entities=[EntitySummary.from_record(e) for e in ents],
                relations=[RelationOut.from_record(rel, names) for rel in rels],
            )

        detail = await run_blocking(state, load)
        if detail is None:
            raise ApiError(404, "not_found", f"no document with id {document_id!r}")
        return detail

    @r.post(
        "/documents",
        response_model=IngestResult,
        status_code=201,
        responses=WRITE_ERRORS,
        dependencies=[Depends(require_writer)],
        openapi_extra=_UPLOAD_OPENAPI,
        summary="Add a document: JSON text + metadata, or a multipart file upload",
        description="Extracts entities and relationships and writes them to the graph. "
        "Re-posting the same content changes nothing (`unchanged: true`). Bodies larger "
        "than the upload limit are refused with 413 before they are read.",
    )
    async def post_document(
        request: Request, state: Annotated[ApiState, Depends(api_state)]
    ) -> IngestResult:
        ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        ingestor = state.ingestor()

        def locked(fn: Any, *args: Any, **kw: Any) -> Any:
            with state.ingest_lock:
                try:
                    return fn(*args, **kw)
                finally:
                    state.wrote()

        if ctype == "application/json":
            doc = await _json_document(request)
            meta = {"title": doc.title, "url": doc.url, "source": doc.source, "date": doc.date}
            outcome = await run_blocking(
                state,
                lambda: locked(ingestor.ingest_text, doc.text, doc.name, **meta),
                timeout=limits.ingest_timeout,
            )
            return _result([outcome])
        if ctype == "multipart/form-data":
            try:
                form = await request.form(max_files=1, max_fields=10)
            except ApiError:
                raise
            except Exception as exc:  # starlette's MultiPartException and friends
                raise ApiError(
                    422, "invalid_parameters", f"invalid multipart body: {exc}"
                ) from None
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise ApiError(
                    422,
                    "invalid_parameters",
                    "multipart body needs a `file` part",
                    [{"loc": ["body", "file"], "msg": "field required", "type": "missing"}],
                )
            data = await upload.read()
            name = (upload.filename or "upload.txt")[:300]
            meta = {
                k: str(form.get(k) or "")[:2000]
                for k in ("title", "url", "source", "date")
                if isinstance(form.get(k, ""), str)
            }
            items = await run_blocking(
                state,
                lambda: locked(ingestor.ingest_bytes, data, name, **meta),
                timeout=limits.ingest_timeout,
            )
            return _result(items)
        raise ApiError(
            415,
            "unsupported_media_type",
            "send application/json ({text, ...}) or multipart/form-data with a `file` part",
        )

    @r.delete(
        "/documents/{document_id}",
        response_model=Deleted,
        responses={**READ_ERRORS, 401: {"model": ErrorBody}, 403: {"model": ErrorBody}},
        dependencies=[Depends(require_writer)],
        summary="Delete a document, its evidence, and what only it supported",
    )
    async def delete_document(
        state: Annotated[ApiState, Depends(api_state)],
        document_id: Annotated[str, Path(max_length=ID_MAX)],
    ) -> Deleted:
        def delete() -> bool:
            with state.ingest_lock:
                try:
                    return state.store.delete_document(document_id)
                finally:
                    state.wrote()

        if not await run_blocking(state, delete):
            raise ApiError(404, "not_found", f"no document with id {document_id!r}")
        return Deleted(id=document_id, deleted=True)

    return r
