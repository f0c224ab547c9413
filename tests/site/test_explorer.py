"""The explorer of book/explore.md in a real browser, against the package bnpaper.

The page computes in plain JavaScript; ``explorer_reference.readouts`` computes the same
readouts with bnpaper, exactly. Loaded through its URL fragment at the paper's set and at
more than twenty other sets, every readout's ``data-value`` must equal bnpaper's to a relative
1e-9 (or be the same ``null``); then the interactions (drag, keys, touch, editing the table)
must keep the fragment, the readouts and a reload in agreement; and the page must be
accessible, fit a phone, stay offline and stay small.

From tests/site/conftest.py this module uses only the fixtures ``browser`` (Chromium) and
``base_url`` (the built site served on localhost).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

from .conftest import axe_on_whole_page
from .explorer_reference import KEYS, State, paper_state, readouts
from .layout import DESKTOP, PHONE
from .serve import EXTERNAL

pytestmark = pytest.mark.site

PAGE = "book/explore.html"

BUDGET = 60_000  # bytes, uncompressed: the explorer's script and styles together
REL = 1e-9


# --------------------------------------------------------------------------- learning sets


def _decimals(a) -> tuple:
    return tuple(f"{v:.2f}".replace("-0.00", "0.00") for v in a)


def _random_sets(n: int = 12, seed: int = 19) -> dict[str, State]:
    """Random sets, M = 3 to 8, two decimals: inputs in [-3, 3], labels in [-5, 10]."""
    rng = np.random.default_rng(seed)
    sets = {}
    for i in range(n):
        m = 3 + i % 6
        x = tuple(_decimals(r) for r in rng.uniform(-3, 3, size=(m, 2)))
        sets[f"random-{i}-M{m}"] = State(x, _decimals(rng.uniform(-5, 10, size=m)),
                                         _decimals(rng.uniform(-3, 3, size=2)))
    return sets


def _centred_random(seed: int = 5) -> State:
    """Integer inputs minus their mean (M = 4: the mean is a multiple of 1/4, exact)."""
    rng = np.random.default_rng(seed)
    x = rng.integers(-5, 6, size=(4, 2)).astype(float)
    x -= x.mean(axis=0)
    return State(tuple(_decimals(r) for r in x), _decimals(rng.integers(-5, 10, size=4)),
                 ("1.5", "0.5"))


def _linear_random(seed: int = 7) -> State:
    """Labels exactly 1.5 x₁ − 2 x₂ (inputs with one decimal, so the labels are exact)."""
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(-3, 3, size=(5, 2)), 1)
    y = [f"{1.5 * a - 2 * b:.2f}" for a, b in x]
    return State(tuple(tuple(f"{v:.1f}" for v in r) for r in x), tuple(y), ("2", "-1"))


SETS: dict[str, State] = {
    **_random_sets(),
    "centred-inputs": State.from_fragment("x=-1,-1;0,1;1,0&y=2,5,13&w0=1,3"),
    "centred-random": _centred_random(),
    "linear-labels-at-W*": State.from_fragment("x=1,1;1,2;2,3&y=4,7,11&w0=1,3"),
    "linear-labels-random": _linear_random(),
    "two-samples": State.from_fragment("x=1,1;1,2&y=2,5&w0=1,3"),
    "two-samples-W0-off-the-half-plane": State.from_fragment("x=1,1;1,2&y=2,5&w0=-3,-0.5"),
    "two-samples-equal-labels": State.from_fragment("x=1,1;1,2&y=4,4&w0=1,3"),
    "paper-W0-zero": State.from_fragment("x=1,1;1,2;2,3&y=2,5,13&w0=0,0"),
    "paper-W0-in-the-wedge": State.from_fragment("x=1,1;1,2;2,3&y=2,5,13&w0=-1,2"),
    "paper-W0-not-covered": State.from_fragment("x=1,1;1,2;2,3&y=2,5,13&w0=2,-2"),
    "paper-W0-obtuse-to-the-ray": State.from_fragment("x=1,1;1,2;2,3&y=2,5,13&w0=-2,3"),
    "paper-W0-perpendicular-to-the-ray": State.from_fragment("x=1,1;1,2;2,3&y=2,5,13&w0=-3,5"),
    "collinear-inputs": State.from_fragment("x=1,2;2,4;3,6&y=2,5,13&w0=1,3"),
    "collinear-sigma-zero-at-W0": State.from_fragment("x=1,2;2,4;3,6&y=2,5,13&w0=2,-1"),
    "equal-inputs": State.from_fragment("x=1,1;1,1;1,1&y=1,2,3&w0=1,1"),
    "W*-zero": State.from_fragment("x=1,0;0,1;1,1&y=1,1,-1&w0=1,2"),
    "BN-loss-constant": State.from_fragment("x=2,1;1,2;0,1;1,0&y=3,1,3,1&w0=1,1"),
    "eight-samples-decimals": State.from_fragment(
        "x=0.1,0.2;0.3,-0.7;1.25,2.5;-3,0.5;2,2;0.01,-0.02;5,1;-1.5,-2&"
        "y=1,-2,3.5,0.25,7,-0.5,2,1&w0=0.7,-1.2"),
}


# --------------------------------------------------------------------------- the browser


class Site:
    """One browser context on the served site: external requests blocked and recorded."""

    def __init__(self, browser, base_url: str, **options):
        self.base = base_url
        self.external: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(**options)
        self.context.route(EXTERNAL, self._block)

    def _block(self, route):
        self.external.append(route.request.url)
        route.abort()

    def open(self, fragment: str = "", page=None):
        """The explorer page (a full load), with console errors recorded."""
        if page is None:
            page = self.context.new_page()
            page.set_default_timeout(30_000)
            page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
            page.on("pageerror", lambda e: self.errors.append(str(e)))
            page.on("response", lambda r: r.status >= 400 and self.errors.append(
                f"{r.url} {r.status}"))
        else:
            page.goto("about:blank")
        page.goto(f"{self.base}/{PAGE}{fragment}", wait_until="domcontentloaded")
        page.wait_for_function("window.bnExplorer !== undefined")
        return page


@pytest.fixture(scope="module")
def site_ctx(browser, base_url):
    ctx = Site(browser, base_url, viewport=DESKTOP)
    yield ctx
    ctx.context.close()


@pytest.fixture(scope="module")
def shared_page(site_ctx):
    page = site_ctx.open()
    yield page
    page.close()


def values(page) -> dict:
    """Every readout's data-value (parsed JSON) and visible text."""
    got = page.evaluate("""keys => Object.fromEntries(keys.map(k => {
        const e = document.getElementById('explorer-' + k);
        return [k, [e.getAttribute('data-value'), e.textContent]]; }))""", list(KEYS))
    for key, (raw, text) in got.items():
        assert raw is not None, f"explorer-{key} has no data-value"
        for bad in ("NaN", "Infinity", "undefined"):
            assert bad not in raw, f"explorer-{key}: data-value {raw!r}"
        for bad in ("NaN", "Infinity"):
            assert bad not in text, f"explorer-{key}: {text!r}"
        assert text.strip() not in ("", "null", "undefined"), f"explorer-{key} shows {text!r}"
    return {key: json.loads(raw) for key, (raw, _) in got.items()}


