/* Explore the counterexample (book/explore.md): one linear neuron with two weights, identity
 * activation, BN with gamma = 1, beta = 0, eps = 0 over the whole learning set.
 *
 * Plain JavaScript, float64, no library. The formulas are the book's (chapter "A general
 * answer for one linear neuron", on centred data Xc, yc):
 *   C^(w) = |y|^2 + M - 2 sqrt(M) <Xc w, yc>/|Xc w|,
 *   grad C^(w) = -(2 sqrt(M)/|Xc w|) Xc^T (yc - <e, yc> e),  e = Xc w/|Xc w|;
 * W* = (X^T X)^-1 X^T y; the BN minima (general.bn_minima): the ray t v^, t > 0, with
 * v^ = (Xc^T Xc)^-1 Xc^T yc if rank Xc = 2; the open half-plane <w, Xc^T yc> > 0 if rank 1;
 * every w with sigma > 0 if Xc^T yc = 0; none if Xc = 0. Lemma 4.5 (chapter "The claim"):
 * lhs = dist(W0, BN minima)^2 (an infimum where no point is closest, as the book reads it),
 * rhs = |W0 - W*|^2 - (|W*|^2 - <W*, W0>)^2/|W*|^2, judged only where <W0, W*> > 0.
 * tests/site/test_explorer.py checks every readout against the bnpaper package.
 */
