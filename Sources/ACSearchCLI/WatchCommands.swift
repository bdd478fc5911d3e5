import ACSearchAPI
import ACSearchClient
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `acsearch watch`: saved searches that tell what is new. The indexer runs each
/// over the documents every commit adds or replaces; `acsearch watch` shows what they
/// matched since last read, and marks it read.
public struct WatchCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Saved searches that tell what is new (acsearch watch: every watch's new matches).",
        discussion: """
        acsearch watch add land-hd 'đất đai' --kind conclusion --province 'Hải Dương' saves a search; the indexer \
        runs it over the documents each of its commits adds or replaces, and acsearch watch (or acsearch watch show \
        land-hd) prints what it matched since it was last read, then marks that read.
        """,
        subcommands: [WatchShowCommand.self, WatchAddCommand.self, WatchListCommand.self, WatchRemoveCommand.self],
        defaultSubcommand: WatchShowCommand.self)

    @OptionGroup var connection: ConnectionOptions
}

public struct WatchShowCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "show", abstract: "The documents watches matched since they were last read; marks them read.")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: ArgumentHelp("Watches to show (default: every watch).", valueName: "name")) var names: [String] = []
    @Flag(help: "Leave the matches unread.") var keep = false

    /// A match and its watch, one JSON line each with --json.
    struct Line: Encodable {
        let watch: String
        let match: WatchMatch
        func encode(to encoder: Encoder) throws {
            try match.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(watch, forKey: .watch)
        }
        enum Key: String, CodingKey { case watch }
    }

    public func run() throws {
        var names = self.names
        if names.isEmpty {
            names = try connection.send(.watches).value.watches.map(\.watch.name)
            if names.isEmpty {
                if !connection.json { print("No watches: add one with acsearch watch add NAME QUERY") }
                throw ExitCode(Exit.nothingFound)
            }
        }
        let terminal = Terminal.standardOutput
        var blocks: [String] = []
        var found = 0
        for name in names {
            let matches = try connection.send(.newMatches(name)).value
            found += matches.count
            if connection.json {
                let encoder = APIJSON.encoder()
                for match in matches {
                    print(String(decoding: try encoder.encode(Line(watch: name, match: match)), as: UTF8.self))
                }
            } else if !matches.isEmpty || !self.names.isEmpty {
                var lines = [terminal.bold(SafeText.line(name)) + ": " + (matches.isEmpty ? "nothing new" : "\(matches.count) new")]
                for match in matches {
                    lines.append(SafeText.line("  \(match.date ?? "          ")  \(match.title) ")
                        + terminal.dim(SafeText.line("(\(Renderer.kind(match.kind))) [\(match.id)]")))
                }
                blocks.append(lines.joined(separator: "\n"))
            }
            // Through the last match shown: those recorded meanwhile stay unread.
            if !keep, let last = matches.last { _ = try connection.send(.markRead(name, through: last.seq)) }
        }
        if !connection.json {
            if blocks.isEmpty { blocks.append("Nothing new in \(names.count) watch\(names.count == 1 ? "" : "es").") }
            print(blocks.joined(separator: "\n\n"))
        }
        if found == 0 { throw ExitCode(Exit.nothingFound) }
    }
}

public struct WatchAddCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Save a search as a watch (or change the one of that name).")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: ArgumentHelp("The watch's name: letters, digits, '.', '_' and '-'.", valueName: "name")) var name: String
    @Argument(help: "The query, as acsearch QUERY takes it (man 7 acsearch).") var query: [String] = []
    @Option(help: "Only this kind: regulation, conclusion or press.") var kind: String?
    @Option(help: "Only documents about this province or city.") var province: String?
    @Option(help: "Only this language: en or vi.") var lang: String?
    @Option(help: "Only documents from this issuer.") var issuer: String?
    @Option(help: ArgumentHelp("Only documents dated on or after this day, month or year.", valueName: "date")) var since: String?
    @Option(help: ArgumentHelp("Only documents dated on or before this day, or the end of this month or year.", valueName: "date"))
    var until: String?

    public func run() throws {
        var parameters: [(name: String, value: String)] = [("q", query.joined(separator: " "))]
        for (parameter, value) in [("kind", kind), ("province", province), ("lang", lang), ("issuer", issuer),
                                   ("from", since), ("to", until)] {
            if let value { parameters.append((parameter, value)) }
        }
        let definition: WatchDefinition
        do {
            definition = try WatchDefinition(name: name, parameters: parameters)
        } catch {
            // Said in the CLI's words: the API's from and to are --since and --until here.
            var message = error.message
            for (parameter, flag) in [("from ", "--since "), ("to ", "--until ")] where message.hasPrefix(parameter) {
                message = flag + message.dropFirst(parameter.count)
            }
            throw ValidationError(message)
        }
        let answer = try connection.send(.putWatch(definition))
        if connection.json {
            Terminal.outputJSON(answer.json)
        } else {
            print(SafeText.line("watch \(name): \(WatchListCommand.describe(answer.value.watch))")
                  + "\nNew documents that match are shown by: acsearch watch show \(name)")
        }
    }
}

public struct WatchListCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(commandName: "list", abstract: "Every watch and how much of it is unread.")

    @OptionGroup var connection: ConnectionOptions

    static func describe(_ watch: WatchDefinition) -> String {
        var parts = [watch.query.isEmpty ? "(every document)" : "\"\(watch.query)\""]
        for (label, value) in [("kind", watch.kind), ("province", watch.province), ("lang", watch.lang), ("issuer", watch.issuer),
                               ("since", watch.from), ("until", watch.to)] {
            if let value { parts.append("--\(label) \(value)") }
        }
        return parts.joined(separator: " ")
    }

    public func run() throws {
        let answer = try connection.send(.watches)
        if connection.json {
            Terminal.outputJSON(answer.json)
        } else if answer.value.watches.isEmpty {
            print("No watches: add one with acsearch watch add NAME QUERY")
        } else {
            let width = answer.value.watches.map { $0.watch.name.count }.max() ?? 0
            print(answer.value.watches.map { watch in
                SafeText.line("\(Terminal.padded(watch.watch.name, to: width))  \(watch.unread) unread  \(WatchListCommand.describe(watch.watch))")
            }.joined(separator: "\n"))
        }
        if answer.value.watches.isEmpty { throw ExitCode(Exit.nothingFound) }
    }
}

public struct WatchRemoveCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a watch and its unread matches.")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: ArgumentHelp("The watch's name.", valueName: "name")) var name: String

    public func run() throws {
        let answer = try connection.send(.deleteWatch(name))
        if connection.json {
            Terminal.outputJSON(answer.json)
        } else {
            print(SafeText.line("removed watch \(name)"))
        }
    }
}
