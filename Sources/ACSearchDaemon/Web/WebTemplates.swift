/// The page's Mustache templates. `{{name}}` escapes what it writes (`&<>"'`); the
/// only `{{{raw}}}` values are the snippets and the highlighted body, which the index
/// layer has already escaped (`SnippetHTML`) with only its `<mark>` tags added.
enum WebTemplates {
    static let head = """
    <!doctype html>
    <html lang="{{lang}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{pageTitle}}</title>
    <link rel="stylesheet" href="/static/acsearch.css?v={{assetVersion}}">
    <link rel="icon" href="/static/favicon.svg?v={{assetVersion}}" type="image/svg+xml">
    <script src="/static/acsearch.js?v={{assetVersion}}" defer></script>
    </head>
    <body>
    <header class="top">
    <a class="brand" href="{{homeHref}}">acsearch</a>
    <form class="search" action="/" method="get" role="search">
    <input type="search" name="q" id="q" value="{{q}}" placeholder="{{t.placeholder}}" aria-label="{{t.search}}" list="suggestions" autocomplete="off">
    <datalist id="suggestions"></datalist>
    {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/hidden}}
    <button type="submit">{{t.search}}</button>
    </form>
    {{#watchesHref}}<a class="nav-watches" href="{{.}}">{{t.watches}}</a>{{/watchesHref}}
    <a class="switch" href="{{switchHref}}" hreflang="{{t.switch_lang}}" lang="{{t.switch_lang}}">{{t.switch}}</a>
    </header>
    <p class="tagline">{{t.tagline}}</p>

    """

    static let foot = """
    <footer><a href="/v1/status">/v1/status</a> · acsearch {{version}}</footer>
    </body>
    </html>

    """

    static let results = """
    {{> head}}
    <main class="layout">
    <aside class="facets">
    {{#hasChips}}<section class="chips"><h2>{{t.filters}}</h2><ul>{{#chips}}<li><span class="chip">{{label}}: {{value}}</span> <a href="{{href}}" class="remove" title="{{t.remove}}" aria-label="{{t.remove}} {{label}}">×</a></li>{{/chips}}</ul><p><a href="{{clearHref}}" class="clear">{{t.clear_all}}</a></p></section>{{/hasChips}}
    {{#facets}}<section class="facet" data-facet="{{name}}"><h2>{{label}}</h2><ul>{{#values}}<li><a href="{{href}}"{{#selected}} class="on" aria-current="true"{{/selected}}>{{label}}</a> <span class="count">{{count}}</span></li>{{/values}}</ul></section>{{/facets}}
    </aside>
    <div class="results">
    {{#error}}<p class="error" role="alert"><strong>{{t.error}}</strong>: {{.}}</p>{{/error}}
    {{#corrected}}<p class="corrected">{{t.did_you_mean}} <a href="{{href}}">{{text}}</a>?</p>{{/corrected}}
    {{#placesText}}<p class="places">{{t.places}}: {{.}}</p>{{/placesText}}
    {{#partial}}<p class="partial">{{t.partial}}</p>{{/partial}}
    {{#timeline}}<section class="timeline"><h2>{{t.timeline}}</h2>
    <svg viewBox="0 0 {{width}} {{height}}" role="img" aria-label="{{t.timeline}}" preserveAspectRatio="none">{{#bars}}<a href="{{href}}" class="bar{{#selected}} on{{/selected}}" data-from="{{from}}" data-to="{{to}}" data-label="{{label}}"><title>{{label}}: {{count}}</title><rect class="hit" x="{{slotX}}" y="0" width="{{slot}}" height="{{plot}}"></rect><rect class="fill" x="{{x}}" y="{{y}}" width="{{w}}" height="{{h}}"></rect></a>{{/bars}}</svg>
    <p class="axis"><span>{{firstLabel}}</span><span>{{lastLabel}}</span></p>
    <p class="hint">{{t.timeline_hint}}</p></section>{{/timeline}}
    {{#summary}}<p class="summary">{{#about}}{{t.about}} {{/about}}<strong>{{total}}</strong> {{noun}}{{#range}}, {{t.showing}} {{.}}{{/range}} ({{took}} {{t.ms}}) · <a href="{{exportHref}}" class="export">{{t.export}}</a>{{#exportLimited}} ({{t.export_limit}}){{/exportLimited}}</p>
    <nav class="sort">{{t.sort}}: {{#sorts}}<a href="{{href}}"{{#selected}} class="on" aria-current="true"{{/selected}}>{{label}}</a> {{/sorts}}</nav>{{/summary}}
    {{#watchCommand}}<details class="watch-this"><summary>{{t.watch_this}}</summary><p class="hint">{{t.watch_this_how}}</p><pre><code>{{.}}</code></pre></details>{{/watchCommand}}
    {{#empty}}<p class="nothing">{{t.nothing}}</p>{{/empty}}
    {{#hasHits}}<ol class="hits" start="{{start}}">{{#hits}}<li class="hit"><h3><a href="{{href}}">{{title}}</a></h3>
    <p class="meta"><span class="kind kind-{{kind}}">{{kindLabel}}</span>{{#date}} · <time>{{.}}</time>{{/date}}{{#number}} · <span class="number">{{.}}</span>{{/number}}{{#issuer}} · <span class="issuer">{{.}}</span>{{/issuer}}{{#amount}} · <span class="amount">{{.}}</span>{{/amount}}{{#places}} · <span class="places">{{.}}</span>{{/places}}{{#collapsed}} · +{{.}}{{/collapsed}}</p>
    <p class="snippet">{{{snippet}}}</p></li>{{/hits}}</ol>{{/hasHits}}
    {{#paging}}<nav class="paging">{{#previous}}<a href="{{.}}" rel="prev">{{t.previous}}</a>{{/previous}} <span>{{t.page}} {{page}}</span> {{#next}}<a href="{{.}}" rel="next">{{t.next}}</a>{{/next}}</nav>{{/paging}}
    <details class="help"{{#openHelp}} open{{/openHelp}}><summary>{{t.help}}</summary><dl>{{#help}}<dt><a href="{{href}}"><code>{{example}}</code></a></dt><dd>{{meaning}}</dd>{{/help}}</dl></details>
    </div>
    </main>
    {{> foot}}
    """

