"""Search results without the TeX of formulas.

Sphinx's search page shows, for each result, a section title from the search index and a
snippet cut from the text of the page found. Both carry formulas as TeX: the index stores a
title's text with its formula's source (``The minima of \\hat C``), and the snippet is made
in the browser from the page's HTML, where MathJax has not yet typeset ``\\(\\hat C\\)``.

- Titles: after the build, each title in ``searchindex.js`` that holds a formula is
  rewritten with the formula spelt in Unicode (``The minima of Ĉ``), as the PDF edition
  spells it in its bookmarks (``pdfbook.tex_to_text``, which knows every command the book's
  titles use; the LaTeX build fails on one it does not).
- Snippets: the search page loads ``_static/searchtext.js`` (``_templates/search.html``),
  which spells each formula of the fetched page in Unicode before the snippet is cut.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from pdfbook import tex_to_text
from sphinx.search import js_index


def title_texts(title: nodes.title) -> tuple[str, str]:
    """A title's text as Sphinx indexes it, and with its formulas in Unicode."""
    raw, spelt = [], []
    for node in title.findall(nodes.Text):
        raw.append(node.astext())
        math = node.parent if isinstance(node.parent, nodes.math) else None
        spelt.append(tex_to_text(node.astext())[0] if math is not None else node.astext())
    return "".join(raw), "".join(spelt)


def spelt_titles(app: Any) -> dict[str, str]:
    """Every section title with a formula: its indexed text -> its text in Unicode."""
    found: dict[str, str] = {}
    for docname in app.env.found_docs:
        doctree = app.env.get_doctree(docname)
        for title in doctree.findall(nodes.title):
            if next(title.findall(nodes.math), None) is not None:
                raw, spelt = title_texts(title)
                found[raw] = spelt
    return found


def rewrite_index(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / "searchindex.js"
    if not path.exists():
        return
    index = js_index.loads(path.read_text(encoding="utf-8"))
    spelt = spelt_titles(app)
    index["titles"] = [spelt.get(t, t) for t in index["titles"]]
    alltitles: dict[str, list] = {}
    for title, places in index["alltitles"].items():
        alltitles.setdefault(spelt.get(title, title), []).extend(places)
    index["alltitles"] = alltitles
    path.write_text(js_index.dumps(index), encoding="utf-8")


def setup(app: Any) -> dict:
    app.connect("build-finished", rewrite_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
