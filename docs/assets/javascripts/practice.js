/* The Practice page: flashcards over every question of the handbook, scheduled with FSRS (ts-fsrs,
 * vendored in ts-fsrs.umd.js), and an interview drill. Runs only where the page has #kb-practice.
 *
 * The questions come from practice-data.js (written by `kb normalize`), loaded as a script so the page
 * works from file:// too. Answers are HTML rendered by kb from escaped note text; they are inserted
 * through a <template> that drops anything able to run or navigate on its own (a second guard after the
 * site's Content-Security-Policy). Progress lives in localStorage, keyed by each question's stable id.
 */
(function () {
  "use strict";

  const STORE = "kb-practice-v1";
  const RATINGS = [["again", "Again"], ["hard", "Hard"], ["good", "Good"], ["easy", "Easy"]];

  function start() {
    const root = document.getElementById("kb-practice");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "loading";
    const scripts = [root.dataset.fsrs, root.dataset.src];
    const load = (i) => {
      if (i === scripts.length) return run(root);
      const script = document.createElement("script");
      script.src = scripts[i];
      script.onload = () => load(i + 1);
      script.onerror = () => { root.textContent = "Could not load " + scripts[i] + "."; };
      document.head.appendChild(script);
    };
    load(0);
  }

  /* --- small DOM helpers ------------------------------------------------------------------------- */

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (key === "text") node.textContent = value;
      else if (key === "on") for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of [].concat(children || [])) if (child) node.append(child);
    return node;
  }

  const DROP = "script,style,iframe,object,embed,form,frame,frameset,base,meta,link,template";
  function safeFragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    template.content.querySelectorAll(DROP).forEach((n) => n.remove());
    template.content.querySelectorAll("*").forEach((n) => {
      for (const attr of Array.from(n.attributes)) {
        const value = attr.value.replace(/[\s\u0000-\u001f]/g, "").toLowerCase();
        if (/^on/i.test(attr.name) || (/^(href|src|action|formaction|xlink:href)$/i.test(attr.name) && /^(javascript|vbscript|data):/.test(value))) {
          n.removeAttribute(attr.name);
        }
      }
      if (n.tagName === "A" && /^https?:/i.test(n.getAttribute("href") || "")) n.setAttribute("rel", "noopener noreferrer");
    });
    return template.content;
  }

  function today(now) {
    const d = now || new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  /* --- progress ---------------------------------------------------------------------------------- */

  function loadState() {
    let state = null;
    try { state = JSON.parse(localStorage.getItem(STORE) || "null"); } catch (e) { state = null; }
    return normalizeState(state);
  }

  function normalizeState(state) {
    const out = { version: 1, cards: {}, settings: { newPerDay: 20 }, newDay: { date: "", count: 0 } };
    if (!state || typeof state !== "object") return out;
    if (state.cards && typeof state.cards === "object") {
      for (const [id, card] of Object.entries(state.cards)) if (card && typeof card === "object" && card.due) out.cards[id] = card;
    }
    if (state.settings && Number.isInteger(state.settings.newPerDay)) out.settings.newPerDay = Math.max(0, state.settings.newPerDay);
    if (state.newDay && typeof state.newDay.date === "string") out.newDay = { date: state.newDay.date, count: Number(state.newDay.count) || 0 };
    return out;
  }

  function saveState(state) {
    try { localStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* private mode: progress lasts this visit */ }
  }

  /* --- the page ---------------------------------------------------------------------------------- */

  function run(root) {
    const data = window.kbPracticeData;
    const FSRS = window.FSRS;
    if (!data || !FSRS) { root.textContent = "The practice data did not load."; return; }
    const scheduler = FSRS.fsrs(FSRS.generatorParameters({ enable_fuzz: false }));
    const cards = data.cards;
    const byId = new Map(cards.map((c) => [c.id, c]));
    const sections = data.sections;
    const topics = [];
    const topicSeen = new Set();
    for (const c of cards) if (!topicSeen.has(c.topicSlug)) { topicSeen.add(c.topicSlug); topics.push([c.topicSlug, c.topic, c.section]); }
    const tags = Array.from(new Set(cards.flatMap((c) => c.tags))).sort((a, b) => a.localeCompare(b));
    let state = loadState();

    const params = new URLSearchParams(location.search);
    const filter = {
      sections: new Set(params.get("section") ? [params.get("section")] : sections),
      topic: params.get("topic") || "",
      tag: params.get("tag") || "",
      answeredOnly: params.get("answered") === "1",
      hardOnly: params.get("hard") === "1",
    };
    if (filter.topic) {
      const topic = topics.find((t) => t[0] === filter.topic);
      if (topic) filter.sections = new Set([topic[2]]); else filter.topic = "";
    }

    root.textContent = "";
    root.dataset.ready = "yes";
    const status = el("p", { class: "kb-practice-status", role: "status", "aria-live": "polite" });

    /* the filters ---------------------------------------------------------------------------------- */
    const sectionBoxes = sections.map((s) => el("label", {}, [
      el("input", { type: "checkbox", name: "section", value: s, checked: filter.sections.has(s), on: { change: () => {
        if (sectionBoxesInput(s).checked) filter.sections.add(s); else filter.sections.delete(s);
        refresh();
      } } }), " " + s,
    ]));
    function sectionBoxesInput(s) { return root.querySelector('input[name="section"][value="' + CSS.escape(s) + '"]'); }
    const topicSelect = el("select", { id: "kb-practice-topic", on: { change: () => { filter.topic = topicSelect.value; refresh(); } } },
      [el("option", { value: "", text: "All topics" })].concat(topics.map((t) => el("option", { value: t[0], text: t[1] + " (" + t[2] + ")", selected: t[0] === filter.topic }))));
    const tagSelect = el("select", { id: "kb-practice-tag", on: { change: () => { filter.tag = tagSelect.value; refresh(); } } },
      [el("option", { value: "", text: "All tags" })].concat(tags.map((t) => el("option", { value: t, text: t, selected: t === filter.tag }))));
    const answeredBox = el("input", { type: "checkbox", id: "kb-practice-answered", checked: filter.answeredOnly, on: { change: () => { filter.answeredOnly = answeredBox.checked; refresh(); } } });
    const hardBox = el("input", { type: "checkbox", id: "kb-practice-hard", checked: filter.hardOnly, on: { change: () => { filter.hardOnly = hardBox.checked; refresh(); } } });
    const newPerDay = el("input", { type: "number", id: "kb-practice-new", min: "0", max: "999", value: String(state.settings.newPerDay), inputmode: "numeric",
      on: { change: () => { state.settings.newPerDay = Math.max(0, parseInt(newPerDay.value, 10) || 0); saveState(state); refresh(); } } });
    const filters = el("details", { class: "kb-practice-filters", open: Boolean(params.get("topic") || params.get("section") || params.get("tag")) }, [
      el("summary", { text: "Choose what to practise" }),
      el("fieldset", {}, [el("legend", { text: "Sections" })].concat(sectionBoxes)),
      el("p", {}, [el("label", { for: "kb-practice-topic", text: "Topic " }), topicSelect]),
      el("p", {}, [el("label", { for: "kb-practice-tag", text: "Tag " }), tagSelect]),
      el("p", {}, [answeredBox, el("label", { for: "kb-practice-answered", text: " Answered in the notes only" })]),
      el("p", {}, [hardBox, el("label", { for: "kb-practice-hard", text: " Only questions marked hard" })]),
      el("p", {}, [el("label", { for: "kb-practice-new", text: "New cards per day " }), newPerDay]),
    ]);

    /* the counts --------------------------------------------------------------------------------- */
    const counts = el("div", { class: "kb-practice-counts" });

    /* the card ----------------------------------------------------------------------------------- */
    const card = el("section", { class: "kb-practice-card", "aria-label": "Flashcard" });
    const modeBar = el("div", { class: "kb-practice-modes" });

    /* progress: export, import, reset ---------------------------------------------------------- */
    const importInput = el("input", { type: "file", accept: "application/json,.json", id: "kb-practice-import", class: "kb-practice-file", tabindex: "-1", "aria-label": "Progress file to import", on: { change: importProgress } });
    const resetButton = el("button", { type: "button", class: "md-button", on: { click: askReset } }, "Reset progress");
    const resetConfirm = el("span", { class: "kb-practice-confirm", hidden: true }, [
      "Forget every rating? ",
      el("button", { type: "button", class: "md-button", on: { click: () => { state = normalizeState(null); saveState(state); resetConfirm.hidden = true; say("Progress reset."); refresh(); } } }, "Yes, reset"),
      " ",
      el("button", { type: "button", class: "md-button", on: { click: () => { resetConfirm.hidden = true; resetButton.focus(); } } }, "Keep it"),
    ]);
    const progressBar = el("div", { class: "kb-practice-progress" }, [
      el("button", { type: "button", class: "md-button", on: { click: exportProgress } }, "Export progress"),
      " ",
      el("button", { type: "button", class: "md-button", on: { click: () => importInput.click() } }, "Import progress"),
      importInput,
      " ",
      resetButton,
      resetConfirm,
      " ",
      el("a", { href: data.deck, class: "md-button" }, "Anki deck"),
    ]);

    root.append(status, modeBar, card, counts, filters, progressBar);

    function say(text) { status.textContent = text; }

    function chosen() {
      return cards.filter((c) => filter.sections.has(c.section)
        && (!filter.topic || c.topicSlug === filter.topic)
        && (!filter.tag || c.tags.indexOf(filter.tag) >= 0)
        && (!filter.answeredOnly || c.a)
        && (!filter.hardOnly || c.marks.indexOf("hard") >= 0));
    }

    function fsrsCard(id) {
      const saved = state.cards[id];
      if (!saved) return null;
      return Object.assign({}, saved, { due: new Date(saved.due), last_review: saved.last_review ? new Date(saved.last_review) : undefined });
    }

    function newLeft(now) {
      const used = state.newDay.date === today(now) ? state.newDay.count : 0;
      return Math.max(0, state.settings.newPerDay - used);
    }

    function queue(now) {
      const pool = chosen();
      const due = pool.filter((c) => state.cards[c.id] && new Date(state.cards[c.id].due) <= now)
        .sort((a, b) => new Date(state.cards[a.id].due) - new Date(state.cards[b.id].due));
      const fresh = pool.filter((c) => !state.cards[c.id]).slice(0, newLeft(now));
      return { pool, due, fresh, next: due[0] || fresh[0] || null };
    }

    /* --- scheduled practice ----------------------------------------------------------------------- */
    let mode = "review";
    let current = null;
    let flipped = false;
    let drill = null;

    function renderCounts(now) {
      const q = queue(now);
      const learned = (list) => list.filter((c) => state.cards[c.id] && state.cards[c.id].state === FSRS.State.Review).length;
      const dueIn = (list) => list.filter((c) => state.cards[c.id] && new Date(state.cards[c.id].due) <= now).length;
      const fresh = (list) => list.filter((c) => !state.cards[c.id]).length;
      counts.textContent = "";
      counts.append(
        el("p", { class: "kb-practice-totals" }, [
          el("strong", { text: "Due today: " }), el("span", { "data-count": "due", text: String(q.due.length) }),
          " · ", el("strong", { text: "New: " }), el("span", { "data-count": "new", text: String(q.fresh.length) }),
          " (" + fresh(q.pool) + " not yet seen, " + newLeft(now) + " more today)",
          " · ", el("strong", { text: "Learned: " }), el("span", { "data-count": "learned", text: String(learned(q.pool)) }),
          " · " + plural(q.pool.length, "question") + " chosen",
        ]),
        el("table", { class: "kb-practice-sections" }, [
          el("caption", { text: "Progress by section (all questions)" }),
          el("thead", {}, el("tr", {}, ["Section", "Questions", "Due", "New", "Learned"].map((h) => el("th", { scope: "col", text: h })))),
          el("tbody", {}, sections.map((s) => {
            const list = cards.filter((c) => c.section === s);
            return el("tr", {}, [el("th", { scope: "row", text: s })].concat([list.length, dueIn(list), fresh(list), learned(list)].map((n) => el("td", { text: String(n) }))));
          })),
        ]),
      );
    }

    function cardHead(item, label) {
      const meta = item.topic + " · " + item.section + (item.marks.length ? " · marked " + item.marks.join(", ") : "");
      return [
        el("p", { class: "kb-practice-label", text: label }),
        el("h2", { class: "kb-practice-question", id: "kb-practice-question", tabindex: "-1", text: item.q }),
        el("p", { class: "kb-practice-meta" }, [meta + " · ", el("a", { href: item.url }, "on its page")]),
      ];
    }

    function answerBlock(item) {
      if (!item.a) {
        return el("div", { class: "kb-practice-answer kb-practice-unanswered" }, [
          el("p", {}, [el("strong", { text: "The notes do not answer this yet." }), " Answer it aloud, as you would in the interview, then rate how well you did."]),
        ]);
      }
      const box = el("div", { class: "kb-practice-answer md-typeset", "aria-label": "Answer" });
      box.append(safeFragment(item.a));
      return box;
    }

    function showReview() {
      const now = new Date();
      renderCounts(now);
      card.textContent = "";
      const q = queue(now);
      current = q.next;
      flipped = false;
      if (!current) {
        const none = q.pool.length ? "Nothing is due among the chosen questions. Come back later, or choose more in the settings below."
          : "No question matches the choice below.";
        card.append(el("p", { class: "kb-practice-done", text: none }));
        return;
      }
      const label = state.cards[current.id] ? "Review" : "New question";
      card.dataset.id = current.id;
      card.append(...cardHead(current, label));
      const show = el("button", { type: "button", class: "md-button md-button--primary kb-practice-show", "aria-keyshortcuts": "Space", on: { click: flip } }, "Show answer");
      card.append(el("p", {}, [show, el("span", { class: "kb-practice-hint", text: " (space)" })]));
    }

    function flip() {
      if (!current || flipped) return;
      flipped = true;
      card.querySelector(".kb-practice-show").parentElement.remove();
      card.append(answerBlock(current));
      const preview = scheduler.repeat(fsrsCard(current.id) || FSRS.createEmptyCard(new Date()), new Date());
      const buttons = RATINGS.map(([key, name], i) => {
        const next = preview[FSRS.Rating[name]].card;
        return el("button", { type: "button", class: "md-button kb-practice-rate kb-practice-" + key, "data-rating": name, "aria-keyshortcuts": String(i + 1),
          "aria-label": name + ", next in " + interval(next.due), on: { click: () => rate(name) } },
          [el("span", { text: name }), el("small", { text: " " + interval(next.due) + " · " + (i + 1) })]);
      });
      card.append(el("div", { class: "kb-practice-ratings", role: "group", "aria-label": "How well did you know it?" }, buttons));
      buttons[2].focus();
    }

    function interval(due) {
      const minutes = Math.max(1, Math.round((due - new Date()) / 60000));
      if (minutes < 60) return minutes + " min";
      if (minutes < 60 * 24) return Math.round(minutes / 60) + " h";
      const days = Math.round(minutes / 1440);
      return days < 31 ? days + " d" : days < 365 ? Math.round(days / 30) + " mo" : (days / 365).toFixed(1) + " y";
    }

    function rate(name) {
      if (!current || !flipped) return;
      const now = new Date();
      const before = fsrsCard(current.id);
      if (!before) {
        if (state.newDay.date !== today(now)) state.newDay = { date: today(now), count: 0 };
        state.newDay.count += 1;
      }
      const result = scheduler.next(before || FSRS.createEmptyCard(now), now, FSRS.Rating[name]);
      const next = result.card;
      state.cards[current.id] = {
        due: next.due.toISOString(), stability: next.stability, difficulty: next.difficulty, elapsed_days: next.elapsed_days,
        scheduled_days: next.scheduled_days, learning_steps: next.learning_steps, reps: next.reps, lapses: next.lapses,
        state: next.state, last_review: now.toISOString(), rating: name,
      };
      saveState(state);
      say("Rated " + name + ": next in " + interval(next.due) + ".");
      showReview();
      const heading = card.querySelector("h2");
      if (heading) heading.focus();
    }

    /* --- the interview drill ------------------------------------------------------------------ */
    const drillCount = el("input", { type: "number", id: "kb-practice-drill-n", min: "1", max: "50", value: "5", inputmode: "numeric" });

    function startDrill() {
      const pool = chosen().slice();
      for (let i = pool.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [pool[i], pool[j]] = [pool[j], pool[i]]; }
      const n = Math.max(1, Math.min(pool.length, parseInt(drillCount.value, 10) || 5));
      if (!pool.length) { say("No question matches the choice below."); return; }
      drill = { items: pool.slice(0, n), index: 0, results: [], started: 0, timer: 0 };
      mode = "drill";
      renderModes();
      showDrill();
    }

    function stopTimer() { if (drill && drill.timer) { clearInterval(drill.timer); drill.timer = 0; } }

    function showDrill() {
      stopTimer();
      card.textContent = "";
      if (drill.index >= drill.items.length) return drillSummary();
      const item = drill.items[drill.index];
      current = item;
      flipped = false;
      card.dataset.id = item.id;
      card.append(...cardHead(item, "Drill: question " + (drill.index + 1) + " of " + drill.items.length));
      const clock = el("p", { class: "kb-practice-timer", "aria-live": "off" }, "0:00");
      card.append(clock);
      drill.started = Date.now();
      drill.timer = setInterval(() => { clock.textContent = clockText(Date.now() - drill.started); }, 500);
      const show = el("button", { type: "button", class: "md-button md-button--primary kb-practice-show", "aria-keyshortcuts": "Space", on: { click: drillFlip } }, "Show answer");
      card.append(el("p", {}, [show, el("span", { class: "kb-practice-hint", text: " (space)" })]));
      const heading = card.querySelector("h2");
      if (heading) heading.focus();
    }

    function clockText(ms) { const s = Math.floor(ms / 1000); return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); }

    function drillFlip() {
      if (flipped) return;
      flipped = true;
      const spent = Date.now() - drill.started;
      stopTimer();
      card.querySelector(".kb-practice-show").parentElement.remove();
      card.querySelector(".kb-practice-timer").textContent = "Time: " + clockText(spent);
      card.append(answerBlock(current));
      const mark = (knew) => () => { drill.results.push({ item: current, ms: spent, knew }); drill.index += 1; showDrill(); };
      const knew = el("button", { type: "button", class: "md-button kb-practice-rate kb-practice-good", "aria-keyshortcuts": "3", on: { click: mark(true) } }, "I knew it");
      card.append(el("div", { class: "kb-practice-ratings", role: "group", "aria-label": "Did you know it?" }, [
        el("button", { type: "button", class: "md-button kb-practice-rate kb-practice-again", "aria-keyshortcuts": "1", on: { click: mark(false) } }, "I did not"),
        knew,
      ]));
      knew.focus();
    }

    function drillSummary() {
      current = null;
      const total = drill.results.reduce((sum, r) => sum + r.ms, 0);
      const known = drill.results.filter((r) => r.knew).length;
      card.append(
        el("h2", { class: "kb-practice-question", id: "kb-practice-summary", tabindex: "-1", text: "Drill summary" }),
        el("p", { class: "kb-practice-summary-line", text: "You knew " + known + " of " + drill.results.length + " in " + clockText(total)
          + " (" + clockText(total / Math.max(1, drill.results.length)) + " a question on average)." }),
        el("table", { class: "kb-practice-summary" }, [
          el("thead", {}, el("tr", {}, ["Question", "Time", "Knew it"].map((h) => el("th", { scope: "col", text: h })))),
          el("tbody", {}, drill.results.map((r) => el("tr", {}, [
            el("td", {}, el("a", { href: r.item.url, text: r.item.q })), el("td", { text: clockText(r.ms) }), el("td", { text: r.knew ? "yes" : "no" }),
          ]))),
        ]),
        el("p", {}, [
          el("button", { type: "button", class: "md-button md-button--primary", on: { click: startDrill } }, "Another drill"), " ",
          el("button", { type: "button", class: "md-button", on: { click: () => { mode = "review"; drill = null; renderModes(); showReview(); } } }, "Back to flashcards"),
        ]),
      );
      say("Drill finished: you knew " + known + " of " + drill.results.length + ".");
      card.querySelector("h2").focus();
    }

    function renderModes() {
      modeBar.textContent = "";
      if (mode === "drill") {
        modeBar.append(el("button", { type: "button", class: "md-button", on: { click: () => { stopTimer(); mode = "review"; drill = null; renderModes(); showReview(); } } }, "Stop the drill"));
      } else {
        modeBar.append(
          el("label", { for: "kb-practice-drill-n", text: "Interview drill: " }), drillCount, " questions ",
          el("button", { type: "button", class: "md-button", on: { click: startDrill } }, "Start drill"),
        );
      }
    }

    function refresh() {
      if (mode === "drill") { renderCounts(new Date()); return; }
      showReview();
    }

    /* --- export, import, reset -------------------------------------------------------------- */
    function exportProgress() {
      const blob = new Blob([JSON.stringify({ kind: "kb-practice-progress", exported: new Date().toISOString(), ...state }, null, 1)], { type: "application/json" });
      const link = el("a", { href: URL.createObjectURL(blob), download: "handbook-progress-" + today() + ".json" });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      say("Progress exported (" + plural(Object.keys(state.cards).length, "card") + ").");
    }

    function importProgress() {
      const file = importInput.files && importInput.files[0];
      if (!file) return;
      const reader = new FileReader();
      reader.onload = () => {
        let parsed = null;
        try { parsed = JSON.parse(String(reader.result)); } catch (e) { parsed = null; }
        if (!parsed || parsed.kind !== "kb-practice-progress") { say("That file is not exported practice progress."); return; }
        const incoming = normalizeState(parsed);
        for (const [id, saved] of Object.entries(incoming.cards)) {  // the later review wins, card by card
          const mine = state.cards[id];
          if (!mine || String(saved.last_review || "") > String(mine.last_review || "")) state.cards[id] = saved;
        }
        state.settings = incoming.settings;
        if (incoming.newDay.date >= state.newDay.date) state.newDay = incoming.newDay;
        saveState(state);
        newPerDay.value = String(state.settings.newPerDay);
        importInput.value = "";
        say("Progress imported (" + plural(Object.keys(incoming.cards).length, "card") + ").");
        refresh();
      };
      reader.readAsText(file);
    }

    function askReset() { resetConfirm.hidden = false; resetConfirm.querySelector("button").focus(); }

    /* --- keyboard ------------------------------------------------------------------------------ */
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      if (target && target.closest && target.closest("input, select, textarea, summary, .md-search, .md-header")) return;
      if ((event.key === " " || event.key === "Spacebar") && current && !flipped) {
        if (target && target.closest && target.closest("button, a") && !target.closest(".kb-practice-card")) return;
        event.preventDefault();
        if (mode === "drill") drillFlip(); else flip();
      } else if (/^[1-4]$/.test(event.key) && current && flipped) {
        event.preventDefault();
        if (mode === "drill") {
          const button = card.querySelector('[aria-keyshortcuts="' + (event.key <= "2" ? "1" : "3") + '"]');
          if (button) button.click();
        } else {
          rate(RATINGS[Number(event.key) - 1][1]);
        }
      }
    });

    renderModes();
    showReview();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);  // Material's page events
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
