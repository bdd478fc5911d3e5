import ACSearchAPI
import ACSearchAnalysis
import ACSearchIndex
import Dispatch
import Foundation
import XapianKit
#if canImport(Glibc)
import Glibc
#endif

/// What the indexer does with watches after each commit: percolates the commit's new
/// and replaced documents through every watch (`WatchPercolator`), records the matches
/// in the watch store, and runs the hook command, if any, once per watch with new
/// matches. The hook runs on a thread of its own, time-limited, so indexing never
/// waits for it; its failures are logged. The run waits for hooks still running only
/// at its end (`waitForHooks`), so that a oneshot unit does not kill them.
public final class WatchDelivery: @unchecked Sendable {
    // @unchecked: `committed` is called from the indexing thread only; the hook queue
    // touches nothing but its own arguments and the log.
    public let percolator: WatchPercolator
    public let hook: String?
    public let hookTimeout: Double
    let log: @Sendable (String) -> Void
    private let hooks = DispatchQueue(label: "acsearch.watch-hooks")
    private let running = DispatchGroup()
    /// New matches recorded in this run, over every watch.
    public private(set) var matched = 0

    public init(store: WatchStore, shards: [String], resources: AnalysisResources, hook: String?, hookTimeout: Double,
                log: @escaping @Sendable (String) -> Void) {
        let opened: [Shard] = shards.map { shard in
            if let (host, port) = IndexWriter.remote(shard) { return .remote(host: host, port: port) }
            return .local(path: shard)
        }
        percolator = WatchPercolator(store: store, shards: opened, resources: resources)
        self.hook = hook
        self.hookTimeout = hookTimeout
        self.log = log
    }

    /// Whether this run builds the index from nothing. A watch is saved through the
    /// daemon, which needs an index, so watches older than the index mean a rebuild
    /// (a schema upgrade, a lost index): its documents are not news, and are not
    /// reported as such.
    public static func buildsANewIndex(_ shards: [String]) -> Bool {
        shards.allSatisfy(PartialIndexes.canBuild)
    }

    /// After a commit: its documents through every watch. Never throws: a failure is
    /// logged and indexing goes on (the matches of this commit are then missed).
    public func committed(_ ids: [String]) {
        let outcome: WatchPercolator.Outcome
        let started = DispatchTime.now()
        do {
            outcome = try percolator.percolate(ids: ids)
        } catch {
            log("watches not run over \(ids.count) new documents: \(error)")
            return
        }
        if outcome.watches > 0 {
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
            log("\(outcome.watches) watch\(outcome.watches == 1 ? "" : "es") run over \(ids.count) new documents in "
                + String(format: "%.1f", milliseconds) + " ms")
        }
        for (name, reason) in outcome.failures.sorted(by: { $0.key < $1.key }) {
            log("watch \(name) not run: \(reason)")
        }
        for (name, matches) in outcome.matches.sorted(by: { $0.key < $1.key }) where !matches.isEmpty {
            matched += matches.count
            log("watch \(name): \(matches.count) new")
            if let hook { schedule(hook, watch: name, matches: matches) }
        }
    }

    /// Waits for the hooks still to run (each within its own time limit).
    public func waitForHooks() {
        running.wait()
    }

    private func schedule(_ hook: String, watch: String, matches: [WatchMatch]) {
        running.enter()
        let timeout = hookTimeout
        let log = self.log
        hooks.async { [running] in
            defer { running.leave() }
            WatchDelivery.run(hook, watch: watch, matches: matches, timeout: timeout, log: log)
        }
    }

    /// Runs the hook as `HOOK NAME`, the new matches as JSON lines on its standard input
    /// (from a file: a hook that does not read it cannot block us), its output on our
    /// standard error (the journal). Past `timeout` seconds it is sent SIGTERM, and
    /// SIGKILL two seconds later.
    static func run(_ hook: String, watch: String, matches: [WatchMatch], timeout: Double,
                    log: @Sendable (String) -> Void) {
        let input = FileManager.default.temporaryDirectory
            .appendingPathComponent("acsearch-watch-\(getpid())-\(UUID().uuidString.prefix(8)).jsonl")
        defer { try? FileManager.default.removeItem(at: input) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var lines = Data()
        for match in matches {
            guard let line = try? encoder.encode(match) else { continue }
            lines.append(line)
            lines.append(0x0A)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: hook)
        process.arguments = [watch]
        var environment = ProcessInfo.processInfo.environment
        environment["ACSEARCH_WATCH"] = watch
        environment["ACSEARCH_WATCH_NEW"] = String(matches.count)
        process.environment = environment
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try lines.write(to: input)
            process.standardInput = try FileHandle(forReadingFrom: input)
            try process.run()
        } catch {
            log("watch \(watch): hook \(hook) could not start: \(error)")
            return
        }
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if exited.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
            log("watch \(watch): hook \(hook) ran past \(NumberFormatting.seconds(timeout)) s and was stopped")
            return
        }
        if process.terminationReason == .uncaughtSignal {
            log("watch \(watch): hook \(hook) was killed by signal \(process.terminationStatus)")
        } else if process.terminationStatus != 0 {
            log("watch \(watch): hook \(hook) failed with exit status \(process.terminationStatus)")
        }
    }
}

enum NumberFormatting {
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
