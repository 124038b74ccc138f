/* Lay out the built site's pages for print, inside the print page. kb.export.pdf prints each
 * section in parts, each part on its own (kbBook.body), and the cover and contents apart
 * (kbBook.fronts), then joins the printed parts into the books with pikepdf.
 *
 * kbBook.body({root, leftOut, chunk, first, section: {title, name, isPage, pages: [{rel}]}, page: {rel, url, html,
 * from, whole}}) lays out one part of a section: one page (whole), or the part of a long page from
 * one of its top-level headings (from: its id; null for the page's start) to the next part; first:
 * the part starts the section (its title); chunk: the part's name, unique in the book. Every id becomes a destination name made from the page and the
 * id (destName), so the same place has the same name in every print; links inside a whole page
 * stay links inside the document, links to another printed page (or another part of this one)
 * become https://kb.invalid/<name>?<page name> (resolved by pdf.py once the books are joined),
 * links to pages left out of the PDF become plain text. Answers are opened, and each page's
 * headings move one level down under their section's heading, so the outline reads section >
 * topic > question. Returns {headings: [{level, title, name}], starts: [name]}: the headings, for
 * the bookmarks, and where each contents line starts.
 *
 * kbBook.fronts([{title, subtitle, date, counts: [[label, value]], sections: [{title, name, isPage,
 * pages: [{title, rel}]}]}]) lays out the cover and the contents of several books, whose lines
 * link to the same kb.invalid names; page numbers are filled in once the sections are printed
 * (fillPageNumbers). */