def _close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= REL * abs(b) + 1e-12 * scale


def assert_agrees(page, state: State) -> None:
    """Every readout equals bnpaper's to a relative 1e-9, or is the same null."""
    got, ref = values(page), readouts(state)
    w_scale = max(ref["scale"], 1.0)
    for key in KEYS:
        g, r = got[key], ref[key]
        if r is None or g is None:
            assert g is None and r is None, f"{key}: page {g!r}, bnpaper {r!r} ({state.fragment})"
        elif key == "holds":
            gap = ref["gap"]
            if gap == 0:
                assert g is True, f"equality: the page says {g!r} ({state.fragment})"
            elif abs(gap) > 1e-9 * w_scale:  # else rounding alone decides
                assert g is r, f"holds: page {g!r}, bnpaper {r!r} ({state.fragment})"
        elif isinstance(r, list):
            norm = math.hypot(*r)
            assert len(g) == 2 and math.hypot(g[0] - r[0], g[1] - r[1]) <= (
                REL * norm + 1e-12 * max(norm, math.sqrt(w_scale))), (
                f"{key}: page {g}, bnpaper {r} ({state.fragment})")
        else:
            assert _close(g, r, w_scale), f"{key}: page {g}, bnpaper {r} ({state.fragment})"


def fragment_state(page) -> State:
    return State.from_fragment(page.evaluate("location.hash"))


def table_state(page) -> State:
    """The state the page's fields show."""
    rows = page.locator("#explorer tbody tr")
    x, y = [], []
    for i in range(1, rows.count() + 1):
        x.append((page.input_value(f"#explorer-x{i}-1"), page.input_value(f"#explorer-x{i}-2")))
        y.append(page.input_value(f"#explorer-y{i}"))
    return State(tuple(x), tuple(y), (page.input_value("#explorer-w0-1"),
                                      page.input_value("#explorer-w0-2")))


