import ACSearchAPI
import ACSearchClient
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

public struct ShowCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a whole document: its fields, text, what it cites and what cites it.")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The document's id, as search results show it.") var id: String

    public func run() throws {
        let answer = try connection.send(.document(id: id))
        if connection.json {
            Terminal.outputJSON(answer.json)
            return
        }
        let document = answer.value
        let terminal = Terminal.standardOutput
        var lines = [terminal.bold(SafeText.line(document.title)), ""]
        func field(_ name: String, _ value: String?) {
            if let value, !value.isEmpty {
                lines.append(terminal.dim(Terminal.padded(SafeText.line(name), to: 10)) + SafeText.line(value))
            }
        }
        field("id", document.id)
        field("kind", Renderer.kind(document.kind))
        field("date", document.date)
        field("language", document.lang)
        field("number", document.number)
        field("issuer", document.issuer)
        field("provinces", document.provinces.map { province in
            (province.nowName ?? province.now).map { "\(province.name) (now part of \($0))" } ?? province.name
        }.joined(separator: ", "))
        field("people", document.people.map { person in
            person.position.map { "\(person.name), \($0)" } ?? person.name
        }.joined(separator: "; "))
        // As written, with each sum in one currency beside it, the largest first.
        field("amounts", document.amounts.sorted { $0.vnd > $1.vnd }.map { amount in
            "\(amount.written) (\(NumberText.vnd(amount.vnd)))"
        }.joined(separator: "; "))
        field("url", document.url)
        field("source", document.source)
        for (name, value) in document.fields.sorted(by: { $0.key < $1.key }) { field(name, value) }
        if !document.cites.isEmpty {
            lines.append("")
            lines.append(terminal.bold("Cites") + " " + SafeText.line(document.citesWritten.joined(separator: ", ")))
            for reference in document.citesDocuments {
                // An undecided citation lists every document it may mean, each saying whose it is.
                let note = reference.ambiguous == true
                    ? " (" + [reference.province, "ambiguous"].compactMap { $0 }.joined(separator: "; ") + ")" : ""
                lines.append(SafeText.line("  \(reference.number ?? "") \(reference.title) [\(reference.id)]\(note)"))
            }
        }
        if !document.citedBy.isEmpty {
            lines.append("")
            lines.append(terminal.bold("Cited by"))
            for reference in document.citedBy {
                let note = reference.ambiguous == true ? " (ambiguous: it may mean another document of this number)" : ""
                lines.append(SafeText.line("  \(reference.date ?? "          ") \(reference.title) [\(reference.id)]\(note)"))
            }
        }
        lines.append("")
        lines.append(SafeText.block(document.body))
        print(lines.joined(separator: "\n"))
    }
}

public struct SimilarCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(commandName: "similar", abstract: "Documents like this one.")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The document's id.") var id: String
    @Option(help: "How many.") var limit = SearchRequest.defaultLimit

    public func run() throws {
        let request = SearchRequest(limit: limit)
        let answer = try connection.send(.similar(id: id, request: request))
        if connection.json {
            Terminal.outputJSON(answer.json)
        } else {
            let renderer = Renderer(terminal: .standardOutput)
            print((answer.value.hits.map(renderer.hit) + [renderer.total(answer.value)]).joined(separator: "\n\n"))
        }
        if answer.value.hits.isEmpty { throw ExitCode(Exit.nothingFound) }
    }
}

