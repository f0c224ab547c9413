"""Local Sphinx fixes for the HTML book.

sphinx-thebe 0.3.1 registers its inline configuration script twice under Jupyter Book 1.x,
so every page declares ``const THEBE_JS_URL`` twice and the browser logs a SyntaxError.
This extension drops exact duplicate script entries from each page's context.
"""

from __future__ import annotations

from typing import Any


def _key(script: Any) -> tuple:
    # Same file and same attributes (an inline script's body is one); the two copies of an
    # inline script differ only in their filename, None in one and "" in the other.
    attributes = getattr(script, "attributes", {}) or {}
    return (str(getattr(script, "filename", script) or ""),
            tuple(sorted((k, str(v)) for k, v in attributes.items())))


def dedupe_scripts(app: Any, pagename: str, templatename: str, context: dict,
                   doctree: Any) -> None:
    """Keep the first of identical ``script_files`` entries."""
    seen: set[tuple] = set()
    unique = []
    for script in context.get("script_files", []):
        key = _key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app: Any) -> dict:
    app.connect("html-page-context", dedupe_scripts, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
