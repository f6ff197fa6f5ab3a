"""The explorer's files: vis-network as shipped inside the installed pyvis package (never a
CDN), and the explorer's own script, style sheet and page template."""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATE = HERE / "templates" / "explore.html"
# URL prefix of the assets when the app serves them.
ASSET_PREFIX = "/explore/assets/"


@cache
def vis_dir() -> Path:
    """pyvis's bundled vis-network (the newest version it ships)."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "lib"
    found = sorted(
        (p for p in lib.glob("vis-*") if (p / "vis-network.min.js").is_file()),
        key=lambda p: tuple(int(x) for x in p.name[4:].split(".") if x.isdigit()),
    )
    if not found:
        raise FileNotFoundError(f"pyvis ships no vis-network under {lib}")
    return found[-1]


def assets() -> dict[str, Path]:
    """Asset name -> file: the only files `/explore/assets/{name}` serves."""
    vis = vis_dir()
    return {
        "vis-network.min.js": vis / "vis-network.min.js",
        "vis-network.css": vis / "vis-network.css",
        "explorer.js": STATIC / "explorer.js",
        "explorer.css": STATIC / "explorer.css",
    }


MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element (no `</script>`, no HTML comment openers)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render_page(
    config: dict[str, Any],
    data: dict[str, Any] | None = None,
    inline: bool = False,
    preload: str | None = None,
) -> str:
    """The explorer page. Served (`inline=False`): assets are linked under ASSET_PREFIX and
    data comes from the API; `preload` (the URL of the first view) has the browser fetch it
    while the scripts load. Standalone (`inline=True`): every asset and `data` are written
    into the page, which then needs no server and no network."""
    page = TEMPLATE.read_text(encoding="utf-8")
    files = assets()
    if inline:
        css = "\n".join(
            f"<style>\n{files[n].read_text(encoding='utf-8')}\n</style>"
            for n in ("vis-network.css", "explorer.css")
        )
        js = "\n".join(
            "<script>\n"
            + files[n].read_text(encoding="utf-8").replace("</script", "<\\/script")
            + "\n</script>"
            for n in ("vis-network.min.js", "explorer.js")
        )
    else:
        css = "\n".join(
            f'<link rel="stylesheet" href="{ASSET_PREFIX}{n}">'
            for n in ("vis-network.css", "explorer.css")
        )
        if preload:
            css = (
                f'<link rel="preload" as="fetch" crossorigin href="{html.escape(preload)}">\n' + css
            )
        js = "\n".join(
            f'<script src="{ASSET_PREFIX}{n}"></script>'
            for n in ("vis-network.min.js", "explorer.js")
        )
    boot = (
        f'<script type="application/json" id="explorer-config">{_script_json(config)}</script>\n'
        f'<script type="application/json" id="explorer-data">{_script_json(data)}</script>'
    )
    return page.replace("{{STYLES}}", css).replace("{{BOOT}}", boot).replace("{{SCRIPTS}}", js)
