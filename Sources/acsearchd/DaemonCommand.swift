import ACSearchAnalysis
import ACSearchDaemon
import ArgumentParser
import Foundation
import Logging

@main
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acsearchd",
        abstract: "Answer acsearch queries over HTTP on a Unix socket.",
        discussion: """
        Serves the index read-only: GET /v1/search, /v1/documents/{id}, /v1/documents/{id}/similar, \
        /v1/citations/{number}, /v1/suggest, /v1/status, /v1/health and /metrics, and keeps saved searches \
        (/v1/watches) in a store beside the index, whose matches the indexer records. Under systemd it takes \
        the socket it is given (socket activation) and reports readiness; otherwise it binds --socket. \
        Settings come from \(DaemonConfiguration.defaultFile) (or --config), then ACSEARCHD_* variables, \
        then flags. SIGTERM drains in-flight requests and exits 0; SIGHUP reloads the configuration.

        Try it: curl --unix-socket SOCKET 'http://localhost/v1/search?q=Hai+Duong'

        EXIT STATUS
          0   stopped cleanly
          1   could not start (configuration, socket, data)
          64  usage error

        Manuals: man acsearchd; the query language: man 7 acsearch.
        """)

    @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The index folder.", valueName: "dir"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("A shard: a folder or tcp://host:port (repeat; in place of --db).", valueName: "shard"))
    var shard: [String] = []

    @Option(name: .long, help: ArgumentHelp("The socket to bind when systemd passes none (default \(DaemonConfiguration.defaultSocket)).", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("The socket's mode (octal).", valueName: "mode"))
    var socketMode: String?

    @Option(name: .long, help: ArgumentHelp("The group that may query.", valueName: "group"))
    var socketGroup: String?

    @Option(name: .long, help: ArgumentHelp("Analysis data folder (gazetteer, glossary).", valueName: "dir"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("The watch store (default: the folder watches beside --db).", valueName: "dir"))
    var watches: String?

    @Option(name: .long, help: "Reader threads (default: one per core).")
    var workers: Int?

    @Option(name: .long, help: ArgumentHelp("MiB of search answers kept for repeats; 0: none (default 32).", valueName: "mib"))
    var cacheMib: Double?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Flag(name: .long, help: "Check the configuration and the data, print the result and exit.")
    var checkConfig = false

    func validate() throws {
        if db != nil && !shard.isEmpty { throw ValidationError("use --db or --shard, not both") }
    }

    func run() async throws {
        var settings: DaemonConfiguration
        do {
            settings = try DaemonConfiguration.load(file: config, environment: ProcessInfo.processInfo.environment)
            if let db { settings.database = db }
            if !shard.isEmpty { settings.shards = shard }
            if let socket { settings.socket = socket }
            if let socketMode { settings.socketMode = socketMode }
            if let socketGroup { settings.socketGroup = socketGroup }
            if let data { settings.data = data }
            if let watches { settings.watches = watches }
            if let workers { settings.workers = workers }
            if let cacheMib { settings.cacheMiB = cacheMib }
            if let logLevel { settings.logLevel = logLevel }
            try settings.validate()
            _ = try Daemon.shards(settings)
            if checkConfig {
                let resources = try AnalysisResources.locate(explicit: settings.data)
                print("configuration ok: socket \(settings.socket), index \(settings.shards.isEmpty ? settings.database : settings.shards.joined(separator: ", ")), data \(resources.directory), \(settings.workers) workers")
                return
            }
        } catch {
            FileHandle.standardError.write(Data("acsearchd: \(error)\n".utf8))
            throw ExitCode.failure
        }
        LogLevelBox.shared.set(Logger.Level(rawValue: settings.logLevel) ?? .info)
        LoggingSystem.bootstrap { JournalLogHandler(label: $0) }
        let logger = Logger(label: "acsearchd")
        do {
            try await Daemon(configuration: settings, configurationFile: config, logger: logger).run()
        } catch {
            logger.critical("acsearchd stopped: \(error)")
            throw ExitCode.failure
        }
    }
}
