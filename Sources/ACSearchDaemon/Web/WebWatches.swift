import ACSearchAPI

/// The watches (saved searches) on the page: `/watches` lists them, `/watches/{name}`
/// shows one's unread matches. Read-only like every page: reading them here marks
/// nothing read (a GET changes nothing); `acsearch watch show NAME` does, and the page
/// says so. A watch is added with the CLI, whose command each results page offers.
extension WebSite {
    /// A watch's definition as a results page's state: "run this search".
    static func state(of watch: WatchDefinition, ui: WebLanguage?) -> WebState {
        var state = WebState()
        state.ui = ui
        for (name, value) in watch.parameters where !value.isEmpty { state.values[name] = value }
        return state
    }

    static func watchHref(_ name: String, ui: WebLanguage?) -> String {
        "/watches/" + WebURL.encode(name) + (ui.map { "?ui=" + $0.rawValue } ?? "")
    }

    static func watchesHref(ui: WebLanguage?) -> String {
        "/watches" + (ui.map { "?ui=" + $0.rawValue } ?? "")
    }

    /// "\"đất đai\" · kind: conclusion · province: Hải Dương", in the page's words.
    static func described(_ watch: WatchDefinition, language: WebLanguage) -> String {
        var parts = [watch.query.isEmpty ? (language.text["watch_every"] ?? "") : "\u{201C}\(watch.query)\u{201D}"]
        for (key, value) in [("facet_kind", watch.kind.map(language.kind)), ("facet_province", watch.province),
                             ("facet_lang", watch.lang.map(language.languageName)), ("facet_issuer", watch.issuer)] {
            if let value { parts.append("\(language.text[key] ?? key): \(value)") }
        }
        if watch.from != nil || watch.to != nil {
            parts.append("\(language.text["facet_date"] ?? "dates"): \(watch.from ?? "…") – \(watch.to ?? "…")")
        }
        return parts.joined(separator: " · ")
    }

    /// The command that saves a results page's search as a watch, NAME to be chosen:
    /// `acsearch watch add NAME 'đất đai' --kind conclusion`. Nil when there is no search.
    static func watchCommand(_ state: WebState) -> String? {
        guard WebState.searchNames.contains(where: { $0 != "sort" && state.values[$0] != nil }) else { return nil }
        var words = ["acsearch", "watch", "add", "NAME"]
        if !state.query.isEmpty { words.append(shellQuoted(state.query)) }
        for (name, flag) in [("kind", "--kind"), ("province", "--province"), ("lang", "--lang"), ("issuer", "--issuer"),
                             ("from", "--since"), ("to", "--until")] {
            if let value = state.values[name] { words += [flag, shellQuoted(value)] }
        }
        return words.joined(separator: " ")
    }

    /// A word as a POSIX shell reads it back: bare when it is only safe characters,
    /// else in single quotes (a quote inside written as '\'').
    static func shellQuoted(_ word: String) -> String {
        let safe = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_./:@%+,".unicodeScalars.contains(scalar)
        }
        return safe ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Every watch, or the page saying why they cannot be shown.
    func watchList(_ watches: [WatchResponse]?, state: WebState, language: WebLanguage, error: APIError? = nil) -> HTTPAnswer {
        var context = common(state, language: language, title: (language.text["watches"] ?? "") + " · acsearch", hidden: false) {
            WebSite.watchesHref(ui: $0.ui)
        }
        if let error {
            context["error"] = error.message
            return html("watches", context, status: error.status)
        }
        let items = (watches ?? []).map { watch -> [String: Any] in
            ["name": watch.watch.name, "href": WebSite.watchHref(watch.watch.name, ui: state.ui),
             "described": WebSite.described(watch.watch, language: language),
             "searchHref": WebSite.state(of: watch.watch, ui: state.ui).href,
             "unread": watch.unread, "hasUnread": watch.unread > 0, "created": watch.created]
        }
        context["watches"] = items
        context["hasWatches"] = !items.isEmpty
        context["noWatches"] = items.isEmpty
        return html("watches", context)
    }

    /// The newest matches a page shows of one watch; the count says how many wait.
    static let matchesShown = 100

    /// One watch: its definition, its unread matches (newest first), how to read them.
    func watch(_ watch: WatchResponse, unread matches: [WatchMatch], state: WebState, language: WebLanguage) -> HTTPAnswer {
        let name = watch.watch.name
        var context = common(state, language: language, title: name + " · acsearch", hidden: false) {
            WebSite.watchHref(name, ui: $0.ui)
        }
        let search = WebSite.state(of: watch.watch, ui: state.ui)
        context["name"] = name
        context["listHref"] = WebSite.watchesHref(ui: state.ui)
        context["described"] = WebSite.described(watch.watch, language: language)
        context["searchHref"] = search.href
        context["created"] = watch.created
        context["unread"] = matches.count
        if watch.dropped > 0 { context["dropped"] = watch.dropped }
        let shown = matches.reversed().prefix(WebSite.matchesShown)
        context["matches"] = shown.map { match -> [String: Any] in
            var item: [String: Any] = ["href": search.documentHref(match.id), "title": match.title.isEmpty ? match.id : match.title,
                                       "kindLabel": language.kind(match.kind), "matchedAt": match.matchedAt]
            if let date = match.date { item["date"] = date }
            return item
        }
        context["hasMatches"] = !shown.isEmpty
        if matches.count > shown.count { context["more"] = matches.count - shown.count }
        context["readCommand"] = "acsearch watch show " + WebSite.shellQuoted(name)
        return html("watch", context)
    }
}
