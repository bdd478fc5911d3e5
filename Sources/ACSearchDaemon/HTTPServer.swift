import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOExtras
import NIOPosix
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// Limits of the HTTP layer.
public struct HTTPLimits: Sendable {
    public var maxConnections = 256
    public var headerTimeout = 10.0
    public var idleTimeout = 60.0
    public var maxHeaderBytes = 16_384
    public var maxBodyBytes = 65_536
    /// Who counts as one client when readers are shared: "uid" (the peer's user,
    /// SO_PEERCRED), "process" (its pid) or "connection".
    public var fairShare = "uid"
    public init() {}
}

/// HTTP/1.1 on a Unix socket, served by NIO channel handlers (`APIRequestHandler`).
/// A graceful shutdown stops accepting, closes idle connections, lets in-flight
/// requests get their answers, and returns when the last connection has closed
/// (NIOExtras' `ServerQuiescingHelper` and NIO's HTTP pipeline handler).
public final class HTTPServer: Service {
    let address: ListenAddress
    let router: Router
    let limits: HTTPLimits
    let logger: Logger
    let metrics: DaemonMetrics
    let group: MultiThreadedEventLoopGroup
    let onReady: @Sendable () -> Void
    let onStopping: @Sendable () -> Void
    private let open = NIOLockedValueBox(0)

    public init(address: ListenAddress, router: Router, limits: HTTPLimits, metrics: DaemonMetrics, logger: Logger,
                group: MultiThreadedEventLoopGroup, onReady: @escaping @Sendable () -> Void,
                onStopping: @escaping @Sendable () -> Void = {}) {
        self.address = address
        self.router = router
        self.limits = limits
        self.metrics = metrics
        self.logger = logger
        self.group = group
        self.onReady = onReady
        self.onStopping = onStopping
    }

    public func run() async throws {
        let quiescing = ServerQuiescingHelper(group: group)
        let (server, bound) = try await bind(quiescing)
        logger.info("serving", metadata: ["address": "\(address)"])
        onReady()
        let drained = group.next().makePromise(of: Void.self)
        // Shutdown, cancellation and the listener closing may each ask: start once.
        let started = NIOLockedValueBox(false)
        let drain: @Sendable () -> Void = {
            let first = started.withLockedValue { started -> Bool in
                defer { started = true }
                return !started
            }
            guard first else { return }
            quiescing.initiateShutdown(promise: drained)
        }
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                // The listener closes at shutdown (or on a socket error): then every
                // connection it accepted is let finish.
                try? await server.closeFuture.get()
                // Not accepting any more: the path is free for a successor at once.
                if let bound { ListenAddress.remove(bound) }
                drain()
                try await drained.futureResult.get()
            } onGracefulShutdown: {
                self.onStopping()
                drain()
            }
        } onCancel: {
            drain()
        }
        logger.info("stopped accepting; in-flight requests answered")
    }

    /// The listening channel, and the socket file the daemon made, if it made one.
    private func bind(_ quiescing: ServerQuiescingHelper) async throws -> (Channel, ListenAddress.BoundSocket?) {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            // A client may send its request and shut its side (shutdown(SHUT_WR),
            // `curl --no-keepalive` style tools, scripts): it still gets its answer.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture { try self.prepare(channel) }
            }
        switch address {
        case .inherited(let descriptor):
            return (try await bootstrap.withBoundSocket(descriptor).get(), nil)
        case .path(let path, let mode, let group):
            try ListenAddress.prepare(path: path)
            let bound = try ListenAddress.bind(path: path, mode: mode, group: group, backlog: 256)
            do {
                return (try await bootstrap.withBoundSocket(bound.descriptor).get(), bound)
            } catch {
                ListenAddress.remove(bound)
                throw error
            }
        }
    }

    /// A new connection's pipeline. Over the connection limit it is still read, so
    /// that its request gets a 503 and a close, never a hang; a client that sends
    /// nothing is closed by the head timeout.
    private func prepare(_ channel: Channel) throws {
        let admitted = open.withLockedValue { count -> Bool in
            guard count < limits.maxConnections else { return false }
            count += 1
            return true
        }
        metrics.connections.set(Int64(open.withLockedValue { $0 }))
        if admitted {
            channel.closeFuture.whenComplete { [open, metrics] _ in
                metrics.connections.set(Int64(open.withLockedValue { count -> Int in
                    count -= 1
                    return count
                }))
            }
        }
        let pipeline = channel.pipeline.syncOperations
        // Reads stop while the client is not reading its answers.
        try pipeline.addHandler(BackPressureHandler())
        try pipeline.addHandler(RequestHeadGuard(maxHeadBytes: limits.maxHeaderBytes,
                                                 headerTimeout: .milliseconds(Int64(limits.headerTimeout * 1000)),
                                                 idleTimeout: .milliseconds(Int64(limits.idleTimeout * 1000))))
        // Parser errors are answered by APIRequestHandler, with a JSON body.
        try pipeline.configureHTTPServerPipeline(withErrorHandling: false)
        let handler = APIRequestHandler(router: router, limits: limits, admitted: admitted, logger: logger,
                                        client: "connection:\(ObjectIdentifier(channel).hashValue)")
        try pipeline.addHandler(handler)
        identify(channel, handler: handler)
    }

    /// Who is asking (SO_PEERCRED): the client the readers are shared by, and a
    /// debug log line. Asked on the connection's own event loop, the answer comes
    /// before its first request is read.
    private func identify(_ channel: Channel, handler: APIRequestHandler) {
        guard let provider = channel as? SocketOptionProvider else { return }
        let bound = NIOLoopBound(handler, eventLoop: channel.eventLoop)
        let fairShare = limits.fairShare
        provider.unsafeGetSocketOption(level: .init(rawValue: SOL_SOCKET), name: .init(rawValue: SO_PEERCRED))
            .whenSuccess { (credentials: PeerCredentials) in
                switch fairShare {
                case "uid": bound.value.client = "uid:\(credentials.uid)"
                case "process": bound.value.client = "pid:\(credentials.pid)"
                default: break
                }
                self.logger.debug("connection", metadata: ["pid": "\(credentials.pid)", "uid": "\(credentials.uid)",
                                                           "gid": "\(credentials.gid)"])
            }
    }
}

/// `struct ucred` (SO_PEERCRED), which Glibc's Swift module hides behind _GNU_SOURCE.
struct PeerCredentials {
    var pid: Int32
    var uid: UInt32
    var gid: UInt32
}
