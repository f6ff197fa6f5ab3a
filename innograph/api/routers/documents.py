"""Documents: read one with what was extracted from it, add one (JSON or file upload),
delete one with the evidence it contributed."""

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import ValidationError

from innograph.api.deps import LimitsDep, ServiceDep, StateDep, run_blocking
from innograph.api.errors import ApiError
from innograph.api.schemas import (
    Deleted,
    DocumentDetail,
    DocumentIn,
    DocumentMeta,
    IngestedDocument,
    IngestFailure,
    IngestResult,
    WrittenOut,
    error_responses,
)
from innograph.api.security import require_writer
from innograph.errors import InnographError, InvalidInput
from innograph.model import Failure

if TYPE_CHECKING:
    from innograph.ingest.service import DocumentOutcome

ID_MAX = 128
DocumentId = Annotated[str, Path(max_length=ID_MAX)]
READ_ERRORS = error_responses(404, 422)
WRITE_ERRORS = error_responses(401, 403, 413, 415, 422)


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


def _outcome(item: "DocumentOutcome") -> IngestedDocument:
    from innograph.ingest.jsonout import extraction_to_json

    return IngestedDocument(
        document=DocumentMeta(**item.document.metadata()),
        unchanged=item.unchanged,
        extraction=extraction_to_json(item.extraction, item.document.path),
        written=WrittenOut.of(item.written),
    )


def _result(items: Sequence["DocumentOutcome | Failure"]) -> IngestResult:
    return IngestResult(
        documents=[_outcome(i) for i in items if not isinstance(i, Failure)],
        failed=[IngestFailure.of(i) for i in items if isinstance(i, Failure)],
    )


async def _json_document(request: Request) -> DocumentIn:
    body = await request.body()
    try:
        return DocumentIn.model_validate(json.loads(body))
    except RecursionError:
        # Thousands of nested brackets: the parser's recursion gives up, so do we.
        deep = [{"loc": ["body"], "msg": "body is nested too deeply", "type": "json_invalid"}]
        raise ApiError(422, "invalid_parameters", "invalid document body", deep) from None
    except ValueError as exc:  # bad JSON, or a ValidationError (a ValueError subclass)
        detail: Any = (
            [
                {"loc": ["body", *map(str, e["loc"])], "msg": e["msg"], "type": e["type"]}
                for e in exc.errors()
            ]
            if isinstance(exc, ValidationError)
            else [{"loc": ["body"], "msg": "body is not valid JSON", "type": "json_invalid"}]
        )
        raise InvalidInput("invalid document body", detail=detail) from None


router = APIRouter(tags=["documents"])


@router.get(
    "/documents/{document_id}",
    response_model=DocumentDetail,
    responses=READ_ERRORS,
    summary="A document's metadata, its entities and relationships",
)
async def get_document(
    state: StateDep, service: ServiceDep, document_id: DocumentId
) -> DocumentDetail:
    return DocumentDetail.of(await run_blocking(state, service.document, document_id))


@router.post(
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
    request: Request, state: StateDep, service: ServiceDep, limits: LimitsDep
) -> IngestResult:
    ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if ctype == "application/json":
        doc = await _json_document(request)
        outcome = await run_blocking(
            state,
            lambda: service.ingest_text(
                doc.text, doc.name, title=doc.title, url=doc.url, source=doc.source, date=doc.date
            ),
            timeout=limits.ingest_timeout,
        )
        return _result([outcome])
    if ctype == "multipart/form-data":
        try:
            form = await request.form(max_files=1, max_fields=10)
        except InnographError:
            raise
        except Exception as exc:  # starlette's MultiPartException and friends
            raise InvalidInput(f"invalid multipart body: {exc}") from None
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise InvalidInput(
                "multipart body needs a `file` part",
                detail=[{"loc": ["body", "file"], "msg": "field required", "type": "missing"}],
            )
        data = await upload.read()
        name = (upload.filename or "upload.txt")[:300]
        meta = {
            k: str(form.get(k) or "")[:2000]
            for k in ("title", "url", "source", "date")
            if isinstance(form.get(k, ""), str)
        }
        items = await run_blocking(
            state, lambda: service.ingest_bytes(data, name, **meta), timeout=limits.ingest_timeout
        )
        return _result(items)
    raise ApiError(
        415,
        "unsupported_media_type",
        "send application/json ({text, ...}) or multipart/form-data with a `file` part",
    )


@router.delete(
    "/documents/{document_id}",
    response_model=Deleted,
    responses=error_responses(404, 422, 401, 403),
    dependencies=[Depends(require_writer)],
    summary="Delete a document, its evidence, and what only it supported",
)
async def delete_document(state: StateDep, service: ServiceDep, document_id: DocumentId) -> Deleted:
    await run_blocking(state, service.delete_document, document_id)
    return Deleted(id=document_id, deleted=True)
