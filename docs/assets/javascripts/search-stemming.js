/* English stemming for Material's (and Zensical's) search, done on the query.
 *
 * Turning on lunr's stemmer in the search plugin's `pipeline` breaks whole-word queries in
 * Material 9.x: the worker checks matches against the unstemmed query word ("attention"
 * vs the stored stem "attent") and drops every result. So the index stays unstemmed and
 * each query word is reduced to its stem here instead; Material's trailing wildcard then
 * matches every form: "attentions" -> "attention*" (attention), "drifting" -> "drift*"
 * (drift, drifts), "normalized" -> "normaliz*" (normalization).
 *
 * Loaded before Material's bundle; it wraps Worker.postMessage and rewrites only
 * search queries ({type: 2, data: "..."}, the worker's query message). Zensical's worker
 * takes {type: 2, data: {input: "...", ...}} and matches query words as prefixes; there only
 * plurals are stemmed ("attentions" -> "attention"): a shorter stem ("specified" ->
 * "specifi") matches so many words that the exact ones drop out of the first results. */
(function () {
  "use strict";
  var QUERY = 2;

  function stem(word, pluralsOnly) {
    if (!/^[a-z]+$/i.test(word) || word.length < 5) return word;
    var w = word.toLowerCase();
    if (/ies$/.test(w) && w.length > 5) return w.slice(0, -3);
    if (/sses$/.test(w)) return w.slice(0, -2);
    if (/(ss|us|is)$/.test(w)) return w;
    if (/(x|z|ch|sh)es$/.test(w)) return w.slice(0, -2);
    if (/s$/.test(w)) return w.slice(0, -1);
    if (pluralsOnly) return w;
    if (/ing$/.test(w) && w.length > 6) return w.slice(0, -3);
    if (/ed$/.test(w) && w.length > 5) return w.slice(0, -2);
    return w;
  }

  function stemQuery(query, pluralsOnly) {
    return query.replace(/"[^"]*"|[^\s"]+/g, function (token) {
      return token.charAt(0) === '"' ? token : token.replace(/^([+-]?)([a-z]+)$/i, function (_, op, word) { return op + stem(word, pluralsOnly); });
    });
  }

  function wrap(Worker) {
    if (!Worker || Worker.prototype.__kbStemming) return;
    var post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message) {
      if (message && message.type === QUERY && typeof message.data === "string") {
        message = { type: QUERY, data: stemQuery(message.data) };
      } else if (message && message.type === QUERY && message.data && typeof message.data.input === "string") {
        /* Zensical's worker: {type: 2, data: {input: "...", filter: ...}}; it matches words as prefixes */
        message = { type: QUERY, data: Object.assign({}, message.data, { input: stemQuery(message.data.input, true) }) };
      }
      return post.apply(this, [message].concat([].slice.call(arguments, 1)));
    };
    Worker.prototype.__kbStemming = true;
  }

  wrap(window.Worker);
  window.kbStemQuery = stemQuery; /* for tests and the curious */
})();
