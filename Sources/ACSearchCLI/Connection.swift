import ACSearchAPI
import ACSearchClient
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Options every command shares.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("acsearchd's socket (default: $ACSEARCH_SOCKET, else \(ACSearchClient.defaultSocket)).", valueName: "path"))
    var socket: String?

    @Flag(name: .long, help: "Print the daemon's answer as JSON (schema-versioned, as the API returns it).")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for the daemon's answer.", valueName: "seconds"))
    var timeout: Double = 30

    var client: ACSearchClient { ACSearchClient(socketPath: ACSearchClient.socketPath(explicit: socket), timeout: timeout) }

    mutating func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a number of seconds above 0") }
    }
}

/// Runs a request and turns a failure into one clear line and its exit code.
func request<Value>(_ body: () async throws(ClientError) -> Value) async throws -> Value {
    do {
        return try await body()
    } catch {
        switch error {
        case .unreachable(let path, let why):
            Terminal.error("acsearch: cannot reach acsearchd at \(path): \(why).\n"
                + "  Start it with: systemctl start acsearchd.socket (or: acsearchd --db DIR --socket \(path)),\n"
                + "  or point to another socket with --socket or ACSEARCH_SOCKET.")
            throw ExitCode(Exit.unreachable)
        case .notASocket(let path):
            Terminal.error("acsearch: \(path) is not a socket; is --socket (or ACSEARCH_SOCKET) right?")
            throw ExitCode(Exit.unreachable)
        case .timedOut:
            Terminal.error("acsearch: \(error)")
            throw ExitCode(Exit.unreachable)
        case .answer(let answer):
            Terminal.error("acsearch: \(answer.message)")
            throw ExitCode(Exit.errorAnswer)
        case .invalidAnswer(let why):
            Terminal.error("acsearch: \(why)")
            throw ExitCode(Exit.errorAnswer)
        }
    }
}
