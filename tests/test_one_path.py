"""The layering rules of issue 12, checked on real parts: one error hierarchy mapped to HTTP
once, one `Settings` for every knob, routes declared once and bound to each app's limits,
and one `GraphService` for every answer and write (on a real embedded FalkorDB)."""

from __future__ import annotations

import inspect
import logging
from pathlib import Path

import pytest
from conftest import falkordb_settings
from test_api_support import XINGHAI, YUNFAN, ZHANG, fixture_extraction

from innograph import errors
from innograph.api.app import create_app
from innograph.api.errors import ApiError, BodyTooLarge, status_of
from innograph.config import Limits, Settings, load_settings
from innograph.graph.service import GraphService
from innograph.graph.store.embedded import ServerError
from innograph.graph.store.falkordb import FalkorStore
from innograph.graph.store.queries import QueryError
from innograph.ingest.merges import MergeError, UnknownEntity, UnknownMerge
from innograph.ingest.readers import DecodeError
from innograph.ingest.resolve import Resolver
from innograph.ingest.service import Ingestor
from innograph.model import Extraction

# ---- errors ----------------------------------------------------------------------------


def test_every_error_class_has_one_root_a_code_and_a_reason() -> None:
    classes = [
        c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == errors.__name__
    ]
    assert len(classes) >= 14
    for cls in classes:
        assert issubclass(cls, errors.InnographError), cls
        assert cls.__doc__ and cls.code, cls
    # Errors raised elsewhere belong to it too.
    for cls in (QueryError, ServerError, MergeError, UnknownEntity, UnknownMerge, DecodeError):
        assert issubclass(cls, errors.InnographError), cls


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (errors.EntityNotFound("x"), 404, "entity_not_found"),
        (errors.AmbiguousEntity("x", []), 404, "ambiguous_entity"),
        (errors.DocumentNotFound("d1"), 404, "not_found"),
        (UnknownMerge("no such merge"), 404, "merge_not_found"),
        (UnknownEntity("o-1"), 404, "entity_not_found"),
        (errors.InvalidInput("bad", parameter="k"), 422, "invalid_parameters"),
        (QueryError("bad query name"), 422, "invalid_query"),
        (MergeError("text gone"), 409, "conflict"),
        (BodyTooLarge(), 413, "payload_too_large"),
        (errors.Timeout("slow"), 503, "timeout"),
        (ServerError("down"), 503, "unavailable"),
        (errors.InnographError("unexpected"), 500, "error"),
        (ApiError(415, "unsupported_media_type", "send JSON"), 415, "unsupported_media_type"),
    ],
)
def test_http_status_comes_from_one_table(
    error: errors.InnographError, status: int, code: str
) -> None:
    assert status_of(error) == status
    assert error.code == code
    assert error.message and "\n" not in error.message


def test_built_in_bases_are_kept_for_old_callers() -> None:
    assert isinstance(errors.InvalidInput("x"), ValueError)
    assert isinstance(errors.EntityNotFound("x"), LookupError)
    assert isinstance(ServerError("x"), RuntimeError)
    bad = errors.InvalidInput("k must be positive", parameter="k")
    assert bad.detail == [
        {"loc": ["query", "k"], "msg": "k must be positive", "type": "value_error"}
    ]


# ---- settings ----------------------------------------------------------------------------


def test_one_settings_object_carries_every_knob(tmp_path: Path) -> None:
    env = {
        "INNOGRAPH_HOME": str(tmp_path),
        "INNOGRAPH_STAT_NER": "off",
        "INNOGRAPH_API_MAX_K": "4",
        "INNOGRAPH_API_STALENESS": "0.5",
        "INNOGRAPH_CORS_ORIGINS": "http://a, http://b",
    }
    settings = load_settings(env=env, verbose=True)
    assert settings.stat_ner is False and settings.verbose
    assert settings.limits == Limits(max_k=4, staleness=0.5)
    assert settings.cors_origins == ["http://a", "http://b"]
    assert settings.cache_dir == tmp_path.resolve() / "cache" / "analytics"
    assert load_settings(env={"INNOGRAPH_HOME": str(tmp_path)}).stat_ner is None
    assert Settings.decode(settings.encode()) == settings
    with pytest.raises(errors.InvalidSetting, match="INNOGRAPH_API_MAX_HOPS"):
        load_settings(env={"INNOGRAPH_API_MAX_HOPS": "-1"})


def _maxima(settings: Settings, limits: Limits | None = None) -> dict[str, object]:
    spec = create_app(settings, limits=limits).openapi()
    params = spec["paths"]["/paths"]["get"]["parameters"]
    return {p["name"]: p["schema"].get("maximum", p["schema"].get("maxLength")) for p in params}


