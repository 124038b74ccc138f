/* Questions are the results: reorders what Material's search worker returns.
 *
 * Material groups results by page and folds every section that scores below the page's best
 * (the page itself, when one of its tags matches: tags weigh 1,000,000x) under "N more on this
 * page", so the question whose answer explains a term is hidden behind the topic page, the
 * Glossary and the Tags page. Here every matching section of a topic page (a question, or a
 * block of notes) becomes a result of its own, shown as its title, "Section › Topic" and a
 * snippet of its answer with the words highlighted; questions whose title matches come first,
 * then those whose answer matches. The other pages (topic pages themselves, Glossary, Tags,
 * sources, home) follow the first five questions, then the remaining questions. Filters above
 * the results narrow them to the questions of one section, and to the answered or the unanswered
 * ones (a question without an answer says "No answer in the notes yet" in its section; see
 * isUnanswered).
 *
 * Loaded before Material's bundle (extra.polyfills): it wraps the "message" listeners of
 * Worker (Material's worker, or the iframe-worker shim from file://) and rewrites only search
 * results ({type: 3, data: {items: [[...]]}}). Zensical's worker answers differently and is
 * left alone. */
(function () {
  "use strict";
  var RESULT = 3;
  var FIRST = 5; /* questions shown before the other pages */
  /* Pages that are not topic pages: their sections are not questions */
  var OTHER = /(^|\/)(index|glossary|tags|practice|inbox)\.html$|(^|\/)sources\//;
  /* What a topic page says under a question the notes do not answer (tools/kb/emit/topic_page.py) */
  var UNANSWERED = /No answer in the notes yet/;

  function unanswered(text) { return UNANSWERED.test(String(text || "")); }

  /* Material's worker gives only the paragraphs of a section that hold the words, not the line
     saying it has no answer: from file:// the sections without one are taken from the whole index
     Material loaded (search/search_index.js sets __index). search-pagefind.js tells its own. */
  var withoutAnswer = null;
  function isUnanswered(doc) {
    if ("unanswered" in doc) return doc.unanswered;
    if (!withoutAnswer && window.__index && Array.isArray(window.__index.docs)) {
      withoutAnswer = {};
      window.__index.docs.forEach(function (entry) { if (unanswered(entry.text)) withoutAnswer[entry.location] = true; });
    }
    return Boolean(withoutAnswer && withoutAnswer[doc.location]) || unanswered(plain(doc.text));
  }

  function path(location) { return String(location).split("#")[0].split("?")[0]; }

  function plain(html) { return String(html || "").replace(/<[^>]*>/g, "").trim(); }

  /* The section's text as plain words around its first highlighted one (Material shows the
     first lines of a section, which for a question is where it was asked, not its answer) */
  function snippet(html) {
    var text = String(html || "").replace(/<(?!\/?mark\b)[^>]*>/g, " ").replace(/\s+/g, " ").trim();
    var first = text.indexOf("<mark");
    if (first > 60) {
      var start = text.lastIndexOf(" ", first - 40);
      text = "… " + text.slice(start < 0 ? 0 : start + 1);
    }
    if (text.length > 320) {
      var end = text.indexOf(" ", 300);
      var head = text.slice(0, end < 0 ? 320 : end);
      if ((head.match(/<mark>/g) || []).length > (head.match(/<\/mark>/g) || []).length) head += "</mark>";
      text = head + " …";
    }
    return text;
  }

  function where(article) {
    var section = article.tags && article.tags.length ? String(article.tags[0]) : "";
    var topic = plain(article.title);
    return section && section !== topic ? section + " › " + topic : topic;
  }

  function reorder(items) {
    var questions = [];
    var others = [];
    items.forEach(function (group) {
      var article = group.find(function (doc) { return String(doc.location).indexOf("#") < 0; });
      if (!article || OTHER.test(path(article.location))) {
        others.push(group);
        return;
      }
      var label = where(article);
      group.forEach(function (doc) {
        if (doc === article) {
          if (doc.score > 0) others.push([Object.assign({}, doc)]);
          return;
        }
        /* Every section carries its page's tags: a section that matched by them alone, or the
           page's own heading and the "Questions" heading, is not a question that holds the words */
        if (!/<mark/.test((doc.title || "") + (doc.text || ""))) return;
        if (plain(doc.title) === plain(article.title) || plain(doc.title) === "Questions") return;
        var section = Object.assign({}, doc, { text: snippet(doc.text) });
        delete section.tags; /* the page's tags are not the question's */
        delete section.unanswered;
        var heading = { location: article.location, title: label, text: "", score: 0, terms: {} };
        questions.push({
          inTitle: /<mark/.test(section.title || ""),
          section: label.split(" › ")[0],
          answered: !isUnanswered(doc),
          group: [section, heading]
        });
      });
    });
    questions.sort(function (a, b) { return (b.inTitle - a.inTitle) || (b.group[0].score - a.group[0].score); });
    offer(questions);
    var kept = questions.filter(function (q) {
      return (!filters.section || q.section === filters.section) &&
        (!filters.answer || (filters.answer === "answered") === q.answered);
    });
    var groups = kept.map(function (q) { return q.group; });
    if (filters.section || filters.answer) return groups; /* a filter leaves the questions only */
    return groups.slice(0, FIRST).concat(others, groups.slice(FIRST));
  }

  /* Filters above the results: by section (those with results), and answered or unanswered (a
     block of notes, which asks nothing, counts as answered: it is there to read) */
  var filters = { section: "", answer: "" };
  var bar = null;
  var replay = null; /* shows the last results again, filtered anew */

  function select(name, label, options) {
    var element = document.createElement("select");
    element.name = name;
    element.setAttribute("aria-label", label);
    options.forEach(function (option) { element.add(new Option(option[1], option[0])); });
    element.addEventListener("change", function () {
      filters[name] = element.value;
      if (replay) replay();
    });
    return element;
  }

  function offer(questions) {
    if (!bar) return;
    var sections = [];
    questions.forEach(function (q) { if (sections.indexOf(q.section) < 0) sections.push(q.section); });
    if (filters.section && sections.indexOf(filters.section) < 0) sections.push(filters.section);
    var choice = bar.querySelector("select[name=section]");
    choice.length = 1;
    sections.sort().forEach(function (name) { choice.add(new Option(name, name)); });
    choice.value = filters.section;
  }

  function addFilters() {
    var meta = document.querySelector(".md-search-result__meta");
    if (!meta || bar) return;
    bar = document.createElement("div");
    bar.className = "kb-search-filters";
    bar.appendChild(select("section", "Section", [["", "All sections"]]));
    bar.appendChild(select("answer", "Answered or not", [["", "Answered and unanswered"], ["answered", "Answered"], ["unanswered", "Unanswered"]]));
    meta.parentNode.insertBefore(bar, meta.nextSibling);
  }

  /* A question result: one link (the question's), with its section and topic above its title */
  function merge(item) {
    var links = item.querySelectorAll("a.md-search-result__link");
    if (links.length !== 2 || item.querySelector("details")) return;
    var heading = links[0].querySelector("h1");
    var title = links[1].querySelector("h2");
    if (!heading || !title || links[1].getAttribute("href").indexOf("#") < 0) return;
    var label = document.createElement("p");
    label.className = "kb-search-where";
    label.textContent = heading.textContent;
    title.parentNode.insertBefore(label, title);
    links[0].remove();
  }

  function watch(list) {
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1 && node.matches("li.md-search-result__item")) merge(node);
        });
      });
    }).observe(list, { childList: true });
  }

  function wrap(Worker) {
    if (!Worker || Worker.prototype.__kbResults) return;
    var add = Worker.prototype.addEventListener;
    Worker.prototype.addEventListener = function (type, listener, options) {
      if (type !== "message" || typeof listener !== "function") return add.apply(this, arguments);
      var target = this;
      var wrapped = function (event) {
        var data = event.data;
        if (data && data.type === RESULT && data.data && Array.isArray(data.data.items) && data.data.items.every(Array.isArray)) {
          var show = function () {
            var items = reorder(JSON.parse(JSON.stringify(data.data.items)));
            return listener.call(target, new MessageEvent("message", { data: { type: RESULT, data: Object.assign({}, data.data, { items: items }) } }));
          };
          replay = show;
          return show();
        }
        return listener.call(this, event);
      };
      return add.call(this, type, wrapped, options);
    };
    Worker.prototype.__kbResults = true;
  }

  wrap(window.Worker);
  window.kbWrapWorker = wrap; /* search-pagefind.js's stand-in for the worker answers alike */
  window.kbReorderResults = reorder; /* for tests and the curious */
  window.kbUnanswered = unanswered; /* search-pagefind.js tells a section's text by the same words */
  function start() {
    var list = document.querySelector(".md-search-result__list");
    if (list) watch(list);
    addFilters();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
