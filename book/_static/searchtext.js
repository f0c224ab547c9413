/* Search-result snippets without the TeX of formulas (book/_ext/searchtext.py).
 *
 * Sphinx's search page makes each snippet from the text of the page found, where a formula
 * is still its TeX source between \( \) or \[ \] (MathJax typesets it only in the page
 * itself): "the gradient \(\nabla\hat C(W^*)\) is not zero". Before the snippet is cut,
 * each formula is spelt in Unicode ("∇Ĉ(W*)"), as the PDF's bookmarks spell the formulas of
 * section titles; a command with no spelling here loses only its backslash. */
(function () {
  "use strict";
  const SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", Delta: "Δ", varepsilon: "ε", epsilon: "ϵ",
    eta: "η", theta: "θ", vartheta: "ϑ", kappa: "κ", lambda: "λ", mu: "μ", nu: "ν", pi: "π",
    rho: "ρ", sigma: "σ", Sigma: "Σ", tau: "τ", phi: "ϕ", varphi: "φ", Phi: "Φ", psi: "ψ",
    omega: "ω", Omega: "Ω", xi: "ξ", chi: "χ", zeta: "ζ", Gamma: "Γ", Lambda: "Λ",
    nabla: "∇", partial: "∂", le: "≤", leq: "≤", ge: "≥", geq: "≥", neq: "≠", ne: "≠",
    in: "∈", notin: "∉", cdot: "·", cdots: "⋯", ldots: "…", dots: "…", times: "×",
    infty: "∞", to: "→", mapsto: "↦", approx: "≈", sim: "∼", propto: "∝", pm: "±",
    langle: "⟨", rangle: "⟩", lVert: "‖", rVert: "‖", Vert: "‖", "|": "‖", lvert: "|",
    rvert: "|", vert: "|", top: "ᵀ", ast: "*", star: "*", sum: "Σ", prod: "∏", int: "∫",
    sqrt: "√", setminus: "∖", subset: "⊂", subseteq: "⊆", cup: "∪", cap: "∩",
    emptyset: "∅", forall: "∀", exists: "∃", Rightarrow: "⇒", Leftrightarrow: "⇔",
    iff: "⇔", implies: "⇒", circ: "∘", mid: "|", lfloor: "⌊", rfloor: "⌋",
    ",": " ", ";": " ", ":": " ", "!": "", " ": " ", quad: " ", qquad: " ",
    "{": "{", "}": "}", "%": "%", "&": "&", "#": "#", "_": "_", "\\": " ",
  };
  const BLACKBOARD = { R: "ℝ", N: "ℕ", Z: "ℤ", Q: "ℚ", C: "ℂ", E: "𝔼", P: "ℙ" };
  const ACCENTS = { hat: "\u0302", widehat: "\u0302", tilde: "\u0303", widetilde: "\u0303",
                    bar: "\u0304", overline: "\u0305", dot: "\u0307", vec: "\u20d7" };
  // Commands dropped with nothing in their place (sizes, spacing, fonts, environments).
  const SILENT = new Set(["left", "right", "bigl", "bigr", "Bigl", "Bigr", "big", "Big",
    "bigg", "Bigg", "biggl", "biggr", "displaystyle", "textstyle", "limits", "nolimits",
    "mathrm", "mathbf", "mathit", "mathsf", "mathcal", "boldsymbol", "operatorname", "text",
    "textrm", "textbf", "textit", "mbox", "hbox", "begin", "end", "label", "nonumber",
    "notag", "tag", "phantom", "hphantom", "vphantom", "quad", "qquad", "frac", "dfrac",
    "tfrac", "mathbb"]);
  const SUB = Object.fromEntries([..."0123456789+-=()aeoxhklmnpst"].map(
    (c, i) => [c, "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ"[i]]));
  const SUP = Object.fromEntries([..."0123456789+-=()n*"].map(
    (c, i) => [c, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ*"[i]]));

  // The argument in braces (or the one token) at position i: [text, next position].
  function argument(tex, i) {
    while (tex[i] === " ") i++;
    if (tex[i] !== "{") {
      const m = /^\\([A-Za-z]+|.)|^./s.exec(tex.slice(i));
      return m ? [m[0], i + m[0].length] : ["", i];
    }
    let depth = 0, j = i;
    for (; j < tex.length; j++) {
      if (tex[j] === "\\") { j++; continue; }
      if (tex[j] === "{") depth++;
      else if (tex[j] === "}" && --depth === 0) break;
    }
    return [tex.slice(i + 1, j), j + 1];
  }

  function script(text, table, mark) {
    const plain = text.replace(/\s+/g, "");
    return [...plain].every((c) => c in table) ? [...plain].map((c) => table[c]).join("")
      : plain.length === 1 ? mark + plain : `${mark}(${plain})`;
  }

  function spell(tex) {
    let out = "";
    for (let i = 0; i < tex.length;) {
      const c = tex[i];
      if (c === "\\") {
        const m = /^\\([A-Za-z]+|.)/s.exec(tex.slice(i));
        const name = m ? m[1] : "";
        i += m ? m[0].length : 1;
        if (name in ACCENTS) {
          const [arg, next] = argument(tex, i);
          const inner = spell(arg);
          out += inner ? inner[0] + ACCENTS[name] + inner.slice(1) : "";
          i = next;
        } else if (name === "frac" || name === "dfrac" || name === "tfrac") {
          const [num, n1] = argument(tex, i);
          const [den, n2] = argument(tex, n1);
          const wrap = (s) => (s.length > 1 && /[^\p{L}\p{N}]/u.test(s) ? `(${s})` : s);
          out += `${wrap(spell(num))}/${wrap(spell(den))}`;
          i = n2;
        } else if (name === "sqrt") {
          const [arg, next] = argument(tex, i);
          const inner = spell(arg);
          out += inner.length > 1 ? `√(${inner})` : `√${inner}`;
          i = next;
        } else if (name === "mathbb") {
          const [arg, next] = argument(tex, i);
          out += [...arg].map((ch) => BLACKBOARD[ch] || ch).join("");
          i = next;
        } else if (name === "begin" || name === "end") {
          i = argument(tex, i)[1];
        } else if (name in SYMBOLS) {
          out += SYMBOLS[name];
        } else if (!SILENT.has(name)) {
          out += name;  // \min, \max, \log, \exp, \arg, ...: the name itself
        }
      } else if (c === "^" || c === "_") {
        const [arg, next] = argument(tex, i + 1);
        out += script(spell(arg), c === "_" ? SUB : SUP, c);
        i = next;
      } else if (c === "{" || c === "}" || c === "&") {
        i++;
      } else if (c === "~") {
        out += " ";
        i++;
      } else {
        out += c === "-" ? "−" : c;
        i++;
      }
    }
    return out.normalize("NFC");
  }

  // Delimited formulas in running text: \( \), \[ \], $$ $$, $ $, and bare environments.
  const FORMULA = /\\\(([\s\S]*?)\\\)|\\\[([\s\S]*?)\\\]|\$\$([\s\S]*?)\$\$|\$([^$\n]+?)\$|(\\begin\{([a-z]+\*?)\}[\s\S]*?\\end\{\6\})/g;

  function plain(text) {
    return text.replace(FORMULA, (...m) => spell(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5])
      .replace(/\s+/g, " ").trim()).replace(/\\/g, "");
  }

  window.bnpaperSearchText = { spell, plain };
  if (typeof Search === "undefined") return;
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => plain(htmlToText(htmlString, anchor));
})();
