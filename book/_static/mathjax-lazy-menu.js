/* MathJax's context menu (ui/menu.js, 426 kB) is loaded only when a reader reaches for it:
 * a right-click on a formula, or a formula taking keyboard focus. Until then MathJax runs
 * without it (book/_ext/leansite.py: loader.load leaves ui/menu out). A reader who has
 * saved menu settings before gets the menu at start-up, so the settings apply at once.
 * Loading it later follows what the menu itself does when it loads an accessibility
 * component: a new document from the extended handler, and the typeset math moved over.
 * The site ships MathJax's English speech rules and the CHTML output only, so the menu's
 * other languages and its SVG renderer are disabled (they would load files not shipped). */
(function () {
  "use strict";
  if (!window.MathJax || !window.MathJax.loader) return;
  var saved = null;
  try { saved = window.localStorage.getItem("MathJax-Menu-Settings"); } catch (e) { /* private mode */ }
  function restrict(menu) {
    var items = [["Language"], ["Settings", "Renderer", "SVG"]];
    items.forEach(function (path) {
      var item = menu.menu.findID.apply(menu.menu, path);
      if (item) item.disable();
    });
  }
  var loading = null, attached = false;
  if (saved) {
    window.MathJax.loader.load.push("ui/menu");
    window.MathJax.startup = window.MathJax.startup || {};
    window.MathJax.startup.pageReady = function () {
      return MathJax.startup.defaultPageReady().then(function () {
        restrict(MathJax.startup.document.menu);
      });
    };
    return;
  }

  function attachMenu() {
    var startup = MathJax.startup, mathjax = MathJax._.mathjax.mathjax;
    mathjax.handlers.unregister(startup.handler);
    startup.handler = startup.getHandler();
    mathjax.handlers.register(startup.handler);
    var old = startup.document;
    var doc = startup.document = startup.getDocument();
    var MathItem = doc.options.MathItem;
    Array.from(old.math).forEach(function (item) {
      var moved = new MathItem();
      Object.assign(moved, item);
      doc.math.push(moved);
      doc.menu.addMenu(moved);
    });
    doc.processed = old.processed;
    restrict(doc.menu);
    attached = true;
  }

  function loadMenu() {
    if (!loading) {
      loading = MathJax.startup.promise
        .then(function () { return MathJax.loader.load("ui/menu"); })
        .then(attachMenu);
    }
    return loading;
  }

  function formula(event) {
    return event.target && event.target.closest ? event.target.closest("mjx-container") : null;
  }

  document.addEventListener("contextmenu", function (event) {
    var math = formula(event);
    if (!math || attached) return;  // once attached, MathJax's own listener opens the menu
    event.preventDefault();
    event.stopPropagation();
    var init = {bubbles: true, cancelable: true, clientX: event.clientX,
                clientY: event.clientY, screenX: event.screenX, screenY: event.screenY,
                button: 2, buttons: 2, view: window};
    loadMenu().then(function () { math.dispatchEvent(new MouseEvent("contextmenu", init)); });
  }, true);
  document.addEventListener("focusin", function (event) { if (formula(event)) loadMenu(); }, true);

  // Keyboard readers reach each formula with Tab, as with the menu loaded from the start.
  window.MathJax.startup = window.MathJax.startup || {};
  window.MathJax.startup.pageReady = function () {
    return MathJax.startup.defaultPageReady().then(function () {
      document.querySelectorAll("mjx-container").forEach(function (m) {
        if (!m.hasAttribute("tabindex")) m.tabIndex = 0;
      });
    });
  };
  window.bnpaperLoadMathJaxMenu = loadMenu;  // for the site tests
})();
