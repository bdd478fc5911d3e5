internal import CXapian

/// An error from Xapian, carried across the C shim as a status code and a message.
///
/// Switch on `code` to act on it: `.modified` means "reopen and retry", `.locked`
/// means another writer holds the database.
public struct XapianError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case modified, locked, corrupt, opening, notFound, querySyntax, invalidArgument
        case noMemory, network, timeout, invalidOperation, wildcard, closed, xapian, unknown
        /// A match ran past its deadline (`Enquire.setDeadline`) and was stopped.
        case timeBudget
        /// The compiled shim does not match the header this module was built against.
        case apiMismatch
    }

    public let code: Code
    /// Xapian's own description (class and message).
    public let message: String
    /// What acsearch was doing, e.g. "open database /var/lib/acsearch/index".
    public let operation: String

    public init(code: Code, message: String, operation: String) {
        self.code = code
        self.message = message
        self.operation = operation
    }

    public var description: String { "\(operation): \(message)" }

    init(status: cx_status, message: String, operation: String) {
        self.init(code: Code(status), message: message, operation: operation)
    }
}

extension XapianError.Code {
    init(_ status: cx_status) {
        switch status {
        case CX_MODIFIED: self = .modified
        case CX_LOCKED: self = .locked
        case CX_CORRUPT: self = .corrupt
        case CX_OPENING: self = .opening
        case CX_NOT_FOUND: self = .notFound
        case CX_QUERY_SYNTAX: self = .querySyntax
        case CX_INVALID_ARGUMENT: self = .invalidArgument
        case CX_NO_MEMORY: self = .noMemory
        case CX_NETWORK: self = .network
        case CX_TIMEOUT: self = .timeout
        case CX_INVALID_OPERATION: self = .invalidOperation
        case CX_WILDCARD: self = .wildcard
        case CX_CLOSED: self = .closed
        case CX_XAPIAN: self = .xapian
        case CX_TIME_BUDGET: self = .timeBudget
        default: self = .unknown
        }
    }
}

/// Calls a shim function and turns a failure status into a thrown `XapianError`.
@inline(__always)
func call(_ operation: @autoclosure () -> String,
          _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> cx_status) throws(XapianError) {
    var message: UnsafeMutablePointer<CChar>? = nil
    let status = body(&message)
    if status == CX_OK { return }
    let text = message.map { String(cString: $0) } ?? String(cString: cx_status_name(status))
    cx_free(message)
    throw XapianError(status: status, message: text, operation: operation())
}

/// Checks once per process that the linked shim is the one this module was built for.
let shimCompatibility: XapianError? = {
    let linked = cx_api_version()
    if linked == CX_API_VERSION { return nil }
    return XapianError(code: .apiMismatch,
                       message: "shim API version \(linked), expected \(CX_API_VERSION)",
                       operation: "load CXapian")
}()

func checkShim() throws(XapianError) {
    if let error = shimCompatibility { throw error }
}

public enum Xapian {
    /// The version of the linked libxapian, e.g. "1.4.22".
    public static var version: String { String(cString: cx_xapian_version()) }
    /// The shim's API version, checked against the header whenever a database opens.
    public static var shimAPIVersion: Int { Int(cx_api_version()) }
    /// Snowball stemmer languages available.
    public static var stemmerLanguages: [String] {
        guard let list = cx_stem_languages() else { return [] }
        defer { cx_free(list) }
        return String(cString: list).split(separator: " ").map(String.init)
    }
    /// The longest term, in bytes, that Xapian's glass backend accepts.
    public static let maxTermLength = 245

    /// A number as bytes that sort as the numbers do (Xapian's `sortable_serialise`):
    /// what a value slot sorted or filtered by range as a number holds.
    public static func sortableSerialise(_ value: Double) -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: 16)
        let length = buffer.withUnsafeMutableBufferPointer { cx_sortable_serialise(value, $0.baseAddress!) }
        return buffer.prefix(length).map { UInt8(bitPattern: $0) }
    }

    /// The number `sortableSerialise` wrote (0 for bytes it did not write).
    public static func sortableUnserialise(_ bytes: [UInt8]) -> Double {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { cx_sortable_unserialise($0.baseAddress, $0.count) }
        }
    }
}
