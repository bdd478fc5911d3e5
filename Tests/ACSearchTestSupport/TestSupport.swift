import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Paths of the checkout, found from this file, and of the built products.
public enum Checkout {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    public static let indexDirectory = root.appendingPathComponent("index").path
    public static let corpus = root.appendingPathComponent("index/corpus").path
    /// `../shared/corpus/` beside the checkout, where it exists (CI has it).
    public static let sharedCorpus = root.deletingLastPathComponent().appendingPathComponent("shared/corpus").path
    /// Where `swift build` put the executables (beside the test bundle).
    public static var products: URL {
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }
    public static func executable(_ name: String) -> String { products.appendingPathComponent(name).path }
}

/// A fresh directory per test, removed afterwards. Short, so Unix socket paths in it
/// stay under sun_path's 108 bytes.
public final class TemporaryDirectory: Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(_ label: String = "acs") {
        url = URL(fileURLWithPath: "/tmp").appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func child(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        write(name, Data(text.utf8))
    }

    @discardableResult
    public func write(_ name: String, _ data: Data) -> String {
        let path = child(name)
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try! data.write(to: URL(fileURLWithPath: path))
        return path
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Checks `condition` every `interval` seconds until it holds or `timeout` seconds
/// have passed, and says whether it held: tests wait for what they need to see, with
/// a deadline, never for a fixed time nor without end.
@discardableResult
public func waitUntil(timeout: TimeInterval, interval: TimeInterval = 0.01, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return true }
        if Date() >= deadline { return false }
        usleep(useconds_t(interval * 1_000_000))
    }
}

/// What a finished process said and how it ended.
public struct ProcessResult {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs real binaries as separate processes, as users and services do.
public enum Run {
    /// The sanitizer settings this test process was started with (scripts/torture
    /// runs the suite under ASan and TSan): children given an environment of their
    /// own keep them, so their reports land where the run collects them.
    public static let sanitizerSettings: [String: String] = ProcessInfo.processInfo.environment.filter {
        $0.key.hasSuffix("SAN_OPTIONS") || $0.key == "SWIFT_BACKTRACE"
    }

    /// Whether this run is under a sanitizer, whose shadow memory rules out an
    /// address-space cap.
    public static var sanitized: Bool { sanitizerSettings.keys.contains { $0.hasSuffix("SAN_OPTIONS") } }

    /// Runs to completion; output is collected from files, so large output cannot block.
    @discardableResult
    public static func process(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                               stdin: Data? = nil, directory: String? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment.merging(Run.sanitizerSettings) { mine, _ in mine } }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let scratch = TemporaryDirectory("out")
        let outPath = scratch.child("stdout"), errPath = scratch.child("stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            // A child may stop reading (it failed, as some tests want): its closed pipe
            // must end the writing, not the test process.
            signal(SIGPIPE, SIG_IGN)
            try? input.fileHandleForWriting.write(contentsOf: stdin)
            try? input.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return ProcessResult(status: process.terminationStatus,
                             stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
