// The course's browser test: Debian's headless Chromium, driven by
// playwright-core, loads every page of the built book and checks what a
// reader would see. Run it with `cargo xtask browser` (which builds the book,
// writes the plan this script reads, and installs playwright-core with
// `npm ci`); `cargo xtask test` and CI run it too.
//
//   node xtask/browser/check.mjs target/browser/plan.json
//
// The plan (written by xtask/src/browser.rs) names the pages, what every
// cmdrun directive put into its page, the code blocks that get a Run
// button and the terms the search must find. Nothing here lists chapters:
// whatever the book holds is checked. One run checks one edition: the
// English book is served from its root, and the Chinese one's pages are
// below `plan.base` (zh-CN/) of the same server, as on the published site.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';

const started = Date.now();
const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const problems = [];
const notes = [];
const problem = (where, what) => problems.push(`${plan.base}${where}: ${what}`);
// Every page of this edition, by its path below the edition's folder.
const at = rel => `${origin}/${plan.base}${rel}`;

// ------------------------------------------------------------ the server --
// mdBook's search loads its index over http, so the book is served, on a
// free loopback port, for as long as the test runs.
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.eot': 'application/vnd.ms-fontobject',
  '.txt': 'text/plain', '.ico': 'image/x-icon',
};
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  let file = path.join(plan.book, decodeURIComponent(url.pathname));
  if (!file.startsWith(plan.book)) { res.writeHead(403).end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(data);
  });
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

// ----------------------------------------------------------- the browser --
// playwright-core never downloads a browser; it drives the system's
// Chromium. Each launch gets a fresh temporary profile (--user-data-dir),
// and these flags keep Chromium from calling home on a closed network.
const browser = await chromium.launch({
  executablePath: plan.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  timeout: 60_000,
});
const version = browser.version();

// The machine is offline, and mdBook's page script asks the Rust Playground
// which crates it has (to show Run buttons) and sends code there to run.
// Both get canned answers here; anything else off the loopback server is
// a problem: the site must work offline.
const canned = { crates: ['tokio', 'futures', 'anyhow', 'rand', 'serde'].map(id => ({ id, name: id, version: '1' })) };
const runs = [];
async function newContext(options, { theme = 'light', forcedColors = 'none', where } = {}) {
  const context = await browser.newContext({ ...options, forcedColors, reducedMotion: 'reduce' });
  await context.addInitScript(t => {
    try { localStorage.setItem('mdbook-theme', t); } catch (_) { /* about:blank */ }
    // print.html calls window.print() once its content is laid out.
    window.print = () => { window.__printCalled = true; };
  }, theme);
  await context.route('**/*', async route => {
    const url = new URL(route.request().url());
    if (url.origin === origin) return route.continue();
    if (url.hostname === 'play.rust-lang.org') {
      if (url.pathname === '/meta/crates') return route.fulfill({ json: canned });
      if (url.pathname === '/evaluate.json') {
        runs.push(JSON.parse(route.request().postData() ?? '{}'));
        return route.fulfill({ json: { result: 'canned answer from the browser test\n', error: null } });
      }
    }
    problem(where?.() ?? 'a page', `requests ${url.href}, outside the book (the site must work offline)`);
    return route.abort();
  });
  return context;
}

// Console errors and uncaught exceptions, per page.
function watch(page, label) {
  page.on('console', msg => {
    if (msg.type() === 'error') problem(label(), `console error: ${msg.text()}`);
  });
  page.on('pageerror', err => problem(label(), `uncaught exception: ${err.message}`));
  page.on('response', res => {
    if (res.url().startsWith(origin) && res.status() >= 400) problem(label(), `${res.status()} for ${res.url().slice(origin.length)}`);
  });
}