def assert_consistent(site_ctx, page) -> State:
    """Fragment, fields and readouts agree, with bnpaper; a reload restores all three."""
    state = fragment_state(page)
    assert table_state(page) == state
    assert_agrees(page, state)
    before = values(page)
    page.reload(wait_until="domcontentloaded")
    page.wait_for_function("window.bnExplorer !== undefined")
    assert fragment_state(page) == state and table_state(page) == state
    assert values(page) == before
    return state


def handle_centre(page) -> tuple[float, float]:
    page.locator(".explorer-handle").evaluate("e => e.scrollIntoView({block: 'center'})")
    box = page.locator(".explorer-handle-dot").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


# --------------------------------------------------------------------------- readouts


def test_the_defaults_are_bnpapers_counterexample_set(site_ctx, shared_page):
    """The page starts at the paper's inputs, the labels the book derives, and W₀ = W*."""
    page = site_ctx.open(page=shared_page)
    default = page.get_attribute("#explorer", "data-default")
    assert State.from_fragment(default) == paper_state()
    assert table_state(page) == paper_state()
    assert_agrees(page, paper_state())
    assert page.evaluate("location.hash") == ""  # loading writes no state into the URL


def test_at_the_papers_set_the_lemma_fails_at_w_star(site_ctx, shared_page):
    page = site_ctx.open(paper_state().fragment, page=shared_page)
    got = values(page)
    assert got["holds"] is False and got["rhs"] == 0 and got["lhs"] > 0
    assert page.locator("#explorer-holds").inner_text().startswith("fails")


@pytest.mark.parametrize("name", list(SETS))
def test_every_readout_agrees_with_bnpaper(site_ctx, shared_page, name):
    state = SETS[name]
    page = site_ctx.open(state.fragment, page=shared_page)
    assert fragment_state(page) == state and table_state(page) == state
    assert_agrees(page, state)


def test_the_sets_cover_the_edges():
    """The sets above reach every kind of missing value the page must put in words."""
    refs = {name: readouts(s) for name, s in SETS.items()}
    assert len(SETS) >= 20
    for key in ("wstar", "grad", "direction", "closest", "lhs", "rhs", "holds", "loss"):
        assert any(r[key] is None for r in refs.values()), key
    assert any(r["holds"] is True for r in refs.values())
    assert any(r["holds"] is False for r in refs.values())
    assert refs["paper-W0-zero"]["loss"] is None  # σ(W₀) = 0
    assert refs["two-samples-equal-labels"]["grad"] is None  # σ(W*) = 0


def test_missing_values_are_words(site_ctx, shared_page):
    page = site_ctx.open(SETS["collinear-inputs"].fragment, page=shared_page)
    assert "none" in page.locator("#explorer-wstar").inner_text()
    page = site_ctx.open(SETS["paper-W0-zero"].fragment, page=shared_page)
    assert "σ(W₀) = 0" in page.locator("#explorer-loss").inner_text()
    assert "not covered" in page.locator("#explorer-holds").inner_text()


def test_a_fragment_typed_into_the_address_bar_is_followed(site_ctx, shared_page):
    page = site_ctx.open(page=shared_page)
    state = SETS["two-samples"]
    page.evaluate("f => { location.hash = f; }", state.fragment)
    page.wait_for_function("f => location.hash === f && document.getElementById("
                           "'explorer-direction').getAttribute('data-value') === 'null'",
                           arg=state.fragment)
    assert table_state(page) == state
    assert_agrees(page, state)


UNREADABLE = ["#x=1,1;1,2&y=2,5,13&w0=1,3", "#x=1,1;1,2;2,3&y=2,5,abc&w0=1,3",
              "#x=1,1&y=2&w0=1,3", "#y=2,5,13&w0=1,3", "#x=1,1;1,2;2;3&y=1,2,3&w0=1,3"]


@pytest.mark.parametrize("bad", UNREADABLE)
def test_an_unreadable_link_says_so_and_shows_the_papers_set(site_ctx, shared_page, bad):
    page = site_ctx.open(bad, page=shared_page)
    status = page.locator("#explorer-status")
    assert status.is_visible() and "could not be read" in status.inner_text()
    assert table_state(page) == paper_state()
    assert_agrees(page, paper_state())


def test_an_unreadable_fragment_later_keeps_the_last_valid_state(site_ctx, shared_page):
    state = SETS["centred-inputs"]
    page = site_ctx.open(state.fragment, page=shared_page)
    page.evaluate("() => { location.hash = '#x=1,1;1,2&y=2&w0=1,3'; }")
    page.wait_for_function("document.getElementById('explorer-status').textContent !== ''")
    assert "last valid state" in page.locator("#explorer-status").inner_text()
    assert table_state(page) == state
    assert_agrees(page, state)


