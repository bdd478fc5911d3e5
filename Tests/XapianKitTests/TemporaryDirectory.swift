import Foundation

/// A fresh directory per test, removed afterwards (GRDB's pattern).
final class TemporaryDirectory {
    let url: URL
    var path: String { url.path }

    init(_ label: String = "acsearch") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func child(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
