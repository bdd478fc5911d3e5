import Foundation
import Logging
import NIOConcurrencyHelpers

/// The log level, changeable at run time (SIGHUP): every handler reads it here.
public final class LogLevelBox: Sendable {
    public static let shared = LogLevelBox()
    private let level = NIOLockedValueBox(Logger.Level.info)
    public func set(_ value: Logger.Level) { level.withLockedValue { $0 = value } }
    public var value: Logger.Level { level.withLockedValue { $0 } }
}

/// Logs to standard error, for the journal: one line per event, level first (no
/// timestamps; the journal adds its own), metadata as key=value.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level {
        get { LogLevelBox.shared.value }
        set { LogLevelBox.shared.set(newValue) }
    }
    let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = self.metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = "\(event.level) \(event.message)\(fields.isEmpty ? "" : " " + fields)\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