def test_an_unparseable_field_gets_a_message_and_the_last_valid_state_stays(
        site_ctx, shared_page):
    page = site_ctx.open(paper_state().fragment, page=shared_page)
    page.fill("#explorer-y2", "5,5")
    assert page.get_attribute("#explorer-y2", "aria-invalid") == "true"
    assert "not a decimal number" in page.locator("#explorer-y2-error").inner_text()
    assert "last valid state" in page.locator("#explorer-status").inner_text()
    assert fragment_state(page) == paper_state()
    assert_agrees(page, paper_state())
    page.fill("#explorer-y2", "6")
    assert page.get_attribute("#explorer-y2", "aria-invalid") is None
    assert fragment_state(page).y == ("2", "6", "13")
    assert_consistent(site_ctx, page)


# --------------------------------------------------------------------------- interactions


def test_dragging_w0_with_the_mouse(site_ctx, shared_page):
    page = site_ctx.open(paper_state().fragment, page=shared_page)
    x, y = handle_centre(page)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 90, y + 25, steps=6)
    page.mouse.up()
    state = assert_consistent(site_ctx, page)
    assert state.w0 != paper_state().w0 and state.x == paper_state().x
    assert float(state.w0[0]) < 1  # moved left


def test_clicking_the_plane_moves_w0_there(site_ctx, shared_page):
    page = site_ctx.open(paper_state().fragment, page=shared_page)
    page.locator(".explorer-svg").evaluate("e => e.scrollIntoView({block: 'center'})")
    box = page.locator(".explorer-svg").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.75)
    state = assert_consistent(site_ctx, page)
    assert float(state.w0[0]) > 0 > float(state.w0[1])


def test_moving_w0_with_the_keyboard(site_ctx, shared_page):
    page = site_ctx.open(paper_state().fragment, page=shared_page)
    page.focus("#explorer-w0-2")
    page.keyboard.press("Tab")  # the handle follows the W₀ fields in the tab order
    assert page.evaluate("document.activeElement.classList.contains('explorer-handle')")
    for key in ("ArrowRight", "ArrowRight", "ArrowRight", "ArrowUp", "ArrowUp"):
        page.keyboard.press(key)
    state = assert_consistent(site_ctx, page)
    assert state.w0 == ("1.3", "3.2")
    page.focus(".explorer-handle")
    page.keyboard.press("Shift+ArrowLeft")
    assert fragment_state(page).w0 == ("0.3", "3.2")
    assert "0.3" in page.get_attribute(".explorer-handle", "aria-valuetext")


def test_editing_a_label(site_ctx, shared_page):
    page = site_ctx.open(paper_state().fragment, page=shared_page)
    page.fill("#explorer-y3", "10.5")
    state = assert_consistent(site_ctx, page)
    assert state.y == ("2", "5", "10.5")


def test_adding_a_sample(site_ctx, shared_page):
    page = site_ctx.open(paper_state().fragment, page=shared_page)
    page.get_by_role("button", name="Add a sample").click()
    assert page.locator("#explorer tbody tr").count() == 4
    page.fill("#explorer-x4-1", "3")
    page.fill("#explorer-x4-2", "-1")
    page.fill("#explorer-y4", "4")
    state = assert_consistent(site_ctx, page)
    assert state.x[3] == ("3", "-1") and state.y[3] == "4"
    for _ in range(4):
        page.get_by_role("button", name="Add a sample").click()
    assert page.locator("#explorer tbody tr").count() == 8
    assert page.get_by_role("button", name="Add a sample").is_disabled()
    assert len(assert_consistent(site_ctx, page).x) == 8


def test_removing_a_sample(site_ctx, shared_page):
    page = site_ctx.open(paper_state().fragment, page=shared_page)
    page.get_by_role("button", name="Remove sample 1").click()
    state = assert_consistent(site_ctx, page)
    assert state.x == (("1", "2"), ("2", "3")) and state.y == ("5", "13")
    assert readouts(state)["direction"] is None  # two samples: no ray of minima
    assert page.get_by_role("button", name="Remove sample 1").is_disabled()


def test_the_try_buttons_load_their_sets(site_ctx, shared_page):
    page = site_ctx.open(page=shared_page)
    page.get_by_role("button", name="two samples").click()
    assert fragment_state(page) == SETS["two-samples"]
    assert_consistent(site_ctx, page)


