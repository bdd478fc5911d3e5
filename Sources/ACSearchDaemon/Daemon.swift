import ACSearchAPI
import ACSearchAnalysis
import ACSearchIndex
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals
import XapianKit
#if canImport(Glibc)
import Glibc
#endif

/// Assembles and runs acsearchd from its configuration: the reader pool over the
/// index, the router, the HTTP server on its socket, the systemd watchdog and
/// configuration reloads; SIGTERM and SIGINT shut it down gracefully.
public struct Daemon {
    public let configuration: DaemonConfiguration
    public let configurationFile: String?
    public let logger: Logger

    public init(configuration: DaemonConfiguration, configurationFile: String?, logger: Logger) {
        self.configuration = configuration
        self.configurationFile = configurationFile
        self.logger = logger
    }

    /// The shards to open: the configured list, or the one database.
    public static func shards(_ configuration: DaemonConfiguration) throws -> [Shard] {
        let names = configuration.shards.isEmpty ? [configuration.database] : configuration.shards
        return try names.map { name in
            guard name.hasPrefix("tcp://") else { return .local(path: name) }
            guard let (host, port) = ShardAddress.remote(name) else {
                throw DaemonConfiguration.ConfigurationError.invalid("shard \(name) must look like tcp://host:port")
            }
            return .remote(host: host, port: port, timeoutMilliseconds: UInt32(configuration.shardTimeoutMs),
                           connectTimeoutMilliseconds: UInt32(configuration.shardConnectTimeoutMs))
        }
    }

    public func run() async throws {
        let resources = try AnalysisResources.locate(explicit: configuration.data)
        let shards = try Daemon.shards(configuration)
        var limits = SearchLimits()
        limits.timeLimitSeconds = configuration.queryTimeLimit
        limits.maxWildcardExpansion = UInt32(configuration.maxWildcardExpansion)
        limits.maxWildcards = configuration.maxWildcards
        limits.maxOrTerms = configuration.maxOrTerms
        limits.maxPositionalTerms = configuration.maxPhraseTerms
        limits.maxTerms = configuration.maxQueryTerms
        limits.sourcePaths = SourcePaths(roots: configuration.sourceRoots, absolute: configuration.sourcePaths == "absolute")
        let searchLimits = limits
        let logger = self.logger
        // Xapian's remote backend serves no synonyms and no spelling: with remote
        // shards, a local companion database holds them.
        var companion: String? = nil
        if shards.contains(where: { if case .remote = $0 { return true } else { return false } }) {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("acsearchd-companion-\(getpid())").path
            try Companion.build(at: path, shards: shards, resources: resources)
            companion = path
            logger.info("companion database built for remote shards", metadata: ["path": "\(path)"])
        }
        defer { if let companion { try? FileManager.default.removeItem(atPath: companion) } }
        let requireAll = configuration.requireAllShards
        let companionPath = companion
        let pool = ReaderPool(workers: configuration.workers, maxQueue: configuration.maxQueue,
                              maxWait: configuration.maxQueueWaitMilliseconds / 1000,
                              costlyReaders: configuration.costlyReaders, logger: logger) {
            try Searcher(shards: shards, resources: resources, limits: searchLimits, companion: companionPath,
                         requireAllShards: requireAll)
        }
        defer { pool.shutdown() }
        let metrics = DaemonMetrics()
        var router = Router(readers: pool, gazetteer: resources.gazetteer, metrics: metrics,
                            logger: logger, slowQueryMilliseconds: configuration.slowQueryMilliseconds,
                            cache: ResultCache(capacityBytes: Int(configuration.cacheMiB * 1_048_576)))
        router.watches = configuration.watchStore.map { WatchStore(directory: $0) }

        let address: ListenAddress
        if let inherited = Systemd.listenedDescriptors().first {
            address = .inherited(descriptor: inherited)
        } else {
            address = .path(configuration.socket, mode: mode_t(UInt32(configuration.socketMode, radix: 8) ?? 0o660),
                            group: try configuration.socketGroup.map(ListenAddress.groupID))
        }
        let descriptors = DescriptorLimit.raise(toServe: configuration.maxConnections)
        if descriptors < configuration.maxConnections + 64 {
            logger.warning("max_connections is above what the descriptor limit allows; connections past it will be refused",
                           metadata: ["max_connections": "\(configuration.maxConnections)", "nofile": "\(descriptors)"])
        }
        var httpLimits = HTTPLimits()
        httpLimits.maxConnections = configuration.maxConnections
        httpLimits.headerTimeout = configuration.headerTimeout
        httpLimits.idleTimeout = configuration.idleTimeout
        httpLimits.maxHeaderBytes = configuration.maxHeaderBytes
        httpLimits.maxBodyBytes = configuration.maxBodyBytes
        httpLimits.fairShare = configuration.fairShare

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = HTTPServer(address: address, router: router, limits: httpLimits, metrics: metrics, logger: logger,
                                group: group) {
            Systemd.notify("READY=1\nSTATUS=serving on \(address)")
        } onStopping: {
            Systemd.notify("STOPPING=1\nSTATUS=draining in-flight requests")
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: server)]
        if let interval = Systemd.watchdogInterval() {
            services.append(.init(service: WatchdogService(interval: interval)))
        }
        services.append(.init(service: ReloadService(file: configurationFile, logger: logger)))
        let serviceGroup = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                             logger: logger))
        logger.info("starting", metadata: ["version": "\(ACSearchVersion.current)", "xapian": "\(Xapian.version)",
                                           "shards": "\(shards.map(\.description))", "workers": "\(configuration.workers)"])
        try await serviceGroup.run()
        try await group.shutdownGracefully()
        logger.info("stopped")
    }
}

/// Pings systemd's watchdog at half the interval it asked for.
struct WatchdogService: Service {
    let interval: Duration

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            Systemd.notify("WATCHDOG=1")
            try? await Task.sleep(for: interval)
        }
    }
}

/// SIGHUP re-reads the configuration file and applies what can change while
/// running (the log level); settings that need a restart are named in the log.
struct ReloadService: Service {
    let file: String?
    let logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            Systemd.notify("RELOADING=1")
            do {
                let reloaded = try DaemonConfiguration.load(file: file, environment: ProcessInfo.processInfo.environment)
                try reloaded.validate()
                LogLevelBox.shared.set(Logger.Level(rawValue: reloaded.logLevel) ?? .info)
                logger.notice("configuration reloaded", metadata: ["log_level": "\(reloaded.logLevel)",
                                                                   "note": "socket, database and worker changes need a restart"])
            } catch {
                logger.error("configuration not reloaded: \(error)")
            }
            Systemd.notify("READY=1")
        }
    }
}
