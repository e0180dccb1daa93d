// Opens a `sweep report` page in headless Chromium (puppeteer-core, Debian's /usr/bin/chromium,
// never a downloaded browser) and checks it against the sweep's own result.json files.
//   node report_check.js check REPORT.html STORAGE SCREENSHOT.png
//       no console error, no request but the file itself, one leaderboard <tr> per succeeded
//       row, header clicks sort, filter, hover/click name a row, the marks per chart; exit 1
//       naming each failure. A big sweep's page (body[data-mode="canvas"], over 2,000 rows)
//       is checked for its own shape: 200 <tr> a page over all rows (#board[data-rows]), each
//       chart's marks counted by its data-marks (SVG plus canvas), the canvas painted, the best
//       5 at most in SVG, hover and click on a canvas mark naming and selecting its row.
//   node report_check.js bench REPORT.html RUNS
//       prints JSON {"runs": [ms...], "median_ms": ..}: navigation start to the first frame
//       painted after the page script finished, a fresh page (and cache) each run
// Needs NODE_PATH to hold puppeteer-core (tests/report_e2e_test.sh sets it to .cache/npm).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const puppeteer = require('puppeteer-core');

const CHROMIUM = process.env.SWEEP_CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-extensions',
  '--disable-default-apps', '--mute-audio'];

async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sweep-report-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM, headless: true, userDataDir: profile,
    args: FLAGS.concat(['--user-data-dir=' + profile]), defaultViewport: { width: 1280, height: 900 },
  });
  return { browser, profile };
}

// A page whose every request but `url` is recorded and aborted.
async function openPage(browser, url, log) {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', req => {
    if (req.url() === url) return req.continue();
    log.requests.push(req.url());
    req.abort();
  });
  page.on('console', msg => { if (msg.type() === 'error') log.errors.push('console: ' + msg.text()); });
  page.on('pageerror', err => log.errors.push('page error: ' + err.message));
  page.on('requestfailed', req => { if (req.url() === url) log.errors.push('load failed: ' + url); });
  return page;
}

// What the page must show, computed from the storage's result.json files (not from the page).
function expected(storage) {
  const results = fs.readdirSync(storage).filter(d => /^\d+$/.test(d))
    .map(d => path.join(storage, d, 'result.json')).filter(f => fs.existsSync(f))
    .map(f => JSON.parse(fs.readFileSync(f, 'utf8')));
  const metric = 'val_accuracy', series = ['train_accuracy', 'val_accuracy'];
  // The varying hyperparameters are those of the plan's rows (as `sweep collect` shows them).
  const plan = JSON.parse(fs.readFileSync(path.join(storage, 'sweep.json'), 'utf8')).rows;
  const keys = [...new Set(plan.flatMap(r => Object.keys(r)))].sort()
    .filter(k => new Set(plan.map(r => JSON.stringify(r[k]))).size > 1);
  const ok = results.filter(r => r.status === 'succeeded').sort((a, b) => a.index - b.index);
  const scored = ok.filter(r => typeof r.metrics[metric] === 'number');
  // Filter by the last succeeded row's hidden layers, as the page writes them ("[32, 16]").
  const hidden = JSON.stringify(ok.length ? ok[ok.length - 1].params.hidden : null);
  return {
    succeeded: ok.length,
    bad: results.length - ok.length,
    curves: series.map(s => results.filter(r => (r.history || []).some(h => typeof h[s] === 'number')).length),
    polylines: scored.length,
    scatters: keys.map(k => scored.filter(r => r.params[k] !== undefined).length),
    keys,
    filter: hidden.replace(/,/g, ', '),
    hidden: ok.filter(r => JSON.stringify(r.params.hidden) === hidden).length,
    indexes: ok.map(r => r.index),
  };
}

