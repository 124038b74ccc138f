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
 * "keyup") starts a search, one at a time (see Lookup), which loads the index chunks the words
 * need, so by the last keystroke they are mostly there; a search overtaken by a newer one loads
 * nothing more. For the latest words the results of the first FIRST pages are read from their
 * fragments (see load) and shown at once, then FIRST more pages' when the reader scrolls to the
 * end of the results.
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
  var FIRST = 4; /* pages whose results are loaded for a query, and loaded more on scrolling (2-26 kB each) */
  /* ms: a word of one or two letters matches so many words that searching it takes 70-500 ms at
     100 times our notes (three letters: 10-50 ms), holding up the search for the next keystroke;
     so these are searched only once typing has paused this long */
  var PAUSE = { 1: 300, 2: 150 };
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
    var asked = query.toLowerCase().split(/[^\w-]+/).filter(function (word) { return word.length > 1; });
    var starts = asked.map(function (word) { return word.slice(0, 4); });
    pages.forEach(function (data) {
      [data].concat(data.sub_results || []).forEach(function (part) {
        String(part.excerpt || "").replace(/<mark>([^<]*)<\/mark>/g, function (all, token) {
          /* a marked token is a whole run of text between spaces ("attention(scaled"): its word */
          token.toLowerCase().split(/[^\w-]+/).forEach(function (word) {
            if (starts.some(function (start) { return word.indexOf(start) === 0; })) words[word] = true;
          });
          return all;
        });
      });
    });
    asked.forEach(function (word) { words[word] = true; });
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

  /* A page's results, read from its Pagefind fragment here rather than by Pagefind's data(): at
     100 times our notes a topic page's text is up to 0.9 MB, and data() (in Pagefind's worker)
     splits it into words again for each heading that holds the words, and copies it to the page,
     which took most of the time to the results (0.1-1 s for four pages). Here it is unpacked by the
     browser (DecompressionStream), split once, and only the sections holding the words are cut
     out, the way data() cuts them: from a heading to the next one, an excerpt of EXCERPT words
     around the most matches, the matched words marked. */
  var EXCERPT = 40;
  var fragments = {}; /* page id (its fragment's name) -> the fragment, unpacked once */
  function fragment(id) {
    if (!fragments[id]) {
      fragments[id] = fetch(new URL("pagefind/fragment/" + id + ".pf_fragment", root()).href).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.url);
        return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).text();
      }).then(function (text) {
        var data = JSON.parse(text.replace(/^pagefind_dcd/, ""));
        data.words = String(data.content || "").split(/[\r\n\s]+/g);
        data.anchors = (data.anchors || []).filter(function (anchor) { return /h\d/i.test(anchor.element) && /\S/.test(anchor.text || ""); })
          .sort(function (a, b) { return a.location - b.location; });
        return data;
      });
    }
    return fragments[id];
  }

  /* EXCERPT words of words[start, end) around the most of the matched locations, those marked */
  function excerpt(words, start, end, locations) {
    var from = start;
    var best = -1;
    locations.forEach(function (location, i) {
      var count = 0;
      for (var k = i; k < locations.length && locations[k] < location + EXCERPT; k++) count++;
      if (count > best) { best = count; from = location; }
    });
    from = Math.max(start, Math.min(from - 5, end - EXCERPT));
    var to = Math.min(end, from + EXCERPT);
    var marked = {};
    locations.forEach(function (location) { marked[location] = true; });
    var out = [];
    for (var k = from; k < to; k++) out.push(marked[k] ? "<mark>" + escape(words[k]) + "</mark>" : escape(words[k]));
    return out.join(" ");
  }

  /* The page and its sections holding the words, shaped as Pagefind's data() gives them, each
     section with whether it is a question without an answer (search-results.js's filter) */
  function load(result) {
    if (!window.DecompressionStream || !result.id || !result.words) return result.data();
    return fragment(result.id).then(function (data) {
      var locations = result.words.slice().sort(function (a, b) { return a - b; });
      var anchors = data.anchors;
      var sections = [];
      var before = [];
      locations.forEach(function (location) {
        var at = -1;
        while (at + 1 < anchors.length && anchors[at + 1].location <= location) at++;
        if (at < 0) { before.push(location); return; }
        var last = sections[sections.length - 1];
        if (last && last.index === at) last.locations.push(location);
        else sections.push({ index: at, locations: [location] });
      });
      return {
        url: data.url,
        meta: data.meta || {},
        excerpt: excerpt(data.words, 0, data.words.length, locations),
        sub_results: sections.map(function (section) {
          var anchor = anchors[section.index];
          var end = section.index + 1 < anchors.length ? anchors[section.index + 1].location : data.words.length;
          return {
            title: anchor.text,
            url: data.url + "#" + anchor.id,
            anchor: anchor,
            locations: section.locations,
            excerpt: excerpt(data.words, anchor.location, end, section.locations),
            unanswered: window.kbUnanswered ? window.kbUnanswered(data.words.slice(anchor.location, end).join(" ")) : false
          };
        })
      };
    });
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
      if ("unanswered" in part) doc.unanswered = part.unanswered;
      docs.push(doc);
    });
    return docs;
  }

  /* A query's search and its pages' results: started by the search box's input event (or by
     Material's query, which comes at keyup), answered when Material's query for the same words
     arrives. One search runs at a time (Pagefind's worker would queue them all, each keystroke's,
     behind one another): when it ends, the latest words typed are searched next, and the words
     typed in between are skipped. */
  function Lookup(query) {
    var lookup = this;
    this.query = query;
    this.pages = [];
    this.total = 0;
    this.search = new Promise(function (resolve) { lookup.start = resolve; });
    this.ready = this.search.then(function (search) { return lookup.more(search, FIRST); });
  }
  Lookup.prototype.more = function (search, count) {
    var lookup = this;
    var results = search.results.slice(this.pages.length, this.pages.length + count);
    this.total = search.results.length;
    if (lookup !== current) return Promise.resolve(null); /* overtaken: load no results */
    return Promise.all(results.map(load)).then(function (pages) {
      pages.forEach(function (data, i) { lookup.pages.push({ result: results[i], data: data }); });
      return lookup;
    });
  };
  Lookup.prototype.items = function () {
    var words = matched(this.pages.map(function (page) { return page.data; }), this.query);
    return this.pages.map(function (page) { return group(page.result, page.data, words); });
  };

  var stand = null; /* the stand-in for Material's worker */
  var current = null; /* the lookup for the latest words typed */
  var running = null; /* the lookup whose search runs */
  function lookup(module, query) {
    if (!current || current.query !== query) {
      current = new Lookup(query);
      if (query.length === 2) module.preload(query); /* its index chunks only */
      next(module);
    }
    return current;
  }
  function next(module) {
    if (running || !current || current.started) return;
    var found = current;
    if (PAUSE[found.query.length] && !found.paused) { /* one or two letters: once typing pauses */
      found.paused = true;
      setTimeout(function () { if (found === current) next(module); }, PAUSE[found.query.length]);
      return;
    }
    running = found;
    found.started = true;
    var done = function () { running = null; next(module); };
    found.start(module.search(found.query).then(function (search) { done(); return search; }, function (error) { done(); throw error; }));
  }

  /* Typing: the search starts at each keystroke */
  function typing(event) {
    var box = event.target;
    if (!box || !box.matches || !box.matches("input.md-search__input")) return;
    var query = box.value.trim();
    if (!query) return;
    pagefind().then(function (module) {
      if (!module || query !== box.value.trim()) return;
      var found = lookup(module, query);
      /* shown as soon as they are in, without waiting for Material's query (at keyup, which comes
         up to 100 ms after the key went down) */
      found.ready.then(function () { if (stand && query === box.value.trim()) stand.early(found); });
    });
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
      stand = this;
    }

    answer(data) { this.dispatchEvent(new MessageEvent("message", { data: data })); }

    postMessage(message) {
      var worker = this;
      pagefind().then(function (module) {
        if (!module) return worker.fallback().postMessage(message);
        if (message && message.type === SETUP) {
          worker.ready = true;
          return worker.answer({ type: READY });
        }
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
        found.shown = true;
        this.answer({ type: RESULT, data: { items: found.items(), total: found.total } });
      }
    }

    /* The results for the words in the search box, before Material asks for them */
    early(found) {
      if (found.shown || !this.ready) return;
      this.latest = found;
      this.show(found);
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
        if (!found.shown || !found.pages.length) worker.show(found); /* shown early, unless there were none */
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
