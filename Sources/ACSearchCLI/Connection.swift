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

    /// Sends a request and waits (the CLI has nothing else to do); a failure becomes
    /// one clear line and its exit code.
    func send<Value>(_ request: ACSearchClient.Request<Value>) throws -> ACSearchClient.Answer<Value> {
        do {
            return try client.sendWaiting(request)
        } catch {
            throw reported(error)
        }
    }

    mutating func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a number of seconds above 0") }
    }
}

/// Says what went wrong in one line (and what to do), and gives the exit code.
func reported(_ error: ClientError) -> ExitCode {
    switch error {
    case .unreachable(let path, let why):
        Terminal.error("acsearch: cannot reach acsearchd at \(path): \(why).\n"
            + "  Start it with: systemctl start acsearchd.socket (or: acsearchd --db DIR --socket \(path)),\n"
            + "  or point to another socket with --socket or ACSEARCH_SOCKET.")
        return ExitCode(Exit.unreachable)
    case .notASocket(let path):
        Terminal.error("acsearch: \(path) is not a socket; is --socket (or ACSEARCH_SOCKET) right?")
        return ExitCode(Exit.unreachable)
    case .timedOut:
        Terminal.error("acsearch: \(error)")
        return ExitCode(Exit.unreachable)
    case .answer(let answer):
        Terminal.error("acsearch: \(answer.message)")
        return ExitCode(Exit.errorAnswer)
    case .invalidAnswer(let why):
        Terminal.error("acsearch: \(why)")
        return ExitCode(Exit.errorAnswer)
    }
}
