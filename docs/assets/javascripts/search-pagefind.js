/* Search over HTTP with Pagefind: a light index, loaded in chunks per query.
 *
 * Material's search loads its whole index (search/search_index.json) before the first result:
 * 10 MB at 100 times our notes. When the site is served over http(s) and Pagefind's bundle is
 * there (`make site` runs `python -m pagefind --site site` after the build), this script stands in
 * for Material's search worker: it answers the worker's messages (setup, query) from Pagefind's
 * JS API, in the worker's own result format, so Material renders the results and search-results.js
 * reorders them as before (questions first, "Section › Topic", a snippet, the answer opened).
 * Material's request for its index is answered in the page (an index without documents), so the
 * index is never downloaded.
 *
 * Quick from the last keystroke: Pagefind (its JS, WebAssembly and metadata) loads when the page
 * is idle or the search box gets focus; every keystroke (the box's "input" event, before Material's
 * "keyup") starts a search at once, which loads the index chunks the words need, so by the last
 * keystroke they are mostly there; a search overtaken by a newer one loads nothing more. For the
 * latest query the results of the first FIRST pages are loaded (one fragment each), then FIRST
 * more when the reader scrolls to the end of the results.
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
  var FIRST = 4; /* pages whose results are loaded for a query, and loaded more on scrolling (2-17 kB each) */
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

  /* Whether the site has Pagefind's index: its 172-byte entry file, fetched once */
  var present = null;
  function available() {
    if (!present) {
      present = fetch(new URL("pagefind/pagefind-entry.json", root()).href, { cache: "force-cache" })
        .then(function (response) { return response.ok; }, function () { return false; });
    }
    return present;
  }

  /* Pagefind, loaded once (its JS, WebAssembly and metadata); null when the site has none */
  var loading = null;
  function pagefind() {
    if (!loading) {
      loading = available().then(function (ok) {
        if (!ok) return null;
        return import(new URL("pagefind/pagefind.js", root()).href).then(function (module) {
          return Promise.resolve(module.options({ baseUrl: root().pathname, excerptLength: 40 }))
            .then(function () { return module.init(); })
            .then(function () { return module; });
        });
      }).catch(function () { return null; });
    }
    return loading;
  }

  /* Material asks for its index with XMLHttpRequest: with Pagefind there, the request is answered
     here, without going out, with an index without documents (the stand-in worker needs none) but
     with the search plugin's word separator (overrides/main.html), which Material's highlighting
     of the search words on the page opened needs */
  function answerIndex(request) {
    var separator = document.querySelector('meta[name="kb-search-separator"]');
    var text = JSON.stringify({ config: { lang: ["en"], separator: separator ? separator.content : "[\\s\\-]+", pipeline: [] }, docs: [] });
    var response = request.responseType === "blob" ? new Blob([text], { type: "application/json" }) : request.responseType === "json" ? JSON.parse(text) : text;
    var values = { readyState: 4, status: 200, statusText: "OK", response: response, responseText: typeof response === "string" ? text : "" };
    Object.keys(values).forEach(function (key) { Object.defineProperty(request, key, { value: values[key], configurable: true }); });
    ["readystatechange", "load", "loadend"].forEach(function (type) { request.dispatchEvent(new ProgressEvent(type)); });
  }
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
    available().then(function (ok) { return ok ? answerIndex(request) : send.apply(request, args); });
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

  /* The whole text of a heading's section (to its next heading), as Pagefind cut the page into
     sub-results: Material's worker gives a section's whole text, Pagefind an excerpt only */
  function sectionText(data, part) {
    var anchor = part.anchor;
    if (!anchor || typeof anchor.location !== "number") return "";
    if (!data.__kbWords) data.__kbWords = String(data.content || "").split(/[\r\n\s]+/g);
    var end = data.__kbWords.length;
    (data.anchors || []).forEach(function (other) {
      if (other.location > anchor.location && other.location < end && /h\d/i.test(other.element)) end = other.location;
    });
    return data.__kbWords.slice(anchor.location, end).join(" ");
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
      var doc = { location: relative(part.url), title: mark(part.title, words), text: part.excerpt || "", score: weight(part), terms: terms };
      if (window.kbUnanswered) doc.unanswered = window.kbUnanswered(sectionText(data, part));
      docs.push(doc);
    });
    return docs;
  }

  /* A query's search and its pages' results, kept while it is the latest: started by the search
     box's input event, answered when Material's query for the same words arrives */
  function Lookup(module, query) {
    var lookup = this;
    this.query = query;
    this.pages = [];
    this.search = module.search(query);
    this.ready = this.search.then(function (search) { return lookup.more(search, FIRST); });
  }
  Lookup.prototype.more = function (search, count) {
    var lookup = this;
    var results = search.results.slice(this.pages.length, this.pages.length + count);
    if (lookup !== current) return Promise.resolve(null); /* overtaken: load no results */
    return Promise.all(results.map(function (result) { return result.data(); })).then(function (pages) {
      pages.forEach(function (data, i) { lookup.pages.push({ result: results[i], data: data }); });
      return lookup;
    });
  };
  Lookup.prototype.items = function () {
    var words = matched(this.pages.map(function (page) { return page.data; }), this.query);
    return this.pages.map(function (page) { return group(page.result, page.data, words); });
  };

  var current = null; /* the lookup for the latest words typed */
  function lookup(module, query) {
    if (!current || current.query !== query) current = new Lookup(module, query);
    return current;
  }

  /* Typing: the search starts at each keystroke (Material's own query comes at keyup) */
  function typing(event) {
    var box = event.target;
    if (!box || !box.matches || !box.matches("input.md-search__input")) return;
    var query = box.value.trim();
    pagefind().then(function (module) { if (module && query && query === box.value.trim()) lookup(module, query); });
  }
  document.addEventListener("input", typing, true);
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.matches && event.target.matches("input.md-search__input")) pagefind();
  }, true);

  class PagefindWorker extends EventTarget {
    constructor(url, options) {
      super();
      this.url = url;
      this.options = options;
      this.latest = null;
      this.native = null;
      this.listening = false;
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

    show(found) {
      if (found && found === this.latest) {
        this.answer({ type: RESULT, data: { items: found.items(), total: found.total } });
      }
    }

    search(module, input) {
      var worker = this;
      var query = String(typeof input === "string" ? input : (input && input.input) || "").trim();
      if (!query) {
        this.latest = null;
        return this.answer({ type: RESULT, data: { items: [], total: 0 } });
      }
      var found = lookup(module, query);
      this.latest = found;
      this.scrolling();
      return found.ready.then(function () {
        return found.search.then(function (search) {
          found.total = search.results.length;
          worker.show(found);
        });
      });
    }

    /* The results of more pages when the reader scrolls to the end of the list */
    scrolling() {
      var worker = this;
      var list = document.querySelector(".md-search__scrollwrap");
      if (this.listening || !list) return;
      this.listening = true;
      list.addEventListener("scroll", function () {
        var found = worker.latest;
        if (!found || found.loadingMore || found.pages.length >= (found.total || 0)) return;
        if (list.scrollTop + list.clientHeight < list.scrollHeight - 200) return;
        found.loadingMore = true;
        found.search.then(function (search) { return found.more(search, FIRST); }).then(function () {
          found.loadingMore = false;
          worker.show(found);
        });
      }, { passive: true });
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
  /* Pagefind loads when the page is idle (or at the first focus on the search box, above) */
  if (window.requestIdleCallback) window.requestIdleCallback(function () { pagefind(); }, { timeout: 2000 });
  else window.addEventListener("load", function () { pagefind(); });
})();
