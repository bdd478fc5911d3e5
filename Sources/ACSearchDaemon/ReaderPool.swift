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
///
/// Shared fairly (several services use one daemon): each job names its client (the
/// peer's uid, process or connection) and whether it looks costly. A free reader
/// takes a cheap job before a costly one, and among those the job of the client
/// with the fewest jobs running, oldest first; costly jobs, and every job of a
/// client whose recent jobs were slow, may hold at most `costlyReaders` readers, so
/// a reader is left for cheap work however many costly requests wait. Overload is
/// refused by waiting time: a job is turned away when the oldest job waiting in its
/// lane (cheap or costly) has waited longer than `maxWait`, so what is accepted is
/// answered near its service time.
public final class ReaderPool: Sendable {
    public struct Overloaded: Error {}
    public struct Stopped: Error {}

    private struct Job {
        let client: String
        let costly: Bool
        let queued: UInt64
        let run: @Sendable (Searcher?, Error?) -> Void
    }

    private final class State: @unchecked Sendable {
        // @unchecked: every field is guarded by `condition`.
        let condition = NSCondition()
        var jobs: [Job] = []
        var running = 0
        var runningCostly = 0
        var runningByClient: [String: Int] = [:]
        /// Each client's recent service time (milliseconds, exponentially weighted).
        var recentMilliseconds: [String: Double] = [:]
        /// When each client last had a job started (a count of starts): clients take turns.
        var lastStarted: [String: UInt64] = [:]
        var starts: UInt64 = 0
        var stopped = false
    }

    private let state = State()
    public let workers: Int
    public let maxQueue: Int
    /// Seconds the oldest waiting job of a lane may have waited before new ones are refused.
    public let maxWait: Double
    /// Readers that costly jobs may hold at once.
    public let costlyReaders: Int
    /// A client whose recent jobs took longer than this (milliseconds) is served as costly.
    public let costlyMilliseconds: Double

    /// `makeSearcher` runs on each worker thread; if it fails (no index yet), jobs get
    /// its error and the worker tries again on the next job.
    public init(workers: Int, maxQueue: Int, maxWait: Double = .infinity, costlyReaders: Int? = nil,
                costlyMilliseconds: Double = 25, reopenInterval: Double = 0.05, logger: Logger,
                makeSearcher: @escaping @Sendable () throws -> Searcher) {
        self.workers = workers
        self.maxQueue = maxQueue
        self.maxWait = maxWait
        self.costlyReaders = min(workers, max(1, costlyReaders ?? workers - 1))
        self.costlyMilliseconds = costlyMilliseconds
        let costlyReaders = self.costlyReaders
        for index in 0..<workers {
            let thread = Thread { [state] in
                ReaderPool.nameThisThread("acsearchd-rd-\(index)")
                var searcher: Searcher? = nil
                var lastReopen = Date.distantPast
                while true {
                    state.condition.lock()
                    var next = ReaderPool.next(in: state, costlyReaders: costlyReaders)
                    while next == nil && !(state.stopped && state.jobs.isEmpty) {
                        state.condition.wait()
                        next = ReaderPool.next(in: state, costlyReaders: costlyReaders)
                    }
                    guard let position = next else {
                        state.condition.unlock()
                        return
                    }
                    let job = state.jobs.remove(at: position)
                    state.running += 1
                    if job.costly { state.runningCostly += 1 }
                    state.runningByClient[job.client, default: 0] += 1
                    state.starts += 1
                    state.lastStarted[job.client] = state.starts
                    state.condition.unlock()

                    let started = DispatchTime.now().uptimeNanoseconds
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
                    job.run(searcher, failure)
                    let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6

                    state.condition.lock()
                    state.running -= 1
                    if job.costly { state.runningCostly -= 1 }
                    let left = state.runningByClient[job.client, default: 1] - 1
                    state.runningByClient[job.client] = left > 0 ? left : nil
                    let before = state.recentMilliseconds[job.client] ?? milliseconds
                    state.recentMilliseconds[job.client] = 0.7 * before + 0.3 * milliseconds
                    // Forget clients that come and go (one per connection), keeping those at work.
                    if state.recentMilliseconds.count > 4096 {
                        let busy = Set(state.jobs.map(\.client)).union(state.runningByClient.keys)
                        state.recentMilliseconds = state.recentMilliseconds.filter { busy.contains($0.key) }
                        state.lastStarted = state.lastStarted.filter { busy.contains($0.key) }
                    }
                    // A costly reader came free: a worker waiting for one may go.
                    state.condition.broadcast()
                    state.condition.unlock()
                }
            }
            thread.start()
        }
    }

    /// The job a free reader takes (the lock held): cheap before costly (while
    /// costly jobs hold fewer than their readers), then the client with the fewest
    /// jobs running, then the client served least recently (clients take turns),
    /// then the oldest.
    private static func next(in state: State, costlyReaders: Int) -> Int? {
        var best: (position: Int, key: (Int, Int, UInt64))? = nil
        for (position, job) in state.jobs.enumerated() {
            if job.costly && state.runningCostly >= costlyReaders { continue }
            let key = (job.costly ? 1 : 0, state.runningByClient[job.client] ?? 0, state.lastStarted[job.client] ?? 0)
            if best == nil || key < best!.key { best = (position, key) }
        }
        return best?.position
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
    /// event loop, with no task to resume in between. `client` names who asks, and
    /// `costly` says the request looks expensive before it runs (the pool also
    /// counts as costly a client whose recent jobs were slow).
    ///
    /// Throws `Overloaded` at once when the oldest job waiting in its lane has waited
    /// longer than `maxWait`, or `maxQueue` jobs are already waiting (the caller
    /// answers 503), and `Stopped` after shutdown.
    public func submit<T>(_ read: @escaping @Sendable (Searcher) throws -> T, client: String = "", costly: Bool = false,
                          done: @escaping @Sendable (Result<T, any Error>) -> Void) throws {
        let now = DispatchTime.now().uptimeNanoseconds
        state.condition.lock()
        defer { state.condition.unlock() }
        if state.stopped { throw Stopped() }
        if state.jobs.count >= maxQueue + max(0, workers - state.running) { throw Overloaded() }
        let costly = costly || (state.recentMilliseconds[client] ?? 0) > costlyMilliseconds
        if let oldest = state.jobs.first(where: { $0.costly == costly }),
           Double(now - oldest.queued) / 1e9 > maxWait { throw Overloaded() }
        state.jobs.append(Job(client: client, costly: costly, queued: now) { searcher, failure in
            guard let searcher else {
                done(.failure(failure ?? Stopped()))
                return
            }
            done(Result { try searcher.database.retryingIfModified { _ in try read(searcher) } })
        })
        state.condition.broadcast()
    }

    /// Lets queued jobs finish, then ends the threads.
    public func shutdown() {
        state.condition.lock()
        state.stopped = true
        state.condition.broadcast()
        state.condition.unlock()
    }
}
