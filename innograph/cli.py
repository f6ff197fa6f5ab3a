"""`innograph` command line: thin typer commands over the same `GraphService` the API uses.
Each command only parses, calls one service method and renders. Settings are built once per
invocation (`load_settings`, with --db and --verbose) and passed down; errors are one line
(`guarded`), with the traceback under --verbose."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from innograph.config import Settings, load_settings
from innograph.errors import EntityLookupError, InnographError

if TYPE_CHECKING:
    from innograph.graph.service import GraphService
    from innograph.model import EvidenceRecord, Hop, IngestReport

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
    settings: Settings | None = None


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
    state.settings = None


def settings() -> Settings:
    """This invocation's settings, built on first use (inside `guarded`, so a malformed
    variable is one error line)."""
    if state.settings is None:
        state.settings = load_settings(state.db, verbose=state.verbose)
    return state.settings


def fail(message: str, code: int = 1) -> typer.Exit:
    # soft_wrap: one error is one line, however narrow the terminal or long the path;
    # escape: paths and messages are data, not markup
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def guarded(fn: Callable[[], T]) -> T:
    """Run a command body: any error is one clear line, with the traceback under --verbose."""
    try:
        return fn()
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        raise fail("interrupted", 130) from None
    except EntityLookupError as exc:
        raise _lookup_error(exc) from None
    except Exception as exc:  # InnographError, or a bug: one line, detail on request
        if state.verbose:
            err.print(traceback.format_exc(), markup=False, highlight=False, soft_wrap=True)
        message = exc.message if isinstance(exc, InnographError) else str(exc)
        raise fail(message or type(exc).__name__) from None


@contextmanager
def open_graph() -> Iterator[GraphService]:
    """The graph of these settings, as the one service every command calls (connector
    scores cached under the data directory, as in the API)."""
    from innograph.graph.service import GraphService
    from innograph.graph.store import open_store

    config = settings()
    store = open_store(config)
    try:
        store.ensure_schema()
        yield GraphService.from_settings(store, config)
    finally:
        store.close()


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

    def run() -> None:
        if all(not p.exists() for p in paths):
            raise fail(f"no such file or folder: {', '.join(map(str, paths))}")
        files = list(iter_input_files(paths))
        with (
            open_graph() as service,
            Progress(
                TextColumn(f"[bold]ingest[/] {len(files)} files"),
                BarColumn(),
                TextColumn("{task.completed} documents"),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=err,
                transient=True,
                disable=as_json or not err.is_terminal,
            ) as bar,
        ):
            task = bar.add_task("", total=None)
            report = service.ingest_paths(
                files,
                workers=workers,
                progress=lambda n, path: bar.update(task, completed=n, description=path[-50:]),
            )
        if as_json:
            print(json.dumps(_report_dict(report), ensure_ascii=False))
            return
        _print_report(report)

    guarded(run)


def _report_dict(report: IngestReport) -> dict[str, Any]:
    return {
        "read": report.read,
        "unchanged": report.unchanged,
        "resumed": len(report.resumed),
        "failed": [{"path": f.path, "reason": f.reason} for f in report.failed],
        "entities_added": report.entities_added,
        "relations_added": report.relations_added,
        "evidence_added": report.evidence_added,
        "chars": report.chars,
        "seconds": round(report.seconds, 3),
    }


def _print_report(report: IngestReport) -> None:
    table = Table(title="ingest", show_header=False, title_justify="left")
    table.add_row("documents read", str(report.read))
    table.add_row("skipped as unchanged", str(report.unchanged))
    if report.resumed:
        table.add_row(
            "resumed (left half-written by an interrupted ingest)", str(len(report.resumed))
        )
    table.add_row("failed", str(len(report.failed)))
    table.add_row("entities added", str(report.entities_added))
    table.add_row("relationships added", str(report.relations_added))
    table.add_row("evidence added", str(report.evidence_added))
    rate = report.chars / report.seconds if report.seconds else 0.0
    table.add_row("time", f"{report.seconds:.2f} s ({rate:,.0f} chars/s)")
    console.print(table)
    for f in report.failed:
        console.print(
            f"[yellow]failed[/] {escape(f.path)}: {escape(f.reason)}",
            highlight=False,
            soft_wrap=True,
        )


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
        for path, result in extract_paths(paths, stat_ner=settings().stat_ner):
            if isinstance(result, Failure):
                failures += 1
                err.print(
                    f"[yellow]failed[/] {escape(result.path)}: {escape(result.reason)}",
                    highlight=False,
                    soft_wrap=True,
                )
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
            e["name"],
            e["type"],
            ", ".join(e["aliases"]),
            *([e.get("extractor", "")] if explain else []),
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
        with open_graph() as service:
            s = service.stats()
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


def _lookup_error(exc: EntityLookupError) -> typer.Exit:
    """An unknown or ambiguous name: show ranked candidates instead of guessing."""
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
    if exc.candidates:
        table = Table(
            "candidate", "type", "matched", "id", title="did you mean", title_justify="left"
        )
        for c in exc.candidates[:10]:
            table.add_row(c.name, c.label, c.matched, c.id)
        err.print(table)
    return typer.Exit(1)


def _evidence_line(ev: EvidenceRecord | None) -> str:
    if ev is None:
        return "(no evidence stored)"
    where = ev.document_title or ev.document_path or ev.document_id
    return f"“{_clip(ev.sentence, 120)}” — {where}"


def _arrow(hop: Hop) -> str:
    if hop.direction == "forward":
        return f"-[{hop.type}]->"
    if hop.direction == "backward":
        return f"<-[{hop.type}]-"
    return f"-[{hop.type}]-"


@app.command()
def show(
    name: Annotated[str, typer.Argument(help="Name, alias (any script) or id of an entity.")],
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Relationships to list.")] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """An entity, its aliases and its relationships with evidence."""

    def run() -> None:
        from dataclasses import asdict

        with open_graph() as svc:
            detail = svc.entity(name, limit=limit)
        if as_json:
            print(json.dumps(asdict(detail), ensure_ascii=False, default=str))
            return
        e = detail.entity
        console.print(f"[bold]{e.name}[/]  [cyan]{e.label}[/]  {e.id}", highlight=False)
        if e.aliases:
            console.print("aliases: " + ", ".join(e.aliases), highlight=False)
        console.print(f"{detail.degree} relationships, seen in {len(e.doc_ids)} documents")
        table = Table("relationship", "other end", "evidence", show_lines=True)
        for rel in detail.relations:
            outgoing = rel.source == e.id
            other_id = rel.target if outgoing else rel.source
            other = detail.neighbours.get(other_id)
            other_name = f"{other.name} ({other.label})" if other else other_id
            arrow = f"-[{rel.type}]->" if outgoing else f"<-[{rel.type}]-"
            role = rel.properties.get("role")
            ev = "\n".join(_evidence_line(x) for x in rel.evidence[:2]) or "(no evidence stored)"
            table.add_row(arrow + (f" ({role})" if role else ""), other_name, ev)
        console.print(table)

    guarded(run)


@app.command()
def path(
    source: Annotated[str, typer.Argument(help="Where the path starts (name, alias or id).")],
    target: Annotated[str, typer.Argument(help="Where it ends.")],
    k: Annotated[int, typer.Option("--k", min=1, max=20, help="Paths to show.")] = 1,
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=10)] = 6,
    via: Annotated[
        list[str] | None, typer.Option("--via", help="A label some intermediate must carry.")
    ] = None,
    avoid: Annotated[
        list[str] | None, typer.Option("--avoid", help="An entity not to pass through.")
    ] = None,
    rel: Annotated[
        list[str] | None, typer.Option("--rel", help="Allowed relationship types.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The shortest connection between two entities, and alternatives, with evidence per hop."""

    def run() -> None:
        from dataclasses import asdict

        with open_graph() as svc:
            paths = svc.connection(
                source,
                target,
                k=k,
                max_hops=max_hops,
                via=via or (),
                avoid=avoid or (),
                rel_types=rel or (),
            ).paths
        if as_json:
            print(json.dumps([asdict(p) for p in paths], ensure_ascii=False, default=str))
            return
        if not paths:
            console.print(f"No connection between {source} and {target} within {max_hops} hops.")
            return
        for i, p in enumerate(paths, 1):
            names = " → ".join(n.name for n in p.nodes)
            console.rule(f"path {i}: {p.length} hops, strength {p.strength:.2f}")
            console.print(names, highlight=False)
            for hop in p.hops:
                console.print(
                    f"  {hop.source_name} {_arrow(hop)} {hop.target_name}"
                    f"  [dim]({hop.evidence_count} evidence, confidence {hop.confidence:.2f})[/]",
                    highlight=False,
                )
                console.print(f"    {_evidence_line(hop.evidence)}", highlight=False)

    guarded(run)


