// crossbrief reading aids. Everything here is an addition: without this
// script every page shows all it has (references stay selectable, every
// claim stays listed).
// - Copy buttons of "Cite this" boxes; a reference's address made absolute
//   where the site has no base URL.
// - Keys: j / k for the next / previous claim or page, / to search,
//   ? for the list of keys.
// - Term pages: the filter of the listed claims.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script && script.src;
  var each = function (sel, f) { Array.prototype.forEach.call(document.querySelectorAll(sel), f); };

  if (base) each(".permalink[data-path]", function (el) {
    try { el.textContent = new URL(el.getAttribute("data-path"), base).href; } catch (e) { /* keep the path */ }
  });

  each("button.copy[data-copy]", function (b) {
    var target = document.getElementById(b.getAttribute("data-copy"));
    if (!target) return;
    var label = b.textContent;
    b.hidden = false;
    b.setAttribute("aria-live", "polite");
    function done() {
      b.textContent = "Copied";
      setTimeout(function () { b.textContent = label; }, 2000);
    }
    function select() {
      var r = document.createRange();
      r.selectNodeContents(target);
      var s = window.getSelection();
      s.removeAllRanges();
      s.addRange(r);
      try { if (document.execCommand("copy")) done(); } catch (e) { /* selected: the reader copies */ }
    }
    b.addEventListener("click", function () {
      var text = target.textContent;
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, select);
      else select();
    });
  });

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var link = null;
    if (e.key === "j") link = document.querySelector("main a[rel=next]");
    else if (e.key === "k") link = document.querySelector("main a[rel=prev]");
    else if (e.key === "?") link = document.querySelector("link[rel=help]");
    else if (e.key === "/") {
      var q = document.getElementById("search-q") || document.getElementById("site-search");
      if (q && !q.disabled) { e.preventDefault(); q.focus(); }
      return;
    }
    if (link && link.href) { e.preventDefault(); location.href = link.href; }
  });

  var form = document.getElementById("claim-filter");
  if (!form) return;
  var items = Array.prototype.slice.call(document.querySelectorAll(".claim-list .claim-item"));
  var status = form.querySelector(".filter-status");
  form.hidden = false;
  function apply() {
    var chosen = [];
    Array.prototype.forEach.call(form.querySelectorAll("select[data-filter]"), function (s) {
      if (s.value) chosen.push([s.getAttribute("data-filter"), s.value]);
    });
    var shown = 0;
    items.forEach(function (li) {
      var ok = chosen.every(function (c) {
        if (c[0] === "kind") return li.classList.contains("kind-" + c[1]);
        if (c[0] === "brief") return !!li.closest("#group-" + c[1]);
        return (" " + (li.getAttribute("data-terms") || "") + " ").indexOf(" " + c[0] + ":" + c[1] + " ") >= 0;
      });
      li.hidden = !ok;
      if (ok) shown += 1;
    });
    each(".claim-group", function (g) { g.hidden = !g.querySelector(".claim-item:not([hidden])"); });
    status.textContent = chosen.length ? "Showing " + shown + " of " + items.length + " claims." : "";
  }
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
})();
