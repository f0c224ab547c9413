"""What the reader's tests (test_reading.py) measure on a page, in the browser: run by
conftest.py's ``inspect`` on every page at each width it checks, and by test_reading.py.

- ``MEASURE``: the article's column; each code block, cell output, table and display
  equation, with the width its content takes, the width it shows, whether it scrolls
  sideways in a box of its own and how far it reaches past the column; what covers an
  equation's number; the colours of the body text and the captions; the headings.
- ``CITATIONS`` and ``BIBLIOGRAPHY``: each citation as it reads, and the entries it links to.
- ``SETTLED``: after a resize, the new width is laid out and no transition is running.
"""

DESKTOP = {"width": 1280, "height": 900}  # the widths the reader's tests look at
PHONE = {"width": 390, "height": 844}

# What is measured on a page, in the browser. The column is the article's content box.
# An element's name: its kind, the id of the section it sits in, and the start of its text
# (an equation: its number, if any, and its TeX, from MathJax).
MEASURE = r"""() => {
  const article = document.querySelector('article.bd-article');
  if (!article) return null;
  const style = getComputedStyle(article);
  const rect = article.getBoundingClientRect();
  const left = rect.left + article.clientLeft + parseFloat(style.paddingLeft);
  const column = article.clientWidth - parseFloat(style.paddingLeft)
    - parseFloat(style.paddingRight);
  const right = left + column;
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const tex = e => {
    try {
      const items = MathJax.startup.document.getMathItemsWithin(e);
      return items.length ? items[0].math.trim() : '';
    } catch (err) { return ''; }
  };
  const where = e => {
    const section = e.closest('section[id]');
    return section ? '#' + section.id : '';
  };
  const number = e => {
    const math = e.closest('div.math');
    const eqno = math && math.querySelector('.eqno');
    return eqno ? eqno.textContent.replace('#', '').trim() : '';
  };
  const name = (kind, e) => {
    if (kind === 'equation') {
      return `equation ${number(e)} ${where(e)}: ${tex(e).replace(/\s+/g, ' ').slice(0, 70)}`
        .replace(/  +/g, ' ');
    }
    const text = (e.innerText || e.textContent || '').trim().replace(/\s+/g, ' ');
    return `${kind} ${where(e)}: ${text.slice(0, 60)}`;
  };
  const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  const scroller = e => {  // the nearest box (within the article) that scrolls sideways
    for (let p = e; p && p !== article; p = p.parentElement) if (scrolls(p)) return p;
    return null;
  };
  const elements = [];
  const add = (kind, e) => {
    if (!shown(e)) return;
    const r = e.getBoundingClientRect();
    const box = scroller(e);
    const b = box ? box.getBoundingClientRect() : r;
    elements.push({
      kind, name: name(kind, e),
      needed: Math.max(e.scrollWidth, Math.round(r.width)),  // the width its content takes
      client: e.clientWidth, // the width it shows (for a box that scrolls)
      overflows: e.scrollWidth - e.clientWidth,
      beyond: Math.max(r.right - right, left - r.left),  // past the column's edges
      scrolls: !!box, box_beyond: Math.max(b.right - right, left - b.left),
    });
  };
  for (const pre of article.querySelectorAll('div.highlight pre')) {
    add(pre.closest('.cell_output, .output') ? 'output' : 'code', pre);
  }
  for (const out of article.querySelectorAll('.cell_output > .output:not(:has(pre))')) {
    add('output', out);
  }
  for (const table of article.querySelectorAll('table')) add('table', table);
  for (const eq of article.querySelectorAll('mjx-container[display="true"]')) add('equation', eq);

  // Equation numbers and whatever is drawn over or under them.
  const overlaps = [];
  const area = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left))
    * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  for (const eqno of article.querySelectorAll('div.math > .eqno')) {
    if (!shown(eqno)) continue;
    const n = eqno.getBoundingClientRect();
    const math = eqno.parentElement;
    for (const other of math.querySelectorAll('mjx-container')) {
      const o = other.getBoundingClientRect();
      if (area(n, o) > 1) {
        overlaps.push(`${eqno.textContent.replace('#', '').trim()} overlaps its formula ` +
                      `by ${Math.round(area(n, o))} px² (${tex(other).slice(0, 50)})`);
      }
    }
    eqno.scrollIntoView({block: 'center'});
    const r = eqno.getBoundingClientRect();
    for (const [fx, fy] of [[.2, .5], [.5, .3], [.5, .5], [.8, .5], [.5, .7]]) {
      const x = r.left + fx * r.width, y = r.top + fy * r.height;
      const top = document.elementFromPoint(x, y);
      if (top && !eqno.contains(top) && top !== math) {
        overlaps.push(`${eqno.textContent.replace('#', '').trim()} is covered by ` +
                      `<${top.tagName.toLowerCase()} class="${top.className}">`);
        break;
      }
    }
  }
  window.scrollTo(0, 0);

  const heading = e => e ? [...e.childNodes].filter(c => !(c.classList
    && c.classList.contains('headerlink'))).map(c => c.textContent).join('').trim() : null;
  const color = e => getComputedStyle(e).color;
  const paragraph = article.querySelector('section > p');
  return {
    column, elements, overlaps,
    body_color: paragraph ? color(paragraph) : null,
    caption_colors: [...article.querySelectorAll('figcaption p, figcaption .caption-text')]
      .map(color),
    page_width: document.documentElement.scrollWidth,
    h1: heading(article.querySelector('h1')),
    h2: [...article.querySelectorAll('section > h2')].map(heading),
  };
}"""

CITATIONS = r"""() => [...document.querySelectorAll('article.bd-article span.bibtex-citation')]
  .flatMap(span => {
    const found = [];
    let before = '';
    for (const node of span.childNodes) {
      if (node.nodeName === 'A') {
        const author = before.replace(/[\[\]]/g, '').replace(/^[\s,;]+|[\s,;]+$/g, '')
          .replace(/\s+/g, ' ');
        const text = node.textContent.replace(/\s+/g, ' ').trim();
        found.push({target: node.getAttribute('href').split('#')[1],
                    cited: author ? `${author}, ${text}` : text,
                    as_written: span.textContent.replace(/\s+/g, ' ').trim()});
        before = '';
      } else {
        before += node.textContent;
      }
    }
    return found;
  })"""

BIBLIOGRAPHY = r"""() => [...document.querySelectorAll('article.bd-article div.citation')]
  .map(entry => ({
    id: entry.id,
    label: entry.querySelector('.label').textContent.replace(/^\[|\]$/g, '').trim(),
    links: [...entry.querySelectorAll('a.reference.external')].map(a => a.href),
    text: entry.textContent.replace(/\s+/g, ' ').trim(),
  }))"""


# After a resize: the new width is laid out and the theme's transitions (the primary sidebar
# turning into a drawer slides it away) have ended, so nothing is measured or photographed
# half-way.
SETTLED = """width => document.documentElement.clientWidth === width
    && document.getAnimations().every(a => !(a instanceof CSSTransition)
                                         || a.playState !== 'running')"""
