"""Local Sphinx fixes for the HTML book: upstream markup bugs, fixed where the markup is made.

- sphinx-thebe 0.3.1 registers its inline configuration script twice under Jupyter Book 1.x,
  so every page declares ``const THEBE_JS_URL`` twice and the browser logs a SyntaxError:
  exact duplicate script entries are dropped from each page's context.
- sphinx-proof 0.4.0 gives every box's body the id ``proof-content`` and every proof the id
  ``proof``, so a page with two boxes repeats an id (invalid HTML): the body loses the id,
  a proof gets the class ``prf-proof`` instead (styled in ``_static/bnpaper.css``).
- myst-nb 1.4.0 puts ``<p>`` inside ``<summary>`` (invalid HTML) in hidden-code toggles, and
  names the toggle by an aria-label that differs from its visible text: spans, no label.
- docutils 0.21 marks up a citation list as ``role="list"`` whose children carry the
  deprecated ``role="doc-biblioentry"``, not ``listitem`` (axe-core:
  aria-required-children, aria-deprecated-role): the entries get ``role="listitem"``.
- sphinx-external-toc writes ``index.html`` as a bare ``<meta>`` refresh, with no doctype
  and no title: a valid HTML5 redirect page is written first (it then leaves it alone).
- Sphinx 7.4 copies ``html_static_path`` only when some page is rebuilt: after an edit of
  ``_static/bnpaper.css`` alone an incremental ``make book`` kept the old copy. Every page
  links its stylesheets with a digest of their content (``bnpaper.css?v=…``), so a changed
  static file makes every page out of date, and the build then copies it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes


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


def unique_proof_ids(app: Any, doctree: nodes.document, docname: str) -> None:
    """Drop sphinx-proof's repeated ids ``proof-content`` and ``proof``."""
    for node in doctree.findall(nodes.Element):
        if "proof-content" in node["ids"]:
            node["ids"].remove("proof-content")
        if isinstance(node, nodes.admonition) and node["ids"] == ["proof"]:
            node["ids"] = []
            node["classes"].append("prf-proof")


def visit_hidden_code(self: Any, node: nodes.Element) -> None:
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<span class="collapsed admonition-title">'
                     f'{escape(node["prompt_show"])}</span>\n')
    self.body.append(f'<span class="expanded admonition-title">'
                     f'{escape(node["prompt_hide"])}</span>\n</summary>\n')


def depart_hidden_code(self: Any, node: nodes.Element) -> None:
    self.body.append("</details>\n")


def visit_citation(self: Any, node: nodes.citation) -> None:
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self: Any, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
        self.body.append("</div>\n")


def override_visitors(app: Any) -> None:
    """Registered after every extension's setup, so these handlers win."""
    from myst_nb.sphinx_ import HideCodeCellNode

    app.registry.add_translation_handlers(HideCodeCellNode,
                                          html=(visit_hidden_code, depart_hidden_code))
    app.registry.add_translation_handlers(nodes.citation, html=(visit_citation, depart_citation))


REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
</head>
<body>
<p><a href="{target}">{title}</a></p>
</body>
</html>
"""


def write_index_redirect(app: Any, exception: Exception | None) -> None:
    """A valid ``index.html`` that sends the reader to the first page."""
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    title = app.config.html_title or app.config.project
    Path(app.outdir, "index.html").write_text(REDIRECT.format(
        lang=app.config.language or "en", title=escape(title),
        target=escape(app.builder.get_target_uri(app.config.root_doc))), encoding="utf-8")


def changed_static_files(app: Any) -> list[str]:
    """The files of ``html_static_path`` whose copy in the built ``_static`` differs."""
    outdir = Path(app.outdir) / "_static"
    changed = []
    for entry in app.config.html_static_path:
        source = Path(app.confdir) / entry
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            copy = outdir / path.relative_to(source)
            if copy.exists() and copy.read_bytes() != path.read_bytes():
                changed.append(path.relative_to(source).as_posix())
    return changed


def rebuild_on_static_change(app: Any, env: Any, added: set, changed: set,
                             removed: set) -> list[str]:
    """Every page, if a static file changed since the last build (else none)."""
    if app.builder.format != "html" or not changed_static_files(app):
        return []
    return sorted(env.found_docs)


def setup(app: Any) -> dict:
    app.connect("html-page-context", dedupe_scripts, priority=999)
    app.connect("doctree-resolved", unique_proof_ids)
    app.connect("builder-inited", override_visitors)
    app.connect("build-finished", write_index_redirect, priority=100)
    app.connect("env-get-outdated", rebuild_on_static_change)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