    static let document = """
    {{> head}}
    <main class="document">
    <p><a href="{{backHref}}" class="back">{{t.back}}</a></p>
    <div class="columns">
    <article>
    <h1>{{title}}</h1>
    <dl class="metadata">{{#fields}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/fields}}{{#originalHref}}<dt>{{t.original}}</dt><dd><a href="{{.}}" rel="noopener noreferrer nofollow" class="original">{{.}}</a></dd>{{/originalHref}}{{#originalText}}<dt>{{t.original}}</dt><dd>{{.}}</dd>{{/originalText}}</dl>
    <div class="body" lang="{{docLang}}">{{{body}}}</div>
    </article>
    <aside class="links">
    {{#hasCites}}<section class="cites"><h2>{{t.cites}}</h2><ul>{{#cites}}<li><a href="{{href}}">{{label}}</a>{{#note}} <span class="muted">({{.}})</span>{{/note}}</li>{{/cites}}</ul></section>{{/hasCites}}
    {{#hasCitedBy}}<section class="cited-by"><h2>{{t.cited_by}}</h2><ul>{{#citedBy}}<li><a href="{{href}}">{{label}}</a> <span class="muted">{{meta}}</span></li>{{/citedBy}}</ul>{{#allCitingHref}}<p><a href="{{.}}">{{t.all_citing}}</a></p>{{/allCitingHref}}</section>{{/hasCitedBy}}
    {{#hasSimilar}}<section class="similar"><h2>{{t.similar}}</h2><ul>{{#similar}}<li><a href="{{href}}">{{title}}</a> <span class="muted">{{meta}}</span></li>{{/similar}}</ul></section>{{/hasSimilar}}
    </aside>
    </div>
    </main>
    {{> foot}}
    """

    static let watches = """
    {{> head}}
    <main class="watches">
    <h1>{{t.watches}}</h1>
    {{#error}}<p class="error" role="alert"><strong>{{t.error}}</strong>: {{.}}</p>{{/error}}
    {{#hasWatches}}<table class="watch-list"><thead><tr><th>{{t.watch_name}}</th><th>{{t.watch_search}}</th><th>{{t.watch_unread}}</th><th>{{t.watch_since}}</th></tr></thead>
    <tbody>{{#watches}}<tr><td><a href="{{href}}" class="watch">{{name}}</a></td><td><a href="{{searchHref}}" class="run">{{described}}</a></td><td class="unread{{#hasUnread}} on{{/hasUnread}}">{{unread}}</td><td><time>{{created}}</time></td></tr>{{/watches}}</tbody></table>{{/hasWatches}}
    {{#noWatches}}<p class="nothing">{{t.no_watches}}</p>{{/noWatches}}
    <p class="hint">{{t.watch_add_how}} <code>acsearch watch add NAME QUERY</code></p>
    </main>
    {{> foot}}
    """

    static let watch = """
    {{> head}}
    <main class="watch">
    <p><a href="{{listHref}}" class="back">{{t.all_watches}}</a></p>
    <h1>{{name}}</h1>
    <p class="meta"><a href="{{searchHref}}" class="run">{{described}}</a> · {{t.watch_created}} <time>{{created}}</time></p>
    <p class="summary"><strong class="unread">{{unread}}</strong> {{t.watch_new}}{{#dropped}} ({{t.watch_dropped}}: {{.}}){{/dropped}}</p>
    {{#hasMatches}}<ol class="watch-matches">{{#matches}}<li><a href="{{href}}">{{title}}</a> <span class="meta">{{kindLabel}}{{#date}} · <time>{{.}}</time>{{/date}} · {{t.watch_matched}} <time>{{matchedAt}}</time></span></li>{{/matches}}</ol>{{/hasMatches}}
    {{#more}}<p class="hint">{{t.watch_more}}: {{.}}</p>{{/more}}
    <p class="hint">{{t.watch_read_how}} <code>{{readCommand}}</code></p>
    </main>
    {{> foot}}
    """
}
