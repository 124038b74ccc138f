/* Assemble the built site's pages into one printable book, inside the print page.
 *
 * Called by kb.export.pdf through Playwright as kbBook.assemble(book), where book is
 *   {title, subtitle, date, counts: [[label, value]], sections: [{title, isPage, pages: [{url, html}]}]}
 * with each page's built HTML. Every id is made unique per page, links between pages of the
 * book become links inside the document (so inside the PDF), links to pages outside the book
 * become plain text, answers are opened, and each page's headings move one level down under
 * their section's heading, so Chromium's outline reads section > topic > question. */
(function () {
  "use strict";

  const LEFT_OUT = ".headerlink, .md-content__button, .md-source-file, .md-tags, script, style";

  function assemble(book) {
    const root = document.getElementById("book");
    const pageKeys = new Map(); /* page URL without fragment -> id prefix */
    book.sections.forEach((section, s) => section.pages.forEach((page, p) => pageKeys.set(withoutHash(page.url), `s${s}p${p}`)));

    root.append(cover(book), contents(book));
    book.sections.forEach((section, s) => {
      const part = element("section", { class: "kb-part", id: `s${s}` });
      if (!section.isPage) part.append(element("h1", { class: "kb-part-title" }, section.title));
      section.pages.forEach((page, p) => part.append(article(page, `s${s}p${p}`, section.isPage ? 0 : 1, pageKeys)));
      root.append(part);
    });
    dropDeadLinks(root);
    shortenIds(root);
    root.querySelectorAll("details").forEach((box) => { box.open = true; });
  }

  /* Ids become the PDF's named destinations, whose names may be at most 127 bytes long:
   * question slugs can be longer, so every id is replaced by a short one. */
  function shortenIds(root) {
    const short = new Map();
    root.querySelectorAll("[id]").forEach((node, index) => {
      const id = `k${index.toString(36)}`;
      short.set(node.id, id);
      node.id = id;
    });
    root.querySelectorAll("a[href^='#']").forEach((link) => {
      link.setAttribute("href", `#${short.get(link.getAttribute("href").slice(1))}`);
    });
    root.querySelectorAll("[for]").forEach((label) => {
      if (short.has(label.getAttribute("for"))) label.setAttribute("for", short.get(label.getAttribute("for")));
    });
  }

  /* Boxes shorter than half a page are kept on one page (no sliver of a box at a page break);
   * longer ones may break, so no page is left mostly empty. Measured at the print width. */
  function keepShortBoxesWhole(pageHeightPx) {
    document.querySelectorAll("#book details, #book .admonition, #book pre, #book table").forEach((box) => {
      if (box.getBoundingClientRect().height < 0.5 * pageHeightPx) box.classList.add("kb-keep");
    });
  }

  function fillPageNumbers(numbers) {
    document.querySelectorAll("[data-toc]").forEach((slot) => {
      const n = numbers[Number(slot.dataset.toc)];
      slot.textContent = n === undefined ? "" : String(n);
    });
  }

  function cover(book) {
    const box = element("div", { class: "kb-cover" });
    box.append(element("p", { class: "kb-cover-title" }, book.title));
    if (book.subtitle) box.append(element("p", { class: "kb-cover-subtitle" }, book.subtitle));
    const table = element("dl", { class: "kb-cover-counts" });
    book.counts.forEach(([label, value]) => table.append(element("dt", {}, label), element("dd", {}, value)));
    box.append(table, element("p", { class: "kb-cover-date" }, `Built on ${book.date}`));
    return box;
  }

  /* Section and topic lines; page numbers are filled in after a first print (fillPageNumbers). */
  function contents(book) {
    const box = element("nav", { class: "kb-contents", "aria-label": "Contents" });
    box.append(element("p", { class: "kb-contents-title" }, "Contents"));
    const list = element("ol");
    let slot = 0;
    book.sections.forEach((section, s) => {
      list.append(tocLine(section.title, `#s${s}`, 1, slot++));
      if (section.isPage) return;
      section.pages.forEach((page, p) => list.append(tocLine(page.title, `#s${s}p${p}`, 2, slot++)));
    });
    box.append(list);
    return box;
  }

  function tocLine(title, href, level, slot) {
    const line = element("li", { class: `kb-toc-${level}` });
    line.append(element("a", { href }, title), element("span", { class: "kb-toc-page", "data-toc": String(slot) }, "000"));
    return line;
  }

  function article(page, key, shift, pageKeys) {
    const parsed = new DOMParser().parseFromString(page.html, "text/html");
    const source = parsed.querySelector("article.md-content__inner") || parsed.body;
    source.querySelectorAll(LEFT_OUT).forEach((node) => node.remove());
    const box = element("div", { class: "kb-page md-typeset", id: key });
    box.append(...Array.from(source.childNodes).map((node) => document.importNode(node, true)));
    box.querySelectorAll("[id]").forEach((node) => { node.id = `${key}-${node.id}`; });
    box.querySelectorAll("[for]").forEach((node) => node.setAttribute("for", `${key}-${node.getAttribute("for")}`));
    box.querySelectorAll("a[href]").forEach((link) => relink(link, page.url, pageKeys));
    box.querySelectorAll("img[src]").forEach((img) => { img.src = new URL(img.getAttribute("src"), page.url).href; });
    if (shift) box.querySelectorAll("h1, h2, h3, h4, h5").forEach(demote);
    return box;
  }

  function relink(link, pageUrl, pageKeys) {
    const url = new URL(link.getAttribute("href"), pageUrl);
    if (url.protocol !== "file:") return; /* the web stays the web */
    const key = pageKeys.get(withoutHash(url.href));
    if (key === undefined) return unwrap(link);
    const fragment = decodeURIComponent(url.hash.slice(1));
    link.setAttribute("href", fragment ? `#${key}-${fragment}` : `#${key}`);
  }

  function dropDeadLinks(root) {
    root.querySelectorAll("a[href^='#']").forEach((link) => {
      if (!document.getElementById(link.getAttribute("href").slice(1))) unwrap(link);
    });
  }

  function demote(heading) {
    const lower = element(`h${Number(heading.tagName[1]) + 1}`, {});
    Array.from(heading.attributes).forEach((a) => lower.setAttribute(a.name, a.value));
    lower.append(...heading.childNodes);
    heading.replaceWith(lower);
  }

  function unwrap(link) {
    const text = element("span", { class: "kb-unlinked" });
    text.append(...link.childNodes);
    link.replaceWith(text);
  }

  function withoutHash(href) {
    return href.split("#")[0];
  }

  function element(tag, attributes = {}, text = undefined) {
    const node = document.createElement(tag);
    Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  window.kbBook = { assemble, keepShortBoxesWhole, fillPageNumbers };
})();
