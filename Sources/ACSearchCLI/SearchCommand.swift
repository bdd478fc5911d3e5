import ACSearchAPI
import ACSearchClient
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

public struct SearchCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search (the default command: acsearch QUERY... is acsearch search QUERY...).")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: ArgumentHelp("The query: words, \"phrases\", AND/OR/NOT, field:value, date:FROM..TO.",
                                 discussion: "Words that name a place (hai duong) mean the place: documents naming it. "
                                     + "Join them with AND to find the words anywhere."))
    var query: [String] = []

    @Option(help: "Only this kind: regulation, conclusion or press (also in Vietnamese).") var kind: String?
    @Option(help: "Only documents about this province or city (with or without diacritics).") var province: String?
    @Option(help: "Only this language: en or vi.") var lang: String?
    @Option(help: "Only documents from this issuer.") var issuer: String?
    @Option(help: ArgumentHelp("Only documents dated on or after this day, month or year (2022-06-02, 2/6/2022, 2022-06, 2022).", valueName: "date")) var since: String?
    @Option(help: ArgumentHelp("Only documents dated on or before this day, or the end of this month or year.", valueName: "date")) var until: String?
    @Option(help: "relevance, newest, oldest or amount (the largest sum in đồng first).") var sort: String = "relevance"
    @Option(help: ArgumentHelp("Hits per page (at most \(SearchRequest.maxLimit), default \(SearchRequest.defaultLimit)); "
                               + "with --format, how many to export (default: all).", valueName: "n"))
    var limit: Int?
    @Option(help: "Page number, from 1.") var page: Int?
    @Option(help: "Hits to skip (instead of --page).") var offset: Int?
    @Flag(help: "Show near-duplicate press items of one story once, with a count.") var collapse = false
    @Flag(help: "Count the matches exactly.") var exact = false
    @Flag(help: "Summarise the matches by kind, province, year, issuer and language.") var facets = false
    @Flag(help: "Draw how the matches spread over time.") var timeline = false
    @Option(help: ArgumentHelp("Export every match (or --limit of them) as csv (RFC 4180) or jsonl: "
                               + "id, kind, date, number, issuer, provinces, title, url.", valueName: "csv|jsonl"))
    var format: ExportFormat?

    public func validate() throws {
        if page != nil && offset != nil { throw ValidationError("use --page or --offset, not both") }
        if let page, page < 1 { throw ValidationError("--page starts at 1") }
        if let format {
            if connection.json { throw ValidationError("use --json or --format \(format.rawValue), not both") }
            if page != nil { throw ValidationError("--format exports every match: use --offset to start further on, not --page") }
            if facets || timeline { throw ValidationError("--format exports documents: --facets and --timeline do not apply") }
            if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
        } else if let limit, limit < 0 || limit > SearchRequest.maxLimit {
            throw ValidationError("--limit must be from 0 to \(SearchRequest.maxLimit)")
        }
        if SearchRequest.Sort(rawValue: sort) == nil { throw ValidationError("--sort must be \(SearchRequest.Sort.listed)") }
    }

    public func run() throws {
        let limit = self.limit ?? SearchRequest.defaultLimit
        var facetNames: [String] = []
        if facets { facetNames += ["kind", "province", "year", "issuer", "lang"] }
        if timeline { facetNames += ["year", "month"] }
        var request = SearchRequest(query: query.joined(separator: " "), kind: kind, province: province, lang: lang,
                                    issuer: issuer, sort: SearchRequest.Sort(rawValue: sort) ?? .relevance, limit: limit,
                                    offset: offset ?? ((page ?? 1) - 1) * limit, facets: Array(Set(facetNames)).sorted(),
                                    collapse: collapse, exact: exact)
        // Dates are checked (and normalised) as the daemon will check them.
        do {
            var parameters: [(name: String, value: String)] = []
            if let since { parameters.append(("from", since)) }
            if let until { parameters.append(("to", until)) }
            let dates = try SearchRequest(parameters: parameters)
            request.from = dates.from
            request.to = dates.to
        } catch {
            throw ValidationError(error.message.replacing("from ", with: "--since ")
                .replacing("to ", with: "--until "))
        }
        if let format {
            let exporter = Exporter(format: format, connection: connection, toTerminal: Terminal.standardOutput.isTerminal)
            let (written, _) = try exporter.run(request, limit: self.limit)
            if written == 0 { throw ExitCode(Exit.nothingFound) }
            return
        }
        let answer = try connection.send(.search(request))
        let response = answer.value
        if connection.json {
            Terminal.outputJSON(answer.json)
        } else {
            let renderer = Renderer(terminal: .standardOutput)
            var blocks: [String] = []
            if let corrected = response.correctedQuery {
                blocks.append("Did you mean: \(renderer.terminal.bold(SafeText.line(corrected)))?")
            }
            if let places = renderer.places(response) { blocks.append(places) }
            blocks += response.hits.map(renderer.hit)
            if let pastTheEnd = renderer.pastTheLastPage(response) {
                blocks.append(pastTheEnd)
            } else {
                if response.hits.isEmpty { blocks.append("No documents match \"\(SafeText.line(response.query))\".") }
                blocks.append(renderer.total(response))
            }
            if facets { blocks.append(renderer.facets(response.facets)) }
            if timeline { blocks.append(renderer.timeline(response.facets)) }
            print(blocks.joined(separator: "\n\n"))
        }
        if response.total.lower == 0 && response.hits.isEmpty { throw ExitCode(Exit.nothingFound) }
    }
}
