// The book's two editions: English at the root, Chinese in zh-CN/ (see
// xtask/src/i18n.rs). book.toml loads this into every page of both.
//
// 1. A link in the menu bar to the same page of the other edition, keeping
//    the #fragment: translated headings keep the English ids. It is a plain
//    link (focusable, works from file:// and any static server), labelled
//    with the other language's own name.
// 2. In the Chinese edition, the search query is tokenised as
//    xtask/src/cjk_search.rs tokenised the index: CJK runs as bigrams.
(() => {
  'use strict';
  const EDITIONS = { en: { dir: '', name: 'English' }, 'zh-CN': { dir: 'zh-CN/', name: '中文' } };
  const here = document.documentElement.lang === 'zh-CN' ? 'zh-CN' : 'en';
  const there = here === 'en' ? 'zh-CN' : 'en';

  // elasticlunr.js loads the pipeline named in the index by name; the
  // Chinese index's trimmer keeps letters of every script.
  if (window.elasticlunr) {
    const trim = t => t.replace(/^[^\p{L}\p{N}_]+/u, '').replace(/[^\p{L}\p{N}_]+$/u, '');
    elasticlunr.Pipeline.registerFunction(trim, 'trimmer-unicode');
    if (here === 'zh-CN') {
      // Same ranges as cjk_search::is_cjk.
      const cjk = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;
      const cjkTokens = text => {
        const out = [];
        for (const word of text.split(/[\s-]+/)) {
          const chars = Array.from(word.toLowerCase());
          for (let i = 0; i < chars.length;) {
            const isCjk = cjk.test(chars[i]);
            const start = i;
            while (i < chars.length && cjk.test(chars[i]) === isCjk) i++;
            const run = chars.slice(start, i);
            if (!isCjk) out.push(run.join(''));
            else if (run.length === 1) out.push(run[0]);
            else for (let j = 0; j + 1 < run.length; j++) out.push(run[j] + run[j + 1]);
          }
        }
        return out.filter(t => t.length > 0);
      };
      const original = elasticlunr.tokenizer;
      const tokenizer = function (obj) {
        if (!arguments.length || obj === null || obj === undefined) return [];
        return Array.isArray(obj) ? original(obj) : cjkTokens(String(obj));
      };
      Object.assign(tokenizer, original);
      elasticlunr.tokenizer = tokenizer;
    }
  }

  const buttons = document.querySelector('#menu-bar .right-buttons');
  if (!buttons || typeof path_to_root === 'undefined') return;
  // document.baseURI: mdBook's 404 page sets <base href> to the site's root.
  // An empty path_to_root (a page at the top) means this page's folder.
  const root = new URL(path_to_root || '.', document.baseURI);
  // This edition's root: one folder up from zh-CN/ for English.
  const englishRoot = here === 'en' ? root : new URL('../', root);
  const target = () => {
    let rel = location.href.split(/[?#]/)[0].slice(root.href.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    // mdBook's 404 page has a <base>: its address says nothing of the page.
    if (document.querySelector('base')) rel = 'index.html';
    return new URL(EDITIONS[there].dir + rel, englishRoot).href + location.hash;
  };
  const link = document.createElement('a');
  link.className = 'icon-button lang-switch';
  link.id = 'language-switch';
  link.textContent = EDITIONS[there].name;
  link.lang = there;
  link.hreflang = there;
  link.title = there === 'en' ? 'Read this page in English' : '阅读本页的中文版';
  link.href = target();
  // The fragment changes as the reader follows links within the page.
  window.addEventListener('hashchange', () => { link.href = target(); });
  buttons.prepend(link);
})();
