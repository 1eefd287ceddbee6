"""Checks run inside a page by the browser tests (``page.evaluate``): text contrast after WCAG 2.1 and words
broken inside by the layout. Each returns a list of findings; a test asserts the list is empty.

The contrast check follows WCAG 2.1's definitions (relative luminance of sRGB, ratio (L1 + 0.05) / (L2 + 0.05),
AA: at least 4.5:1, or 3:1 for large text: 24 px, or 18.66 px bold). The background of a text is the first
opaque background colour up its ancestors, with the translucent ones above it blended in; text over an image,
a gradient or the map canvas is skipped (its background is not a colour).
"""

from __future__ import annotations

#: ``page.evaluate(CONTRAST)``: the visible texts below WCAG AA contrast, with their colours and ratio.
CONTRAST = r"""
() => {
  const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(',').map(s => parseFloat(s));
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const lum = (c) => 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  const blend = (top, under) => ({r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
                                  b: top.b * top.a + under.b * (1 - top.a), a: 1});
  const background = (el) => { const layers = []; let e = el;
    while (e && e.nodeType === 1) { const s = getComputedStyle(e);
      if (s.backgroundImage && s.backgroundImage !== 'none') return null;
      const c = parse(s.backgroundColor); if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
      e = e.parentElement; }
    let bg = {r: 255, g: 255, b: 255, a: 1};
    for (let i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg);
    return bg; };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!(el instanceof HTMLElement)) continue;
    if (el.closest('canvas, svg, .maplibregl-canvas-container')) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const r = el.getBoundingClientRect(); if (r.width === 0 || r.height === 0) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none' || parseFloat(s.opacity) === 0) continue;
    let fg = parse(s.color); const bg = background(el); if (!fg || !bg) continue;
    if (fg.a < 1) fg = blend(fg, bg);
    const l1 = lum(fg), l2 = lum(bg); const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const need = large ? 3 : 4.5;
    if (ratio < need) out.push({text: el.textContent.trim().slice(0, 40), cls: el.className, tag: el.tagName,
      ratio: Math.round(ratio * 100) / 100, need, color: s.color,
      bg: `rgb(${Math.round(bg.r)},${Math.round(bg.g)},${Math.round(bg.b)})`});
  }
  return out;
}
"""

#: ``page.evaluate(BROKEN_WORDS, selector)``: the words inside ``selector`` that the layout split over two lines.
BROKEN_WORDS = r"""
(selector) => {
  const out = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      const re = /\S+/g;
      let m;
      while ((m = re.exec(text)) !== null) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) out.push(m[0]);
      }
    }
  }
  return out;
}
"""
