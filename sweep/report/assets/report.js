// sweep report: draws the page from the JSON in <script id="data"> (format: report_data.h).
// Hand-written SVG, built as strings and inserted once per chart: no library, no network. Up to
// BIG rows every mark is an SVG element (one <path> per curve, one <polyline> per row, one
// <circle> per point) and the leaderboard one <tr> per row. Above, Chromium spends seconds on the
// style, layout and paint of ~80,000 SVG elements, so the faint marks go on one <canvas> per
// chart under the SVG (which keeps the axes, labels and the best K; hover and click find the
// nearest mark) and the leaderboard shows PAGE rows a page, sorted and filtered over all rows.
// Colours: Okabe-Ito for the best rows, viridis for the metric, both colour-blind safe.
(function () {
  'use strict';
  const started = performance.now();
  const D = JSON.parse(document.getElementById('data').textContent);
  const P = D.params, M = D.metric, K = 5, BIG = 2000, PAGE = 200;
  const big = D.rows.length > BIG;
  const TOP = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9'];  // Okabe-Ito
  const VIR = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779',
    '#6ece58', '#b5de2b', '#fde725'];
  const rows = D.rows, byIndex = new Map(rows.map(r => [r.i, r]));
  const ranked = D.rank.map(i => byIndex.get(i));
  const scored = ranked.filter(r => r.m !== null);
  const topRank = new Map(scored.slice(0, K).map((r, k) => [r.i, k]));
  const $ = sel => document.querySelector(sel);

  const esc = s => String(s).replace(/[&<>"']/g, c => '&#' + c.charCodeAt(0) + ';');
  function fmt(v) {
    if (v === null || v === undefined) return '\u2013';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return (a !== 0 && (a < 1e-3 || a >= 1e6)) ? v.toExponential(2) : String(+v.toPrecision(4));
  }
  const short = s => s.length > 18 ? s.slice(0, 8) + '\u2026' + s.slice(-8) : s;  // axis labels
  const pval = (r, j) => P[j].t === 'c' ? (r.p[j] === null ? null : P[j].c[r.p[j]]) : r.p[j];
  const rowName = r => 'row ' + r.i + ': ' + P.map((p, j) => p.k + '=' + fmt(pval(r, j)))
    .join(', ') + (r.m !== null ? ', ' + M.n + '=' + fmt(r.m) : '');
  function metricLabel(name) {
    const unit = /accuracy/.test(name) ? 'fraction correct' : /loss/.test(name) ? 'loss' : 'value';
    return name + ' (' + unit + ')';
  }
  function seconds(s) {
    if (s < 120) return fmt(s) + ' s';
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + ' h ' : '') + m + ' min (' + Math.round(s) + ' s)';
  }
  function viridis(t) {
    t = Math.max(0, Math.min(1, t)) * (VIR.length - 1);
    const i = Math.min(VIR.length - 2, Math.floor(t)), f = t - i;
    const a = VIR[i], b = VIR[i + 1], ch = (c, k) => parseInt(c.substr(1 + 2 * k, 2), 16);
    return 'rgb(' + [0, 1, 2].map(k => Math.round(ch(a, k) + f * (ch(b, k) - ch(a, k)))) + ')';
  }

  // ---- scales and axes ----
  function extent(vals) {
    let lo = Infinity, hi = -Infinity;
    for (const v of vals) if (v !== null && isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (lo === Infinity) return [0, 1];
    if (lo === hi) { const d = Math.abs(lo) * 0.05 || 0.5; return [lo - d, hi + d]; }
    return [lo, hi];
  }
  function scale(dom, range, log) {
    const [d0, d1] = log ? dom.map(Math.log10) : dom, [r0, r1] = range;
    const f = v => r0 + ((log ? Math.log10(v) : v) - d0) / (d1 - d0 || 1) * (r1 - r0);
    f.ticks = () => log ? logTicks(dom) : linTicks(dom[0], dom[1], 5);
    return f;
  }
  function linTicks(a, b, n) {
    const step0 = (b - a) / n, mag = Math.pow(10, Math.floor(Math.log10(step0)));
    const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= step0) || step0;
    const out = [];
    for (let v = Math.ceil(a / step) * step; v <= b + step * 1e-9; v += step) out.push(+v.toPrecision(12));
    return out;
  }
  function logTicks([a, b]) {
    const out = [];
    for (let e = Math.floor(Math.log10(a)); e <= Math.ceil(Math.log10(b)); e++) {
      for (const m of (Math.log10(b / a) < 2 ? [1, 2, 5] : [1])) {
        const v = m * Math.pow(10, e);
        if (v >= a * 0.999 && v <= b * 1.001) out.push(v);
      }
    }
    return out;
  }
  // A numeric or categorical axis over `vals` mapped to [r0, r1].
  function axisFor(j, vals, range) {
    if (j >= 0 && P[j].t === 'c') {
      const n = P[j].c.length, [r0, r1] = range;
      const f = v => r0 + (v + 0.5) / n * (r1 - r0);
      f.ticks = () => P[j].c.map((_, c) => c);
      f.label = c => short(P[j].c[c]);
      f.band = Math.abs(r1 - r0) / n;
      return f;
    }
    const f = scale(extent(vals), range, j >= 0 && P[j].log);
    f.label = fmt;
    return f;
  }
  function xAxis(x, y0, x0, x1, label) {
    let s = '<g class="axis"><line x1="' + x0 + '" x2="' + x1 + '" y1="' + y0 + '" y2="' + y0 + '"/>';
    for (const t of x.ticks()) {
      const px = x(t).toFixed(1);
      s += '<line x1="' + px + '" x2="' + px + '" y1="' + y0 + '" y2="' + (y0 + 4) + '"/>' +
        '<text x="' + px + '" y="' + (y0 + 15) + '" text-anchor="middle">' + esc(x.label ? x.label(t) : fmt(t)) + '</text>';
    }
    return s + '<text class="label" x="' + (x0 + x1) / 2 + '" y="' + (y0 + 34) + '" text-anchor="middle">' + esc(label) + '</text></g>';
  }
  function yAxis(y, x0, y0, y1, label, grid) {
    let s = '<g class="axis"><line x1="' + x0 + '" x2="' + x0 + '" y1="' + y0 + '" y2="' + y1 + '"/>';
    for (const t of y.ticks()) {
      const py = y(t).toFixed(1);
      if (grid) s += '<line class="grid" x1="' + x0 + '" x2="' + grid + '" y1="' + py + '" y2="' + py + '"/>';
      s += '<line x1="' + (x0 - 4) + '" x2="' + x0 + '" y1="' + py + '" y2="' + py + '"/>' +
        '<text x="' + (x0 - 6) + '" y="' + py + '" dy="0.32em" text-anchor="end">' + esc(y.label ? y.label(t) : fmt(t)) + '</text>';
    }
    const mid = (y0 + y1) / 2;
    return s + '<text class="label" transform="translate(' + (x0 - 52) + ',' + mid + ') rotate(-90)" text-anchor="middle">' + esc(label) + '</text></g>';
  }
  const svg = (cls, w, h, title, body) => '<svg class="chart ' + cls + '" width="' + w + '" height="' + h +
    '" viewBox="0 0 ' + w + ' ' + h + '" role="img" aria-label="' + esc(title) + '"><text class="title" x="12" y="18">' +
    esc(title) + '</text>' + body + '</svg>';

  // ---- canvas charts (big sweeps only) ----
  // A mark is {i, p: [x0, y0, x1, y1, ...] (NaN pairs break a line), top, ...} in the chart's
  // pixels; every mark of a chart is kept for the nearest-mark search, the top ones are drawn in
  // the SVG and the others by paint(ctx, marks). hl(m) is the SVG of a selected faint mark.
  const canvases = [];
  function canvasChart(W, H, svgText, marks, paint, hl) {
    canvases.push({ W, H, marks, paint, hl, byI: new Map(marks.map(m => [m.i, m])) });
    const drawn = marks.filter(m => !m.top).length;
    return '<div class="cv" data-cv="' + (canvases.length - 1) + '" data-marks="' + marks.length + '" data-canvas="' + drawn +
      '"><canvas aria-hidden="true"></canvas>' + svgText + '</div>';
  }
  const canvasNote = () => big ? ' Above ' + BIG.toLocaleString('en-US') + ' rows the faint marks are drawn on a canvas (the best ' + K +
    ' stay SVG); hover or click names the row of the nearest mark.' : '';
  function paintCanvases(root) {
    const dpr = window.devicePixelRatio || 1;
    for (const div of root.querySelectorAll('.cv')) {
      const c = canvases[+div.dataset.cv], cv = div.querySelector('canvas');
      cv.width = Math.round(c.W * dpr); cv.height = Math.round(c.H * dpr);
      cv.style.width = c.W + 'px'; cv.style.height = c.H + 'px';
      const ctx = cv.getContext('2d');
      ctx.scale(dpr, dpr);
      c.paint(ctx, c.marks.filter(m => !m.top));
    }
  }
  function trace(ctx, p) {
    let pen = false, n = 0, last = 0;
    for (let k = 0; k < p.length; k += 2) {
      if (isNaN(p[k])) { pen = false; continue; }
      if (pen) { ctx.lineTo(p[k], p[k + 1]); n++; } else { ctx.moveTo(p[k], p[k + 1]); pen = true; }
      last = k;
    }
    if (!n) ctx.lineTo(p[last] + 0.5, p[last + 1]);  // no segment (one epoch): a dot, as h0.5 in SVG
  }
  function pathD(p) {  // the same line as an SVG path
    let d = '', pen = 'M';
    for (let k = 0; k < p.length; k += 2) {
      if (isNaN(p[k])) { pen = 'M'; continue; }
      d += pen + p[k].toFixed(1) + ' ' + p[k + 1].toFixed(1);
      pen = 'L';
    }
    return d && !d.includes('L') ? d + 'h0.5' : d;
  }
  // The row of the mark nearest to (x, y) within 8 px, or null.
  function nearest(c, x, y) {
    let best = null, bd = 64;
    for (const m of c.marks) {
      const p = m.p;
      for (let k = 0; k < p.length; k += 2) {
        if (isNaN(p[k])) continue;
        let dx = x - p[k], dy = y - p[k + 1], d = dx * dx + dy * dy;
        if (k + 3 < p.length && !isNaN(p[k + 2])) {  // the segment to the next point
          const ex = p[k + 2] - p[k], ey = p[k + 3] - p[k + 1], l = ex * ex + ey * ey;
          const t = l ? Math.max(0, Math.min(1, ((x - p[k]) * ex + (y - p[k + 1]) * ey) / l)) : 0;
          dx = x - p[k] - t * ex; dy = y - p[k + 1] - t * ey;
          d = Math.min(d, dx * dx + dy * dy);
        }
        if (d < bd || (d === bd && m.top)) { bd = d; best = m.i; }
      }
    }
    return best;
  }
  function markAt(e) {
    const div = e.target.closest && e.target.closest('.cv');
    if (!div) return null;
    const c = canvases[+div.dataset.cv], box = div.querySelector('svg').getBoundingClientRect();
    return nearest(c, (e.clientX - box.left) * c.W / box.width, (e.clientY - box.top) * c.H / box.height);
  }

  // ---- summary ----
  function summary() {
    const c = D.counts;
    let s = '<div class="cards">' + ['succeeded', 'failed', 'diverged', 'unfinished', 'missing', 'corrupt']
      .map(k => '<div class="card ' + k + '"><b>' + c[k] + '</b>' + k + '</div>').join('') +
      '<div class="card"><b>' + D.expected + '</b>rows planned</div>' +
      '<div class="card"><b>' + seconds(D.seconds) + '</b>training time</div>' +
      '<div class="card"><b>' + D.epochs + '</b>epochs</div></div><table class="kv">';
    const kv = (k, v) => { s += '<tr><td>' + esc(k) + '</td><td>' + v + '</td></tr>'; };
    kv('ranked by', esc(metricLabel(M.n)) + (M.max ? ', higher is better' : ', lower is better') + (M.note ? ' \u2013 ' + esc(M.note) : ''));
    if (D.best) {
      kv('best row', '<b>' + D.best.i + '</b>');
      kv('its hyperparameters', '<code>' + esc(Object.entries(D.best.params).map(([k, v]) => k + '=' + JSON.stringify(v)).join('  ')) + '</code>');
      kv('its metrics', Object.entries(D.best.metrics).map(([k, v]) => esc(k) + ' ' + fmt(v)).join(', '));
      kv('its model', '<code>' + esc(D.best.model) + '</code>');
    }
    if (D.unfinished) kv('unfinished rows', esc(D.unfinished));
    if (D.missing) kv('missing rows', esc(D.missing));
    if (D.problems.length) kv('problems', D.problems.map(esc).join('<br>'));
    $('#summary .body').innerHTML = s + '</table>';
    $('#sub').textContent = D.root + ' \u2013 ' + c.succeeded + ' of ' + D.expected + ' rows succeeded';
  }

  // ---- leaderboard ----
  const cols = [{ n: 'rank', v: r => r.rank }, { n: 'index', v: r => r.i }]
    .concat(P.map((p, j) => ({ n: p.k, v: r => pval(r, j), s: p.t === 'c' })))
    .concat([{ n: M.n, v: r => r.m }, { n: 'epochs', v: r => r.e }, { n: 'seconds', v: r => r.t }]);
  let board = ranked.map((r, k) => Object.assign(r, { rank: k + 1 }));
  for (const r of board) r.text = cols.map(c => fmt(c.v(r))).join(' ').toLowerCase();
  const tr = (r, hide) => '<tr data-i="' + r.i + '"' + (hide ? ' class="hidden"' : '') + '>' +
    cols.map(c => '<td' + (c.s ? ' class="s"' : '') + '>' + esc(fmt(c.v(r))) + '</td>').join('') + '</tr>';
  let page = 0, view = board;  // big sweeps: the rows that pass the filter, shown PAGE at a time
  function drawBoard() {
    const q = $('#filter').value.trim().toLowerCase();
    if (big) return drawPage(q);
    let shown = 0, s = '';
    for (const r of board) {
      const hide = q && !r.text.includes(q);
      if (!hide) shown++;
      s += tr(r, hide);
    }
    $('#board tbody').innerHTML = s;
    $('#shown').textContent = shown + ' of ' + board.length + ' succeeded rows';
  }
  function drawPage(q) {
    view = q ? board.filter(r => r.text.includes(q)) : board;
    const pages = Math.max(1, Math.ceil(view.length / PAGE));
    page = Math.max(0, Math.min(page, pages - 1));
    const part = view.slice(page * PAGE, (page + 1) * PAGE);
    $('#board tbody').innerHTML = part.map(r => tr(r, false)).join('');
    $('#board').dataset.rows = view.length;
    $('#board').dataset.page = page + 1;
    $('#shown').textContent = view.length + ' of ' + board.length + ' succeeded rows' + (view.length ? '; ' +
      (page * PAGE + 1) + '\u2013' + (page * PAGE + part.length) + ' shown, page ' + (page + 1) + ' of ' + pages : '');
    for (const b of document.querySelectorAll('#pager button')) {
      b.disabled = b.dataset.p === 'first' || b.dataset.p === 'prev' ? page === 0 : page === pages - 1;
    }
    const sel = selected !== null && document.querySelector('#board tr[data-i="' + selected + '"]');
    if (sel) sel.classList.add('sel');
  }
  function pager() {
    $('#shown').insertAdjacentHTML('afterend', '<span id="pager">' + [['first', '\u00ab first'], ['prev', '\u2039 previous'],
      ['next', 'next \u203a'], ['last', 'last \u00bb']].map(([p, t]) => '<button type="button" data-p="' + p + '">' + t + '</button>').join('') + '</span>');
    $('#pager').addEventListener('click', e => {
      const b = e.target.closest('button');
      if (!b) return;
      page = { first: 0, prev: page - 1, next: page + 1, last: Infinity }[b.dataset.p];
      drawBoard();
    });
    $('#leaderboard .hint').insertAdjacentHTML('beforeend', ' ' + board.length + ' rows: ' + PAGE +
      ' a page; sorting and filtering apply to all rows, and a click on a chart turns to its row\u2019s page.');
  }
  function leaderboard() {
    $('#board').className = 'data';
    $('#board thead').innerHTML = '<tr>' + cols.map((c, k) => '<th data-k="' + k + '"' + (c.s ? ' class="s"' : '') +
      ' aria-sort="' + (k === 0 ? 'ascending' : 'none') + '">' + esc(c.n) + '</th>').join('') + '</tr>';
    $('#board thead').addEventListener('click', e => {
      const th = e.target.closest('th');
      if (!th) return;
      const c = cols[+th.dataset.k], asc = th.getAttribute('aria-sort') !== 'ascending';
      for (const h of document.querySelectorAll('#board th')) h.setAttribute('aria-sort', 'none');
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      const key = r => c.v(r);
      page = 0;
      board = board.slice().sort((a, b) => {
        const x = key(a), y = key(b);
        if (x === null || y === null) return (x === null) - (y === null);  // absent last
        const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
        return (asc ? d : -d) || a.rank - b.rank;
      });
      drawBoard();
    });
    $('#filter').addEventListener('input', () => { page = 0; drawBoard(); });
    $('#board tbody').addEventListener('click', e => { const tr = e.target.closest('tr'); if (tr) select(+tr.dataset.i, false); });
    if (big) pager();
    drawBoard();
  }

  // ---- learning curves: one <path> per row and series ----
  function curves() {
    const W = 540, H = 340, L = 70, R = 16, T = 30, B = 50;
    const hs = rows.filter(r => r.h);
    const xmax = Math.max(1, ...hs.map(r => (r.x ? r.x[r.x.length - 1] : r.h[0].length)));
    const x = scale([1, Math.max(2, xmax)], [L, W - R], false), xt = x.ticks;
    x.ticks = () => xt().filter(Number.isInteger);  // whole epochs only
    const out = D.curve.map((name, s) => {
      const y = scale(extent(hs.flatMap(r => r.h[s])), [H - B, T], false);
      let faint = '', top = '';
      const marks = [];
      for (const r of hs) {
        const p = [];
        r.h[s].forEach((v, k) => {
          if (v === null || !isFinite(v)) { if (p.length) p.push(NaN, NaN); return; }
          p.push(x(r.x ? r.x[k] : k + 1), y(v));
        });
        if (!p.some(v => !isNaN(v))) continue;
        const k = topRank.get(r.i);
        if (big) marks.push({ i: r.i, p, top: k !== undefined, dv: r.s === 'd' });
        if (big && k === undefined) continue;
        const el = '<path class="c' + (k !== undefined ? ' top' : '') + (r.s === 'd' ? ' dv' : '') + '" data-i="' + r.i +
          '"' + (k !== undefined ? ' style="stroke:' + TOP[k] + '"' : '') + ' d="' + pathD(p) + '"/>';
        if (k !== undefined) top = el + top; else faint += el;
      }
      const chart = svg('curve', W, H, name + ' per epoch', xAxis(x, H - B, L, W - R, 'epoch (1-based)') +
        yAxis(y, L, H - B, T, metricLabel(name), W - R) + '<g class="marks">' + faint + top + '</g>');
      return big ? canvasChart(W, H, chart, marks, paintCurves,
        m => '<path class="c extra' + (m.dv ? ' dv' : '') + '" data-i="' + m.i + '" d="' + pathD(m.p) + '"/>') : chart;
    });
    $('#curves .hint').innerHTML = 'Every row with a history, one line each; the best ' + K + ' by ' + esc(M.n) +
      ' in colour (legend), the others faint grey, diverged rows dashed orange. Hover or click a line to name its row.' +
      ' Histories longer than 100 epochs are thinned to 100 evenly spaced epochs.' + canvasNote() + '<br><span class="legend">' +
      scored.slice(0, K).map((r, k) => '<span><i style="background:' + TOP[k] + '"></i>#' + (k + 1) + ' row ' + r.i + '</span>').join('') + '</span>';
    $('#curves .charts').innerHTML = out.join('');
    paintCanvases($('#curves'));
  }
  // As the CSS draws path.c: grey at 25% opacity, diverged rows dashed orange on top.
  function paintCurves(ctx, marks) {
    ctx.lineWidth = 1;
    for (const dv of [false, true]) {
      ctx.strokeStyle = dv ? 'rgba(213, 94, 0, 0.7)' : 'rgba(154, 154, 154, 0.25)';
      ctx.setLineDash(dv ? [3, 2] : []);
      for (const m of marks) if (m.dv === dv) { ctx.beginPath(); trace(ctx, m.p); ctx.stroke(); }
    }
  }

  // ---- parallel coordinates: one <polyline> per scored row ----
  function parallel() {
    const n = P.length + 1, H = 380, T = 40, B = 60, L = 70, gap = Math.max(120, Math.min(200, 1100 / n));
    const W = L + gap * (n - 1) + 90;
    const axes = P.map((p, j) => axisFor(j, scored.map(r => r.p[j]), [H - B, T]));
    axes.push(axisFor(-1, scored.map(r => r.m), [H - B, T]));
    const [lo, hi] = extent(scored.map(r => r.m));
    // 16 colour groups, each one <g> the lines inherit from (10,000 inline styles cost more to
    // style than to draw); worst group first so the best lines are drawn on top.
    // Big sweeps: the best K in the SVG, every other line on the canvas, worst first as well.
    const G = 16, groups = Array.from({ length: G }, () => ''), marks = [];
    const points = p => { let s = ''; for (let k = 0; k < p.length; k += 2) s += (k ? ' ' : '') + p[k] + ',' + p[k + 1].toFixed(1); return s; };
    for (const r of scored.slice().reverse()) {
      const p = [];
      axes.forEach((a, j) => {
        const v = j < P.length ? r.p[j] : r.m;
        p.push(L + gap * j, v === null ? H - B + 14 : a(v));
      });
      const t = hi > lo ? (M.max ? (r.m - lo) / (hi - lo) : (hi - r.m) / (hi - lo)) : 1;
      const g = Math.min(G - 1, Math.floor(t * G)), top = topRank.has(r.i);
      if (big) marks.push({ i: r.i, p, top, g });
      if (!big || top) groups[g] += '<polyline class="pc" data-i="' + r.i + '" points="' + points(p) + '"/>';
    }
    const lines = groups.map((g, k) => g ? '<g style="stroke:' + viridis((k + 0.5) / G) + '">' + g + '</g>' : '').join('');
    let ax = '';
    axes.forEach((a, j) => {
      const x0 = L + gap * j, name = j < P.length ? P[j].k + (P[j].log ? ' (log scale)' : P[j].t === 'c' ? ' (choice)' : '') : metricLabel(M.n);
      ax += '<g class="axis"><line x1="' + x0 + '" x2="' + x0 + '" y1="' + T + '" y2="' + (H - B) + '"/>';
      for (const t of a.ticks()) ax += '<text x="' + (x0 - 5) + '" y="' + a(t).toFixed(1) + '" dy="0.32em" text-anchor="end">' + esc(a.label(t)) + '</text>';
      ax += '<text class="label" x="' + x0 + '" y="' + (H - B + 34 + (j % 2) * 14) + '" text-anchor="middle">' + esc(name) + '</text></g>';
    });
    const grad = '<defs><linearGradient id="vir" x1="0" x2="0" y1="1" y2="0">' + VIR.map((c, k) =>
      '<stop offset="' + k / (VIR.length - 1) + '" stop-color="' + c + '"/>').join('') + '</linearGradient></defs>' +
      '<rect x="' + (W - 30) + '" y="' + T + '" width="12" height="' + (H - B - T) + '" fill="url(#vir)"/>' +
      '<text x="' + (W - 24) + '" y="' + (T - 6) + '" text-anchor="middle">best</text><text x="' + (W - 24) + '" y="' + (H - B + 14) + '" text-anchor="middle">worst</text>';
    $('#parallel .hint').textContent = 'One line per succeeded row with a ' + M.n + ', across the varying hyperparameters and the metric; ' +
      'colour by ' + M.n + ' (viridis: yellow best, purple worst). Numeric axes spanning 20x or more are logarithmic; choices are evenly spaced. Hover or click a line to name its row.' + canvasNote();
    const chart = svg('pc', W, H, 'Parallel coordinates', grad + ax + '<g class="marks">' + lines + '</g>');
    $('#parallel .charts').innerHTML = !big ? chart : canvasChart(W, H, chart, marks, (ctx, ms) => {
      ctx.lineWidth = 1;
      ctx.globalAlpha = 0.55;
      const colour = groups.map((_, k) => viridis((k + 0.5) / G));
      for (const m of ms) { ctx.strokeStyle = colour[m.g]; ctx.beginPath(); trace(ctx, m.p); ctx.stroke(); }
    }, m => '<polyline class="pc extra" data-i="' + m.i + '" points="' + points(m.p) + '"/>');
    paintCanvases($('#parallel'));
  }

  // ---- metric against each hyperparameter: one <circle> per scored row ----
  function quartiles(v) {
    v = v.slice().sort((a, b) => a - b);
    const q = p => { const k = (v.length - 1) * p, f = Math.floor(k); return v[f] + (v[Math.min(f + 1, v.length - 1)] - v[f]) * (k - f); };
    return [v[0], q(0.25), q(0.5), q(0.75), v[v.length - 1]];
  }
  function scatter() {
    const W = 400, H = 300, L = 70, R = 14, T = 30, B = 50;
    const y = axisFor(-1, scored.map(r => r.m), [H - B, T]);
    $('#scatter .charts').innerHTML = P.map((p, j) => {
      const pts = scored.filter(r => r.p[j] !== null);
      const x = axisFor(j, pts.map(r => r.p[j]), [L + 8, W - R - 8]);
      let marks = '', top = '', boxes = '';
      const all = [];
      for (const r of pts) {
        const jitter = x.band ? ((r.i * 2654435761 % 997) / 997 - 0.5) * x.band * 0.5 : 0;
        const k = topRank.get(r.i), cx = x(r.p[j]) + jitter, cy = y(r.m);
        if (big) all.push({ i: r.i, p: [cx, cy], top: k !== undefined });
        if (big && k === undefined) continue;
        const el = '<circle class="pt' + (k !== undefined ? ' top' : '') + '" data-i="' + r.i + '" r="' + (k !== undefined ? 4.5 : 2.5) +
          '" cx="' + cx.toFixed(1) + '" cy="' + cy.toFixed(1) + '" fill="' + (k !== undefined ? TOP[k] : '#56B4E9') + '"/>';
        if (k !== undefined) top = el + top; else marks += el;
      }
      marks += top;
      if (x.band) {
        p.c.forEach((_, c) => {
          const v = pts.filter(r => r.p[j] === c).map(r => r.m);
          if (!v.length) return;
          const [mn, q1, md, q3, mx] = quartiles(v).map(y), cx = x(c), w = x.band * 0.35;
          boxes += '<path class="box" d="M' + (cx - w) + ' ' + q1 + 'H' + (cx + w) + 'V' + q3 + 'H' + (cx - w) + 'Z M' + (cx - w) + ' ' + md + 'H' + (cx + w) +
            ' M' + cx + ' ' + q1 + 'V' + mn + ' M' + cx + ' ' + q3 + 'V' + mx + '"/>';
        });
      }
      const xl = p.k + (p.log ? ' (log scale)' : p.t === 'c' ? ' (choice)' : '');
      const chart = svg('sc', W, H, M.n + ' vs ' + p.k, xAxis(x, H - B, L, W - R, xl) + yAxis(y, L, H - B, T, metricLabel(M.n), W - R) +
        '<g class="marks">' + marks + '</g>' + boxes);
      return !big ? chart : canvasChart(W, H, chart, all, paintPoints,
        m => '<circle class="pt extra" data-i="' + m.i + '" r="2.5" cx="' + m.p[0].toFixed(1) + '" cy="' + m.p[1].toFixed(1) + '"/>');
    }).join('') || '<p>No hyperparameter varies.</p>';
    paintCanvases($('#scatter'));
    $('#scatter .hint').textContent = 'One point per succeeded row with a ' + M.n + '; for choices, points are spread sideways and a box shows ' +
      'the quartiles and median with whiskers to the minimum and maximum. The best ' + K + ' rows are larger and coloured as in the curves.' + canvasNote();
  }

  function paintPoints(ctx, marks) {  // as circle.pt: r 2.5, #56B4E9 at 60% opacity
    ctx.fillStyle = 'rgba(86, 180, 233, 0.6)';
    for (const m of marks) { ctx.beginPath(); ctx.arc(m.p[0], m.p[1], 2.5, 0, 2 * Math.PI); ctx.fill(); }
  }

  // ---- importance ----
  function importance() {
    const imp = D.imp.slice().sort((a, b) => (b.eta || 0) - (a.eta || 0));
    const W = 640, bh = 24, L = 170, T = 36, H = T + bh * Math.max(1, imp.length) + 50, x = scale([0, 1], [L, W - 80], false);
    let bars = '';
    imp.forEach((m, k) => {
      const y0 = T + k * bh;
      bars += '<text x="' + (L - 6) + '" y="' + (y0 + bh / 2) + '" dy="0.32em" text-anchor="end">' + esc(m.k) + '</text>' +
        '<rect class="bar" x="' + L + '" y="' + (y0 + 4) + '" height="' + (bh - 8) + '" width="' + (x(m.eta || 0) - L).toFixed(1) + '"/>' +
        '<text x="' + (x(m.eta || 0) + 4).toFixed(1) + '" y="' + (y0 + bh / 2) + '" dy="0.32em">' + (m.eta === null ? 'n/a' : fmt(m.eta)) +
        (m.rho === null ? '' : '  (\u03c1 ' + (m.rho > 0 ? '+' : '') + fmt(m.rho) + ')') + '</text>';
    });
    $('#importance .hint').innerHTML = 'Bars: <b>main-effect share \u03b7\u00b2</b>, the fraction of the variance of ' + esc(M.n) +
      ' over succeeded rows explained by the hyperparameter alone (rows grouped by its value; numeric values with more than 10 distinct values in 10 equal-count bins). ' +
      'On a full grid this is the first-order term of a functional ANOVA (fANOVA), exactly; shares sum to at most 1, the rest is interactions and noise. ' +
      'In brackets: <b>Spearman\u2019s \u03c1</b>, the rank correlation of a numeric hyperparameter with ' + esc(M.n) + ' (sign: which way to move it; blind to U shapes).';
    $('#importance .charts').innerHTML = svg('imp', W, H, 'Parameter importance', bars +
      xAxis(x, T + bh * Math.max(1, imp.length), L, W - 80, 'share of ' + M.n + ' variance explained (\u03b7\u00b2, 0\u20131)'));
  }

  // ---- failed and diverged rows ----
  function failures() {
    const bad = rows.filter(r => r.s !== 's');
    $('#failures .body').innerHTML = !bad.length ? '<p class="ok">No row failed or diverged.</p>' :
      '<div class="scroll"><table class="data" id="failed"><thead><tr><th>index</th><th class="s">state</th><th>epochs</th>' +
      P.map(p => '<th class="s">' + esc(p.k) + '</th>').join('') + '<th class="s">reason</th></tr></thead><tbody>' +
      bad.map(r => '<tr data-i="' + r.i + '"><td>' + r.i + '</td><td class="s">' + (r.s === 'd' ? 'diverged' : 'failed') + '</td><td>' + r.e + '</td>' +
        P.map((p, j) => '<td class="s">' + esc(fmt(pval(r, j))) + '</td>').join('') + '<td class="s">' + esc(r.err || '') + '</td></tr>').join('') +
      '</tbody></table></div>';
  }

  // ---- hover and click name a row everywhere ----
  const tip = $('#tip');
  let selected = null;
  function select(i, scroll) {
    for (const el of document.querySelectorAll('.hi, tr.sel')) el.classList.remove('hi', 'sel');
    for (const el of document.querySelectorAll('svg .extra')) el.remove();
    selected = selected === i ? null : i;
    if (selected === null) return;
    for (const div of document.querySelectorAll('.cv')) {  // a faint canvas mark gets an SVG twin
      const c = canvases[+div.dataset.cv], m = c.byI.get(i);
      if (m && !m.top) div.querySelector('.marks').insertAdjacentHTML('beforeend', c.hl(m));
    }
    for (const el of document.querySelectorAll('svg [data-i="' + i + '"]')) { el.classList.add('hi'); el.parentNode.appendChild(el); }
    const at = big ? view.findIndex(r => r.i === i) : -1;
    if (at >= 0 && Math.floor(at / PAGE) !== page) { page = Math.floor(at / PAGE); drawBoard(); }
    const tr = document.querySelector('#board tr[data-i="' + i + '"]');
    if (tr) { tr.classList.add('sel'); if (scroll) tr.scrollIntoView({ block: 'nearest' }); }
  }
  const nameRow = i => { tip.textContent = rowName(byIndex.get(i)); tip.hidden = false; };
  document.addEventListener('mouseover', e => {
    const el = e.target.closest && e.target.closest('svg [data-i]');
    if (!el) { tip.hidden = true; return; }
    nameRow(+el.getAttribute('data-i'));
  });
  document.addEventListener('mousemove', e => {
    tip.style.left = (e.clientX + 12) + 'px'; tip.style.top = (e.clientY + 12) + 'px';
    if (!big || (e.target.closest && e.target.closest('svg [data-i]'))) return;
    const i = markAt(e);
    if (i !== null) nameRow(i); else if (e.target.closest && e.target.closest('.cv')) tip.hidden = true;
  });
  document.addEventListener('click', e => {
    const el = e.target.closest && e.target.closest('svg [data-i]');
    const i = el ? +el.getAttribute('data-i') : big ? markAt(e) : null;
    if (i !== null) select(i, true);
  });

  // Script time per section, for bench/report_bench.sh (layout and paint come after).
  const timing = { start: Math.round(started), parse: Math.round(performance.now() - started) };
  for (const [name, draw] of Object.entries({ summary, leaderboard, curves, parallel, scatter, importance, failures })) {
    const t0 = performance.now();
    draw();
    timing[name] = Math.round(performance.now() - t0);
  }
  document.body.dataset.timing = JSON.stringify(timing);
  document.body.dataset.mode = big ? 'canvas' : 'svg';
  document.body.dataset.ready = '1';
})();