def test_each_app_states_its_own_limits_from_routes_declared_once(tmp_path: Path) -> None:
    tight = Settings(backend="falkordb", home=tmp_path, limits=Limits(max_k=4, max_query_chars=50))
    assert _maxima(tight)["k"] == 4 and _maxima(tight)["source"] == 50
    # Binding one app's limits leaves the module's routes as declared for the next app.
    loose = Settings(backend="falkordb", home=tmp_path)
    assert _maxima(loose)["k"] == 10 and _maxima(loose)["source"] == 200
    # Explicit limits win over the settings'.
    assert _maxima(tight, Limits(max_k=7))["k"] == 7


# ---- the service: every answer, one write path ------------------------------------------


@pytest.fixture
def service(falkordb_home: Path) -> GraphService:
    settings = falkordb_settings(falkordb_home)
    store = FalkorStore(settings)
    store.write([fixture_extraction()])
    # A long staleness bound: only the service's own writes can make it look again.
    yield GraphService.from_settings(store, settings, version_ttl=3600)
    store.drop()
    store.close()


def test_entity_detail_by_id_or_name_with_named_ends(service: GraphService) -> None:
    by_id = service.entity(YUNFAN.id, limit=2, by_name=False)
    assert by_id.entity.id == YUNFAN.id and len(by_id.relations) == 2 and by_id.more
    assert all(r.source_name and r.target_name for r in by_id.relations)
    rest = service.entity(YUNFAN.id, limit=10, offset=2, by_name=False)
    assert len(rest.relations) == 2 and not rest.more
    assert service.entity("雲帆科技").entity.id == YUNFAN.id  # a name, in Traditional script
    with pytest.raises(errors.EntityNotFound) as missing:
        service.entity("星海大學", by_name=False)  # ids only: a name is not an id
    assert missing.value.candidates[0].id == XINGHAI.id


def test_connection_and_introductions_name_their_ends(service: GraphService) -> None:
    found = service.connection("张明远", YUNFAN.id, k=2)
    assert (found.source.id, found.target.id) == (ZHANG.id, YUNFAN.id) and found.paths
    with pytest.raises(errors.EntityNotFound) as err:
        service.connection(ZHANG.id, "完全不存在的机构名")
    assert err.value.parameter == "target" and err.value.detail["parameter"] == "target"
    with pytest.raises(errors.InvalidInput):
        service.connectors(between=("academia",))


def test_document_detail_and_the_one_write_path(service: GraphService) -> None:
    doc_id = fixture_extraction().document.id
    detail = service.document(doc_id)
    assert {e.id for e in detail.entities} >= {ZHANG.id, YUNFAN.id}
    assert all(r.source_name and r.target_name for r in detail.relations)
    before = service.projection().version
    outcome = service.ingest_text("青岚光电研究所与云帆科技合作研发激光雷达。", "new.txt")
    assert not outcome.unchanged
    # Written through the service: seen at once despite the hour-long staleness bound.
    assert service.projection().version != before
    assert service.lookup("青岚光电研究所").match is not None
    service.delete_document(outcome.document.id)
    assert service.lookup("青岚光电研究所").match is None
    with pytest.raises(errors.DocumentNotFound):
        service.delete_document(outcome.document.id)
    with pytest.raises(errors.DocumentNotFound):
        service.document("dnope")


def test_search_falls_back_to_the_store_and_keeps_its_source(service: GraphService) -> None:
    ranked = service.search("星海", limit=1)
    assert ranked.source == "index" and len(ranked.items) == 1 and ranked.more
    pinned = service.search("星海", limit=1, source="store")
    assert pinned.source == "store" and pinned.items
    with pytest.raises(errors.InvalidInput):
        service.search("星海", labels=["Spaceship"])


class _BatchFails(Resolver):
    """A resolver that cannot resolve more than one document at a time."""

    def resolve(self, extractions: list[Extraction]) -> list[Extraction]:  # type: ignore[override]
        if len(extractions) > 1:
            raise RuntimeError("batch resolution broke")
        return super().resolve(extractions)


def test_a_failed_batch_resolution_is_logged_and_the_documents_still_land(
    falkor_store: FalkorStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for i, text in enumerate(["星海大学与云帆科技合作。", "张明远任星海大学教授。"]):
        (tmp_path / f"{i}.txt").write_text(text, encoding="utf-8")
    ingestor = Ingestor(falkor_store, stat_ner=False)
    ingestor.resolver = _BatchFails(falkor_store)
    with caplog.at_level(logging.WARNING, logger="innograph.ingest.service"):
        report = ingestor.ingest_paths([tmp_path])
    assert report.read == 2 and not report.failed
    assert falkor_store.stats().documents == 2
    assert any("batch resolution broke" in (r.exc_text or "") for r in caplog.records)
