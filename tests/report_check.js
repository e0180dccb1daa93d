// Opens a `sweep report` page in headless Chromium (puppeteer-core, Debian's /usr/bin/chromium,
// never a downloaded browser) and checks it against the sweep's own result.json files.
//   node report_check.js check REPORT.html STORAGE SCREENSHOT.png
//       no console error, no request but the file itself, one leaderboard <tr> per succeeded
//       row, header clicks sort, filter, hover/click name a row, the marks per chart; exit 1
//       naming each failure
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
  const ok = results.filter(r => r.status === 'succeeded');
  const scored = ok.filter(r => typeof r.metrics[metric] === 'number');
  return {
    succeeded: ok.length,
    bad: results.length - ok.length,
    curves: series.map(s => results.filter(r => (r.history || []).some(h => typeof h[s] === 'number')).length),
    polylines: scored.length,
    scatters: keys.map(k => scored.filter(r => r.params[k] !== undefined).length),
    keys,
    hidden: ok.filter(r => JSON.stringify(r.params.hidden) === '[32,16]').length,
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
    expect(await count('#board tbody tr') === want.succeeded,
      `leaderboard rows: ${await count('#board tbody tr')}, want ${want.succeeded} (succeeded)`);
    const curves = await page.$$eval('#curves svg', s => s.map(svg => svg.querySelectorAll('path.c').length));
    expect(JSON.stringify(curves) === JSON.stringify(want.curves), `curve paths ${curves}, want ${want.curves}`);
    const pcs = await count('#parallel polyline.pc');
    expect(pcs === want.polylines, `parallel polylines ${pcs}, want ${want.polylines}`);
    const dots = await page.$$eval('#scatter svg', s => s.map(svg => svg.querySelectorAll('circle.pt').length));
    expect(JSON.stringify(dots) === JSON.stringify(want.scatters), `scatter circles ${dots}, want ${want.scatters} (${want.keys})`);
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
    await page.click(`#board thead th:nth-child(${ix + 1})`);
    let got = (await cells(ix)).map(Number);
    expect(JSON.stringify(got) === JSON.stringify(got.slice().sort((a, b) => a - b)), `index ascending: ${got}`);
    await page.click(`#board thead th:nth-child(${ix + 1})`);
    got = (await cells(ix)).map(Number);
    expect(JSON.stringify(got) === JSON.stringify(got.slice().sort((a, b) => b - a)), `index descending: ${got}`);
    const mx = await column('val_accuracy');
    await page.click(`#board thead th:nth-child(${mx + 1})`);
    await page.click(`#board thead th:nth-child(${mx + 1})`);
    got = (await cells(mx)).map(Number);
    expect(JSON.stringify(got) === JSON.stringify(got.slice().sort((a, b) => b - a)), `metric descending: ${got}`);
    expect(await page.$eval('#board thead th:nth-child(' + (mx + 1) + ')', th => th.getAttribute('aria-sort')) === 'descending', 'aria-sort');

    // Filter, then clear it.
    await page.type('#filter', '[32, 16]');
    const shown = await count('#board tbody tr:not(.hidden)');
    expect(shown === want.hidden, `filter [32, 16]: ${shown} rows shown, want ${want.hidden}`);
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
