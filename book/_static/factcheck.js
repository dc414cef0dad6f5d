/* Filters for the fact-check table: by verdict, by chapter and by text. No network, no libraries. */
(function () {
  function apply(form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    if (!table) { return; }
    var verdict = form.elements.verdict.value;
    var chapter = form.elements.chapter.value;
    var q = form.elements.q.value.trim().toLowerCase();
    var shown = 0;
    var rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var ok = (!verdict || r.getAttribute("data-verdict") === verdict) &&
               (!chapter || r.getAttribute("data-chapter") === chapter) &&
               (!q || r.textContent.toLowerCase().indexOf(q) !== -1);
      r.hidden = !ok;
      if (ok) { shown++; }
    }
    form.elements.shown.value = "显示 " + shown + " / " + rows.length + " 条";
  }
  function init() {
    var forms = document.querySelectorAll("form.claim-filter");
    for (var i = 0; i < forms.length; i++) {
      (function (form) {
        form.addEventListener("input", function () { apply(form); });
        form.addEventListener("change", function () { apply(form); });
        form.addEventListener("submit", function (e) { e.preventDefault(); });
        var params = new URLSearchParams(window.location.search);
        if (params.get("verdict")) { form.elements.verdict.value = params.get("verdict"); }
        apply(form);
      })(forms[i]);
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();

/* The book's search. Sphinx indexes the pages with jieba (book/search-dict.txt); these two changes let a
   reader find any printed figure or rank, e.g. 53, 第53位, 15.53 or 135.71:
   * splitQuery (defined before searchtools.js, which keeps a splitQuery already defined): a decimal number
     stays whole (Sphinx's default splits at every "."), and a number written into Chinese (第53位, 52件) is
     split from it, the single characters around it dropped: the index holds 53, not 第 or 位;
   * Sphinx then drops every all-digit word of a query (so 53 found nothing): _parseQuery is wrapped to add
     them back, once searchtools.js has defined it;
   * jieba indexes a percentage with its sign (135.71%), so a page that prints 135.71% is also listed under
     the bare number a reader types: the loaded index is completed once, in place. */
var splitQuery = function (query) {
  var out = [];
  query
    .split(/(?:[^\p{Letter}\p{Number}_.%\p{Emoji_Presentation}]|(?<!\p{Number})\.|\.(?!\p{Number}))+/gu)
    .forEach(function (term) {
      if (!term) { return; }
      var parts = term.match(/\p{Number}+(?:\.\p{Number}+)?%?|[^\p{Number}]+/gu) || [];
      if (parts.length < 2) { out.push(term); return; }
      parts.forEach(function (part) {
        var chinese = /^[\p{Script=Han}]$/u.test(part);  // one character around a number: 第, 位, 件
        if (!chinese) { out.push(part); }
      });
    });
  return out;
};
(function () {
  function keepNumbers() {
    if (typeof Search === "undefined" || !Search._parseQuery || Search._parseQuery.keepsNumbers) { return; }
    var parse = Search._parseQuery;
    Search._parseQuery = function (query) {
      var parsed = parse(query);  // [query, searchTerms, excludedTerms, highlightTerms, objectTerms]
      splitQuery(query.trim()).forEach(function (term) {
        if (/^\d+$/.test(term)) { parsed[1].add(term); parsed[3].add(term); }
      });
      return parsed;
    };
    Search._parseQuery.keepsNumbers = true;
    if (Search._index) { bareNumbers(Search._index); }
    var setIndex = Search.setIndex;
    Search.setIndex = function (index) { bareNumbers(index); return setIndex(index); };
  }
  function bareNumbers(index) {
    ["terms", "titleterms"].forEach(function (kind) {
      var terms = index[kind];
      if (!terms || terms.__bareNumbers) { return; }
      Object.keys(terms).forEach(function (term) {
        var m = /^(\d+(?:\.\d+)?)%$/.exec(term);
        if (!m) { return; }
        var docs = [].concat(terms[m[1]] === undefined ? [] : terms[m[1]], terms[term]);
        terms[m[1]] = docs.filter(function (d, i) { return docs.indexOf(d) === i; });
      });
      Object.defineProperty(terms, "__bareNumbers", {value: true});
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", keepNumbers); } else { keepNumbers(); }
})();

/* The sidebar buttons. The theme (pydata-sphinx-theme 0.17 under sphinx-book-theme) binds its handlers to the
   first .primary-toggle and .secondary-toggle of the page, a navbar button that is never shown (upstream
   issue pydata-sphinx-theme#2451): the visible buttons of the page header did nothing, so a phone reader could
   not open the book's contents or the page's. They hand their click to the bound button: on a phone it opens
   the contents as a dialog, on a wide screen it folds the sidebar, as the theme means them to. */
(function () {
  function forward(selector) {
    var buttons = document.querySelectorAll(selector);
    for (var i = 1; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (e) {
        e.preventDefault();
        e.stopPropagation();
        buttons[0].click();
      });
    }
  }
  function init() { forward(".primary-toggle"); forward(".secondary-toggle"); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
