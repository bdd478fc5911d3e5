import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// Connections wrapped for Swift concurrency by the accept path, held until the
/// accept loop takes them.
///
/// A connection accepted while the listener closes (a graceful shutdown under load)
/// can be wrapped, its `NIOAsyncChannel` made, and never reach the accept loop, whose
/// stream has ended. Dropped unfinished, its writer traps ("Deinited NIOAsyncWriter
/// without calling finish()", swift-nio #2813), and the daemon died at SIGTERM about
/// one time in seven under a burst of connections. So each wrapped connection is held
/// here until the loop takes it; when the loop has ended, those never taken are
/// closed properly, and new ones are refused before they are wrapped.
final class AcceptedConnections: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private struct State {
        var held: [ObjectIdentifier: Connection] = [:]
        var ended = false
    }

    private let state = NIOLockedValueBox(State())

    /// Wraps a new connection's channel (on its event loop), or throws once the
    /// accept loop has ended, so that NIO closes the channel.
    func wrap(_ channel: Channel) throws -> Connection {
        try state.withLockedValue { state in
            guard !state.ended else { throw ChannelError.ioOnClosedChannel }
            let connection = try Connection(wrappingChannelSynchronously: channel)
            state.held[ObjectIdentifier(channel)] = connection
            return connection
        }
    }

    /// The accept loop has it: its task serves and closes it.
    func taken(_ connection: Connection) {
        state.withLockedValue { _ = $0.held.removeValue(forKey: ObjectIdentifier(connection.channel)) }
    }

    /// After the accept loop: wraps no more, and closes every connection it never took.
    func closeUntaken() async {
        let untaken = state.withLockedValue { state -> [Connection] in
            state.ended = true
            defer { state.held = [:] }
            return Array(state.held.values)
        }
        for connection in untaken { try? await connection.executeThenClose { _, _ in } }
    }
}
