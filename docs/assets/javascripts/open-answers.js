/* Open the answer a link or a search result points to, and every answer that holds
 * highlighted search terms, so the words the reader looked for are never hidden in a
 * collapsed box; a result without an anchor scrolls to the first highlighted word in an answer. Works with and without Material's instant navigation. */
(function () {
  "use strict";

  function openAncestors(element) {
    for (let box = element.closest("details"); box; box = box.parentElement.closest("details")) {
      box.open = true;
    }
  }

  /* A question heading is followed by its source line and then its answer box. */
  function answerAfter(heading) {
    for (let node = heading.nextElementSibling; node && !/^H[1-6]$/.test(node.tagName); node = node.nextElementSibling) {
      if (node.tagName === "DETAILS") return node;
    }
    return null;
  }

  function reveal() {
    const marks = document.querySelectorAll("details mark[data-md-highlight]");
    marks.forEach(openAncestors);
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (!target) {
      /* A page-level search result (?h=words, no anchor): show the first highlighted word */
      if (marks.length && new URLSearchParams(location.search).has("h")) {
        marks[0].scrollIntoView({ block: "center" });
      }
      return;
    }
    openAncestors(target);
    const answer = answerAfter(target);
    if (answer) answer.open = true;
    const firstMark = answer && answer.querySelector("mark[data-md-highlight]");
    (firstMark || target).scrollIntoView({ block: firstMark ? "center" : "start" });
  }

  /* Material adds the highlight marks after the page loads: watch for them. */
  function watch() {
    reveal();
    /* Marks added before the page has loaded (over HTTP search needs no index download, so they
       come early) are scrolled to, then the browser scrolls to the heading in the URL at load:
       show the word again once it has */
    if (document.readyState !== "complete") {
      window.addEventListener("load", function () { requestAnimationFrame(reveal); }, { once: true });
    }
    const content = document.querySelector("[data-md-component=content]") || document.body;
    const observer = new MutationObserver(function (changes) {
      if (changes.some((c) => Array.from(c.addedNodes).some((n) => n.nodeName === "MARK"))) reveal();
    });
    observer.observe(content, { childList: true, subtree: true });
    setTimeout(function () { observer.disconnect(); }, 3000);
  }

  /* Material's search overlay is a dialog without a name; screen readers announce it as "Search". */
  document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (dialog) {
    dialog.setAttribute("aria-label", "Search");
  });

  window.addEventListener("hashchange", reveal);
  if (typeof document$ !== "undefined") document$.subscribe(watch);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
