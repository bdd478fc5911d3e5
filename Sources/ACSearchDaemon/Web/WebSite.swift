import ACSearchAPI
import ACSearchIndex
import Mustache

/// The web page at `/`: server-rendered HTML from the same answers the API gives
/// (a `SearchResponse`, a `DocumentResponse`), a stylesheet and a small script built
/// into the binary. Read-only like the API: every page is a GET, and a GET changes nothing.
struct WebSite: Sendable {
    /// Parsed once; a template that does not parse is a bug the tests catch
    /// (`WebPageTests`), answered 500 here rather than crashing the daemon.
    static let library: Result<MustacheLibrary, any Error> = Result {
        var library = MustacheLibrary()
        try library.register(WebTemplates.head, named: "head")
        try library.register(WebTemplates.foot, named: "foot")
        try library.register(WebTemplates.results, named: "results")
        try library.register(WebTemplates.document, named: "document")
        try library.register(WebTemplates.watches, named: "watches")
        try library.register(WebTemplates.watch, named: "watch")
        return library
    }

    /// No script but the page's own file, no style but its stylesheet, nothing from
    /// elsewhere, no framing, forms only to itself.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    static func headers(contentType: String, cache: String = "no-cache") -> [(String, String)] {
        [("Content-Type", contentType), ("Content-Security-Policy", contentSecurityPolicy),
         ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
         ("X-Frame-Options", "DENY"), ("Cache-Control", cache)]
    }

    let version: String
    /// Whether this daemon keeps watches (a watch store is set): the pages link to them.
    var watchesKept = false

    /// Which of the site's paths this is, if any: `/`, `/doc/{id}`, `/export.csv`,
    /// `/watches`, `/watches/{name}`, `/static/{name}`.
    enum Page: Equatable {
        case results
        case document(id: String)
        case export
        case watches
        case watch(name: String)
        case asset(String)
    }

    static func page(_ segments: [String]) -> Page? {
        switch segments.first {
        case nil: return .results
        case "doc" where segments.count >= 2: return .document(id: segments.dropFirst().joined(separator: "/"))
        case "export.csv" where segments.count == 1: return .export
        case "watches" where segments.count == 1: return .watches
        case "watches" where segments.count == 2: return .watch(name: segments[1])
        case "static" where segments.count == 2: return .asset(segments[1])
        default: return nil
        }
    }

    // MARK: - Answers

    func asset(_ name: String) -> HTTPAnswer {
        guard let asset = WebAssets.all[name] else {
            return HTTPAnswer(status: 404, headers: WebSite.headers(contentType: "text/plain; charset=utf-8"),
                              body: Array("no such file: /static/\(name)\n".utf8))
        }
        return HTTPAnswer(status: 200, headers: WebSite.headers(contentType: asset.contentType, cache: "public, max-age=86400"),
                          body: asset.body)
    }

    func html(_ template: String, _ context: [String: Any], status: Int = 200) -> HTTPAnswer {
        switch WebSite.library {
        case .success(let library):
            let text = library.render(context, withTemplate: template) ?? ""
            return HTTPAnswer(status: status, headers: WebSite.headers(contentType: "text/html; charset=utf-8"),
                              body: Array(text.utf8))
        case .failure(let error):
            return HTTPAnswer(status: 500, headers: WebSite.headers(contentType: "text/plain; charset=utf-8"),
                              body: Array("the page's templates do not parse: \(error)\n".utf8))
        }
    }

    /// What every page has: the words, the search box, the language switch.
    /// `switched` is this page in the other language (the switch's link).
    func common(_ state: WebState, language: WebLanguage, title: String, hidden: Bool,
                switched: (WebState) -> String = { $0.href }) -> [String: Any] {
        var other = state
        other.ui = language.other
        var hiddenFields: [[String: String]] = []
        if hidden {
            for name in WebState.searchNames where name != "q" {
                if let value = state.values[name] { hiddenFields.append(["name": name, "value": value]) }
            }
        }
        if let ui = state.ui { hiddenFields.append(["name": "ui", "value": ui.rawValue]) }
        var home = WebState()
        home.ui = state.ui
        var context: [String: Any] = [
            "lang": language.rawValue, "t": language.text, "pageTitle": title, "assetVersion": WebAssets.version,
            "q": state.query, "hidden": hiddenFields, "switchHref": switched(other), "homeHref": home.href,
            "version": version,
        ]
        if watchesKept { context["watchesHref"] = WebSite.watchesHref(ui: state.ui) }
        return context
    }

    /// The results page, or the page saying why there are none (`error`, with its status).
    func results(_ state: WebState, language: WebLanguage, response: SearchResponse?, error: APIError?) -> HTTPAnswer {
        let title = state.query.isEmpty ? "acsearch" : state.query + " · acsearch"
        var context = common(state, language: language, title: title, hidden: true)
        context["help"] = language.help.map { item -> [String: String] in
            let example = item.example.hasSuffix(":") || item.example.contains(", ") ? "" : item.example
            var target = WebState()
            target.ui = state.ui
            return ["example": item.example, "meaning": item.meaning,
                    "href": example.isEmpty ? "#q" : target.with(["q": example]).href]
        }
        context["chips"] = chips(state, language: language)
        context["hasChips"] = !(context["chips"] as! [[String: String]]).isEmpty
        var clear = WebState()
        clear.values["q"] = state.values["q"]
        clear.ui = state.ui
        context["clearHref"] = clear.href
        if let error {
            context["error"] = error.message
            context["openHelp"] = true
            return html("results", context, status: error.status)
        }
        guard let response else { return html("results", context) }
        context["openHelp"] = state.values.isEmpty
        if let corrected = response.correctedQuery {
            context["corrected"] = ["text": corrected, "href": state.with(["q": corrected]).href]
        }
        if !response.places.isEmpty { context["placesText"] = response.places.joined(separator: ", ") }
        if response.partial { context["partial"] = true }
        context["facets"] = facets(response, state: state, language: language)
        if let timeline = WebTimeline(response: response, state: state) { context["timeline"] = timeline.context }
        let total = response.total
        let count = total.exact ? total.lower : total.estimated
        var summary: [String: Any] = [
            "total": count, "noun": language.text[count == 1 ? "match_one" : "matches"] ?? "",
            "took": String(format: "%.1f", response.tookMs), "exportHref": state.exportHref,
            "sorts": SearchRequest.Sort.allCases.map { sort -> [String: Any] in
                ["label": language.text["sort_" + sort.rawValue] ?? sort.rawValue,
                 "href": state.with(["sort": sort == .relevance ? nil : sort.rawValue]).href,
                 "selected": (state.values["sort"] ?? "relevance") == sort.rawValue]
            },
        ]
        if !total.exact { summary["about"] = true }
        if count > SearchRequest.maxOffset + SearchRequest.maxLimit { summary["exportLimited"] = true }
        if !response.hits.isEmpty {
            summary["range"] = "\(response.offset + 1)–\(response.offset + response.hits.count)"
        }
        context["summary"] = summary
        if watchesKept, let command = WebSite.watchCommand(state) { context["watchCommand"] = command }
        context["empty"] = response.hits.isEmpty
        context["hasHits"] = !response.hits.isEmpty
        context["start"] = response.offset + 1
        context["hits"] = response.hits.map { hit(($0), state: state, language: language) }
        let more = response.offset + response.hits.count < total.upper
            && response.offset + WebState.pageSize <= SearchRequest.maxOffset
        if state.page > 1 || more {
            var paging: [String: Any] = ["page": state.page]
            if state.page > 1 { paging["previous"] = state.with([:], page: state.page - 1).href }
            if more && !response.hits.isEmpty { paging["next"] = state.with([:], page: state.page + 1).href }
            context["paging"] = paging
        }
        return html("results", context)
    }

    func hit(_ hit: Hit, state: WebState, language: WebLanguage) -> [String: Any] {
        var item: [String: Any] = [
            "href": state.documentHref(hit.id), "title": hit.title.isEmpty ? hit.id : hit.title, "kind": hit.kind,
            "kindLabel": language.kind(hit.kind), "snippet": hit.snippet,
        ]
        if let date = hit.date { item["date"] = date }
        if let number = hit.number { item["number"] = number }
        if let issuer = hit.issuer { item["issuer"] = issuer }
        if let amount = hit.amountVnd { item["amount"] = NumberText.vnd(amount, vietnamese: language == .vi) }
        if !hit.provinces.isEmpty { item["places"] = hit.provinces.joined(separator: ", ") }
        if hit.collapsed > 0 { item["collapsed"] = hit.collapsed }
        return item
    }

    /// The filters in force, each with the link that drops it.
    func chips(_ state: WebState, language: WebLanguage) -> [[String: String]] {
        var chips: [[String: String]] = []
        for name in ["kind", "province", "issuer", "lang"] {
            guard let value = state.values[name] else { continue }
            let shown = name == "kind" ? language.kind(value) : name == "lang" ? language.languageName(value) : value
            chips.append(["label": language.text["facet_" + name] ?? name, "value": shown,
                          "href": state.with([name: nil]).href])
        }
        if state.values["from"] != nil || state.values["to"] != nil {
            let range = (state.values["from"] ?? "…") + " – " + (state.values["to"] ?? "…")
            chips.append(["label": language.text["facet_date"] ?? "date", "value": range,
                          "href": state.with(["from": nil, "to": nil]).href])
        }
        return chips
    }

    /// The facets as links that refine the search; a year keeps its dates.
    func facets(_ response: SearchResponse, state: WebState, language: WebLanguage) -> [[String: Any]] {
        var sections: [[String: Any]] = []
        for name in ["kind", "province", "year", "issuer", "lang"] {
            guard let values = response.facets[name], !values.isEmpty else { continue }
            let sorted = name == "year" ? values.sorted { $0.value > $1.value } : values.sorted {
                $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value
            }
            let items = sorted.prefix(12).map { value -> [String: Any] in
                let label = name == "kind" ? language.kind(value.value)
                    : name == "lang" ? language.languageName(value.value) : value.value
                let target: WebState, selected: Bool
                if name == "year" {
                    target = state.with(["from": value.value, "to": value.value])
                    selected = state.values["from"] == value.value && state.values["to"] == value.value
                } else {
                    selected = state.values[name] == value.value
                    target = state.with([name: selected ? nil : value.value])
                }
                return ["label": label, "count": value.count, "href": target.href, "selected": selected]
            }
            sections.append(["name": name, "label": language.text["facet_" + name] ?? name, "values": Array(items)])
        }
        return sections
    }

    /// A document's page: its text with the query's words marked, what it cites and
    /// what cites it (links), and documents like it.
    func document(_ document: DocumentResponse, body: String, similar: SearchResponse?, state: WebState,
                  language: WebLanguage) -> HTTPAnswer {
        let shownTitle = document.title.isEmpty ? document.id : document.title
        var context = common(state, language: language, title: shownTitle + " · acsearch", hidden: false) {
            $0.documentHref(document.id)
        }
        context["title"] = shownTitle
        context["backHref"] = state.href
        context["body"] = body
        context["docLang"] = document.lang
        var fields: [[String: String]] = [["label": language.text["facet_kind"] ?? "", "value": language.kind(document.kind)]]
        func add(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { fields.append(["label": language.text[key] ?? key, "value": value]) }
        }
        add("number", document.number)
        add("date", document.date)
        add("issuer", document.issuer)
        add("places_label", document.provinces.map(\.name).joined(separator: ", "))
        add("people", document.people.map { person in
            person.position.map { "\(person.name) (\($0))" } ?? person.name
        }.joined(separator: "; "))
        add("amounts", document.amounts.sorted { $0.vnd > $1.vnd }.map { amount in
            "\(amount.written) (\(NumberText.vnd(amount.vnd, vietnamese: language == .vi)))"
        }.joined(separator: "; "))
        add("language", language.languageName(document.lang))
        add("source", document.source)
        for key in document.fields.keys.sorted() { fields.append(["label": key, "value": document.fields[key] ?? ""]) }
        context["fields"] = fields
        if let url = document.url, !url.isEmpty {
            if WebURL.isWeb(url) { context["originalHref"] = url } else { context["originalText"] = url }
        }
        var search = WebState()
        search.ui = state.ui
        func reference(_ reference: DocumentResponse.Reference) -> [String: String] {
            let meta = [language.kind(reference.kind), reference.date, reference.number].compactMap { $0 }
            return ["href": state.documentHref(reference.id), "label": reference.title.isEmpty ? reference.id : reference.title,
                    "meta": meta.joined(separator: " · ")]
        }
        var cites: [[String: String]] = []
        for number in document.cites {
            if let found = document.citesDocuments.first(where: { $0.number.map(Self.folded) == Self.folded(number) }) {
                var item = reference(found)
                item["label"] = (found.number ?? number) + " · " + item["label"]!
                cites.append(item)
            } else {
                cites.append(["href": search.with(["q": "cites:\"\(number)\""]).href, "label": number,
                              "note": language.text["not_indexed"] ?? ""])
            }
        }
        // References found by number that the loop above did not place.
        for found in document.citesDocuments where !cites.contains(where: { $0["href"] == state.documentHref(found.id) }) {
            cites.append(reference(found))
        }
        context["cites"] = cites
        context["hasCites"] = !cites.isEmpty
        context["citedBy"] = document.citedBy.map(reference)
        context["hasCitedBy"] = !document.citedBy.isEmpty
        if let number = document.number, !document.citedBy.isEmpty {
            context["allCitingHref"] = search.with(["q": "cites:\"\(number)\""]).href
        }
        let similarHits = similar?.hits ?? []
        context["similar"] = similarHits.map { hit -> [String: String] in
            ["href": state.documentHref(hit.id), "title": hit.title.isEmpty ? hit.id : hit.title,
             "meta": ([language.kind(hit.kind)] + [hit.date, hit.number].compactMap { $0 }).joined(separator: " · ")]
        }
        context["hasSimilar"] = !similarHits.isEmpty
        return html("document", context)
    }

    static func folded(_ number: String) -> String {
        String(number.lowercased().filter { $0.isLetter || $0.isNumber }).replacingOccurrences(of: "đ", with: "d")
    }
}
