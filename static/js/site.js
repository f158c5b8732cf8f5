/* gongshi: progressive enhancement only. Every page reads and navigates without it:
   this script adds the text-size switch, keeps the 公示 status current, completes the
   objection links' mail body, offers copy buttons, and filters lists as you type (the
   query kept in the URL): the table of contents steps aside and the view moves to the first
   match, under the find box. */
(function () {
  "use strict";

  var SIZE_KEY = "gongshi-text-size";
  /* Matching ignores case, spaces and every 间隔号: the dots are the page's data-interpunct,
     which the build writes from gongshi/names.py (INTERPUNCT_VARIANTS). */
  var IGNORED = ignoredPattern(document.documentElement.getAttribute("data-interpunct"));

  function ignoredPattern(dots) {
    return new RegExp("[\\s" + (dots || "").replace(/[\\\]^-]/g, "\\$&") + "]+", "g");
  }

  function normalise(text) {
    return (text || "").toLowerCase().replace(IGNORED, "");
  }

  /* ---- text size, remembered across pages and visits ---- */
  function applySize(size) {
    document.documentElement.setAttribute("data-text-size", size);
    var buttons = document.querySelectorAll("[data-text-size-choice]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-text-size-choice") === size));
    }
  }
  function setupTextSize() {
    var box = document.querySelector(".text-size");
    if (!box) { return; }
    var saved = "normal";
    try { saved = localStorage.getItem(SIZE_KEY) || "normal"; } catch (e) { /* storage off */ }
    applySize(saved);
    box.hidden = false;
    box.addEventListener("click", function (event) {
      var choice = event.target.closest("[data-text-size-choice]");
      if (!choice) { return; }
      var size = choice.getAttribute("data-text-size-choice");
      applySize(size);
      try { localStorage.setItem(SIZE_KEY, size); } catch (e) { /* storage off */ }
    });
  }

  /* ---- the 公示 status, recomputed from the embedded dates on the reader's day ---- */
  function chinaToday() {
    var parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit"
    }).formatToParts(new Date());
    var get = function (type) { return parts.filter(function (p) { return p.type === type; })[0].value; };
    return get("year") + "-" + get("month") + "-" + get("day");
  }
  function statusOn(period, today) {
    if (today > period.end) { return { state: "closed", label: "已结束" }; }
    if (today < period.start) { return { state: "upcoming", label: "未开始" }; }
    if (today > period.to) { return null; } // beyond the embedded calendar: keep the built text
    var remaining = (period.workdays || []).filter(function (d) { return d >= today && d <= period.end; }).length;
    return { state: "open", label: remaining ? "公示中（还剩 " + remaining + " 个工作日）" : "公示中（已无剩余工作日）" };
  }
  /* A page built while objections were open (data-built-state) carries the closed state's
     parts too, hidden: once the reader's day is past the period, only they show, so no one
     is invited to object after the deadline; before the first day (a clock behind the build)
     the channel stays, labelled 未开始. A page built after the period is final as built. */
  function setupStatus() {
    var holder = document.querySelector("[data-period]");
    if (!holder || holder.getAttribute("data-built-state") !== "open") { return null; }
    var period;
    try { period = JSON.parse(holder.getAttribute("data-period")); } catch (e) { return null; }
    var status = statusOn(period, chinaToday());
    if (!status) { return null; }
    var labels = document.querySelectorAll(".js-status-label");
    for (var i = 0; i < labels.length; i++) { labels[i].textContent = status.label; }
    var boxes = document.querySelectorAll(".status");
    for (var j = 0; j < boxes.length; j++) {
      boxes[j].className = boxes[j].className.replace(/status-(upcoming|open|closed)/, "status-" + status.state);
    }
    if (status.state === "closed") { showOnly("closed"); }
    return status.state;
  }
  function showOnly(state) {
    var parts = document.querySelectorAll("[data-while]");
    for (var i = 0; i < parts.length; i++) { parts[i].hidden = parts[i].getAttribute("data-while") !== state; }
    // A unit's heading row spans the columns still shown (the 异议 column comes and goes).
    var tables = document.querySelectorAll("table.recipients");
    for (var t = 0; t < tables.length; t++) {
      var columns = String(tables[t].querySelectorAll("thead th:not([hidden])").length);
      var spans = tables[t].querySelectorAll(".group-row > td[colspan]");
      for (var s = 0; s < spans.length; s++) { spans[s].setAttribute("colspan", columns); }
    }
  }

  /* ---- the objection form in each row's 异议 link ---- */
  /* A row's link is mailto:ADDRESS?subject=… (it works without this script). The body asking
     for the facts, name, unit and phone is the same for every row, so a list carries it once,
     percent-encoded, in data-objection-body (gongshi/site/objection.py): added to each link of
     that list here. Not once the period is over: the links are hidden then (setupStatus). */
  function setupObjectionBodies(state) {
    if (state === "closed") { return; }
    var lists = document.querySelectorAll("[data-objection-body]");
    for (var i = 0; i < lists.length; i++) {
      var body = lists[i].getAttribute("data-objection-body");
      var links = lists[i].querySelectorAll("td.col-objection a[href^='mailto:']");
      for (var j = 0; j < links.length; j++) {
        var href = links[j].getAttribute("href");
        if (!/[?&]body=/.test(href)) {
          links[j].setAttribute("href", href + (href.indexOf("?") === -1 ? "?" : "&") + "body=" + body);
        }
      }
    }
  }

  /* ---- copy buttons next to addresses (mailto does nothing inside many apps) ---- */
  function setupCopy() {
    var targets = document.querySelectorAll("[data-copy]");
    for (var i = 0; i < targets.length; i++) {
      (function (target) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "copy-button";
        button.textContent = "复制";
        button.setAttribute("aria-label", "复制 " + target.getAttribute("data-copy"));
        var note = document.createElement("span");
        note.className = "copy-note";
        note.setAttribute("role", "status");
        button.addEventListener("click", function () {
          var text = target.getAttribute("data-copy");
          var done = function () { note.textContent = "已复制"; setTimeout(function () { note.textContent = ""; }, 2500); };
          if (navigator.clipboard && navigator.clipboard.writeText) {
            navigator.clipboard.writeText(text).then(done, function () { selectText(target); });
          } else {
            selectText(target);
          }
        });
        target.parentNode.insertBefore(note, target.nextSibling);
        target.parentNode.insertBefore(button, target.nextSibling);
      })(targets[i]);
    }
  }
  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  /* ---- filtering lists as you type; the query lives in the URL (?q=) ---- */
  /* A row's search string, as gongshi/site/search.py's search_text() writes it: the name, the
     工作单位及职务 and the 推荐单位 the row shows (the unit in its cell, or on its group's
     <tbody> when the group's rows share it), then the name's pinyin (data-search), joined by
     "|" where not empty. */
  function rowKey(row) {
    var name = row.querySelector(".name") || row.querySelector(".col-org");
    var title = row.querySelector(".col-title");
    var unit = row.querySelector(".col-unit");
    var parts = [name ? name.textContent : "", title ? title.textContent : "",
                 unit ? unit.textContent : row.parentNode.getAttribute("data-unit") || "",
                 row.getAttribute("data-search")];
    return parts.filter(function (part) { return part; }).join("|");
  }

  function setupFilter() {
    var form = document.querySelector(".list-filter");
    var scope = document.querySelector("[data-filter-scope]");
    if (!form || !scope) { return; }
    var input = form.querySelector("input[type=search]");
    var count = form.querySelector(".filter-count");
    var empty = document.querySelector(".filter-empty");
    var toc = document.querySelector(".list-area > .toc-grid");
    var siteLink = document.querySelector("[data-site-search]");
    var siteBase = siteLink ? siteLink.getAttribute("href") : "";
    var rows = scope.querySelectorAll("tr[data-search]");
    var keys = [];
    for (var i = 0; i < rows.length; i++) { keys.push(normalise(rowKey(rows[i]))); }
    var groups = scope.querySelectorAll("[data-filter-group]");
    form.hidden = false;
    if (siteLink) { siteLink.parentNode.hidden = false; }

    /* The first match in view just under the find box (which sticks to the top). */
    function showFirst() {
      var first = scope.querySelector("tr[data-search]:not([hidden])");
      if (!first) { return; }
      var section = first.closest(".category");
      var target = section || first;
      var top = form.getBoundingClientRect().bottom;
      var box = target.getBoundingClientRect();
      var row = first.getBoundingClientRect();
      if (box.top >= top && row.bottom <= window.innerHeight) { return; }  // already in view
      var offset = form.offsetHeight + 8;
      var y = window.pageYOffset + box.top - offset;
      if (row.bottom - box.top > window.innerHeight - offset) {
        y = window.pageYOffset + row.top - offset - 40;  // a long section: the row itself
      }
      window.scrollTo(0, Math.max(0, y));
    }

    function run(query, updateUrl, moveView) {
      var q = normalise(query);
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var match = !q || keys[i].indexOf(q) !== -1;
        rows[i].hidden = !match;
        if (match) { shown++; }
      }
      for (var g = 0; g < groups.length; g++) {
        groups[g].hidden = q !== "" && !groups[g].querySelector("tr[data-search]:not([hidden])");
      }
      count.textContent = q ? "找到 " + shown + " 条" : "共 " + rows.length + " 条";
      if (empty) { empty.hidden = !(q && shown === 0); }
      if (toc) { toc.hidden = q !== ""; }
      if (siteLink) { siteLink.href = q ? siteBase + "?q=" + encodeURIComponent(query) : siteBase; }
      if (updateUrl) {
        var url = new URL(window.location.href);
        if (q) { url.searchParams.set("q", query); } else { url.searchParams.delete("q"); }
        history.replaceState(null, "", url.pathname + url.search + url.hash);
      }
      if (moveView && q && shown) { showFirst(); }
    }
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value, true, true); }, 80);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); run(input.value, true, true); });
    function fromUrl() {
      input.value = new URL(window.location.href).searchParams.get("q") || "";
      run(input.value, false, false);
    }
    window.addEventListener("popstate", fromUrl);
    window.addEventListener("pageshow", fromUrl);
    fromUrl();
    // A link to a row (a search result): now that the find box shows, bring the row into view
    // again below it (the browser scrolled before the box was there).
    var target = window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target && target.matches("tr[data-search]") && !target.hidden) {
      target.scrollIntoView({ block: "start" });
    }
  }

  function start() {
    setupTextSize();
    setupObjectionBodies(setupStatus());
    setupCopy();
    setupFilter();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
