/* Search over HTTP with Pagefind: a light index, loaded in chunks per query.
 *
 * Material's search loads its whole index (search/search_index.json) before the first result:
 * 10 MB at 100 times our notes. When the site is served over http(s) and Pagefind's bundle is
 * there (`make site` runs `python -m pagefind --site site` after the build), this script stands in
 * for Material's search worker: it answers the worker's messages (setup, query) from Pagefind's
 * JS API, in the worker's own result format, so Material renders the results and search-results.js
 * reorders them as before (questions first, "Section › Topic", a snippet, the answer opened).
 * Material's index request is answered with an empty index, so it is never downloaded.
 *
 * From file:// (module loading is restricted there), under Zensical, or where the site was built
 * without Pagefind (`mkdocs build`, `mkdocs serve`), nothing changes: Material's own search runs.
 *
 * Loaded before Material's bundle and after search-results.js (extra.polyfills). */
(function () {
  "use strict";
  if (!/^https?:$/.test(location.protocol) || !window.Worker || !window.XMLHttpRequest) return;
  var generator = document.querySelector('meta[name="generator"]');
  if (!generator || !/mkdocs-material/.test(generator.content)) return; /* Zensical has its own search */
  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  var PAGES = 6; /* pages whose results are loaded for a query (one fragment each, 2-17 kB) */
  var PAUSE = 120; /* ms: Material asks at every keystroke; only a query typing has paused on is run */
  var WORKER = /workers\/search\.[^/]*\.js(\?|$)/;
  var INDEX = /\/search\/search_index\.json$/;

  var site = null; /* the site's root, from Material's configuration */
  function root() {
    if (!site) {
      var element = document.getElementById("__config");
      var base = ".";
      try { base = JSON.parse(element.textContent).base || "."; } catch (error) { /* the page's folder */ }
      site = new URL(base.replace(/\/?$/, "/"), location.href);
    }
    return site;
  }

  /* Pagefind, loaded once (its JS, WebAssembly and metadata); null when the site has none */
  var loading = null;
  function pagefind() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", root()).href).then(function (module) {
        return Promise.resolve(module.options({ baseUrl: root().pathname, excerptLength: 40 }))
          .then(function () { return module.init(); })
          .then(function () { return module; });
      }).catch(function () { return null; });
    }
    return loading;
  }

  /* Material asks for its index with XMLHttpRequest: with Pagefind there, it gets Pagefind's small
     entry file instead (already fetched; the stand-in worker needs no documents) */
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    try { this.__kbIndex = INDEX.test(new URL(String(url), location.href).pathname); } catch (error) { this.__kbIndex = false; }
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (!this.__kbIndex) return send.apply(this, arguments);
    var request = this;
    var args = arguments;
    pagefind().then(function (module) {
      if (module) {
        var type = request.responseType;
        open.call(request, "GET", new URL("pagefind/pagefind-entry.json", root()).href);
        request.responseType = type;
      }
      send.apply(request, args);
    });
  };

  function escape(text) {
    return String(text || "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function relative(url) {
    var path = root().pathname;
    return url.indexOf(path) === 0 ? url.slice(path.length) : url.replace(/^\//, "");
  }

  /* The words Pagefind matched (its excerpts mark them), for highlighting titles and the page */
  function matched(pages, query) {
    var words = {};
    pages.forEach(function (data) {
      [data].concat(data.sub_results || []).forEach(function (part) {
        String(part.excerpt || "").replace(/<mark>([^<]*)<\/mark>/g, function (all, word) {
          words[word.toLowerCase().replace(/[^\w-]+/g, "")] = true;
          return all;
        });
      });
    });
    query.toLowerCase().split(/[^\w-]+/).forEach(function (word) { if (word.length > 1) words[word] = true; });
    delete words[""];
    return Object.keys(words);
  }

  function mark(title, words) {
    var text = escape(String(title || "").replace(/\s*¶\s*$/, "")); /* the heading's permalink */
    if (!words.length) return text;
    var stems = words.map(function (word) { return word.replace(/(es|s)$/, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return text.replace(new RegExp("\\b(" + stems.join("|") + ")[\\w-]*", "gi"), "<mark>$&</mark>");
  }

  function weight(part) {
    var locations = part.weighted_locations || [];
    if (!locations.length) return (part.locations || []).length;
    return locations.reduce(function (sum, location) { return sum + (location.balanced_score || location.weight || 1); }, 0);
  }

  /* One page's results as Material's worker gives them: the page, then its matching sections */
  function group(result, data, words) {
    var terms = {};
    words.forEach(function (word) { terms[word] = true; });
    var meta = data.meta || {};
    var docs = [{
      location: relative(data.url),
      title: mark(meta.title, words),
      text: data.excerpt || "",
      tags: meta.section ? [meta.section] : [],
      score: result.score || 1,
      terms: terms
    }];
    (data.sub_results || []).forEach(function (part) {
      if (String(part.url).indexOf("#") < 0) return; /* the page's own text, before its first heading */
      docs.push({ location: relative(part.url), title: mark(part.title, words), text: part.excerpt || "", score: weight(part), terms: terms });
    });
    return docs;
  }

  class PagefindWorker extends EventTarget {
    constructor(url, options) {
      super();
      this.url = url;
      this.options = options;
      this.latest = 0;
      this.native = null;
    }

    answer(data) { this.dispatchEvent(new MessageEvent("message", { data: data })); }

    postMessage(message) {
      var worker = this;
      pagefind().then(function (module) {
        if (!module) return worker.fallback().postMessage(message);
        if (message && message.type === SETUP) return worker.answer({ type: READY });
        if (message && message.type === QUERY) return worker.search(module, message.data);
      });
    }

    /* Without Pagefind: Material's own worker, its answers passed on as they come */
    fallback() {
      if (!this.native) {
        var worker = this;
        this.native = new Native(this.url, this.options);
        this.native.onmessage = function (event) { worker.dispatchEvent(new MessageEvent("message", { data: event.data })); };
      }
      return this.native;
    }

    search(module, input) {
      var worker = this;
      var query = String(typeof input === "string" ? input : (input && input.input) || "").trim();
      var latest = ++this.latest;
      if (!query) return this.answer({ type: RESULT, data: { items: [], total: 0 } });
      return new Promise(function (resolve) { setTimeout(resolve, PAUSE); }).then(function () {
        return latest === worker.latest ? module.search(query) : null;
      }).then(function (search) {
        if (latest !== worker.latest || !search) return null;
        var results = search.results.slice(0, PAGES);
        return Promise.all(results.map(function (result) { return result.data(); })).then(function (pages) {
          if (latest !== worker.latest) return;
          var words = matched(pages, query);
          var items = results.map(function (result, i) { return group(result, pages[i], words); });
          worker.answer({ type: RESULT, data: { items: items, total: search.results.length } });
        });
      });
    }

    terminate() { if (this.native) this.native.terminate(); }
  }

  if (window.kbWrapWorker) window.kbWrapWorker(PagefindWorker); /* search-results.js reorders its results */
  var Native = window.Worker;
  var Worker = function (url, options) {
    if (WORKER.test(String(url))) return new PagefindWorker(url, options);
    return new Native(url, options);
  };
  Worker.prototype = Native.prototype;
  window.Worker = Worker;
  pagefind(); /* start loading while the page renders */
})();
