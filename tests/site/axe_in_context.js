// A faster, equivalent answer to axe-core's "is this node in the context?" (its
// utils.isNodeInContext), which conftest.py puts in front of axe's own (see axe_script there).
//
// axe asks it for every node each rule selects, and answers by testing each excluded node in
// turn (`exclude.filter(x => contains(x, node))`): with the page's ~600 formulas excluded
// twice over (mjx-math, mjx-assistive-mml), about half of axe's time on a formula-heavy
// chapter. Here: one walk up from the node; the nearest include or exclude that is the node or
// one of its ancestors decides (an include wins a tie), which is what axe's rule says ("the
// deepest include, unless a deeper exclude contains it"). Only for light DOM; returns
// undefined, and axe's own code answers, whenever a shadow DOM node is involved.
var bnpaperContextSets = new WeakMap();

function bnpaperInContext(node, context) {
  var include = context.include || [], exclude = context.exclude || [];
  var sets = bnpaperContextSets.get(context);
  if (!sets || sets.include !== include || sets.exclude !== exclude
      || sets.includeLength !== include.length || sets.excludeLength !== exclude.length) {
    var light = function (v) {
      return !v.shadowId && v.actualNode && typeof v.actualNode.contains === 'function';
    };
    sets = {include: include, exclude: exclude,
            includeLength: include.length, excludeLength: exclude.length,
            light: include.every(light) && exclude.every(light),
            included: new Set(include.map(function (v) { return v.actualNode; })),
            excluded: new Set(exclude.map(function (v) { return v.actualNode; }))};
    bnpaperContextSets.set(context, sets);
  }
  if (!sets.light || node.shadowId || !node.actualNode) {
    return undefined;
  }
  for (var n = node.actualNode; n; n = n.parentNode) {
    if (sets.included.has(n)) return true;
    if (sets.excluded.has(n)) return false;
  }
  return false;
}
