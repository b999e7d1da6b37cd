// crossbrief search page: runs the pagefind index under pagefind/ from the
// query and filters in the page's URL (?q=export+controls&countries=China),
// keeps the URL in step as the reader types or filters, and says plainly
// when search cannot load (a page opened from disk), linking to the lists
// to browse instead. Filter values of one kind are alternatives (any of
// them); filters of different kinds must all hold.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL(script.getAttribute("data-root") || "", location.href);
  var defs = JSON.parse(script.getAttribute("data-filters") || "[]");
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var filtersEl = document.getElementById("search-filters");
  var statusEl = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var unavailable = document.getElementById("search-unavailable");
  var PAGE = 10;

  function showUnavailable(why) {
    form.hidden = true;
    statusEl.textContent = "";
    unavailable.hidden = false;
    if (why) document.getElementById("search-why").textContent = why;
  }
  if (location.protocol === "file:") {
    showUnavailable();
    return;
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  var selected = {};
  var anySelected = false;
  defs.forEach(function (d) {
    selected[d.key] = params.getAll(d.key);
    if (selected[d.key].length) anySelected = true;
  });

  var pagefind = null;
  var results = [];
  var shown = 0;
  var runId = 0;
  var panel = null;
  var boxes = {};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function filterQuery() {
    var f = {};
    defs.forEach(function (d) {
      if (selected[d.key].length) f[d.key] = { any: selected[d.key].slice() };
    });
    return f;
  }

  function syncUrl() {
    var p = new URLSearchParams();
    var q = input.value.trim();
    if (q) p.set("q", q);
    defs.forEach(function (d) {
      selected[d.key].forEach(function (v) { p.append(d.key, v); });
    });
    var s = p.toString();
    history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
  }

  // The filter panel, filled from the index the first time it opens (so a
  // plain search does not download every filter's values).
  function buildPanel() {
    panel = el("details", "filter-panel");
    var summary = el("summary", null, "Filters");
    panel.appendChild(summary);
    var body = el("div", "filter-groups");
    panel.appendChild(body);
    filtersEl.appendChild(panel);
    var loaded = false;
    panel.addEventListener("toggle", function () {
      if (!panel.open || loaded) return;
      loaded = true;
      body.appendChild(el("p", "muted", "Loading filters…"));
      pagefind.filters().then(function (all) {
        body.textContent = "";
        defs.forEach(function (d) {
          var values = all[d.key];
          if (!values || !Object.keys(values).length) return;
          var group = el("fieldset", "filter-group");
          group.appendChild(el("legend", null, d.label));
          var names = Object.keys(values).sort(function (a, b) {
            if (d.key === "year") return b.localeCompare(a);
            return values[b] - values[a] || a.localeCompare(b);
          });
          boxes[d.key] = {};
          names.forEach(function (v) {
            var label = el("label", "filter-value");
            var box = document.createElement("input");
            box.type = "checkbox";
            box.name = d.key;
            box.value = v;
            box.checked = selected[d.key].indexOf(v) >= 0;
            box.addEventListener("change", function () {
              var s = selected[d.key];
              var i = s.indexOf(v);
              if (box.checked && i < 0) s.push(v);
              if (!box.checked && i >= 0) s.splice(i, 1);
              syncUrl();
              run();
            });
            var count = el("span", "count", String(values[v]));
            label.appendChild(box);
            label.appendChild(document.createTextNode(" " + v + " "));
            label.appendChild(count);
            boxes[d.key][v] = count;
            group.appendChild(label);
          });
          body.appendChild(group);
        });
        updateCounts(lastCounts);
      });
    });
    if (anySelected) panel.open = true;
  }

  var lastCounts = null;
  function updateCounts(counts) {
    lastCounts = counts;
    if (!counts) return;
    Object.keys(boxes).forEach(function (key) {
      var c = counts[key] || {};
      Object.keys(boxes[key]).forEach(function (v) {
        boxes[key][v].textContent = String(c[v] || 0);
      });
    });
  }

  function activeFilters() {
    var parts = [];
    defs.forEach(function (d) {
      if (selected[d.key].length) parts.push(d.label + ": " + selected[d.key].join(" or "));
    });
    return parts.join("; ");
  }

  function render(r, data) {
    var li = el("li", "search-result");
    var h = el("h2", "result-title");
    var a = el("a", null, data.meta.title || data.url);
    a.href = data.url;
    h.appendChild(a);
    li.appendChild(h);
    var meta = [data.meta.kind, data.meta.brief, data.meta.section].filter(Boolean);
    if (meta.length) li.appendChild(el("p", "result-meta muted", meta.join(" · ")));
    var ex = el("p", "result-excerpt");
    // pagefind's excerpt is the indexed text (HTML-escaped at build time)
    // with <mark> around the words that matched.
    ex.innerHTML = data.excerpt;
    li.appendChild(ex);
    return li;
  }

  function showMore(id) {
    var next = results.slice(shown, shown + PAGE);
    shown += next.length;
    more.hidden = shown >= results.length;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (all) {
      if (id !== runId) return;
      all.forEach(function (data, i) { list.appendChild(render(next[i], data)); });
    });
  }

  function run() {
    var id = ++runId;
    var q = input.value.trim();
    var filters = filterQuery();
    if (!q && !Object.keys(filters).length) {
      list.textContent = "";
      more.hidden = true;
      statusEl.textContent = "Type a word or a phrase; quotes (\"export controls\") match it exactly.";
      updateCounts(null);
      return Promise.resolve();
    }
    statusEl.textContent = "Searching…";
    return pagefind.search(q || null, { filters: filters }).then(function (res) {
      if (id !== runId || !res) return;
      results = res.results;
      shown = 0;
      list.textContent = "";
      var what = q ? "“" + q + "”" : "all claims";
      var f = activeFilters();
      statusEl.textContent = results.length + " result" + (results.length === 1 ? "" : "s") +
        " for " + what + (f ? " (" + f + ")" : "") + ".";
      updateCounts(res.filters);
      return showMore(id);
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { syncUrl(); run(); }, 250);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    syncUrl();
    run();
  });
  more.addEventListener("click", function () { showMore(runId); });

  statusEl.textContent = "Loading the search index…";
  import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
    pagefind = pf;
    return pf.options({ excerptLength: 30 });
  }).then(function () {
    buildPanel();
    return run();
  }).catch(function (e) {
    showUnavailable("The search index could not be loaded (" + (e && e.message || e) + ").");
  });
})();
