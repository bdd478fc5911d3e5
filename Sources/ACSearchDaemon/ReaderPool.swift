import ACSearchIndex
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// Worker threads, each owning its own Searcher (and so its own Xapian database
/// handle), that run search jobs one at a time. Xapian handles are not thread-safe:
/// a Searcher is created on its thread and never leaves it.
///
/// Each worker moves to the newest committed revision before a job when the last
/// check is older than `reopenInterval`, and when a job meets "database modified"
/// it reopens and runs it again: new index revisions are served without restart
/// and without failing a query.
public final class ReaderPool: Sendable {
    public struct Overloaded: Error {}
    public struct Stopped: Error {}

    private final class State: @unchecked Sendable {
        // @unchecked: every field is guarded by `condition`.
        let condition = NSCondition()
        var jobs: [@Sendable (Searcher?, Error?) -> Void] = []
        var running = 0
        var stopped = false
    }

    private let state = State()
    public let workers: Int
    public let maxQueue: Int

    /// `makeSearcher` runs on each worker thread; if it fails (no index yet), jobs get
    /// its error and the worker tries again on the next job.
    public init(workers: Int, maxQueue: Int, reopenInterval: Double = 0.05, logger: Logger,
                makeSearcher: @escaping @Sendable () throws -> Searcher) {
        self.workers = workers
        self.maxQueue = maxQueue
        for index in 0..<workers {
            let thread = Thread { [state] in
                ReaderPool.nameThisThread("acsearchd-rd-\(index)")
                var searcher: Searcher? = nil
                var lastReopen = Date.distantPast
                while true {
                    state.condition.lock()
                    while state.jobs.isEmpty && !state.stopped { state.condition.wait() }
                    if state.jobs.isEmpty && state.stopped {
                        state.condition.unlock()
                        return
                    }
                    let job = state.jobs.removeFirst()
                    state.running += 1
                    state.condition.unlock()

                    var failure: Error? = nil
                    if searcher == nil {
                        do {
                            searcher = try makeSearcher()
                            lastReopen = Date()
                        } catch {
                            failure = error
                        }
                    } else if Date().timeIntervalSince(lastReopen) > reopenInterval {
                        do {
                            try searcher?.reopen()
                        } catch {
                            // A shard that went away: start afresh on the next job.
                            logger.warning("reader \(index): reopen failed, reconnecting: \(error)")
                            searcher = nil
                            failure = error
                        }
                        lastReopen = Date()
                    }
                    job(searcher, failure)

                    state.condition.lock()
                    state.running -= 1
                    state.condition.unlock()
                }
            }
            thread.start()
        }
    }

    /// Names the calling thread for top -H, perf and gdb. Foundation's `Thread.name`
    /// set before start never reached Linux, and Glibc's module hides
    /// pthread_setname_np; Linux takes at most 15 bytes.
    static func nameThisThread(_ name: String) {
        let file = open("/proc/thread-self/comm", O_WRONLY)
        guard file >= 0 else { return }
        _ = Array(name.utf8.prefix(15)).withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
        close(file)
    }

    /// Jobs waiting for a reader.
    public var queueDepth: Int {
        state.condition.lock()
        defer { state.condition.unlock() }
        return state.jobs.count
    }

    /// Queues `read` for a reader thread, where it runs with that thread's Searcher
    /// (once more after a reopen when the revision it read was discarded); `done` then
    /// gets its result there, or the reason no index could be opened. Callbacks, not
    /// async: a request's answer goes from the reader straight back to its connection's
    /// event loop, with no task to resume in between.
    ///
    /// Throws `Overloaded` at once when `maxQueue` jobs are already waiting (the caller
    /// answers 503), and `Stopped` after shutdown.
    public func submit<T>(_ read: @escaping @Sendable (Searcher) throws -> T,
                          done: @escaping @Sendable (Result<T, any Error>) -> Void) throws {
        state.condition.lock()
        defer { state.condition.unlock() }
        if state.stopped { throw Stopped() }
        if state.jobs.count >= maxQueue + max(0, workers - state.running) { throw Overloaded() }
        state.jobs.append { searcher, failure in
            guard let searcher else {
                done(.failure(failure ?? Stopped()))
                return
            }
            done(Result { try searcher.database.retryingIfModified { _ in try read(searcher) } })
        }
        state.condition.signal()
    }

    /// Lets queued jobs finish, then ends the threads.
    public func shutdown() {
        state.condition.lock()
        state.stopped = true
        state.condition.broadcast()
        state.condition.unlock()
    }
}
