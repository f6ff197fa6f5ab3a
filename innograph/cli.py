"""`innograph` command line: thin typer commands over the same services the API uses.
Each command only parses, calls a service and renders."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from innograph.config import Settings, load_settings

app = typer.Typer(
    name="innograph",
    help="Build and explore a knowledge graph of who works with whom in innovation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

T = TypeVar("T")


class _State:
    db: str | None = None
    verbose: bool = False


state = _State()


@app.callback()
def main(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="INNOGRAPH_DB",
            help="Where the graph lives: a data directory for the embedded FalkorDB, a FalkorDB URL "
            "(redis://, unix://) or a Neo4j URI (neo4j://, bolt://). Default: $INNOGRAPH_HOME, "
            "else NEO4J_URI / INNOGRAPH_FALKORDB_URL, else a per-user data directory.",
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show error details.")] = False,
) -> None:
    state.db = db
    state.verbose = verbose


def settings() -> Settings:
    return load_settings(state.db)


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def guarded(fn: Callable[[], T]) -> T:
    """Run a command body: any error is one clear line, with the traceback under --verbose."""
    try:
        return fn()
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        raise fail("interrupted", 130) from None
    except Exception as exc:  # the CLI's last line of defence: one line, detail on request
        if state.verbose:
            err.print(traceback.format_exc())
        raise fail(f"{exc}" if str(exc) else type(exc).__name__) from None


@contextmanager
def open_graph() -> Iterator[Any]:
    from innograph.graph.store import open_store

    store = open_store(settings())
    try:
        store.ensure_schema()
        yield store
    finally:
        store.close()


def graph_service(store: Any) -> Any:
    from innograph.graph.service import GraphService

    return GraphService(store)


# ---- ingest / extract --------------------------------------------------------------------


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Processes for reading and extraction.")
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Read documents, extract entities and relationships, and write them to the graph."""
    from innograph.ingest.readers import iter_input_files
    from innograph.ingest.service import Ingestor

    def run() -> None:
        files = list(iter_input_files(paths))
        missing = [str(p) for p in paths if not p.exists()]
        if not files and missing:
            raise fail(f"no such file or folder: {', '.join(missing)}")
        with open_graph() as store:
            with Progress(
                TextColumn("[bold]ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=err,
                transient=True,
                disable=as_json or not err.is_terminal,
            ) as bar:
                task = bar.add_task("", total=len(files))
                report = Ingestor(store, workers=workers).ingest_paths(
                    files,
                    progress=lambda n, path: bar.update(task, completed=n, description=path[-50:]),
                )
        for path in missing:
            report.failed.insert(0, _failure(path, "no such file or folder"))
        if as_json:
            print(json.dumps(_report_dict(report), ensure_ascii=False))
            return
        _print_report(report)

    guarded(run)


def _failure(path: str, reason: str) -> Any:
    from innograph.model import Failure

    return Failure(path, reason)


def _report_dict(report: Any) -> dict[str, Any]:
    return {
        "read": report.read,
        "unchanged": report.unchanged,
        "failed": [{"path": f.path, "reason": f.reason} for f in report.failed],
        "entities_added": report.entities_added,
        "relations_added": report.relations_added,
        "evidence_added": report.evidence_added,
        "chars": report.chars,
        "seconds": round(report.seconds, 3),
    }


def _print_report(report: Any) -> None:
    table = Table(title="ingest", show_header=False, title_justify="left")
    table.add_row("documents read", str(report.read))
    table.add_row("skipped as unchanged", str(report.unchanged))
    table.add_row("failed", str(len(report.failed)))
    table.add_row("entities added", str(report.entities_added))
    table.add_row("relationships added", str(report.relations_added))
    table.add_row("evidence added", str(report.evidence_added))
    rate = report.chars / report.seconds if report.seconds else 0.0
    table.add_row("time", f"{report.seconds:.2f} s ({rate:,.0f} chars/s)")
    console.print(table)
    for f in report.failed:
        console.print(f"[yellow]failed[/] {f.path}: {f.reason}", highlight=False)


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per document, one per line.")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show which rule or model produced each item.")
    ] = False,
) -> None:
    """Run extraction without writing anything."""
    from innograph.ingest.jsonout import extraction_to_json
    from innograph.ingest.service import extract_paths
    from innograph.model import Failure

    def run() -> None:
        failures = 0
        for path, result in extract_paths(paths):
            if isinstance(result, Failure):
                failures += 1
                err.print(f"[yellow]failed[/] {result.path}: {result.reason}", highlight=False)
                continue
            payload = extraction_to_json(result, path, explain=explain)
            if as_json:
                print(json.dumps(payload, ensure_ascii=False), flush=True)
            else:
                _print_extraction(payload, explain)
        if failures and not as_json:
            raise typer.Exit(1)

    guarded(run)


def _print_extraction(payload: dict[str, Any], explain: bool) -> None:
    console.rule(payload["document"])
    ents = Table("entity", "type", "aliases", *(["extractor"] if explain else []))
    for e in payload["entities"]:
        ents.add_row(
            e["name"], e["type"], ", ".join(e["aliases"]), *([e.get("extractor", "")] if explain else [])
        )
    console.print(ents)
    rels = Table("source", "type", "target", "evidence", *(["extractor"] if explain else []))
    for r in payload["relations"]:
        rels.add_row(
            r["source"],
            r["type"],
            r["target"],
            _clip(r.get("evidence", ""), 60),
            *([r.get("extractor", "")] if explain else []),
        )
    console.print(rels)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# ---- reading the graph --------------------------------------------------------------------


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Counts of entities by label, relationships by type, and documents."""

    def run() -> None:
        with open_graph() as store:
            s = store.stats()
        data = {
            "entities": s.entities,
            "relations": s.relations,
            "documents": s.documents,
            "evidence": s.evidence,
            "last_ingest": s.last_ingest,
            "entities_by_label": s.entities_by_label,
            "relations_by_type": s.relations_by_type,
        }
        if as_json:
            print(json.dumps(data, ensure_ascii=False))
            return
        console.print(f"[bold]{settings().describe()}[/]", highlight=False)
        table = Table("what", "count")
        for label, n in sorted(s.entities_by_label.items()):
            table.add_row(label, str(n))
        for rel, n in sorted(s.relations_by_type.items()):
            table.add_row(rel, str(n))
        table.add_row("documents", str(s.documents))
        table.add_row("evidence sentences", str(s.evidence))
        console.print(table)
        if s.last_ingest:
            console.print(f"last ingest: {s.last_ingest}")

    guarded(run)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    from innograph.api.server import run as run_server

    guarded(lambda: run_server(settings(), host=host, port=port))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
