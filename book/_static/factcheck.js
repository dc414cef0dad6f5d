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

/* The book's search splits a query into words. Sphinx's default splits at every "." and then drops
   all-digit words, so a search for 135.71 found nothing: keep a decimal number whole. Defined before
   searchtools.js, which uses a splitQuery already defined. */
var splitQuery = function (query) {
  return query
    .split(/(?:[^\p{Letter}\p{Number}_.%\p{Emoji_Presentation}]|(?<!\p{Number})\.|\.(?!\p{Number}))+/gu)
    .filter(function (term) { return term; });
};