async function check(file, storage, shot) {
  const url = 'file://' + path.resolve(file);
  const want = expected(storage);
  const log = { requests: [], errors: [] };
  const { browser } = await launch();
  const fails = [];
  const expect = (cond, what) => { if (!cond) fails.push(what); };
  try {
    const page = await openPage(browser, url, log);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 10000 });
    const count = sel => page.$$eval(sel, els => els.length);
    const big = await page.$eval('body', b => b.dataset.mode) === 'canvas';
    expect(big === (want.succeeded + want.bad > 2000), `mode ${big ? 'canvas' : 'svg'} for ${want.succeeded + want.bad} rows`);
    const shownRows = async () => big ? +(await page.$eval('#board', t => t.dataset.rows)) : count('#board tbody tr:not(.hidden)');
    const trs = await count('#board tbody tr');
    expect(trs === (big ? Math.min(200, want.succeeded) : want.succeeded), `leaderboard <tr>: ${trs}, want ${want.succeeded} succeeded rows` + (big ? ', 200 a page' : ''));
    expect(await shownRows() === want.succeeded, `leaderboard rows: ${await shownRows()}, want ${want.succeeded}`);
    // Marks per chart: SVG elements, or a big page's data-marks (SVG best rows plus canvas).
    const marks = (section, sel) => page.$$eval(`#${section} svg.chart`, (s, sel) => s.map(svg => {
      const cv = svg.closest('.cv');
      return cv ? +cv.dataset.marks : svg.querySelectorAll(sel).length;
    }), sel);
    const curves = await marks('curves', 'path.c');
    expect(JSON.stringify(curves) === JSON.stringify(want.curves), `curves ${curves}, want ${want.curves}`);
    const pcs = (await marks('parallel', 'polyline.pc'))[0];
    expect(pcs === want.polylines, `parallel lines ${pcs}, want ${want.polylines}`);
    const dots = await marks('scatter', 'circle.pt');
    expect(JSON.stringify(dots) === JSON.stringify(want.scatters), `scatter points ${dots}, want ${want.scatters} (${want.keys})`);
    if (big) {
      const cvs = await page.$$eval('.cv', ds => ds.map(d => {
        const c = d.querySelector('canvas'), px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let k = 3; k < px.length; k += 4) if (px[k]) painted++;
        return { svg: d.querySelectorAll('svg .marks [data-i]').length, canvas: +d.dataset.canvas, marks: +d.dataset.marks, painted };
      }));
      expect(cvs.length === want.curves.length + 1 + want.keys.length, `${cvs.length} canvas charts`);
      for (const c of cvs) {
        expect(c.svg <= 5 && c.svg + c.canvas === c.marks, `canvas chart: ${JSON.stringify(c)} (best 5 at most in SVG)`);
        expect(c.painted > 1000, `canvas chart: only ${c.painted} pixels painted`);
      }
    }
    const bars = await count('#importance rect.bar');
    expect(bars === want.keys.length, `importance bars ${bars}, want ${want.keys.length}`);
    const bad = await count('#failures tbody tr');
    expect(bad === want.bad, `failed/diverged rows ${bad}, want ${want.bad}`);
    const unlabelled = await page.$$eval('svg.chart', s => s.filter(svg => !svg.querySelector('.label')).length);
    expect(unlabelled === 0, `${unlabelled} charts without an axis label`);

    // Sorting: index ascending, then descending; the metric descending after two clicks.
    const column = async name => page.$$eval('#board thead th', (ths, name) => ths.findIndex(t => t.textContent === name), name);
    const cells = async k => page.$$eval('#board tbody tr', (trs, k) => trs.map(tr => tr.children[k].textContent), k);
    const ix = await column('index');
    // Sorting covers all rows, not one page: the first page starts at the smallest (largest) index.
    const lo = Math.min(...want.indexes), hi = Math.max(...want.indexes);
    await page.click(`#board thead th:nth-child(${ix + 1})`);
    let got = (await cells(ix)).map(Number);
    expect(JSON.stringify(got) === JSON.stringify(got.slice().sort((a, b) => a - b)) && got[0] === lo, `index ascending: ${got.slice(0, 20)}`);
    await page.click(`#board thead th:nth-child(${ix + 1})`);
    got = (await cells(ix)).map(Number);
    expect(JSON.stringify(got) === JSON.stringify(got.slice().sort((a, b) => b - a)) && got[0] === hi, `index descending: ${got.slice(0, 20)}`);
    if (big && want.succeeded > 200) {
      await page.click('#pager button[data-p="next"]');
      got = (await cells(ix)).map(Number);
      expect(await page.$eval('#board', t => t.dataset.page) === '2' && got[0] === want.indexes[want.succeeded - 201],
        `next page: page ${await page.$eval('#board', t => t.dataset.page)} starts at ${got[0]}`);
    }
    const mx = await column('val_accuracy');
    await page.click(`#board thead th:nth-child(${mx + 1})`);
    await page.click(`#board thead th:nth-child(${mx + 1})`);
    got = (await cells(mx)).map(Number);
    expect(JSON.stringify(got) === JSON.stringify(got.slice().sort((a, b) => b - a)), `metric descending: ${got}`);
    expect(await page.$eval('#board thead th:nth-child(' + (mx + 1) + ')', th => th.getAttribute('aria-sort')) === 'descending', 'aria-sort');

    // Filter, then clear it.
    await page.type('#filter', want.filter);
    const shown = await shownRows();
    expect(shown === want.hidden, `filter ${want.filter}: ${shown} rows shown, want ${want.hidden}`);
    if (big) expect(await count('#board tbody tr') === Math.min(200, want.hidden), `filter ${want.filter}: <tr> on page 1`);
    await page.$eval('#filter', el => { el.value = ''; el.dispatchEvent(new Event('input')); });

    // Hover names the row; a click highlights it in every chart and in the leaderboard.
    const first = await page.$('#scatter circle.pt.top');
    await first.hover();
    const tip = await page.$eval('#tip', t => (t.hidden ? '' : t.textContent));
    expect(/^row \d+: /.test(tip), `hover tooltip: '${tip}'`);
    await first.click();
    expect(await count('#board tr.sel') === 1, 'click: no leaderboard row selected');
    expect(await count('svg .hi') >= 3, 'click: the row is not highlighted in the charts');
    await first.click();  // unselect for the screenshot
    if (big) {
      // A faint line, drawn only on the canvas: walk down the first parallel axis until the
      // tooltip names a row that has no SVG element.
      const toParallel = async () => {
        const box = await (await page.$('#parallel svg.chart')).boundingBox();
        await page.evaluate(dy => window.scrollBy(0, dy), box.y - 100);
        return (await page.$('#parallel svg.chart')).boundingBox();
      };
      const at = await toParallel();
      let hit = null;
      for (let y = at.y + 40; y < at.y + at.height - 60 && !hit; y += 3) {
        await page.mouse.move(at.x + 70, y);
        const t = await page.$eval('#tip', t => (t.hidden ? '' : t.textContent));
        const i = /^row \d+: /.test(t) ? +t.match(/^row (\d+)/)[1] : -1;
        if (i >= 0 && !await count(`#parallel svg [data-i="${i}"]`)) hit = { y: y - at.y, i };
      }
      expect(hit, 'hover over the canvas of the parallel coordinates names no faint row');
      if (hit) {
        await page.mouse.click(at.x + 70, at.y + hit.y);
        const i = hit.i;
        expect(await count(`#board tr.sel[data-i="${i}"]`) === 1, `canvas click: row ${i} not selected in the leaderboard`);
        expect(await count(`svg .hi[data-i="${i}"]`) === want.curves.length + 1 + want.keys.length,
          `canvas click: row ${i} not highlighted in every chart`);
        // The click scrolled its leaderboard row into view: back to the spot, click to unselect.
        const now = await toParallel();
        await page.mouse.click(now.x + 70, now.y + hit.y);
        expect(await count('svg .hi') === 0, 'canvas click again: the row stays selected');
      }
    }

    await page.evaluate(() => window.scrollTo(0, 0));
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
  } finally {
    await browser.close();
  }
  expect(log.requests.length === 0, 'network requests: ' + log.requests.join(', '));
  expect(log.errors.length === 0, 'errors: ' + log.errors.join('; '));
  for (const f of fails) console.error('FAIL: ' + f);
  if (!fails.length) console.log(`report_check: ok (${want.succeeded} rows, curves ${want.curves}, screenshot ${shot})`);
  return fails.length ? 1 : 0;
}

async function bench(file, runs) {
  const url = 'file://' + path.resolve(file);
  const { browser } = await launch();
  const times = [], timing = [];
  const log = { requests: [], errors: [] };
  try {
    for (let k = 0; k < runs; k++) {
      const page = await openPage(browser, url, log);
      await page.setCacheEnabled(false);
      await page.goto(url, { waitUntil: 'load', timeout: 60000 });
      await page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
      // Two animation frames after the script: layout and paint of what it built are done.
      times.push(await page.evaluate(() => new Promise(r =>
        requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))));
      timing.push(await page.evaluate(() => document.body.dataset.timing));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const sorted = times.slice().sort((a, b) => a - b);
  console.log(JSON.stringify({ runs: times.map(t => Math.round(t)), median_ms: Math.round(sorted[Math.floor(runs / 2)]),
    requests: log.requests.length, errors: log.errors, script_ms: timing.map(t => JSON.parse(t)) }));
  return log.errors.length || log.requests.length ? 1 : 0;
}

const [mode, file, arg, shot] = process.argv.slice(2);
(mode === 'bench' ? bench(file, +arg || 5) : check(file, arg, shot))
  .then(code => process.exit(code), err => { console.error('FAIL: ' + (err.stack || err)); process.exit(1); });