(function () {
  "use strict";

  const LEFT_OUT = ".headerlink, .md-content__button, .md-source-file, .md-tags, script, style";
  const ELSEWHERE = "https://kb.invalid/";

  function body(book) {
    const root = document.getElementById("book");
    root.replaceChildren();
    const section = book.section;
    const page = book.page;
    const part = element("section", { class: "kb-part" });
    if (book.first) {
      part.id = sectionName(section);
      if (!section.isPage) part.append(element("h1", { class: "kb-part-title" }, section.title));
    }
    part.append(article(page, section.isPage ? 0 : 1, book));
    root.append(part);
    dropDeadLinks(root);
    root.querySelectorAll("details").forEach((box) => { box.open = true; });
    const headings = Array.from(root.querySelectorAll("h1, h2, h3, h4, h5, h6"), (heading, index) => {
      if (!heading.id) heading.id = destName(`chunk:${book.chunk}`, `heading-${index}`);
      return { level: Number(heading.tagName[1]), title: heading.textContent.trim().replace(/\s+/g, " "), name: heading.id };
    });
    /* Chromium writes a named destination only for an id that some link of the document points
     * to: one hidden link per id, so that the other prints can link to any of them, and the
     * bookmarks (made by pdf.py from the headings) know where each heading is. */
    const targets = element("div", { style: "display:none" });
    root.querySelectorAll("[id]").forEach((node) => targets.append(element("a", { href: `#${node.id}` })));
    root.append(targets);
    const starts = book.first ? [sectionName(section)] : [];
    if (!section.isPage && !page.from) starts.push(destName(page.rel, ""));
    return { headings, starts };
  }

  /* Several books' cover and contents, one after the other; each starts on a new page, at the
   * destination front-<n>. */
  function fronts(books) {
    const root = document.getElementById("book");
    root.replaceChildren();
    const targets = element("div", { style: "display:none" });
    books.forEach((book, b) => {
      const box = element("div", { class: "kb-front", id: `front-${b}` });
      box.append(cover(book), contents(book, b));
      root.append(box);
      targets.append(element("a", { href: `#front-${b}` }));
    });
    root.append(targets);
  }

  /* The destination name of a place: a page (root-relative path) and an id in it ("" for the
   * page's start). A hash, so names stay short (PDF names are at most 127 bytes) and any print
   * can name a place of another one. */
  function destName(rel, fragment) {
    const text = `${rel}#${fragment}`;
    let h1 = 0xdeadbeef;
    let h2 = 0x41c6ce57;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return `k${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`;
  }

  function sectionName(section) {
    return section.isPage ? destName(section.pages[0].rel, "") : destName(`section:${section.name}`, "");
  }

  /* Boxes shorter than half a page are kept on one page (no sliver of a box at a page break);
   * longer ones may break, so no page is left mostly empty. Measured at the print width. */
  function keepShortBoxesWhole(pageHeightPx) {
    /* every box measured first, then marked: a mark between two measures would lay the page out again */
    const boxes = Array.from(document.querySelectorAll("#book details, #book .admonition, #book pre, #book table"));
    const short = boxes.filter((box) => box.getBoundingClientRect().height < 0.5 * pageHeightPx);
    short.forEach((box) => box.classList.add("kb-keep"));
  }

  /* numbers: for each book of fronts(), the page number of each of its contents lines. */
  function fillPageNumbers(numbers) {
    document.querySelectorAll("[data-toc]").forEach((slot) => {
      const n = numbers[Number(slot.dataset.book)][Number(slot.dataset.toc)];
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

  /* Section and topic lines, in the order of pdf.py's page numbers. */
  function contents(book, b) {
    const box = element("nav", { class: "kb-contents", "aria-label": "Contents" });
    box.append(element("p", { class: "kb-contents-title" }, "Contents"));
    const list = element("ol");
    let slot = 0;
    book.sections.forEach((section) => {
      list.append(tocLine(section.title, sectionName(section), 1, b, slot++));
      if (section.isPage) return;
      section.pages.forEach((page) => list.append(tocLine(page.title, destName(page.rel, ""), 2, b, slot++)));
    });
    box.append(list);
    return box;
  }

  function tocLine(title, name, level, b, slot) {
    const line = element("li", { class: `kb-toc-${level}` });
    const number = element("span", { class: "kb-toc-page", "data-book": String(b), "data-toc": String(slot) }, "000");
    line.append(element("a", { href: `${ELSEWHERE}${name}` }, title), number);
    return line;
  }

  /* page.html: the page, or (page.from set) a part of its article that starts at the heading
   * page.from (inside the page's wrappers): a long page is printed in parts. */
  function article(page, shift, book) {
    const parsed = new DOMParser().parseFromString(page.html, "text/html");
    const source = parsed.querySelector("article.md-content__inner") || parsed.body;
    if (page.from) {
      let first = source.firstElementChild;
      while (first && first.id !== page.from && first.firstElementChild) first = first.firstElementChild;
      if (!first || first.id !== page.from) throw new Error(`kb pdf: a part of ${page.rel} does not start at its heading #${page.from}`);
    }
    source.querySelectorAll(LEFT_OUT).forEach((node) => node.remove());
    const box = element("div", { class: "kb-page md-typeset" });
    if (!page.from) box.id = destName(page.rel, "");
    box.append(...Array.from(source.childNodes).map((node) => document.importNode(node, true)));
    box.querySelectorAll("[id]:not(.kb-page)").forEach((node) => { node.id = destName(page.rel, node.id); });
    box.querySelectorAll("[for]").forEach((node) => node.setAttribute("for", destName(page.rel, node.getAttribute("for"))));
    const here = page.whole ? new Set([page.rel]) : new Set();
    box.querySelectorAll("a[href]").forEach((link) => relink(link, page.url, book, here));
    box.querySelectorAll("img[src]").forEach((img) => { img.src = new URL(img.getAttribute("src"), page.url).href; });
    if (shift) box.querySelectorAll("h1, h2, h3, h4, h5").forEach(demote);
    return box;
  }

  function relink(link, pageUrl, book, here) {
    const url = new URL(link.getAttribute("href"), pageUrl);
    if (url.protocol !== "file:") return; /* the web stays the web */
    const path = url.href.split("#")[0];
    const rel = path.startsWith(book.root) ? decodeURIComponent(path.slice(book.root.length)) : null;
    if (rel === null || !rel.endsWith(".html") || rel === "index.html" || book.leftOut.some((prefix) => rel.startsWith(prefix))) return unwrap(link);
    const fragment = decodeURIComponent(url.hash.slice(1));
    if (here.has(rel)) return link.setAttribute("href", `#${destName(rel, fragment)}`);
    link.setAttribute("href", `${ELSEWHERE}${destName(rel, fragment)}?${destName(rel, "")}`);
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

  function element(tag, attributes = {}, text = undefined) {
    const node = document.createElement(tag);
    Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  window.kbBook = { body, fronts, keepShortBoxesWhole, fillPageNumbers };
})();