const words = text => text.match(/[\p{L}\p{N}]+/gu) ?? [];
function containsRun(hay, needle) {
  if (needle.length === 0) return true;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

// ------------------------------------------------ every page, at 1280 px --
const byPage = new Map();
for (const e of plan.expectations) {
  if (!byPage.has(e.page)) byPage.set(e.page, []);
  byPage.get(e.page).push(e);
}
let current = '';
const desktop = await newContext({ viewport: { width: 1280, height: 900 } }, { where: () => current });
const page = await desktop.newPage();
watch(page, () => current);
const pagesWithPictures = [];
let switches = 0;
const phases = [];
let phaseStart = Date.now();
const phase = name => { phases.push(`${name} ${((Date.now() - phaseStart) / 1000).toFixed(1)} s`); phaseStart = Date.now(); };
for (const rel of plan.pages) {
  current = rel;
  await page.goto(at(rel), { waitUntil: 'load' });
  // Let the page's own scripts finish what they start on load (the
  // Playground's crate list, the sidebar), so their errors land here.
  await page.evaluate(() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50))));
  const seen = await page.evaluate(() => {
    const main = document.querySelector('main');
    return {
      text: main ? main.textContent : '',
      svgs: Array.from(document.querySelectorAll('main svg')).map(s => {
        const r = s.getBoundingClientRect();
        return { viewBox: s.getAttribute('viewBox'), width: r.width, height: r.height };
      }),
      tables: document.querySelectorAll('main table').length,
      playButtons: Array.from(document.querySelectorAll('main pre .play-button')).filter(b => !b.classList.contains('hidden')).length,
      menuBar: document.querySelector('#menu-bar') !== null,
      switchHref: document.querySelector('#menu-bar #language-switch')?.href ?? null,
    };
  });
  // The language switch: in the menu bar of every page, to the same page
  // of the other edition (mdBook's 404 page: to its first page).
  if (plan.switch && seen.menuBar) {
    const want = `${origin}/${plan.switch.base}${rel === '404.html' ? 'index.html' : rel}`;
    if (seen.switchHref !== want) problem(rel, `the language switch leads to ${seen.switchHref ?? 'nowhere (it is missing)'}, not ${want}`);
    else switches += 1;
  }
  if (rel !== 'toc.html' && words(seen.text).length === 0) problem(rel, 'the page shows no text');
  // What every directive printed is in the rendered page, in order.
  const hay = words(seen.text);
  let svgsWanted = 0;
  for (const e of byPage.get(rel) ?? []) {
    svgsWanted += e.svgs;
    if (!containsRun(hay, e.words)) problem(`${e.place} (${rel})`, `the output of \`${e.command}\` is not in the rendered page`);
  }
  if (seen.svgs.length < svgsWanted) problem(rel, `its programs printed ${svgsWanted} SVG picture(s); the rendered page shows ${seen.svgs.length}`);
  for (const [i, s] of seen.svgs.entries()) {
    if (!s.viewBox) problem(rel, `SVG picture ${i + 1} has no viewBox`);
    if (s.width < 1 || s.height < 1) problem(rel, `SVG picture ${i + 1} renders empty (${s.width}x${s.height})`);
  }
  if (seen.svgs.length || seen.tables) pagesWithPictures.push(rel);
  // Run buttons: exactly the blocks the book check allowed, and each sends
  // a whole program, as edition 2024, to the Playground.
  const wanted = plan.runnable[rel] ?? 0;
  if (seen.playButtons !== wanted) problem(rel, `${seen.playButtons} Run button(s) shown, ${wanted} expected from the chapter's source`);
  const before = runs.length;
  // mdBook shows a block's buttons while the pointer is over the block.
  for (const block of await page.locator('main pre.playground').all()) {
    const button = block.locator('.play-button');
    if ((await button.count()) === 0 || (await button.evaluate(b => b.classList.contains('hidden')))) continue;
    await block.hover();
    await button.click({ timeout: 5000 }).catch(e => problem(rel, `the Run button cannot be clicked: ${e.message.split('\n')[0]}`));
  }
  if (wanted > 0) {
    await page.waitForFunction(n => document.querySelectorAll('main pre .result').length >= n, wanted, { timeout: 5000 })
      .catch(() => problem(rel, 'a Run button showed no result'));
    for (const r of runs.slice(before)) {
      if (r.edition !== '2024') problem(rel, `a Run button sends edition ${r.edition}, not 2024 (set [rust] edition in book.toml)`);
      if (!/fn main/.test(r.code ?? '')) problem(rel, 'a Run button sends code without `fn main`: the hidden lines are missing');
    }
  }
}
await desktop.close();
phase('pages at 1280 px');

