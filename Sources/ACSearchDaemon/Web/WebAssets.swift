/// The page's stylesheet, script and icon, built into the binary: nothing to
/// install beside it, nothing loaded from elsewhere (the CSP allows only 'self').
enum WebAssets {
    struct Asset: Sendable {
        let contentType: String
        let body: [UInt8]
    }

    static let all: [String: Asset] = [
        "acsearch.css": Asset(contentType: "text/css; charset=utf-8", body: Array(css.utf8)),
        "acsearch.js": Asset(contentType: "text/javascript; charset=utf-8", body: Array(script.utf8)),
        "favicon.svg": Asset(contentType: "image/svg+xml", body: Array(icon.utf8)),
    ]

    /// Changes with the assets' bytes, so that their URLs (`?v=`) can be cached for long.
    static let version: String = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for name in all.keys.sorted() {
            for byte in all[name]!.body {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
        return String(hash, radix: 36)
    }()

    static let css = """
    :root { --ink: #1d2430; --muted: #5d6675; --line: #d9dee6; --accent: #a3261b; --soft: #f5f6f8; --mark: #ffe58a; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
    a { color: #1a4f9c; }
    a:visited { color: #5a3a8c; }
    header.top { display: flex; gap: 1rem; align-items: center; padding: .6rem 1.2rem; border-bottom: 3px solid var(--accent); background: var(--soft); flex-wrap: wrap; }
    .brand { font-weight: 700; font-size: 1.25rem; color: var(--accent); text-decoration: none; }
    form.search { display: flex; flex: 1; gap: .4rem; min-width: 16rem; }
    form.search input[type=search] { flex: 1; font: inherit; padding: .4rem .6rem; border: 1px solid #9aa3b2; border-radius: 4px; }
    form.search button { font: inherit; padding: .4rem 1rem; border: 0; border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; }
    .switch { font-size: .9rem; }
    .nav-watches { font-size: .9rem; }
    table.watch-list { border-collapse: collapse; margin: .6rem 0; }
    table.watch-list th, table.watch-list td { text-align: left; padding: .25rem .8rem .25rem 0; border-bottom: 1px solid var(--line); }
    td.unread, strong.unread { font-variant-numeric: tabular-nums; }
    td.unread.on { font-weight: 700; color: var(--accent); }
    .watch-this pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); padding: .4rem .6rem; }
    .tagline { margin: .4rem 1.2rem 0; color: var(--muted); font-size: .9rem; }
    main { padding: .6rem 1.2rem 2rem; }
    .layout { display: grid; grid-template-columns: 15rem 1fr; gap: 1.6rem; }
    @media (max-width: 50rem) { .layout, .columns { grid-template-columns: 1fr !important; } }
    aside h2, .timeline h2, .links h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 1rem 0 .3rem; }
    aside ul, .links ul { list-style: none; margin: 0; padding: 0; }
    aside.facets li { display: flex; justify-content: space-between; gap: .5rem; font-size: .92rem; padding: .05rem 0; }
    aside.facets li a { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    a.on { font-weight: 700; color: var(--accent); }
    .count { color: var(--muted); font-variant-numeric: tabular-nums; }
    .chip { background: var(--soft); border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem; }
    .remove { text-decoration: none; font-weight: 700; }
    .timeline svg { width: 100%; height: 5rem; display: block; border-bottom: 1px solid var(--line); }
    .timeline rect.hit { fill: transparent; }
    .timeline rect.fill { fill: #c9a39f; }
    .timeline a.bar:hover rect.fill, .timeline a.bar:focus rect.fill { fill: var(--accent); }
    .timeline a.bar.on rect.fill, .timeline a.bar.start rect.fill { fill: var(--accent); }
    .axis { display: flex; justify-content: space-between; margin: .1rem 0 0; font-size: .8rem; color: var(--muted); }
    .hint { font-size: .8rem; color: var(--muted); margin: .1rem 0 .6rem; }
    .summary { color: var(--muted); margin: .6rem 0 .2rem; }
    .sort { font-size: .9rem; color: var(--muted); }
    ol.hits { padding-left: 1.6rem; }
    .hit { margin: 1rem 0; }
    .hit h3 { font-size: 1.05rem; margin: 0; font-weight: 600; }
    .meta { margin: .1rem 0; font-size: .88rem; color: var(--muted); }
    .kind { font-weight: 600; color: var(--ink); }
    .snippet { margin: .2rem 0; font-size: .95rem; }
    mark { background: var(--mark); color: inherit; padding: 0 .05em; }
    .paging { display: flex; gap: 1rem; align-items: center; margin: 1.2rem 0; }
    .help { margin-top: 2rem; font-size: .92rem; }
    .help dt { margin-top: .4rem; }
    .help dd { margin-left: 1rem; color: var(--muted); }
    code { background: var(--soft); padding: 0 .2rem; border-radius: 3px; }
    .error, .partial { background: #fdecea; border-left: 4px solid var(--accent); padding: .5rem .8rem; }
    .nothing { font-size: 1.1rem; }
    .columns { display: grid; grid-template-columns: 1fr 18rem; gap: 2rem; }
    .document h1 { font-size: 1.5rem; margin: .2rem 0 .8rem; }
    .metadata { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; font-size: .92rem; margin: 0 0 1rem; }
    .metadata dt { color: var(--muted); }
    .metadata dd { margin: 0; overflow-wrap: anywhere; }
    .body { white-space: pre-wrap; max-width: 48rem; line-height: 1.6; }
    .links li { margin: .35rem 0; font-size: .92rem; }
    .muted { color: var(--muted); font-size: .85rem; }
    footer { border-top: 1px solid var(--line); padding: .6rem 1.2rem; color: var(--muted); font-size: .8rem; }
    """

    /// Enhancements only: every page works without it (the CSP refuses inline script,
    /// so this file is the page's only script).
    static let script = """
    "use strict";
    (function () {
      var box = document.getElementById("q");
      // "/" puts the cursor in the search box, as on many search pages.
      document.addEventListener("keydown", function (event) {
        var target = event.target;
        if (event.key === "/" && box && target !== box && !(target instanceof HTMLInputElement)) {
          event.preventDefault();
          box.focus();
          box.select();
        }
      });
      // Completions of the last word, from /v1/suggest, as one types.
      var list = document.getElementById("suggestions"), timer = 0, asked = "";
      if (box && list && window.fetch) {
        box.addEventListener("input", function () {
          clearTimeout(timer);
          timer = setTimeout(function () {
            var text = box.value;
            if (text.length < 2 || text === asked) { return; }
            asked = text;
            fetch("/v1/suggest?q=" + encodeURIComponent(text)).then(function (answer) {
              return answer.ok ? answer.json() : null;
            }).then(function (answer) {
              if (!answer || box.value !== text) { return; }
              list.replaceChildren();
              answer.completions.forEach(function (completion) {
                var option = document.createElement("option");
                option.value = completion;
                list.appendChild(option);
              });
            }).catch(function () {});
          }, 150);
        });
      }
      // The timeline: a click keeps a bar's dates (the link); shift-click marks a
      // first bar, and a click on a second keeps the dates from one to the other.
      var start = null;
      document.querySelectorAll(".timeline a.bar").forEach(function (bar) {
        bar.addEventListener("click", function (event) {
          if (start === null) {
            if (!event.shiftKey) { return; }
            event.preventDefault();
            start = bar;
            bar.classList.add("start");
            return;
          }
          event.preventDefault();
          var bounds = [start.dataset.from, start.dataset.to, bar.dataset.from, bar.dataset.to].sort();
          var url = new URL(bar.getAttribute("href"), window.location.href);
          url.searchParams.set("from", bounds[0]);
          url.searchParams.set("to", bounds[3]);
          window.location.href = url.toString();
        });
      });
    })();
    """

    static let icon = """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#a3261b"/><circle cx="7" cy="7" r="3.5" fill="none" stroke="#fff" stroke-width="1.6"/><path d="M9.6 9.6 13 13" stroke="#fff" stroke-width="1.8" stroke-linecap="round"/></svg>
    """
}