def test_dragging_w0_by_touch(browser, base_url):
    """A touch drag (Chromium's own touch events, through the DevTools protocol: Playwright's
    touchscreen only taps) on a phone-sized page that has touch."""
    touch = Site(browser, base_url, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = touch.open(paper_state().fragment)
        x, y = handle_centre(page)
        cdp = touch.context.new_cdp_session(page)
        point = lambda px, py: {"touchPoints": [{"x": px, "y": py}]}  # noqa: E731
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", **point(x, y)})
        for i in range(1, 7):
            cdp.send("Input.dispatchTouchEvent",
                     {"type": "touchMove", **point(x + 8 * i, y + 6 * i)})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        state = fragment_state(page)
        assert state.w0 != paper_state().w0
        assert float(state.w0[0]) > 1 and float(state.w0[1]) < 3
        assert_consistent(touch, page)
        # Playwright's touchscreen taps (it cannot drag): a tap on the plane moves W₀ there
        page.locator(".explorer-svg").evaluate("e => e.scrollIntoView({block: 'center'})")
        box = page.locator(".explorer-svg").bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)
        tapped = assert_consistent(touch, page)
        assert float(tapped.w0[0]) < 0 and float(tapped.w0[1]) < 0
        assert not touch.external and not touch.errors, (touch.external, touch.errors)
    finally:
        touch.context.close()


# --------------------------------------------------------------------------- every reader


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_no_serious_or_critical_accessibility_violation(browser, base_url, viewport):
    ctx = Site(browser, base_url, viewport=viewport)
    try:
        for fragment in ("", SETS["two-samples"].fragment, "#x=1,1&y=2&w0=1,3"):
            page = ctx.open(fragment)
            page.wait_for_load_state("networkidle")
            page.fill("#explorer-y1", "oops")  # an error message on screen, too
            bad = [v for v in axe_on_whole_page(page) if v["impact"] in ("serious", "critical")]
            assert not bad, bad
            page.close()
        assert not ctx.external and not ctx.errors, (ctx.external, ctx.errors)
    finally:
        ctx.context.close()


def test_every_control_is_labelled_and_reachable_by_keyboard(site_ctx, shared_page):
    page = site_ctx.open(page=shared_page)
    unnamed = page.evaluate("""() => [...document.querySelectorAll(
        '#explorer input, #explorer button, #explorer [tabindex], .explorer-try button')]
        .filter(e => {
            const by = e.getAttribute('aria-labelledby');
            const label = e.id && document.querySelector(`label[for="${e.id}"]`);
            const name = e.getAttribute('aria-label') || (by && document.getElementById(by)
                && document.getElementById(by).textContent) || (label && label.textContent)
                || e.textContent;
            return !(name && name.trim()) || e.tabIndex < 0; })
        .map(e => e.outerHTML.slice(0, 120))""")
    assert not unnamed, unnamed


def test_no_horizontal_overflow_on_a_phone(browser, base_url):
    ctx = Site(browser, base_url, viewport=PHONE)
    try:
        for name in ("paper-W0-zero", "eight-samples-decimals", "collinear-inputs"):
            page = ctx.open(SETS[name].fragment)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            wide = page.evaluate("""() => [...document.querySelectorAll('#explorer *:not(svg *)')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                .map(e => e.tagName + '.' + e.className)""")
            assert not wide, wide
            page.close()
        assert not ctx.external and not ctx.errors, (ctx.external, ctx.errors)
    finally:
        ctx.context.close()


def test_script_and_styles_are_small_and_load_on_this_page_only(browser, base_url, site_ctx):
    fresh = Site(browser, base_url, viewport=DESKTOP)  # an empty cache: every body is counted
    page = fresh.context.new_page()
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body()))
            if "/explorer." in r.url else None)
    page.goto(f"{base_url}/{PAGE}", wait_until="load")
    page.wait_for_load_state("networkidle")
    fresh.context.close()
    names = sorted(Path(urlparse(u).path).name for u in sizes)
    assert names == ["explorer.css", "explorer.js"], names
    assert sum(sizes.values()) <= BUDGET, sizes
    other = site_ctx.context.new_page()
    other.goto(f"{base_url}/book/counterexample.html", wait_until="load")
    assert other.evaluate("""() => [...document.querySelectorAll('script[src], link[href]')]
        .filter(e => (e.src || e.href).includes('/explorer.')).length""") == 0
    other.close()


def test_nothing_left_the_site_and_no_console_errors(site_ctx):
    """Runs last in the module: every page the shared context opened stayed on localhost."""
    assert not site_ctx.external, site_ctx.external
    assert not site_ctx.errors, site_ctx.errors