// ------------------------------------------------- every page, at 390 px --
// No horizontal scroll at phone width: only code blocks and tables may
// scroll, inside their own boxes.
const phone = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, { where: () => current });
const phonePage = await phone.newPage();
watch(phonePage, () => `${current} (390 px)`);
for (const rel of plan.pages) {
  current = rel;
  await phonePage.goto(at(rel), { waitUntil: 'load' });
  const wide = await phonePage.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // mdBook's content column scrolls on its own (overflow: auto), so a
    // too-wide element widens it rather than the document: check both.
    const boxes = [document.documentElement, document.body, ...document.querySelectorAll('#page-wrapper, .page, #content, main')];
    const over = boxes.find(b => b.scrollWidth > b.clientWidth + 1);
    if (!over) return null;
    // Name the widest element that is not inside a scrolling box.
    let worst = null;
    for (const el of document.querySelectorAll('main *')) {
      if (el.closest('pre, .table-wrapper')) continue;
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && (!worst || r.right > worst.right)) worst = { tag: el.tagName.toLowerCase(), text: (el.textContent || '').trim().slice(0, 60), right: Math.round(r.right) };
    }
    return { scroll: over.scrollWidth, box: over.id || over.tagName.toLowerCase(), width: over.clientWidth, worst };
  });
  if (wide) problem(`${rel} (390 px)`, `the page scrolls sideways (${wide.box} is ${wide.scroll} px wide in ${wide.width} px)${wide.worst ? `; widest: <${wide.worst.tag}> "${wide.worst.text}" reaching ${wide.worst.right} px` : ''}`);
}
await phone.close();
phase('pages at 390 px');

// ------------------------------------- pictures and tables in every theme --
// Text in inline SVG and in tables must stand out from what is behind it in
// every theme, and under forced colours (the high-contrast modes).
const themes = [
  ['light', 'none'], ['rust', 'none'], ['coal', 'none'], ['navy', 'none'], ['ayu', 'none'], ['light', 'active'],
];
// One load per page; the theme switches the way mdBook's theme menu does
// it (a class on <html>), and forced colours by media emulation.
{
  const ctx = await newContext({ viewport: { width: 1280, height: 900 } }, { where: () => current });
  const p = await ctx.newPage();
  let label = '';
  watch(p, () => `${current} (${label})`);
  // print.html and index.html repeat chapters checked on their own pages.
  for (const rel of pagesWithPictures.filter(r => r !== 'print.html' && r !== 'index.html')) {
    current = rel;
    await p.goto(at(rel), { waitUntil: 'load' });
    for (const [theme, forcedColors] of themes) {
      label = forcedColors === 'active' ? 'high contrast (forced colours)' : `${theme} theme`;
      await p.emulateMedia({ forcedColors });
      await p.evaluate(t => {
        const html = document.documentElement;
        html.classList.remove('light', 'rust', 'coal', 'navy', 'ayu');
        html.classList.add(t);
      }, theme);
      const low = await p.evaluate(contrastProblems);
      // The same faint label drawn ten times is one problem, said once.
      const counts = new Map();
      for (const l of low) counts.set(l, (counts.get(l) ?? 0) + 1);
      for (const [l, n] of counts) problem(`${rel} (${label})`, n > 1 ? `${l} (${n} times)` : l);
    }
  }
  await ctx.close();
}
phase('themes');

