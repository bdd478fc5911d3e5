import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
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
    public init() {}
}

/// HTTP/1.1 on a Unix socket: one task per connection inside one task group, so a
/// graceful shutdown stops accepting, lets in-flight requests finish, and returns.
public final class HTTPServer: Service {
    let address: ListenAddress
    let router: Router
    let limits: HTTPLimits
    let logger: Logger
    let metrics: DaemonMetrics
    let group: MultiThreadedEventLoopGroup
    let onReady: @Sendable () -> Void
    let onStopping: @Sendable () -> Void
    private let active = NIOLockedValueBox(0)
    private let accepted = AcceptedConnections()

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

    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    public func run() async throws {
        let server = try await bind()
        logger.info("serving", metadata: ["address": "\(address)"])
        onReady()
        try await withGracefulShutdownHandler {
            try await serve(server)
        } onGracefulShutdown: {
            self.onStopping()
        }
        logger.info("stopped accepting; in-flight requests answered")
    }

    /// Accepts until the listening channel closes. At shutdown it is closed, and the
    /// stream is drained to its end: every connection already accepted is served (or
    /// closed) by its task, never dropped (an abandoned NIOAsyncChannel traps); those
    /// wrapped too late to reach the stream are closed after it (`AcceptedConnections`).
    private func serve(_ server: NIOAsyncChannel<Connection, Never>) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            do {
                try await accept(from: server, into: &group)
            } catch {
                await accepted.closeUntaken()
                throw error
            }
            await accepted.closeUntaken()
        }
    }

    /// One task per accepted connection, in `group`, until the listener closes.
    private func accept(from server: NIOAsyncChannel<Connection, Never>,
                        into group: inout ThrowingDiscardingTaskGroup<any Error>) async throws {
        let listener = server.channel
        try await server.executeThenClose { connections in
            try await withGracefulShutdownHandler {
                for try await connection in connections {
                    accepted.taken(connection)
                    let admitted = active.withLockedValue { count -> Bool in
                        guard count < limits.maxConnections else { return false }
                        count += 1
                        return true
                    }
                    metrics.connections.set(Int64(active.withLockedValue { $0 }))
                    group.addTask {
                        if admitted {
                            await self.serve(connection)
                            let open = self.active.withLockedValue { count -> Int in
                                count -= 1
                                return count
                            }
                            self.metrics.connections.set(Int64(open))
                        } else {
                            await self.refuse(connection)
                        }
                    }
                }
            } onGracefulShutdown: {
                listener.close(promise: nil)
            }
        }
    }

    private func bind() async throws -> NIOAsyncChannel<Connection, Never> {
        let limits = self.limits
        let accepted = self.accepted
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            // A client may send its request and shut its side (shutdown(SHUT_WR),
            // `curl --no-keepalive` style tools, scripts): it still gets its answer.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
        let initializer: @Sendable (Channel) -> EventLoopFuture<Connection> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    RequestHeadGuard(maxHeadBytes: limits.maxHeaderBytes,
                                     headerTimeout: .milliseconds(Int64(limits.headerTimeout * 1000)),
                                     idleTimeout: .milliseconds(Int64(limits.idleTimeout * 1000))))
                try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                return try accepted.wrap(channel)
            }
        }
        switch address {
        case .inherited(let descriptor):
            return try await bootstrap.bind(descriptor, childChannelInitializer: initializer)
        case .path(let path, let mode, let group):
            try ListenAddress.prepare(path: path)
            // Create the socket private, then open it to the configured group.
            let previous = umask(0o177)
            defer { umask(previous) }
            let channel = try await bootstrap.bind(unixDomainSocketPath: path, childChannelInitializer: initializer)
            try ListenAddress.secure(path: path, mode: mode, group: group)
            return channel
        }
    }

    /// Over the connection limit: a 503 and a close, never a hang. The answer waits
    /// for the request head (HTTP has no answer without a request, and NIO's pipeline
    /// handler enforces it); a client that sends none is closed by the head timeout.
    private func refuse(_ connection: Connection) async {
        try? await connection.executeThenClose { inbound, outbound in
            for try await part in inbound {
                guard case .head(let head) = part else { continue }
                let answer = HTTPAnswer.error(.init(status: 503, code: "too_many_connections",
                                                    message: "the daemon has \(limits.maxConnections) open connections; retry"))
                try await write(answer, keepAlive: false, headOnly: head.method == .HEAD, to: outbound)
                return
            }
        }
    }

    /// Reads requests one after another (HTTP/1.1 keep-alive and pipelining) and
    /// answers each; closes when asked, on a protocol violation, or at shutdown.
    private func serve(_ connection: Connection) async {
        if logger.logLevel <= .debug { logPeer(connection.channel) }
        let shuttingDown = NIOLockedValueBox((requested: false, busy: false))
        let channel = connection.channel
        await withGracefulShutdownHandler {
            do {
                try await connection.executeThenClose { inbound, outbound in
                    var head: HTTPRequestHead? = nil
                    var bodyBytes = 0
                    for try await part in inbound {
                        switch part {
                        case .head(let requestHead):
                            head = requestHead
                            bodyBytes = 0
                            shuttingDown.withLockedValue { $0.busy = true }
                            if let length = requestHead.headers.first(name: "content-length").flatMap(Int.init),
                               length > limits.maxBodyBytes {
                                try await write(tooLarge(), keepAlive: false, headOnly: false, to: outbound)
                                return
                            }
                        case .body(let buffer):
                            bodyBytes += buffer.readableBytes
                            if bodyBytes > limits.maxBodyBytes {
                                try await write(tooLarge(), keepAlive: false, headOnly: false, to: outbound)
                                return
                            }
                        case .end:
                            guard let request = head else { return }
                            let answer = await router.answer(method: request.method.rawValue, uri: request.uri)
                            let closing = shuttingDown.withLockedValue { state -> Bool in
                                state.busy = false
                                return state.requested
                            }
                            let keepAlive = request.isKeepAlive && !closing
                            try await write(answer, keepAlive: keepAlive, headOnly: request.method == .HEAD, to: outbound)
                            if !keepAlive { return }
                            head = nil
                        }
                    }
                }
            } catch {
                logger.debug("connection ended", metadata: ["error": "\(error)"])
            }
        } onGracefulShutdown: {
            // Idle keep-alive connections close now; busy ones after their answer.
            let idle = shuttingDown.withLockedValue { state -> Bool in
                state.requested = true
                return !state.busy
            }
            if idle { channel.close(mode: .all, promise: nil) }
        }
    }

    private func tooLarge() -> HTTPAnswer {
        .error(.init(status: 413, code: "body_too_large",
                     message: "request bodies are limited to \(limits.maxBodyBytes) bytes; the API takes GET requests"))
    }

    private func write(_ answer: HTTPAnswer, keepAlive: Bool, headOnly: Bool,
                       to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        var headers = HTTPHeaders()
        for (name, value) in answer.headers { headers.add(name: name, value: value) }
        headers.add(name: "Content-Length", value: String(answer.body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        headers.add(name: "Server", value: "acsearchd/\(ACSearchVersion.current)")
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: answer.status),
                                    headers: headers)
        try await outbound.write(.head(head))
        if !headOnly && !answer.body.isEmpty {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: answer.body))))
        }
        try await outbound.write(.end(nil))
    }

    /// Who is asking (SO_PEERCRED), at debug level only.
    private func logPeer(_ channel: Channel) {
        guard let provider = channel as? SocketOptionProvider else { return }
        provider.unsafeGetSocketOption(level: .init(rawValue: SOL_SOCKET), name: .init(rawValue: SO_PEERCRED))
            .whenSuccess { (credentials: PeerCredentials) in
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