public struct CitesCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "cites", abstract: "The document with a number, and everything that cites it (acsearch cites 67-QĐ/TW).")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "A document number, in any spelling: 67-QĐ/TW, 67-QD/TW, 1843/KL-TTCP.") var number: String

    public func run() throws {
        let answer = try connection.send(.citations(number: number))
        let citations = answer.value
        if connection.json {
            Terminal.outputJSON(answer.json)
        } else {
            let terminal = Terminal.standardOutput
            var lines: [String] = []
            let documents = citations.documents
            // Whose a document is: its province, else its issuer.
            func whose(_ id: String) -> String {
                guard let document = documents.first(where: { $0.id == id }) else { return "[\(id)]" }
                return (document.province ?? document.issuer).map { "\($0)'s [\(id)]" } ?? "[\(id)]"
            }
            if documents.count == 1, let document = documents.first {
                lines.append(terminal.bold(SafeText.line("\(citations.number): \(document.title)")) + SafeText.line(" [\(document.id)]"))
            } else if documents.isEmpty {
                lines.append(terminal.bold(SafeText.line(citations.number)) + terminal.dim(" (not itself in the index)"))
            } else {
                // Local bodies reuse numbers: each document, and whose it is.
                lines.append(terminal.bold(SafeText.line("\(citations.number): \(documents.count) documents have this number")))
                for document in documents {
                    let owner = document.province ?? document.issuer ?? "province unknown"
                    lines.append(SafeText.line("  \(document.date ?? "          ")  \(document.title) (\(owner)) [\(document.id)]"))
                }
            }
            lines.append(citations.citedBy.isEmpty ? "No indexed document cites it." : "Cited by \(citations.citedBy.count):")
            for reference in citations.citedBy {
                let kind = Renderer.kind(reference.kind)
                var meaning = ""
                if reference.ambiguous == true {
                    meaning = " ambiguous: " + (reference.candidates ?? []).map(whose).joined(separator: " or ")
                } else if let resolved = reference.resolvesTo {
                    if documents.count > 1 { meaning = " → " + whose(resolved) }
                } else if !documents.isEmpty {
                    meaning = " → another issuer's, not indexed"
                }
                lines.append(SafeText.line("  \(reference.date ?? "          ")  \(reference.title) ")
                    + terminal.dim(SafeText.line("(\(kind)) [\(reference.id)]")) + SafeText.line(meaning))
            }
            print(lines.joined(separator: "\n"))
        }
        if citations.documents.isEmpty && citations.citedBy.isEmpty { throw ExitCode(Exit.nothingFound) }
    }
}

public struct SuggestCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "suggest", abstract: "Complete the last word of a query, and correct its spelling.")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "What has been typed so far.") var text: [String]

    public func run() throws {
        let query = text.joined(separator: " ")
        let answer = try connection.send(.suggest(query))
        if connection.json {
            Terminal.outputJSON(answer.json)
        } else {
            var lines = answer.value.completions.map(SafeText.line)
            if let correction = answer.value.correction { lines.append("Did you mean: \(SafeText.line(correction))?") }
            if !lines.isEmpty { print(lines.joined(separator: "\n")) }
        }
        if answer.value.completions.isEmpty && answer.value.correction == nil { throw ExitCode(Exit.nothingFound) }
    }
}

public struct StatusCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(commandName: "status", abstract: "The daemon's and the index's health.")

    @OptionGroup var connection: ConnectionOptions

    public func run() throws {
        let answer = try connection.send(.status)
        if connection.json {
            Terminal.outputJSON(answer.json)
            return
        }
        let status = answer.value
        func table(_ counts: [String: Int]) -> String {
            counts.sorted { $0.value > $1.value }.map { "\(Renderer.kind($0.key)) \($0.value)" }.joined(separator: ", ")
        }
        let uptime = Int(status.uptimeSeconds)
        print(SafeText.block("""
        acsearchd \(status.version) at \(connection.client.socketPath): up \(uptime / 3600)h \(uptime / 60 % 60)m, \(status.requestsServed) requests, latency p50 \(NumberText.fixed(status.latency.p50Ms, places: 1)) ms, p99 \(NumberText.fixed(status.latency.p99Ms, places: 1)) ms
        index: \(status.documents) documents (\(table(status.kinds))); \(table(status.languages))
        revision \(status.revision ?? "–"), last change \(status.lastChange ?? "–"), schema \(status.indexSchemaVersion)
        shards: \(status.shards.map { "\($0.name) (\($0.state))" }.joined(separator: ", "))
        """))
    }
}