// Runs in the page: text whose contrast with what is behind it is too low.
function contrastProblems() {
  const parse = s => {
    const m = /rgba?\(([^)]+)\)/.exec(s || '');
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const lum = ({ r, g, b }) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (x, y) => { const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };
  const backgroundOf = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const out = [];
  const show = c => `rgb(${c.r}, ${c.g}, ${c.b})`;
  document.querySelectorAll('main svg').forEach((svg, n) => {
    const shapes = Array.from(svg.querySelectorAll('rect, circle, ellipse, path, polygon'));
    svg.querySelectorAll('text').forEach(t => {
      const fg = parse(getComputedStyle(t).fill);
      if (!fg || !t.textContent.trim()) return;
      // Behind the text: the last filled shape drawn before it that covers
      // its centre, or else the page.
      const r = t.getBoundingClientRect();
      const [cx, cy] = [r.x + r.width / 2, r.y + r.height / 2];
      let bg = backgroundOf(svg);
      let onShape = false;
      for (const s of shapes) {
        if (!(s.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
        const b = s.getBoundingClientRect();
        const fill = parse(getComputedStyle(s).fill);
        const opacity = Number(getComputedStyle(s).fillOpacity);
        if (fill && fill.a > 0.5 && opacity > 0.5 && cx >= b.left && cx <= b.right && cy >= b.top && cy <= b.bottom) { bg = fill; onShape = true; }
      }
      const c = ratio(fg, bg);
      if (c < 3) out.push(`SVG picture ${n + 1}: text "${t.textContent.trim().slice(0, 40)}" (${show(fg)} on ${show(bg)}) has contrast ${c.toFixed(2)}, below 3: ${onShape ? 'give the label a colour that stands out from the shape under it, or the shape a darker or lighter fill' : 'draw it with currentColor'}`);
    });
  });
  // The marks that carry data (bars, lines, markers: WCAG 1.4.11 asks 3:1
  // of graphical objects) against the page. Gridlines drawn faint on
  // purpose (opacity at most 0.5) are decoration, not data.
  document.querySelectorAll('main svg').forEach((svg, n) => {
    const page = backgroundOf(svg);
    const seen = new Set();
    svg.querySelectorAll('rect, circle, ellipse, path, polygon, polyline, line').forEach(s => {
      if (s.closest('defs, title')) return;
      const st = getComputedStyle(s);
      if (Number(st.opacity) <= 0.5) return;
      const fill = parse(st.fill), stroke = parse(st.stroke);
      let ink = null;
      if (fill && fill.a > 0.5 && Number(st.fillOpacity) > 0.5) ink = fill;
      else if (stroke && stroke.a > 0.5 && Number(st.strokeOpacity) > 0.5 && st.strokeWidth !== '0px') ink = stroke;
      if (!ink) return;
      // A shape as wide and tall as the picture is its background.
      const b = s.getBoundingClientRect(), whole = svg.getBoundingClientRect();
      if (b.width >= whole.width * 0.9 && b.height >= whole.height * 0.9) return;
      const c = ratio(ink, page);
      const key = show(ink);
      if (c < 3 && !seen.has(key)) {
        seen.add(key);
        out.push(`SVG picture ${n + 1}: a <${s.tagName}> drawn in ${key} on ${show(page)} has contrast ${c.toFixed(2)}, below the 3 that WCAG 1.4.11 asks of graphical objects: pick a colour that reads on light and dark pages`);
      }
    });
  });
  document.querySelectorAll('main table td, main table th').forEach(cell => {
    if (!cell.textContent.trim()) return;
    const fg = parse(getComputedStyle(cell).color);
    const bg = backgroundOf(cell);
    const c = fg && ratio(fg, bg);
    if (c && c < 4.5) out.push(`table cell "${cell.textContent.trim().slice(0, 40)}" (${show(fg)} on ${show(bg)}) has contrast ${c.toFixed(2)}, below 4.5`);
  });
  return out;
}

// ---------------------------------------------------------------- search --
const searchCtx = await newContext({ viewport: { width: 1280, height: 900 } }, { where: () => current });
const sp = await searchCtx.newPage();
watch(sp, () => `search for "${current}"`);
let searched = 0;
// mdBook's searcher runs a search given in the URL as ?search=TERM; after
// the first, each term is typed into the search bar of the same page, and
// the results' header names the term once they are in.
let loaded = false;
for (const { term, pages } of plan.searches) {
  current = term;
  if (!loaded) {
    await sp.goto(`${at('index.html')}?search=${encodeURIComponent(term)}`, { waitUntil: 'load' });
    loaded = true;
  } else {
    await sp.locator('#searchbar').fill(term);
    await sp.locator('#searchbar').press('End');
  }
  const hrefs = await sp.waitForFunction(t => {
    const header = document.querySelector('#searchresults-header')?.textContent ?? '';
    if (!header.includes(`'${t}'`)) return null;
    return Array.from(document.querySelectorAll('#searchresults a')).map(a => a.getAttribute('href'));
  }, term, { timeout: 5000 }).then(h => h.jsonValue()).catch(() => []);
  const found = [...new Set(hrefs.map(h => h.split(/[#?]/)[0]))];
  searched += 1;
  if (plan.reportTerms.includes(term)) notes.push(`search "${term}": ${hrefs.length} result(s), on ${found.length} page(s): ${found.slice(0, 4).join(', ')}${found.length > 4 ? ', ...' : ''}`);
  if (!pages.some(p => found.includes(p))) problem(`search for "${term}"`, `finds ${found.length ? found.join(', ') : 'nothing'}; expected one of ${pages.join(', ')}`);
}
await searchCtx.close();
phase('search');
for (const note of plan.skippedTerms) notes.push(`search term ${note}`);

// --------------------------------------------------------------- quizzes --
// mdbook-quiz asks every question in turn and reviews the answers at the
// end. In each chapter's quiz the first multiple-choice question is
// answered right, the second wrong, every other question right (Tracing
// ones too: the output typed in, or the line of the error clicked); the
// review must mark them so, and "see the correct answers" must show the
// right answer and the explanation of both. Console errors and requests
// off the loopback server are problems here as on every page.
async function answerQuiz(quiz, q, wrongAt) {
  await quiz.locator('.start').click();
  for (const [i, item] of q.questions.entries()) {
    const form = quiz.locator('form.response');
    if (item.kind === 'MultipleChoice') {
      const pick = i === wrongAt ? item.distractor : item.answer;
      const radios = form.locator('input[type=radio]');
      const at = await radios.evaluateAll((els, v) => els.findIndex(e => e.value === v), pick);
      if (at < 0) throw new Error(`question ${i + 1}: no choice reads "${pick}"`);
      await radios.nth(at).check();
    } else if (item.kind === 'Tracing') {
      await form.locator(`input[name=doesCompile][value="${item.doesCompile}"]`).check();
      if (item.doesCompile) await form.locator('textarea[name=stdout]').fill(item.stdout);
      else await quiz.locator('pre.line-numbers > code').nth(item.lineNumber - 1).click();
    } else {
      throw new Error(`question ${i + 1}: the browser test cannot answer a ${item.kind} question yet`);
    }
    await form.locator('input[type=submit]').click();
  }
}
let quizzesChecked = 0;
const quizCtx = await newContext({ viewport: { width: 1280, height: 900 } }, { where: () => current });
const qp = await quizCtx.newPage();
watch(qp, () => `${current} (quiz)`);
for (const q of plan.quizzes) {
  current = q.page;
  const mc = q.questions.flatMap((item, i) => item.kind === 'MultipleChoice' ? [i] : []);
  if (mc.length < 2) { problem(q.page, 'its quiz needs two multiple-choice questions for the browser test (one answered right, one wrong)'); continue; }
  const [right, wrong] = mc;
  await qp.goto(at(q.page), { waitUntil: 'load' });
  const quiz = qp.locator('.mdbook-quiz');
  if (await quiz.count() !== 1) { problem(q.page, `${await quiz.count()} quizzes rendered, expected 1`); continue; }
  try {
    await answerQuiz(quiz, q, wrong);
    const n = q.questions.length;
    const score = await quiz.locator('section > p').first().textContent({ timeout: 5000 });
    if (!score.includes(`${n - 1}/${n}`)) problem(q.page, `quiz review says "${score}", expected ${n - 1}/${n} right`);
    const rows = quiz.locator('.answer-wrapper');
    const mark = async i => (await rows.nth(i).locator('.answer-row .md-flex').first().getAttribute('class')) ?? '';
    if (!/\bcorrect\b/.test(await mark(right))) problem(q.page, `question ${right + 1}, answered right, is not marked correct`);
    if (!/\bincorrect\b/.test(await mark(wrong))) problem(q.page, `question ${wrong + 1}, answered wrong, is not marked incorrect`);
    await quiz.getByRole('button', { name: 'see the correct answers' }).first().click();
    for (const i of [right, wrong]) {
      const shown = words(await rows.nth(i).locator('.context').innerText({ timeout: 5000 }));
      if (!containsRun(shown, words(q.questions[i].context.replace(/[`*]/g, "")))) problem(q.page, `question ${i + 1}: its explanation is not shown after answering (shown: "${shown.join(' ').slice(0, 300)}"; expected: "${words(q.questions[i].context).join(' ').slice(0, 300)}")`);
    }
    // innerText, not textContent, which runs block elements' words together.
    const correct = words(await rows.nth(wrong).innerText());
    if (!containsRun(correct, words(q.questions[wrong].answer))) problem(q.page, `question ${wrong + 1}: the correct answer is not shown`);
    quizzesChecked += 1;
  } catch (e) {
    problem(q.page, `answering its quiz: ${e.message.split('\n')[0]}`);
  }
}
await quizCtx.close();
phase('quizzes');

// ----------------------------------------------------------------- print --
const printCtx = await newContext({ viewport: { width: 1280, height: 900 } }, { where: () => 'print.html' });
const pp = await printCtx.newPage();
watch(pp, () => 'print.html');
await pp.goto(at('print.html'), { waitUntil: 'load' });
const printed = await pp.waitForFunction(() => window.__printCalled === true, null, { timeout: 20000 }).then(() => true, () => false);
if (!printed) problem('print.html', 'never called window.print()');
const printText = words(await pp.evaluate(() => document.querySelector('main')?.textContent ?? ''));
for (const { page: rel, title } of plan.chapters) {
  if (!containsRun(printText, words(title))) problem('print.html', `lacks the chapter "${title}" (${rel})`);
}
for (const e of plan.expectations) {
  if (!containsRun(printText, e.words)) problem('print.html', `lacks the output of \`${e.command}\` (${e.place})`);
}
await printCtx.close();
phase('print');

// ------------------------------------------------------- language switch --
// From a section of a chapter, the keyboard (Tab to the switch, Enter)
// leads to the same section of the other edition; from file:// too.
if (plan.switch) {
  const ctx = await newContext({ viewport: { width: 1280, height: 900 } }, { where: () => 'language switch' });
  const p = await ctx.newPage();
  watch(p, () => `${plan.switchPage} (language switch)`);
  const fragment = plan.switchFragment ? `#${plan.switchFragment}` : '';
  await p.goto(at(plan.switchPage) + fragment, { waitUntil: 'load' });
  const link = p.locator('#language-switch');
  const label = await link.textContent();
  if (label !== plan.switch.label) problem(plan.switchPage, `the language switch reads "${label}", not "${plan.switch.label}"`);
  if ((await link.getAttribute('lang')) !== plan.switch.lang) problem(plan.switchPage, `the language switch has no lang="${plan.switch.lang}"`);
  // It follows the menu bar's search button in the tab order.
  await p.locator('#search-toggle').focus();
  let focused = false;
  for (let i = 0; i < 10 && !focused; i++) {
    await p.keyboard.press('Tab');
    focused = await link.evaluate(a => document.activeElement === a);
  }
  if (!focused) problem(plan.switchPage, 'the language switch cannot be reached with Tab');
  else {
    await Promise.all([p.waitForNavigation({ waitUntil: 'load' }), p.keyboard.press('Enter')]);
    const want = `${origin}/${plan.switch.base}${plan.switchPage}${fragment}`;
    if (p.url() !== want) problem(plan.switchPage, `the language switch led to ${p.url()}, not ${want}`);
    const landed = await p.evaluate(f => ({ lang: document.documentElement.lang, target: !f || document.getElementById(f) !== null }), plan.switchFragment);
    if (landed.lang !== plan.switch.lang) problem(plan.switchPage, `the other edition's page has lang="${landed.lang}", not "${plan.switch.lang}"`);
    if (!landed.target) problem(plan.switchPage, `the other edition's page has no section #${plan.switchFragment}`);
  }
  await ctx.close();
  // From file://, where no server resolves folders: the link names the file.
  const fileCtx = await browser.newContext();
  const fp = await fileCtx.newPage();
  await fp.goto(`file://${plan.book}/${plan.base}${plan.switchPage}`, { waitUntil: 'load' });
  const href = await fp.locator('#language-switch').getAttribute('href').catch(() => null);
  const wantFile = `file://${plan.book}/${plan.switch.base}${plan.switchPage}`;
  if (href !== wantFile) problem(plan.switchPage, `from file://, the language switch leads to ${href}, not ${wantFile}`);
  else if (!fs.existsSync(new URL(href))) problem(plan.switchPage, `from file://, the language switch leads to a missing file ${href}`);
  await fileCtx.close();
  phase('language switch');
}

// ----------------------------------------------------------------- fonts --
// Chinese text needs a font with its glyphs: without one, Chromium draws
// every character as the same empty box. Two different characters drawn
// in the page's own font must differ, pixel for pixel.
if (plan.cjkSample) {
  const ctx = await newContext({ viewport: { width: 1280, height: 900 } }, { where: () => 'fonts' });
  const p = await ctx.newPage();
  watch(p, () => `${plan.screenshotPage} (fonts)`);
  await p.goto(at(plan.screenshotPage), { waitUntil: 'load' });
  const glyphs = await p.evaluate(sample => {
    const font = getComputedStyle(document.querySelector('main p') ?? document.body).font;
    const draw = ch => {
      const c = document.createElement('canvas');
      c.width = 64; c.height = 64;
      const g = c.getContext('2d');
      g.font = font.replace(/\d+(\.\d+)?px/, '48px');
      g.fillText(ch, 4, 52);
      return { width: g.measureText(ch).width, data: Array.from(g.getImageData(0, 0, 64, 64).data).join(',') };
    };
    const [a, b] = Array.from(sample).slice(0, 2).map(draw);
    return { font, widths: [a.width, b.width], same: a.data === b.data };
  }, plan.cjkSample);
  if (glyphs.widths.some(w => !(w > 0)) || glyphs.same) problem(plan.screenshotPage, `"${plan.cjkSample}" draws as empty boxes in the page's font (${glyphs.font}): install a CJK font (Debian: fonts-noto-cjk)`);
  else notes.push(`fonts: "${plan.cjkSample}" draws as distinct glyphs ${glyphs.widths.map(w => w.toFixed(1)).join(' and ')} px wide at 48 px in ${glyphs.font}`);
  await ctx.close();
  phase('fonts');
}

// ----------------------------------------------------------- screenshots --
// One chapter at desktop and phone widths, in the light and dark themes and
// under forced colours; each must show content, not a blank page.
fs.mkdirSync(plan.screenshots, { recursive: true });
const shots = [];
for (const [width, height] of [[1280, 900], [390, 844]]) {
  for (const [theme, forcedColors, name] of [['light', 'none', 'light'], ['navy', 'none', 'dark'], ['light', 'active', 'high-contrast']]) {
    const ctx = await newContext({ viewport: { width, height } }, { theme, forcedColors, where: () => `screenshot ${name}` });
    const p = await ctx.newPage();
    watch(p, () => `${plan.screenshotPage} (screenshot ${width} px, ${name})`);
    await p.goto(at(plan.screenshotPage), { waitUntil: 'load' });
    // Show the chapter's first picture (or table), the part themes change most.
    await p.evaluate(() => document.querySelector('main svg, main table')?.scrollIntoView({ block: 'center' }));
    const htmlClass = await p.evaluate(() => document.documentElement.className);
    if (forcedColors === 'none' && !htmlClass.split(/\s+/).includes(theme)) problem(`screenshot ${name}`, `the page did not switch to the ${theme} theme (html class "${htmlClass}")`);
    const file = path.join(plan.screenshots, `${plan.edition}-${plan.screenshotPage.replace(/[/.]/g, '_')}-${width}-${name}.png`);
    const png = await p.screenshot({ path: file });
    const stats = pixelStats(png);
    shots.push(`${path.basename(file)} (${stats.width}x${stats.height}, ${(stats.content * 100).toFixed(1)}% content, luminance sd ${stats.sd.toFixed(1)})`);
    // A blank page is one colour: almost no pixel differs from the most
    // common one, and the luminance barely varies. (A short page under
    // forced colours is mostly background: text alone is about 1%.)
    if (stats.content < 0.002 || stats.sd < 2) problem(`screenshot ${path.basename(file)}`, `looks blank (${(stats.content * 100).toFixed(2)}% of pixels differ from the background, luminance sd ${stats.sd.toFixed(1)})`);
    await ctx.close();
  }
}
// Every chart drawn from a run, at desktop and phone widths: one shot of
// each chart, scrolled into the middle of the window, in the light theme.
for (const [width, height] of [[1280, 900], [390, 844]]) {
  const ctx = await newContext({ viewport: { width, height } }, { theme: 'light', forcedColors: 'none', where: () => 'chart screenshots' });
  const p = await ctx.newPage();
  let where = '';
  watch(p, () => where);
  for (const rel of pagesWithPictures.filter(r => r !== 'print.html' && r !== 'index.html')) {
    where = `${rel} (chart screenshots, ${width} px)`;
    await p.goto(at(rel), { waitUntil: "load" });
    const charts = await p.evaluate(() => document.querySelectorAll('main svg.chart').length);
    for (let i = 0; i < charts; i++) {
      const box = await p.evaluate(k => {
        const svg = document.querySelectorAll('main svg.chart')[k];
        svg.scrollIntoView({ block: 'center' });
        const r = svg.getBoundingClientRect();
        return { width: r.width, height: r.height, label: svg.getAttribute('aria-label') };
      }, i);
      if (box.width < Math.min(300, width * 0.7) || box.height < 100) problem(where, `chart ${i + 1} ("${box.label}") is drawn ${Math.round(box.width)}x${Math.round(box.height)} px: too small to read`);
      const file = path.join(plan.screenshots, `chart-${rel.replace(/[/.]/g, '_')}-${i + 1}-${width}.png`);
      const png = await p.screenshot({ path: file });
      const stats = pixelStats(png);
      shots.push(`${path.basename(file)} (${box.label}; ${stats.width}x${stats.height}, ${(stats.content * 100).toFixed(1)}% content)`);
      if (stats.content < 0.002 || stats.sd < 2) problem(`screenshot ${path.basename(file)}`, 'looks blank');
    }
  }
  await ctx.close();
}

// Decodes Chromium's PNG screenshot (8-bit RGB or RGBA, not interlaced) and
// measures it: the share of pixels unlike the most common colour, and the
// standard deviation of luminance.
function pixelStats(buf) {
  let pos = 8;
  let width = 0, height = 0, colorType = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); colorType = data[9]; if (data[8] !== 8 || data[12] !== 0) throw new Error('unexpected PNG format'); }
    if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const px = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? px[y * stride + x - bpp] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? px[(y - 1) * stride + x - bpp] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) { const p = a + b - c; const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      px[y * stride + x] = v & 0xff;
    }
  }
  const counts = new Map();
  let sum = 0, sum2 = 0;
  const n = width * height;
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [px[i * bpp], px[i * bpp + 1], px[i * bpp + 2]];
    const key = (r << 16) | (g << 8) | b;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    sum += l; sum2 += l * l;
  }
  const top = Math.max(...counts.values());
  const mean = sum / n;
  return { width, height, content: 1 - top / n, sd: Math.sqrt(Math.max(0, sum2 / n - mean * mean)) };
}

phase('screenshots');
await browser.close();
server.close();

// ---------------------------------------------------------------- report --
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`browser (${plan.edition}): Chromium ${version}, ${plan.pages.length} pages at 1280 and 390 px, ${switches} language switches, ` +
  `${plan.expectations.length} embedded outputs, ${pagesWithPictures.length} page(s) with pictures or tables in ${themes.length} themes, ` +
  `${searched} searches, ${quizzesChecked} quizzes answered, print.html, ${shots.length} screenshots in ${seconds} s`);
console.log(`  time: ${phases.join(', ')}`);
for (const s of shots) console.log(`  screenshot ${s}`);
for (const n of notes) console.log(`  note: ${n}`);
if (problems.length) {
  console.log(`\n${problems.length} problem(s):`);
  for (const p of problems) console.log(`  ${p}`);
  process.exit(1);
}
console.log('browser: every check passed');
