/* gongshi: the site-wide search (search/index.html) over the static index in search/.
   The index format and the algorithm are described in gongshi/search_index.py; the tests'
   reference client (tests/support/search_client.py) is this file's Searcher step for step
   (the tests run both and compare).
   Matching is site.js's: lower-case, spaces and 间隔号 removed, plain substring.
   Without this script the page still links to every 公示名单 and 推荐单位 list.
   Under Node (the tests) the file exports its functions instead of touching a page. */
(function () {
  "use strict";

  /* Matching ignores case, spaces and every 间隔号 (site.js's rule): the dots are the page's
     data-interpunct, which the build writes from gongshi/names.py (INTERPUNCT_VARIANTS). */
  var ignored = /\s+/g;

  function setInterpunct(dots) {
    ignored = new RegExp("[\\s" + (dots || "").replace(/[\\\]^-]/g, "\\$&") + "]+", "g");
  }

  function normalise(text) {
    return (text || "").toLowerCase().replace(ignored, "");
  }

  /* 32-bit FNV-1a over code points, with the manifest's offset and prime
     (gongshi/search_index.py: fnv1a). */
  function hash(text, offset, prime) {
    var h = offset;
    var p = prime;
    for (var i = 0; i < text.length; i++) {
      var cp = text.codePointAt(i);
      if (cp > 0xffff) { i++; }
      h = Math.imul(h ^ cp, p) >>> 0;
    }
    return h;
  }

  /* The query itself when short, else its trigrams, at most `most`, spread from first to last. */
  function queryGrams(q, size, most) {
    var chars = Array.from(q);
    var n = chars.length;
    if (n <= size) { return q ? [q] : []; }
    var last = n - size;
    var starts = [];
    var i;
    if (last + 1 <= most) {
      for (i = 0; i <= last; i++) { starts.push(i); }
    } else {
      for (i = 0; i < most; i++) { starts.push(Math.floor(last * i / (most - 1))); }
    }
    var grams = [];
    for (i = 0; i < starts.length; i++) {
      var gram = chars.slice(starts[i], starts[i] + size).join("");
      if (grams.indexOf(gram) === -1) { grams.push(gram); }
    }
    return grams;
  }

  /* Ascending ids from their letters (gongshi/search_index.py: ids_text): the first id, then
     the gaps, each number in base 26, its last digit a lower-case letter, any before upper-case. */
  function decodeIds(text) {
    var ids = [];
    var value = 0;
    var total = 0;
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code >= 97) {
        value = value * 26 + code - 97;
        total = ids.length === 0 ? value : total + value;
        ids.push(total);
        value = 0;
      } else {
        value = value * 26 + code - 65;
      }
    }
    return ids;
  }

  /* `page`: the manifest's page of results, what 显示更多 adds. */
  function outcome(records, count, exact, more, partial, page) {
    return { records: records, count: count, exact: exact, more: more, partial: partial, page: page };
  }

  /* `folder` + `manifest` is the index's URL (the page's data-search-index);
     fetchJson(url) -> Promise of the parsed file. */
  function Searcher(folder, fetchJson, manifest) {
    this.folder = folder;
    this.manifest = manifest;
    this.fetchJson = fetchJson;
    this.cache = new Map();
  }

  Searcher.prototype.load = function (name) {
    var cache = this.cache;
    if (!cache.has(name)) {
      var promise = this.fetchJson(this.folder + name);
      promise.catch(function () { cache.delete(name); });  // let a later search try again
      cache.set(name, promise);
    }
    return cache.get(name);
  };

  Searcher.prototype.record = async function (id, m) {
    var chunk = await this.load("r-" + Math.floor(id / m.chunk) + ".json");
    var row = chunk.r[id % m.chunk];
    var unit = chunk.u[row[2]];
    return { id: id, name: row[0], note: row[1], unit: unit[0],
             url: unit[1] + (row[5] ? "#" + row[5] : ""),
             category: chunk.c[row[3]], title: chunk.a[unit[2]], key: row[4],
             isUnit: chunk.c[row[3]] === m.unit_label };
  };

  var OVER_BUDGET = { overBudget: true };

  /* The index format this script reads (gongshi/search_index.py: VERSION). A page cached from
     before the site was rebuilt in another format says it cannot search, rather than misread. */
  var VERSION = 3;

  /* A gram's ids in ascending order, its pages loaded as they are reached; `entry`: its ids
     (read from the bucket) or a paged gram's {n, p}. `budget` ({pages: n}, shared by a
     search's cursors) bounds the pages loaded. */
  function Cursor(searcher, entry, m, budget) {
    var inline = Array.isArray(entry);
    this.searcher = searcher;
    this.entry = entry;
    this.budget = budget || null;
    this.ids = inline ? entry : [];
    this.pages = inline ? 1 : Math.ceil(entry.n / m.page);
    this.page = inline ? 1 : 0;
    this.pos = 0;
  }

  Cursor.prototype.peek = async function () {
    while (this.pos >= this.ids.length) {
      if (this.page >= this.pages) { return null; }
      if (this.budget) {
        if (this.budget.pages <= 0) { throw OVER_BUDGET; }
        this.budget.pages--;
      }
      this.ids = decodeIds(await this.searcher.load("p-" + this.entry.p + "-" + this.page + ".json"));
      this.page++;
      this.pos = 0;
    }
    return this.ids[this.pos];
  };

  Cursor.prototype.next = async function () {
    var value = await this.peek();
    if (value !== null) { this.pos++; }
    return value;
  };

  /* Whether `id` is among the ids; asked in ascending order of `id`. */
  Cursor.prototype.has = async function (id) {
    for (;;) {
      var value = await this.peek();
      if (value === null || value > id) { return false; }
      this.pos++;
      if (value === id) { return true; }
    }
  };

  /* The first `limit` results (default: the manifest's page of results). */
  Searcher.prototype.search = async function (query, limit) {
    var self = this;
    var q = normalise(query);
    var none = outcome([], 0, true, false, false);
    if (!q) { return none; }
    var m = await this.load(this.manifest);
    if (m.version !== VERSION) {
      this.cache.delete(this.manifest);  // a later search fetches it again
      throw new Error("search index version " + m.version + ", this script reads " + VERSION);
    }
    limit = limit || m.results;
    var grams = queryGrams(q, m.gram, m.query_grams);
    var buckets = await Promise.all(grams.map(function (g) {
      return self.load("g-" + (hash(g, m.hash.offset, m.hash.prime) % m.buckets) + ".json");
    }));
    var entries = new Map();
    for (var i = 0; i < grams.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(buckets[i], grams[i])) { return none; }
      var entry = buckets[i][grams[i]];  // its ids' letters, or a paged gram's {n, p}
      entries.set(grams[i], typeof entry === "string" ? decodeIds(entry) : entry);
    }
    function count(g) {
      var entry = entries.get(g);
      return Array.isArray(entry) ? entry.length : entry.n;
    }
    var order = grams.slice().sort(function (a, b) {
      return (count(a) - count(b)) || (grams.indexOf(a) - grams.indexOf(b));
    });
    var id;

    if (Array.from(q).length <= m.gram) {  // the query is a gram: its ids are the answer
      var only = new Cursor(this, entries.get(order[0]), m);
      var ids = [];
      while (ids.length < limit && (id = await only.next()) !== null) { ids.push(id); }
      var total = count(order[0]);
      var shown = await Promise.all(ids.map(function (rid) { return self.record(rid, m); }));
      return outcome(shown, total, true, total > limit, false, m.results);
    }

    var budget = { pages: m.page_budget * Math.ceil(limit / m.results) };
    var driver = new Cursor(this, entries.get(order[0]), m, budget);
    var filters = [];
    var paged = 0;
    order.slice(1).forEach(function (g) {
      var entry = entries.get(g);
      if (Array.isArray(entry)) {
        filters.push(new Cursor(self, entry, m, budget));
      } else if (entry.n <= m.filter_ids && paged < m.paged_filters) {
        filters.push(new Cursor(self, entry, m, budget));
        paged++;
      }
    });
    async function nextCandidate() {
      var rid;
      while ((rid = await driver.next()) !== null) {
        var all = true;
        for (var f = 0; f < filters.length && all; f++) { all = await filters[f].has(rid); }
        if (all) { return rid; }
      }
      return null;
    }

    /* Check candidates in id order, a batch (its chunks loaded together) at a time, until one
       match more than the page holds is found, or the candidates run out, or the bounds. */
    var want = limit + 1;
    var cap = limit + m.check_slack;
    var matches = [];
    var chunks = new Set();
    var pending = null;
    var state = "running";
    while (matches.length < want && state === "running") {
      var batch = [];
      var fresh = new Set();
      while (batch.length < want - matches.length) {
        if (pending === null) {
          try {
            pending = await nextCandidate();
          } catch (error) {
            if (error !== OVER_BUDGET) { throw error; }
            state = "stopped";
            break;
          }
          if (pending === null) { state = "exhausted"; break; }
        }
        var c = Math.floor(pending / m.chunk);
        if (!chunks.has(c) && !fresh.has(c) && chunks.size + fresh.size >= cap) { state = "stopped"; break; }
        fresh.add(c);
        batch.push(pending);
        pending = null;
      }
      fresh.forEach(function (c) { chunks.add(c); });
      var checked = await Promise.all(batch.map(function (rid) { return self.record(rid, m); }));
      checked.forEach(function (r) { if (r.key.indexOf(q) !== -1) { matches.push(r); } });
    }
    if (state === "running") {  // a page and one more found: are there other candidates?
      try {
        state = (await nextCandidate()) === null ? "exhausted" : "more";
      } catch (error) {
        if (error !== OVER_BUDGET) { throw error; }
        state = "more";
      }
    }
    if (state === "exhausted") {
      return outcome(matches.slice(0, limit), matches.length, true, matches.length > limit, false,
                     m.results);
    }
    return outcome(matches.slice(0, limit), matches.length, false, true, matches.length < want, m.results);
  };

  /* ---- the page ---- */

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
      return response.json();
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function setup() {
    var holder = document.querySelector("[data-search-index]");
    if (!holder) { return; }
    var form = holder.querySelector("form");
    var input = form.querySelector("input[name=q]");
    var status = holder.querySelector(".search-count");
    var empty = holder.querySelector(".search-empty");
    var list = holder.querySelector(".search-results");
    var more = holder.querySelector(".search-more");
    var needsScript = document.querySelector(".search-needs-js");
    var index = holder.getAttribute("data-search-index");
    var base = holder.getAttribute("data-search-base");
    var cut = index.lastIndexOf("/") + 1;
    var searcher = new Searcher(index.slice(0, cut), fetchJson, index.slice(cut));
    var limit = 0;  // 0: the manifest's page of results
    var page = 0;
    var shown = 0;
    var current = 0;  // the newest search; older answers arriving late are dropped

    if (needsScript) { needsScript.hidden = true; }
    form.hidden = false;

    function resultItem(r) {
      var item = element("li");
      var link = element("a");
      // A unit opens its page; a person or organisation opens it at their own row (highlighted).
      link.href = base + r.url;
      link.appendChild(element("span", "entry-title", r.name));
      var facts = [r.note, r.isUnit ? "" : r.unit, r.category].filter(function (x, i, all) {
        return x && all.indexOf(x) === i;
      });
      link.appendChild(element("span", "entry-note", facts.join(" · ")));
      link.appendChild(element("span", "entry-note", r.title));
      item.appendChild(link);
      return item;
    }

    function show(found, focusFrom) {
      list.textContent = "";
      found.records.forEach(function (r) { list.appendChild(resultItem(r)); });
      list.hidden = found.records.length === 0;
      var n = found.count.toLocaleString("zh-CN");
      if (found.exact) {
        status.textContent = "找到 " + n + " 条";
      } else if (found.partial) {
        status.textContent = "已找到 " + n + " 条，还有记录没有查完";
      } else {
        status.textContent = "找到超过 " + found.records.length.toLocaleString("zh-CN") + " 条";
      }
      empty.hidden = !(found.exact && found.count === 0);
      more.hidden = !found.more;
      more.textContent = found.partial ? "继续查找" : "显示更多";
      if (focusFrom !== undefined && focusFrom < found.records.length) {
        list.children[focusFrom].querySelector("a").focus();
      }
      shown = found.records.length;
      page = found.page;
    }

    function run(query, updateUrl, focusFrom) {
      var mine = ++current;
      if (updateUrl) {
        var url = new URL(window.location.href);
        if (normalise(query)) { url.searchParams.set("q", query); } else { url.searchParams.delete("q"); }
        history.replaceState(null, "", url.pathname + url.search + url.hash);
      }
      if (!normalise(query)) {
        list.textContent = "";
        list.hidden = true;
        empty.hidden = true;
        more.hidden = true;
        status.textContent = "";
        holder.removeAttribute("aria-busy");
        return;
      }
      holder.setAttribute("aria-busy", "true");
      searcher.search(query, limit).then(function (found) {
        if (mine !== current) { return; }
        holder.removeAttribute("aria-busy");
        show(found, focusFrom);
      }, function () {
        if (mine !== current) { return; }
        holder.removeAttribute("aria-busy");
        status.textContent = "暂时无法查找，请稍后再试，或从下面的名单中查阅。";
        more.hidden = true;
      });
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      limit = 0;
      timer = setTimeout(function () { run(input.value, true); }, 150);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      limit = 0;
      run(input.value, true);
    });
    more.addEventListener("click", function () {
      limit = shown + page;
      run(input.value, false, shown);
    });
    function fromUrl() {
      input.value = new URL(window.location.href).searchParams.get("q") || "";
      limit = 0;
      run(input.value, false);
    }
    window.addEventListener("popstate", fromUrl);
    window.addEventListener("pageshow", function (event) { if (event.persisted) { fromUrl(); } });
    fromUrl();
  }

  var api = { VERSION: VERSION, normalise: normalise, hash: hash, queryGrams: queryGrams, decodeIds: decodeIds,
              setInterpunct: setInterpunct, Searcher: Searcher };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else if (typeof document !== "undefined") {
    setInterpunct(document.documentElement.getAttribute("data-interpunct"));
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", setup);
    } else {
      setup();
    }
  }
})();