@app.command()
def introduce(
    source: Annotated[str, typer.Argument(help="Who wants the introduction.")],
    target: Annotated[str, typer.Argument(help="Whom they want to reach.")],
    top: Annotated[int, typer.Option("--top", min=1, max=100)] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Who could introduce A to B: intermediaries on short paths, ranked, with reasons."""

    def run() -> None:
        from dataclasses import asdict

        with open_graph() as svc:
            rows = svc.introductions(source, target, top=top).introducers
        if as_json:
            print(json.dumps([asdict(r) for r in rows], ensure_ascii=False, default=str))
            return
        if not rows:
            console.print(f"Nobody on a short path between {source} and {target}.")
            return
        table = Table("#", "introducer", "score", "why", "evidence", show_lines=True)
        for i, r in enumerate(rows, 1):
            ev = "\n".join(
                f"{h.source_name} {_arrow(h)} {h.target_name}: {_evidence_line(h.evidence)}"
                for h in r.evidence
            )
            table.add_row(
                str(i), f"{r.entity.name} ({r.entity.label})", f"{r.score:.3f}", r.reason, ev
            )
        console.print(table)

    guarded(run)


@app.command()
def connectors(
    top: Annotated[int, typer.Option("--top", min=1, max=500)] = 20,
    label: Annotated[list[str] | None, typer.Option("--label", help="Only these labels.")] = None,
    between: Annotated[
        tuple[str, str] | None,
        typer.Option("--between", help="Two sectors: academia, industry, government."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Super-connectors: who bridges academia, industry and government, ranked, with why."""

    def run() -> None:
        from dataclasses import asdict

        with open_graph() as svc:
            rows = svc.connectors(top=top, labels=label or (), between=between)
        if as_json:
            print(json.dumps([asdict(r) for r in rows], ensure_ascii=False, default=str))
            return
        table = Table("#", "entity", "score", "why", show_lines=True)
        for i, r in enumerate(rows, 1):
            table.add_row(
                str(i), f"{r.entity.name}\n[dim]{r.entity.label}[/]", f"{r.score:.3f}", r.why
            )
        console.print(table)
        if rows and not rows[0].exact:
            console.print(f"[dim]betweenness sampled; error bound ±{rows[0].error_bound:.4f}[/]")

    guarded(run)


@app.command()
def communities(
    top: Annotated[int, typer.Option("--top", min=1, max=200)] = 10,
    min_size: Annotated[int, typer.Option("--min-size", min=1)] = 3,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Communities (Louvain), largest first, each named by its best-connected members."""

    def run() -> None:
        from dataclasses import asdict

        with open_graph() as svc:
            groups = svc.communities(min_size=min_size, top=top)
        if as_json:
            print(json.dumps([asdict(g) for g in groups], ensure_ascii=False, default=str))
            return
        table = Table("#", "size", "named after", "labels")
        for g in groups:
            labels = ", ".join(
                f"{k} {v}" for k, v in sorted(g.labels.items(), key=lambda kv: -kv[1])
            )
            table.add_row(str(g.id), str(g.size), g.label, labels)
        console.print(table)

    guarded(run)


# ---- merges ------------------------------------------------------------------------------


@app.command()
def merges(
    name: Annotated[str, typer.Argument(help="Name, alias (any script) or id of an entity.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The merges recorded on an entity: what was merged in, under which names, why, from
    which document, and whether it was undone."""

    def run() -> None:
        from dataclasses import asdict

        with open_graph() as svc:
            found = svc.merges(name)
        entity, records = found.entity, found.merges
        if as_json:
            payload = {"entity": asdict(entity), "merges": [asdict(r) for r in records]}
            print(json.dumps(payload, ensure_ascii=False, default=str))
            return
        console.print(f"[bold]{escape(entity.name)}[/]  [cyan]{entity.label}[/]  {entity.id}")
        if not records:
            console.print("No merges recorded.")
            return
        table = Table(
            "merged in", "names added", "matched on", "why", "document", "status", show_lines=True
        )
        for r in records:
            where = r.document_path or r.document_title or "(deleted)"
            status = f"undone {r.undone_at}" if r.undone else "merged"
            table.add_row(
                f"{escape(r.name)}\n[dim]{r.from_id}[/]",
                escape(", ".join(r.aliases)) or "-",
                escape(r.matched_on),
                r.reason,
                f"{escape(where)}\n[dim]{r.document}[/]",
                status,
            )
        console.print(table)

    guarded(run)


@app.command()
def unmerge(
    name: Annotated[str, typer.Argument(help="The entity a merge went into (name, alias or id).")],
    merged: Annotated[
        str, typer.Argument(help="What was merged in: its id, or a name `innograph merges` shows.")
    ],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Undo a merge: split the merged-in entity back out, with its own mentions, relations
    and evidence, and keep the two apart in every later ingest."""

    def run() -> None:
        from dataclasses import asdict

        with open_graph() as svc:
            result = svc.unmerge(name, merged)
        if as_json:
            print(json.dumps(asdict(result), ensure_ascii=False, default=str))
            return
        console.print(escape(result.message), highlight=False, soft_wrap=True)
        for record in (result.entity, result.restored):
            if record is not None:
                aliases = f"  aliases: {', '.join(record.aliases)}" if record.aliases else ""
                console.print(
                    f"  [bold]{escape(record.name)}[/]  [cyan]{record.label}[/]  {record.id}"
                    + escape(aliases),
                    highlight=False,
                    soft_wrap=True,
                )

    guarded(run)


@app.command()
def explore(
    names: Annotated[
        list[str] | None, typer.Argument(help="Entities to centre the view on (any script).")
    ] = None,
    hops: Annotated[int, typer.Option("--hops", min=0, max=5, help="Hops around them.")] = 2,
    path_ends: Annotated[
        tuple[str, str] | None,
        typer.Option("--path", help="Show the paths between two entities instead."),
    ] = None,
    introduce_ends: Annotated[
        tuple[str, str] | None,
        typer.Option("--introduce", help="Show who can introduce the first to the second."),
    ] = None,
    connectors_top: Annotated[
        int | None, typer.Option("--connectors", min=1, max=500, help="Show the top connectors.")
    ] = None,
    k: Annotated[int, typer.Option("--k", min=1, max=10, help="Paths (with --path).")] = 3,
    limit: Annotated[int, typer.Option("--limit", min=1, max=20000, help="Node cap.")] = 2000,
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")] = Path(
        "view.html"
    ),
) -> None:
    """Write one standalone HTML page (data and every asset inlined: no server, no network)
    showing a neighbourhood, the paths between two entities, introducers or connectors."""

    def run() -> None:
        from innograph.viz.export import standalone_html
        from innograph.viz.view import ViewRequest

        if path_ends:
            req = ViewRequest(mode="path", names=tuple(path_ends), k=k, limit=limit)
        elif introduce_ends:
            req = ViewRequest(mode="introduce", names=tuple(introduce_ends), limit=limit)
        elif connectors_top:
            req = ViewRequest(mode="connectors", top=connectors_top, limit=limit)
        elif names:
            req = ViewRequest(mode="focus", names=tuple(names), hops=hops, limit=limit)
        else:
            req = ViewRequest(mode="all", limit=limit)
        with open_graph() as svc:
            html, view = standalone_html(svc, req)
        output.write_text(html, encoding="utf-8")
        more = f" of {view.total_nodes}" if view.truncated else ""
        console.print(
            f"wrote {output} ({len(view.nodes)}{more} nodes, {len(view.edges)} edges, "
            f"{len(html.encode()) / 1e6:.1f} MB)",
            highlight=False,
        )

    guarded(run)


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="graphml, gexf (Gephi), csv or jsonl.")
    ] = "graphml",
    focus: Annotated[
        list[str] | None, typer.Option("--focus", help="Only the neighbourhood of this entity.")
    ] = None,
    hops: Annotated[int, typer.Option("--hops", min=0, max=10)] = 1,
    label: Annotated[list[str] | None, typer.Option("--label", help="Only these labels.")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Export the whole graph, or a neighbourhood, for Gephi and other tools."""

    def run() -> None:
        from innograph.viz.export import FORMATS, collect, write

        if fmt not in FORMATS:
            raise fail(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
        with open_graph() as svc:
            dump = collect(svc, focus or (), hops, label or ())
        written = write(dump, fmt, output)
        for path_ in written:
            err.print(
                f"wrote {path_} ({len(dump.nodes)} entities, {len(dump.relations)} relationships)",
                highlight=False,
            )

    guarded(run)


@app.command()
def migrate(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="Where to copy the graph: a Neo4j URI (neo4j://, bolt://, neo4j+s://), a FalkorDB "
            "URL or a data directory. Credentials from NEO4J_USER / NEO4J_PASSWORD.",
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--from", help="The graph to copy (same forms as --db). Default: the --db graph."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Copy the whole graph (documents with their text, entities, relationships, evidence,
    merge records, keep-apart decisions) to another store. Safe to interrupt and run again."""
    from dataclasses import asdict

    from innograph.graph.store import open_store
    from innograph.graph.store.migrate import migrate as copy_graph

    def run() -> None:
        source_settings = load_settings(source or state.db)
        target_settings = load_settings(to)
        if source_settings.describe() == target_settings.describe():
            raise fail(f"--to and --from name the same graph: {target_settings.describe()}")
        from_store = open_store(source_settings)
        try:
            to_store = open_store(target_settings)
            try:
                with Progress(
                    TextColumn("[bold]migrate[/] {task.description}"),
                    BarColumn(),
                    TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(),
                    console=err,
                    transient=True,
                    disable=as_json or not err.is_terminal,
                ) as bar:
                    tasks: dict[str, Any] = {}

                    def progress(stage: str, done: int, total: int) -> None:
                        if stage not in tasks:
                            tasks[stage] = bar.add_task(stage, total=total)
                        bar.update(tasks[stage], completed=done, total=total)

                    report = copy_graph(from_store, to_store, progress=progress)
            finally:
                to_store.close()
        finally:
            from_store.close()
        if as_json:
            print(json.dumps(asdict(report), ensure_ascii=False))
            return
        console.print(
            f"copied {report.documents} documents, {report.entities} entities, "
            f"{report.relations} relationships, {report.evidence} evidence sentences and "
            f"{report.keep_apart} keep-apart decisions from {source_settings.describe()} "
            f"to {target_settings.describe()} in {report.seconds:.1f}s "
            f"(new there: {report.entities_created} entities, {report.relations_created} "
            f"relationships, {report.evidence_added} evidence)",
            highlight=False,
        )
        if report.skipped_evidence:
            err.print(
                f"[yellow]warning:[/] {report.skipped_evidence} evidence sentences name "
                "documents the source does not hold and were not copied"
            )

    guarded(run)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(min=1, max=16, help="Server processes (each keeps its own in-memory graph)."),
    ] = 1,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) and the explorer (at /explore)."""
    from innograph.api.server import run as run_server

    guarded(lambda: run_server(settings(), host=host, port=port, workers=workers))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
