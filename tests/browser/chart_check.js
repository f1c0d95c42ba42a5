// One Plotly chart as Plotly laid it out, for tests/browser/chart_check.py to judge. Evaluated on the graph div
// (`gd`) in the live app and on the export rendered alone. Everything comes from Plotly's own state
// (gd._fullLayout, gd.calcdata) and the bounding boxes of its SVG elements: no pixel guessing.
// Boxes are {x, y, r, b} in CSS pixels relative to the figure's top-left corner.
(gd) => {
  const origin = gd.querySelector('.main-svg').getBoundingClientRect();
  const box = (el) => {
    const b = el.getBoundingClientRect();
    return {x: b.x - origin.x, y: b.y - origin.y, r: b.right - origin.x, b: b.bottom - origin.y};
  };
  const full = gd._fullLayout;
  const input = gd.layout || {};

  // Colours as [r, g, b, a] through the browser's own parser (named colours, #rgb, rgba()...).
  const canvas = document.createElement('canvas').getContext('2d');
  const rgba = (colour) => {
    if (!colour || colour === 'none' || colour === 'transparent') return [0, 0, 0, 0];
    canvas.fillStyle = '#010203';
    canvas.fillStyle = String(colour);
    const c = canvas.fillStyle;
    if (c.startsWith('#')) return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)).concat([1]);
    const m = c.match(/[\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const over = (top, under) => {  // `top` composited over an opaque `under`
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  // What lies behind the figure: the nearest ancestor with a background (the app's theme), else white.
  let page = [255, 255, 255, 1];
  for (let el = gd; el && el !== document.documentElement; el = el.parentElement) {
    const c = rgba(getComputedStyle(el).backgroundColor);
    if (c[3] > 0) { page = over(c, [255, 255, 255, 1]); break; }
  }
  const paper = over(rgba(full.paper_bgcolor), page);
  const plot = over(rgba(full.plot_bgcolor), paper);

  // Annotations: label boxes (a visible background or border) and every other annotation with text.
  const plain = (html) => String(html || '').replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, '').trim();
  const annotations = [];
  (full.annotations || []).forEach((a, i) => {
    const el = gd.querySelector(`g.annotation[data-index="${i}"] .annotation-text-g`);
    if (a.visible === false || !plain(a.text) || !el) return;
    const framed = rgba(a.bgcolor)[3] > 0 || (a.borderwidth > 0 && rgba(a.bordercolor)[3] > 0);
    annotations.push({index: i, text: plain(a.text), framed: framed, box: box(el),
                      xref: a.xref, yref: a.yref, y: a.y, showarrow: a.showarrow});
  });

  // Panels: every pair of axes drawn, and every pair the layout declares (Plotly leaves a declared pair
  // without traces undrawn, which shows as blank space where its domain is).
  const id = (name) => name.replace('axis', '');  // 'xaxis2' → 'x2'
  const pairs = new Set(full._subplots.cartesian || []);
  for (const key of Object.keys(input)) {
    const m = key.match(/^xaxis(\d*)$/);
    if (m && input[key] && input[key].anchor && input[key].anchor !== 'free') pairs.add('x' + m[1] + input[key].anchor);
  }
  const DATED = /(?<!\d)(1[89]|20)\d\d(?!\d)|(?<![a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|(?<![a-z])Q[1-4](?!\d)/i;
  const shown = (el) => {
    for (let e = el; e && e !== gd; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
    }
    return true;
  };
  const lines = (t) => {  // a label's lines joined by spaces ('Jan<br>2024' is drawn as two tspans)
    const parts = [...t.querySelectorAll('tspan.line')].map((l) => l.textContent.trim()).filter(Boolean);
    return parts.length ? parts.join(' ') : t.textContent.trim();
  };
  const tickLabels = (axisId) => [...gd.querySelectorAll(`g.${axisId}tick text`)]
    .filter((t) => t.textContent.trim() && shown(t)).map((t) => ({text: lines(t), box: box(t)}));
  const sharing = (axisId) => {  // the x axes one column of panels shares: `matches`, else (where this axis hides
    // its labels) every drawn x axis over the same horizontal domain
    const group = (full._axisMatchGroups || []).find((g) => g[axisId]);
    if (group) return Object.keys(group);
    const xa = full['xaxis' + axisId.slice(1)];
    if (!xa || xa.showticklabels !== false) return [axisId];
    return (full._subplots.xaxis || []).filter((other) => {
      const oa = full['xaxis' + other.slice(1)];
      return oa && Math.abs(oa.domain[0] - xa.domain[0]) < 0.01 && Math.abs(oa.domain[1] - xa.domain[1]) < 0.01;
    });
  };
  const panels = [...pairs].map((pair) => {
    const [, xId, yId] = pair.match(/^(x\d*)(y\d*)$/);
    const xName = 'xaxis' + xId.slice(1), yName = 'yaxis' + yId.slice(1);
    const xa = full[xName], ya = full[yName];
    const domain = (ya && ya.domain) || (input[yName] && input[yName].domain) || [0, 1];
    let points = 0, outside = 0;  // data points inside the panel's axes' ranges, and beyond them
    for (const cd of (xa && ya && gd.calcdata) || []) {
      const t = cd[0] && cd[0].trace;
      if (!t || t.visible !== true || (t.xaxis || 'x') !== xId || (t.yaxis || 'y') !== yId) continue;
      for (const p of cd) {
        if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
        const px = xa.c2p(p.x), py = ya.c2p(p.y);
        if (px >= -1 && px <= xa._length + 1 && py >= -1 && py <= ya._length + 1) points += 1; else outside += 1;
      }
    }
    const ticks = sharing(xId).filter((a) => full['xaxis' + a.slice(1)]).flatMap(tickLabels);
    const title = annotations.find((a) => !a.framed && a.xref === 'paper' && a.yref === 'paper' && !a.showarrow
                                          && Math.abs(a.y - domain[1]) < 0.03);
    return {id: pair, drawn: (full._subplots.cartesian || []).includes(pair), domain: domain,
            xtype: xa ? xa.type : (input[xName] && input[xName].type) || '', points: points, outside: outside,
            spanDays: xa && xa.type === 'date' ? Math.abs(xa.r2l(xa.range[1]) - xa.r2l(xa.range[0])) / 864e5 : null,
            ticks: ticks.map((t) => t.text), dated: ticks.filter((t) => DATED.test(t.text)).map((t) => t.text),
            title: title ? title.text : '', box: xa && ya ? {x: xa._offset, y: ya._offset, r: xa._offset + xa._length,
                                                              b: ya._offset + ya._length} : null};
  });

  // Markers: every drawn point of every visible trace that draws markers, from calcdata and the axes.
  const markers = [];
  for (const cd of gd.calcdata || []) {
    const t = cd[0] && cd[0].trace;
    if (!t || t.visible !== true || !String(t.mode || '').includes('markers')) continue;
    const xa = full['xaxis' + (t.xaxis || 'x').slice(1)], ya = full['yaxis' + (t.yaxis || 'y').slice(1)];
    if (!xa || !ya) continue;
    cd.forEach((p, i) => {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) return;
      const size = Array.isArray(t.marker.size) ? t.marker.size[p.i ?? i] : t.marker.size;
      const line = (t.marker.line && t.marker.line.width) || 0;
      const cx = xa._offset + xa.c2p(p.x), cy = ya._offset + ya.c2p(p.y), half = (size || 6) / 2 + line / 2;
      if (cx < xa._offset - 1 || cx > xa._offset + xa._length + 1 || cy < ya._offset - 1 || cy > ya._offset + ya._length + 1) return;
      markers.push({trace: String(t.name || ''), x: xa.type === 'date' ? new Date(p.x).toISOString().slice(0, 10) : p.x,
                    box: {x: cx - half, y: cy - half, r: cx + half, b: cy + half}});
    });
  }

  // The title block, line by line with each line's style (to tell a wrapped part from the next part).
  const titleEl = gd.querySelector('.g-gtitle');
  const titleLines = titleEl ? [...titleEl.querySelectorAll('tspan.line')].map((line) => {
    const leaf = [...line.querySelectorAll('tspan')].find((t) => t.textContent.trim() && !t.querySelector('tspan')) || line;
    const s = getComputedStyle(leaf);
    const b = box(line);
    return {text: line.textContent, box: b, width: b.r - b.x, size: parseFloat(s.fontSize),
            style: [s.fontSize, s.fontWeight, s.fill].join(' ')};
  }).filter((line) => line.text.trim()) : [];
  if (titleEl && !titleLines.length && titleEl.textContent.trim()) {
    const b = box(titleEl);
    titleLines.push({text: titleEl.textContent, box: b, width: b.r - b.x, size: 0, style: ''});
  }

  // The legend: what its entries and title say.
  const legendEl = full.showlegend ? gd.querySelector('g.legend') : null;
  const legend = legendEl ? {
    entries: [...legendEl.querySelectorAll('.traces .legendtext')].map((t) => t.textContent.trim()).filter(Boolean),
    items: [...legendEl.querySelectorAll('g.traces')].filter((g) => g.textContent.trim() && shown(g))
      .map((g) => ({text: g.textContent.trim(), box: box(g)})),
    title: [...legendEl.querySelectorAll('.legendtitletext')].map((t) => t.textContent.trim()).join(' '),
    box: box(legendEl.querySelector('.bg') || legendEl),
  } : null;

  // Every piece of text drawn: its size, colour and the background behind it.
  const texts = [];
  const role = (el) => {
    if (el.closest('.g-gtitle')) return 'title block';
    if (el.closest('g.legend')) return 'legend';
    if (el.closest('g.annotation')) return 'annotation';
    if (el.closest('[class*="tick"]')) return 'tick label';
    if (el.closest('[class*="title"]')) return 'axis title';
    return 'text';
  };
  for (const svg of gd.querySelectorAll('svg.main-svg')) {
    const walk = document.createTreeWalker(svg, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || el.closest('.hoverlayer') || !shown(el)) continue;
      const s = getComputedStyle(el);
      let behind = plot;
      const ann = el.closest('g.annotation');
      const bg = ann && ann.querySelector('rect.bg');
      if (bg) {
        const fill = rgba(getComputedStyle(bg).fill);
        fill[3] *= Number(getComputedStyle(bg).fillOpacity);
        if (fill[3] >= 0.5) behind = over(fill, paper);
      } else if (el.closest('.g-gtitle') || el.closest('g.legend')) behind = paper;
      texts.push({text: node.textContent.trim().slice(0, 60), role: role(el), size: parseFloat(s.fontSize),
                  colour: over(rgba(s.fill), behind), behind: behind, box: box(el)});
    }
  }

  const modebar = gd.querySelector('.modebar-container');
  return {
    width: full.width, height: full.height, figure: box(gd.querySelector('.main-svg')),
    paper: paper, plot: plot, panels: panels, markers: markers, annotations: annotations,
    title: titleEl && titleEl.textContent.trim() ? box(titleEl) : null, titleLines: titleLines, legend: legend,
    titleText: plain(full.title && full.title.text).replace(/\s+/g, ' '),
    texts: texts, modebar: modebar && shown(modebar) && modebar.querySelector('.modebar') ? box(modebar.querySelector('.modebar')) : null,
  };
}