(function () {
  "use strict";

  var MIN_M = 2, MAX_M = 8, LIMIT = 1e6;
  var TOL = 1e-12; // relative: rank, sigma = 0, Xc^T yc = 0, W* = 0, equality of the two sides
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  var SVGNS = "http://www.w3.org/2000/svg";
  var SIZE = 400, HALF = SIZE / 2;

  // ------------------------------------------------------------------ numbers as text

  function parseNumber(text) {
    var t = String(text).trim().replace(/\u2212/g, "-");
    if (t === "") return { error: "empty: enter a number" };
    if (!NUMBER.test(t)) return { error: "\u201c" + text + "\u201d is not a decimal number" };
    var v = Number(t);
    if (!isFinite(v) || Math.abs(v) > LIMIT) return { error: "keep it between \u2212" + "10\u2076 and 10\u2076" };
    return { value: v, text: t };
  }

  function fmt(v, digits) {
    if (v === null) return "";
    if (v === 0 || Math.abs(v) < 1e-300) return "0";
    var s = Number(v.toPrecision(digits || 4)).toString();
    return s.replace("e+", "e").replace(/-/g, "\u2212");
  }
  function fmtVec(v) { // components below 1e-12 of the vector's length are rounding: shown as 0
    var n = Math.hypot(v[0], v[1]), c = function (t) { return Math.abs(t) <= TOL * n ? "0" : fmt(t); };
    return "(" + c(v[0]) + ", " + c(v[1]) + ")";
  }
  function decimal(v, places) { // W0 after a drag or a key: a short decimal
    var s = v.toFixed(places);
    if (s.indexOf(".") >= 0) s = s.replace(/0+$/, "").replace(/\.$/, "");
    return s === "-0" ? "0" : s;
  }

  // ------------------------------------------------------------------ mathematics

  function dot(a, b) { return a[0] * b[0] + a[1] * b[1]; }
  function norm(a) { return Math.hypot(a[0], a[1]); }
  function cross(a, b) { return a[0] * b[1] - a[1] * b[0]; }
  function gram(a) {
    var g = [0, 0, 0];
    a.forEach(function (r) { g[0] += r[0] * r[0]; g[1] += r[0] * r[1]; g[2] += r[1] * r[1]; });
    return g;
  }
  function gramDet(a) { // det(A^T A) as a sum of squared 2x2 minors (accurate near rank 1)
    var s = 0;
    for (var i = 0; i < a.length; i++) for (var j = i + 1; j < a.length; j++) {
      var m = a[i][0] * a[j][1] - a[j][0] * a[i][1]; s += m * m;
    }
    return s;
  }
  function solve2(g, det, b) { return [(g[2] * b[0] - g[1] * b[1]) / det, (g[0] * b[1] - g[1] * b[0]) / det]; }
  function tmul(a, v) { // A^T v
    var r = [0, 0];
    a.forEach(function (row, i) { r[0] += row[0] * v[i]; r[1] += row[1] * v[i]; });
    return r;
  }
  function frob(a) { return Math.sqrt(a.reduce(function (s, r) { return s + r[0] * r[0] + r[1] * r[1]; }, 0)); }
  function vnorm(v) { return Math.sqrt(v.reduce(function (s, t) { return s + t * t; }, 0)); }

  /* Everything the learning set determines (not W0). */
  function analyse(x, y) {
    var M = x.length, mx = [0, 0], my = 0;
    x.forEach(function (r, i) { mx[0] += r[0]; mx[1] += r[1]; my += y[i]; });
    mx = [mx[0] / M, mx[1] / M]; my /= M;
    var xc = x.map(function (r) { return [r[0] - mx[0], r[1] - mx[1]]; });
    var yc = y.map(function (t) { return t - my; });
    var s = { M: M, x: x, y: y, xc: xc, yc: yc, yy: y.reduce(function (a, t) { return a + t * t; }, 0),
              xcNorm: frob(xc) };
    // W*: unique iff X has full column rank
    var g = gram(x), det = gramDet(x), xty = tmul(x, y);
    s.wstarUnique = det > 0 && Math.sqrt(det) > TOL * (g[0] + g[2]);
    if (s.wstarUnique) {
      s.wstarZero = norm(xty) <= TOL * frob(x) * vnorm(y);
      s.wstar = s.wstarZero ? [0, 0] : solve2(g, det, xty);
    }
    // rank of Xc, Xc^T yc and the kind of BN minima
    var gc = gram(xc), detc = gramDet(xc);
    s.c = tmul(xc, yc);
    if (!(s.xcNorm > TOL * frob(x))) s.rank = 0;
    else s.rank = detc > 0 && Math.sqrt(detc) > TOL * (gc[0] + gc[2]) ? 2 : 1;
    if (s.rank === 0) s.kind = "none";
    else if (norm(s.c) <= TOL * s.xcNorm * vnorm(yc)) s.kind = "constant";
    else if (s.rank === 1) s.kind = "half-plane";
    else {
      s.kind = "ray";
      s.vhat = solve2(gc, detc, s.c);
      var n = norm(s.vhat);
      s.direction = [s.vhat[0] / n, s.vhat[1] / n];
    }
    return s;
  }

  function xcTimes(s, w) { return s.xc.map(function (r) { return r[0] * w[0] + r[1] * w[1]; }); }
  function sigmaZero(s, w) { return s.rank === 0 || vnorm(xcTimes(s, w)) <= TOL * s.xcNorm * norm(w); }
  function loss(s, w) { // C^(w), closed form; sigma(w) > 0 assumed
    var c = xcTimes(s, w), inner = 0;
    c.forEach(function (t, i) { inner += t * s.yc[i]; });
    return s.yy + s.M - 2 * Math.sqrt(s.M) * inner / vnorm(c);
  }
  function gradient(s, w) { // grad C^(w), closed form; sigma(w) > 0 assumed
    var c = xcTimes(s, w), n = vnorm(c), e = c.map(function (t) { return t / n; });
    var ey = e.reduce(function (a, t, i) { return a + t * s.yc[i]; }, 0);
    var r = s.yc.map(function (t, i) { return t - ey * e[i]; });
    var g = tmul(s.xc, r), k = -2 * Math.sqrt(s.M) / n;
    var grad = [k * g[0], k * g[1]];
    // zero to rounding: below 1e-12 of the size of its terms, (2 sqrt(M)/|Xc w|) |Xc| |yc|
    grad.zero = norm(grad) <= TOL * Math.abs(k) * s.xcNorm * vnorm(s.yc) * 10;
    return grad;
  }

  /* Lemma 4.5 at W0: lhs, Ŵ* (null where no point is closest), rhs, whether it applies and
   * holds, each with the words that say why a value is missing. */
  function lemmaAt(s, w0) {
    var r = { lhs: null, closest: null, rhs: null, holds: null, admissible: null };
    var w0sq = dot(w0, w0), w0zero = sigmaZero(s, w0);
    if (s.kind === "none") {
      r.lhsWhy = r.closestWhy = "none: \u03c3(w) = 0 for every w (all inputs equal), so \u0108 has no minimum";
    } else if (s.kind === "ray") {
      var p = dot(w0, s.direction);
      if (p > TOL * norm(w0)) { // (a W0 perpendicular to the ray, to rounding, has no closest point)
        r.closest = [p * s.direction[0], p * s.direction[1]];
        var q = cross(w0, s.direction);
        r.lhs = q * q;
      } else {
        r.lhs = w0sq;
        r.closestWhy = "none: \u27e8W\u2080, v\u0302\u27e9 \u2264 0, so the distance to the ray is approached as t \u2192 0 " +
          "and no point of it is closest (w = 0 is no BN optimum: \u03c3(0) = 0); the left-hand side is that infimum, \u2016W\u2080\u2016\u00b2";
      }
    } else if (s.kind === "half-plane") {
      var h = dot(w0, s.c);
      if (h > TOL * norm(w0) * norm(s.c) && !w0zero) { r.closest = [w0[0], w0[1]]; r.lhs = 0; }
      else {
        r.lhs = h > 0 ? 0 : h * h / dot(s.c, s.c);
        r.closestWhy = "none: the BN minima are the open half-plane \u27e8w, Xc\u1d40yc\u27e9 > 0, and W\u2080 is not in it; " +
          "the distance to it is an infimum over its edge, where \u03c3(w) = 0";
      }
    } else { // constant
      r.lhs = 0;
      if (!w0zero) r.closest = [w0[0], w0[1]];
      else r.closestWhy = "none: \u0108 is constant, every w with \u03c3(w) > 0 is a minimum, but W\u2080 has \u03c3(W\u2080) = 0; the distance to them is the infimum 0";
    }
    if (!s.wstarUnique) r.rhsWhy = "none: no unique W* (X does not have full column rank)";
    else if (s.wstarZero) r.rhsWhy = "none: W* = 0, and the right-hand side divides by \u2016W*\u2016\u00b2";
    else {
      var ws = s.wstar, c2 = cross(w0, ws);
      r.rhs = c2 * c2 / dot(ws, ws); // = |W0 - W*|^2 - (|W*|^2 - <W*, W0>)^2/|W*|^2 (the book's identity)
      r.admissible = dot(w0, ws) > TOL * norm(w0) * norm(ws);
    }
    if (r.rhs === null) r.holdsWhy = "not decided: the right-hand side does not exist";
    else if (r.lhs === null) r.holdsWhy = "not decided: the left-hand side does not exist";
    else if (!r.admissible) r.holdsWhy = "not covered: \u27e8W\u2080, W*\u27e9 \u2264 0, where the lemma claims nothing";
    else {
      r.gap = r.lhs - r.rhs;
      r.equal = Math.abs(r.gap) <= TOL * w0sq * 10;
      r.holds = r.gap <= 0 || r.equal;
    }
    return r;
  }

  /* Every readout for one state, as [value or null, visible text]. */
  function compute(x, y, w0) {
    var s = analyse(x, y), l = lemmaAt(s, w0), out = { s: s, l: l };
    out.wstar = s.wstarUnique ? [s.wstar, fmtVec(s.wstar)] :
      [null, "none: the inputs are collinear, so X has rank < 2 and C has a line of minima"];
    if (!s.wstarUnique) out.grad = [null, "none: there is no unique W*"];
    else if (s.kind === "none" || sigmaZero(s, s.wstar))
      out.grad = [null, "none: \u03c3(W*) = 0 (all pre-activations at W* are equal), so \u0108 is undefined at W*"];
    else {
      var g = gradient(s, s.wstar);
      out.grad = [[g[0], g[1]], g.zero ? "(0, 0) to rounding: W* is a stationary point of \u0108" : fmtVec(g)];
      out.gradZero = g.zero;
    }
    if (s.kind === "ray") out.direction = [s.direction, fmtVec(s.direction) + ": the ray t\u00b7v\u0302, t > 0"];
    else if (s.kind === "half-plane")
      out.direction = [null, "no ray: rank Xc = 1, so \u0108 takes two values; its minima are the open half-plane \u27e8w, Xc\u1d40yc\u27e9 > 0, with Xc\u1d40yc = " + fmtVec(s.c)];
    else if (s.kind === "constant")
      out.direction = [null, "no ray: Xc\u1d40yc = 0, so \u0108 is constant and every w with \u03c3(w) > 0 is a minimum"];
    else out.direction = [null, "none: all inputs are equal, so \u03c3(w) = 0 for every w and \u0108 is undefined"];
    out.closest = l.closest ? [l.closest, fmtVec(l.closest)] : [null, l.closestWhy];
    var small = function (v) { // a side within rounding of 0 (both scale with |W0|^2)
      return v !== 0 && Math.abs(v) <= 10 * TOL * dot(w0, w0) ? "0 (to rounding; float64 gives " + fmt(v, 2) + ")" : fmt(v);
    };
    out.lhs = l.lhs !== null ? [l.lhs, small(l.lhs)] : [null, l.lhsWhy];
    out.rhs = l.rhs !== null ? [l.rhs, small(l.rhs)] : [null, l.rhsWhy];
    if (l.holds === null) out.holds = [null, l.holdsWhy];
    else out.holds = [l.holds, l.holds ? (l.equal ? "holds, with equality (to rounding)" : "holds: lhs \u2264 rhs")
                                       : "fails: lhs > rhs"];
    if (s.kind === "none" || sigmaZero(s, w0))
      out.loss = [null, "undefined: \u03c3(W\u2080) = 0 (all pre-activations at W\u2080 are equal)"];
    else { var c = loss(s, w0); out.loss = [c, fmt(c)]; }
    return out;
  }

  // ------------------------------------------------------------------ state and URL

  function parseFragment(hash) {
    var h = hash.replace(/^#/, "");
    try { h = decodeURIComponent(h); } catch (e) { return { error: "the link\u2019s fragment is not valid text" }; }
    var fields = {};
    var parts = h.split("&");
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].split("=");
      if (kv.length !== 2 || ["x", "y", "w0"].indexOf(kv[0]) < 0 || kv[0] in fields)
        return { error: "expected #x=X11,X12;X21,X22;\u2026&y=Y1,Y2,\u2026&w0=A,B; found \u201c" + parts[i] + "\u201d" };
      fields[kv[0]] = kv[1];
    }
    if (!("x" in fields && "y" in fields && "w0" in fields))
      return { error: "the link needs x=\u2026, y=\u2026 and w0=\u2026" };
    var rows = fields.x.split(";"), ys = fields.y.split(","), w0 = fields.w0.split(",");
    if (rows.length < MIN_M || rows.length > MAX_M)
      return { error: "the link has " + rows.length + " samples; the explorer takes 2 to 8" };
    if (ys.length !== rows.length)
      return { error: "the link has " + rows.length + " inputs but " + ys.length + " labels" };
    if (w0.length !== 2) return { error: "w0 needs two numbers, found " + w0.length };
    var state = { x: [], y: [], w0: [] };
    for (var m = 0; m < rows.length; m++) {
      var r = rows[m].split(",");
      if (r.length !== 2) return { error: "sample " + (m + 1) + " of the link needs two inputs, found " + r.length };
      state.x.push(r);
    }
    state.y = ys; state.w0 = w0;
    var all = [].concat.apply([], state.x).concat(state.y, state.w0);
    for (var k = 0; k < all.length; k++) {
      var p = parseNumber(all[k]);
      if (p.error) return { error: "the link holds " + p.error };
    }
    return { state: normalise(state) };
  }
  function normalise(st) {
    var t = function (v) { return parseNumber(v).text; };
    return { x: st.x.map(function (r) { return r.map(t); }), y: st.y.map(t), w0: st.w0.map(t) };
  }
  function fragment(st) {
    return "#x=" + st.x.map(function (r) { return r.join(","); }).join(";") +
      "&y=" + st.y.join(",") + "&w0=" + st.w0.join(",");
  }
  function numbers(st) {
    var n = function (v) { return Number(v); };
    return { x: st.x.map(function (r) { return r.map(n); }), y: st.y.map(n), w0: st.w0.map(n) };
  }

  // ------------------------------------------------------------------ drawing

  function el(tag, attrs, parent, ns) {
    var e = ns ? document.createElementNS(SVGNS, tag) : document.createElement(tag);
    for (var k in attrs) if (attrs[k] !== undefined) {
      if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    }
    if (parent) parent.appendChild(e);
    return e;
  }
  function svg(tag, attrs, parent) { return el(tag, attrs, parent, true); }

  // a light sequential palette for C^ (low = pale yellow, high = blue-grey), lightened viridis
  var PALETTE = [[255, 247, 210], [222, 238, 196], [186, 224, 199], [152, 206, 204], [134, 182, 208],
                 [138, 158, 204], [150, 140, 196]];
  function colour(t) {
    t = Math.min(1, Math.max(0, t)) * (PALETTE.length - 1);
    var i = Math.min(PALETTE.length - 2, Math.floor(t)), f = t - i, a = PALETTE[i], b = PALETTE[i + 1];
    return "rgb(" + [0, 1, 2].map(function (k) { return Math.round(a[k] + f * (b[k] - a[k])); }).join(",") + ")";
  }

  function niceLimit(v) {
    var p = Math.pow(10, Math.floor(Math.log10(v))), m = v / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
  }

  function Explorer(root) {
    this.root = root;
    this.dragging = null;
    this.defaults = parseFragment(root.getAttribute("data-default")).state;
    this.build();
    var fromUrl = location.hash.length > 1 ? parseFragment(location.hash) : null;
    this.state = fromUrl && fromUrl.state ? fromUrl.state : this.defaults;
    this.setStatus(fromUrl && fromUrl.error ? "The link\u2019s state could not be read (" + fromUrl.error +
                   "); showing the paper\u2019s set instead." : "");
    this.fillTable();
    this.update(false);
    var self = this;
    Array.prototype.forEach.call(document.querySelectorAll("[data-explorer-state]"), function (b) {
      b.addEventListener("click", function () {
        var p = parseFragment(b.getAttribute("data-explorer-state"));
        if (p.error) return;
        self.state = p.state; self.setStatus(""); self.fillTable(); self.update(true);
      });
    });
    window.addEventListener("hashchange", function () {
      var p = parseFragment(location.hash);
      if (p.error) { self.setStatus("The link\u2019s state could not be read (" + p.error + "); the last valid state stays."); return; }
      self.state = p.state; self.setStatus(""); self.fillTable(); self.update(false);
    });
  }

  Explorer.prototype.build = function () {
    var self = this, root = this.root;
    root.textContent = "";
    this.status = el("p", { class: "explorer-status", role: "status", id: "explorer-status" }, root);
    var wrap = el("div", { class: "explorer-grid" }, root);
    // --- the learning set
    var left = el("div", { class: "explorer-data" }, wrap);
    el("h3", { text: "Learning set", id: "explorer-set-heading" }, left);
    var table = el("table", { class: "explorer-table", "aria-labelledby": "explorer-set-heading" }, left);
    var head = el("tr", {}, el("thead", {}, table));
    ["#", "x\u2081", "x\u2082", "y", ""].forEach(function (h, i) {
      var th = el("th", { scope: "col", text: i === 4 ? "" : h }, head);
      if (i === 4) el("span", { class: "explorer-sr", text: "Remove" }, th);
    });
    this.tbody = el("tbody", {}, table);
    var buttons = el("div", { class: "explorer-buttons" }, left);
    this.addButton = el("button", { type: "button", text: "Add a sample" }, buttons);
    this.addButton.addEventListener("click", function () { self.addRow(); });
    var reset = el("button", { type: "button", text: "The paper\u2019s set" }, buttons);
    reset.addEventListener("click", function () {
      self.state = self.defaults; self.fillTable(); self.update(false); self.setStatus("");
    });
    // W0 as numbers
    var w0box = el("fieldset", { class: "explorer-w0" }, left);
    el("legend", { text: "Initialization W\u2080" }, w0box);
    this.w0inputs = [0, 1].map(function (k) {
      var id = "explorer-w0-" + (k + 1);
      var row = el("div", { class: "explorer-field" }, w0box);
      el("label", { for: id, text: "w" + (k ? "\u2082" : "\u2081") }, row);
      var input = el("input", { id: id, type: "text", inputmode: "decimal", autocomplete: "off",
                                "aria-describedby": id + "-error", size: "7" }, row);
      el("span", { class: "explorer-error", id: id + "-error" }, row);
      input.addEventListener("input", function () { self.fieldChanged(); });
      return input;
    });
    // --- the plane
    var mid = el("div", { class: "explorer-plane" }, wrap);
    el("h3", { text: "The weight plane", id: "explorer-plane-heading" }, mid);
    this.svg = svg("svg", { viewBox: "0 0 " + SIZE + " " + SIZE, class: "explorer-svg", role: "group",
                            "aria-labelledby": "explorer-plane-heading", "aria-describedby": "explorer-plane-help" }, mid);
    el("p", { class: "explorer-help", id: "explorer-plane-help",
              text: "Drag W\u2080, tap the plane, or focus W\u2080 and use the arrow keys (with Shift: ten times the step)." }, mid);
    this.scene = svg("g", {}, this.svg);
    var handle = svg("g", { class: "explorer-handle", tabindex: 0, role: "slider", "aria-roledescription": "2D slider",
                            "aria-label": "W\u2080, the initialization", "aria-valuemin": -LIMIT,
                            "aria-valuemax": LIMIT, "aria-valuenow": 0 }, this.svg);
    svg("circle", { r: 22, class: "explorer-handle-target" }, handle);
    svg("circle", { r: 10, class: "explorer-handle-dot" }, handle);
    svg("text", { x: 12, y: 20, class: "explorer-label", text: "W\u2080" }, handle);
    this.handle = handle;
    this.legend = el("ul", { class: "explorer-legend" }, mid);
    this.bindPlane();
    this.bindHandle();
    // --- readouts
    var right = el("div", { class: "explorer-readouts" }, wrap);
    el("h3", { text: "Readouts" }, right);
    var dl = el("dl", {}, right);
    this.readouts = {};
    [["wstar", "W*, the optimum of C"], ["grad", "\u2207\u0108(W*)"],
     ["direction", "BN minima: direction v\u0302/\u2016v\u0302\u2016"], ["closest", "\u0174*, the BN optimum closest to W\u2080"],
     ["lhs", "Left-hand side \u2016W\u2080 \u2212 \u0174*\u2016\u00b2"],
     ["rhs", "Right-hand side \u2016W\u2080 \u2212 W*\u2016\u00b2 \u2212 (\u2016W*\u2016\u00b2 \u2212 \u27e8W*, W\u2080\u27e9)\u00b2/\u2016W*\u2016\u00b2"],
     ["holds", "Lemma 4.5 at W\u2080"], ["loss", "\u0108(W\u2080)"]].forEach(function (p) {
      el("dt", { text: p[1] }, dl);
      self.readouts[p[0]] = el("dd", { id: "explorer-" + p[0], "data-value": "null" }, dl);
    });
  };

  Explorer.prototype.setStatus = function (text) {
    this.status.textContent = text;
    this.status.classList.toggle("explorer-status-shown", !!text);
  };

  Explorer.prototype.makeInput = function (parent, id, label, value) {
    var self = this;
    var input = el("input", { id: id, type: "text", inputmode: "decimal", autocomplete: "off", "aria-label": label,
                              "aria-describedby": id + "-error", size: "5" }, parent);
    input.value = value;
    el("span", { class: "explorer-error", id: id + "-error" }, parent);
    input.addEventListener("input", function () { self.fieldChanged(); });
    return input;
  };

  Explorer.prototype.fillTable = function () {
    var self = this, st = this.state;
    this.tbody.textContent = "";
    this.cells = [];
    st.x.forEach(function (r, m) {
      var tr = el("tr", {}, self.tbody), n = m + 1;
      el("th", { scope: "row", text: String(n) }, tr);
      var row = [
        self.makeInput(el("td", {}, tr), "explorer-x" + n + "-1", "x\u2081 of sample " + n, r[0]),
        self.makeInput(el("td", {}, tr), "explorer-x" + n + "-2", "x\u2082 of sample " + n, r[1]),
        self.makeInput(el("td", {}, tr), "explorer-y" + n, "y of sample " + n, st.y[m])];
      var rm = el("button", { type: "button", class: "explorer-remove", "aria-label": "Remove sample " + n, text: "\u00d7" },
                  el("td", {}, tr));
      if (st.x.length <= MIN_M) rm.disabled = true;
      rm.addEventListener("click", function () { self.removeRow(m); });
      self.cells.push(row);
    });
    this.addButton.disabled = st.x.length >= MAX_M;
    this.w0inputs[0].value = st.w0[0]; this.w0inputs[1].value = st.w0[1];
    this.markErrors();
  };

  /* Read every field; if all parse, they become the state; otherwise the last valid one stays. */
  Explorer.prototype.readFields = function () {
    var ok = true, read = function (input) {
      var p = parseNumber(input.value);
      var err = document.getElementById(input.id + "-error");
      err.textContent = p.error ? p.error : "";
      if (p.error) { input.setAttribute("aria-invalid", "true"); ok = false; } else input.removeAttribute("aria-invalid");
      return p.text;
    };
    var st = { x: this.cells.map(function (r) { return [read(r[0]), read(r[1])]; }),
               y: this.cells.map(function (r) { return read(r[2]); }),
               w0: this.w0inputs.map(read) };
    return ok ? st : null;
  };
  Explorer.prototype.markErrors = function () { return this.readFields(); };

  Explorer.prototype.fieldChanged = function () {
    var st = this.readFields();
    if (!st) { this.setStatus("A field cannot be read (marked beside it): the plane and the readouts show the last valid state."); return; }
    this.setStatus("");
    this.state = st;
    this.update(true);
  };

  Explorer.prototype.addRow = function () {
    var st = this.readFields() || this.state;
    if (st.x.length >= MAX_M) return;
    st = { x: st.x.concat([["0", "0"]]), y: st.y.concat(["0"]), w0: st.w0 };
    this.state = st; this.fillTable(); this.update(true); this.setStatus("");
    this.cells[this.cells.length - 1][0].focus();
  };
  Explorer.prototype.removeRow = function (m) {
    var st = this.readFields() || this.state;
    if (st.x.length <= MIN_M) return;
    var keep = function (_, i) { return i !== m; };
    this.state = { x: st.x.filter(keep), y: st.y.filter(keep), w0: st.w0 };
    this.fillTable(); this.update(true); this.setStatus("");
    var row = this.cells[Math.min(m, this.cells.length - 1)];
    row[0].focus();
  };

  Explorer.prototype.setW0 = function (w, fromInputs) {
    var places = Math.max(0, 2 - Math.floor(Math.log10(this.lim)));
    this.state = { x: this.state.x, y: this.state.y, w0: [decimal(w[0], places), decimal(w[1], places)] };
    if (!fromInputs) { this.w0inputs[0].value = this.state.w0[0]; this.w0inputs[1].value = this.state.w0[1]; this.readFields(); }
    this.update(true);
  };

  /* Recompute from this.state, redraw, write the readouts and (if asked) the fragment. */
  Explorer.prototype.update = function (writeUrl) {
    var n = numbers(this.state), out = compute(n.x, n.y, n.w0), self = this;
    this.out = out; this.w0 = n.w0;
    ["wstar", "grad", "direction", "closest", "lhs", "rhs", "holds", "loss"].forEach(function (k) {
      var node = self.readouts[k], v = out[k][0];
      node.setAttribute("data-value", JSON.stringify(v));
      node.textContent = out[k][1];
      node.className = v === null ? "explorer-none" : k === "holds" ? (v ? "explorer-holds" : "explorer-fails") : "";
    });
    if (writeUrl) {
      var f = fragment(this.state);
      if (location.hash !== f) history.replaceState(null, "", f);
    }
    if (this.dragging === null || this.lim === undefined) this.lim = this.limitFor(out.s, n.w0);
    this.draw();
  };

  Explorer.prototype.limitFor = function (s, w0) {
    var m = Math.max(Math.abs(w0[0]), Math.abs(w0[1]), 1);
    if (s.wstarUnique) m = Math.max(m, Math.abs(s.wstar[0]), Math.abs(s.wstar[1]));
    return niceLimit(1.25 * m);
  };

  Explorer.prototype.toScreen = function (w) { return [HALF + HALF * w[0] / this.lim, HALF - HALF * w[1] / this.lim]; };
  Explorer.prototype.fromScreen = function (p) { return [(p[0] - HALF) * this.lim / HALF, (HALF - p[1]) * this.lim / HALF]; };

  Explorer.prototype.draw = function () {
    var g = this.scene, s = this.out.s, l = this.out.l, self = this, R = 2 * this.lim, lim = this.lim;
    while (g.firstChild) g.removeChild(g.firstChild);
    var defs = svg("defs", {}, g);
    var pat = svg("pattern", { id: "explorer-hatch", width: 8, height: 8, patternUnits: "userSpaceOnUse",
                               patternTransform: "rotate(45)" }, defs);
    svg("rect", { width: 3, height: 8, fill: "#D55E00", "fill-opacity": 0.55 }, pat);
    var marker = svg("marker", { id: "explorer-arrow", viewBox: "0 0 10 10", refX: 8, refY: 5, markerWidth: 7,
                                 markerHeight: 7, orient: "auto-start-reverse" }, defs);
    svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#000" }, marker);
    var n = 180, lo = Infinity, hi = -Infinity, values = [];
    var pt = function (theta, r) { return self.toScreen([r * Math.cos(theta), r * Math.sin(theta)]); };
    var sector = function (a, b) {
      var p = pt(a, R), q = pt(b, R);
      return "M" + HALF + "," + HALF + "L" + p[0].toFixed(2) + "," + p[1].toFixed(2) + "L" + q[0].toFixed(2) + "," + q[1].toFixed(2) + "Z";
    };
    // C^ by direction
    for (var i = 0; i < n; i++) {
      var th = (i + 0.5) * 2 * Math.PI / n, u = [Math.cos(th), Math.sin(th)];
      var v = s.kind === "none" || sigmaZero(s, u) ? null : loss(s, u);
      values.push(v);
      if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
    var bg = svg("g", { "aria-hidden": "true" }, g);
    for (i = 0; i < n; i++) {
      var t = values[i] === null ? null : hi - lo > 1e-12 * Math.max(1, Math.abs(hi)) ? (values[i] - lo) / (hi - lo) : 0;
      var fill = t === null ? "#ddd" : colour(t);
      svg("path", { d: sector(i * 2 * Math.PI / n, (i + 1) * 2 * Math.PI / n), fill: fill, stroke: fill, "stroke-width": 1.5 }, bg);
    }
    // where the lemma fails (angles only: both sides scale with |W0|^2)
    var k = 720, fails = [];
    for (i = 0; i < k; i++) {
      var a = (i + 0.5) * 2 * Math.PI / k, r = lemmaAt(s, [Math.cos(a), Math.sin(a)]);
      fails.push(r.holds === false);
    }
    var failPath = "";
    for (i = 0; i < k; i++) if (fails[i]) {
      var j = i; while (j + 1 < k && fails[j + 1]) j++;
      var a0 = i * 2 * Math.PI / k, a1 = (j + 1) * 2 * Math.PI / k, steps = Math.max(1, Math.ceil((a1 - a0) / 0.2));
      failPath += "M" + HALF + "," + HALF;
      for (var q = 0; q <= steps; q++) { var pp = pt(a0 + (a1 - a0) * q / steps, R); failPath += "L" + pp[0].toFixed(2) + "," + pp[1].toFixed(2); }
      failPath += "Z"; i = j;
    }
    var fg = svg("g", { "aria-hidden": "true" }, g);
    if (failPath) svg("path", { d: failPath, fill: "url(#explorer-hatch)", stroke: "#D55E00", "stroke-width": 1.2,
                                "stroke-dasharray": "5 3" }, fg);
    // axes and ticks
    svg("line", { x1: 0, y1: HALF, x2: SIZE, y2: HALF, class: "explorer-axis" }, fg);
    svg("line", { x1: HALF, y1: 0, x2: HALF, y2: SIZE, class: "explorer-axis" }, fg);
    [-lim / 2, lim / 2].forEach(function (tk) {
      var p = self.toScreen([tk, 0]), p2 = self.toScreen([0, tk]);
      svg("text", { x: p[0], y: HALF + 14, "text-anchor": "middle", class: "explorer-tick", text: fmt(tk) }, fg);
      svg("text", { x: HALF - 5, y: p2[1] + 4, "text-anchor": "end", class: "explorer-tick", text: fmt(tk) }, fg);
    });
    svg("text", { x: SIZE - 6, y: HALF - 6, "text-anchor": "end", class: "explorer-axis-label", text: "w\u2081" }, fg);
    svg("text", { x: HALF + 6, y: 14, class: "explorer-axis-label", text: "w\u2082" }, fg);
    var line = function (d, attrs) {
      var p = self.toScreen([-R * d[0], -R * d[1]]), q = self.toScreen([R * d[0], R * d[1]]);
      attrs.x1 = p[0]; attrs.y1 = p[1]; attrs.x2 = q[0]; attrs.y2 = q[1];
      return svg("line", attrs, fg);
    };
    var ray = function (d, attrs) {
      var q = self.toScreen([R * d[0], R * d[1]]);
      attrs.x1 = HALF; attrs.y1 = HALF; attrs.x2 = q[0]; attrs.y2 = q[1];
      return svg("line", attrs, fg);
    };
    // the line <W0, W*> = 0 bounding the lemma's domain
    if (s.wstarUnique && !s.wstarZero) {
      var wn = norm(s.wstar);
      line([-s.wstar[1] / wn, s.wstar[0] / wn], { class: "explorer-domain" });
    }
    // BN minima
    if (s.kind === "ray") {
      ray(s.direction, { class: "explorer-ray-halo" });
      ray(s.direction, { class: "explorer-ray" });
    } else if (s.kind === "half-plane") {
      var cn = norm(s.c);
      line([-s.c[1] / cn, s.c[0] / cn], { class: "explorer-ray explorer-edge" });
    }
    // W*, -grad, closest point, W0
    var w0s = this.toScreen(this.w0);
    if (l.closest) {
      var cs = this.toScreen(l.closest);
      svg("line", { x1: w0s[0], y1: w0s[1], x2: cs[0], y2: cs[1], class: "explorer-link" }, fg);
      svg("path", { d: "M" + cs[0] + "," + (cs[1] - 7) + "l7,7l-7,7l-7,-7z", class: "explorer-closest" }, fg);
      var dx = cs[0] - w0s[0], dy = cs[1] - w0s[1], dl = Math.hypot(dx, dy);
      if (dl > 16) svg("text", { x: cs[0] + 14 * dx / dl, y: cs[1] + 14 * dy / dl + 5, "text-anchor": dx < 0 ? "end" : "start",
                                 class: "explorer-label", text: "\u0174*" }, fg);
    }
    if (s.wstarUnique) {
      var ws = this.toScreen(s.wstar), gr = this.out.grad[0];
      if (gr && !this.out.gradZero) {
        var len = 0.3 * lim / norm(gr), tip = this.toScreen([s.wstar[0] - len * gr[0], s.wstar[1] - len * gr[1]]);
        svg("line", { x1: ws[0], y1: ws[1], x2: tip[0], y2: tip[1], class: "explorer-grad", "marker-end": "url(#explorer-arrow)" }, fg);
      }
      svg("circle", { cx: ws[0], cy: ws[1], r: 6.5, class: "explorer-wstar" }, fg);
      svg("text", { x: ws[0] - 10, y: ws[1] - 9, "text-anchor": "end", class: "explorer-label", text: "W*" }, fg);
    }
    var h = this.handle;
    h.setAttribute("aria-valuenow", String(this.w0[0]));
    h.setAttribute("aria-valuetext", "W\u2080 = (" + fmt(this.w0[0]) + ", " + fmt(this.w0[1]) + ")");
    h.setAttribute("transform", "translate(" + w0s[0].toFixed(2) + "," + w0s[1].toFixed(2) + ")");
    this.drawLegend(lo, hi, s, !!failPath);
  };

  Explorer.prototype.drawLegend = function (lo, hi, s, anyFail) {
    var ul = this.legend;
    ul.textContent = "";
    var item = function (cls, text) { var li = el("li", {}, ul); el("span", { class: "explorer-key " + cls, "aria-hidden": "true" }, li); el("span", { text: text }, li); };
    if (isFinite(lo)) {
      var li = el("li", { class: "explorer-bar-item" }, ul);
      var stops = []; for (var i = 0; i <= 6; i++) stops.push(colour(i / 6));
      el("span", { text: "\u0108 by direction: " + fmt(lo) }, li);
      var bar = el("span", { class: "explorer-bar", "aria-hidden": "true" }, li);
      bar.style.background = "linear-gradient(to right," + stops.join(",") + ")";
      el("span", { text: fmt(hi) }, li);
    } else item("explorer-key-none", "\u0108 undefined everywhere (all inputs equal)");
    if (s.kind === "ray") item("explorer-key-ray", "BN minima t\u00b7v\u0302, t > 0");
    if (s.kind === "half-plane") item("explorer-key-ray", "edge of the BN minima (\u03c3 = 0 on it)");
    if (s.wstarUnique) item("explorer-key-wstar", "W* and \u2212\u2207\u0108(W*) (direction)");
    if (s.wstarUnique && !s.wstarZero) item("explorer-key-domain", "\u27e8W\u2080, W*\u27e9 = 0: the lemma speaks of one side");
    if (anyFail) item("explorer-key-fail", "where Lemma 4.5 fails");
    if (this.out.l.closest) item("explorer-key-closest", "\u0174*, the closest BN optimum");
  };

  Explorer.prototype.pointerToW = function (ev) {
    var box = this.svg.getBoundingClientRect();
    var p = [(ev.clientX - box.left) * SIZE / box.width, (ev.clientY - box.top) * SIZE / box.height];
    p = [Math.min(SIZE, Math.max(0, p[0])), Math.min(SIZE, Math.max(0, p[1]))];
    return this.fromScreen(p);
  };

  Explorer.prototype.bindPlane = function () {
    var self = this;
    // a click (a tap, not the start of a scroll on a phone) moves W0 to that point
    this.svg.addEventListener("click", function (ev) {
      if (ev.button !== 0 || self.handle.contains(ev.target)) return;
      self.setW0(self.pointerToW(ev));
    });
  };

  Explorer.prototype.bindHandle = function () {
    var self = this, h = this.handle;
    h.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0) return;
      ev.preventDefault();
      self.dragging = ev.pointerId;
      self.svg.setPointerCapture(ev.pointerId);
      h.focus();
    });
    {
      this.svg.addEventListener("pointermove", function (ev) {
        if (self.dragging !== null && self.dragging === ev.pointerId) self.setW0(self.pointerToW(ev));
      });
      var end = function (ev) {
        if (self.dragging !== null && self.dragging === ev.pointerId) { self.dragging = null; self.update(false); }
      };
      this.svg.addEventListener("pointerup", end);
      this.svg.addEventListener("pointercancel", end);
      this.svg.addEventListener("keydown", function (ev) {
        if (!self.handle.contains(ev.target)) return;
        var d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[ev.key];
        if (!d) return;
        ev.preventDefault();
        var step = Math.pow(10, Math.floor(Math.log10(self.lim))) / 10 * (ev.shiftKey ? 10 : 1);
        self.setW0([self.w0[0] + d[0] * step, self.w0[1] + d[1] * step]);
      });
    }
  };

  function start() {
    var root = document.getElementById("explorer");
    if (root) window.bnExplorer = new Explorer(root);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
