internal import CXapian

// Conversions between the shim's out-parameters and Swift values. The shim allocates
// every returned buffer; these helpers copy it and release it with cx_free.

/// Calls `body` with an out-buffer and returns its bytes, freeing the shim's copy.
func takeBytes(_ operation: @autoclosure () -> String,
               _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, UnsafeMutablePointer<Int>,
                        UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> cx_status) throws(XapianError) -> [UInt8] {
    var out: UnsafeMutablePointer<CChar>? = nil
    var length = 0
    try call(operation()) { body(&out, &length, $0) }
    defer { cx_free(out) }
    guard let out else { return [] }
    return out.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
}

func takeString(_ operation: @autoclosure () -> String,
                _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, UnsafeMutablePointer<Int>,
                         UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> cx_status) throws(XapianError) -> String {
    String(decoding: try takeBytes(operation(), body), as: UTF8.self)
}

// The standard library's pointer-lending methods are `rethrows`, which widens a
// typed error to `any Error`; these carry the error through a Result instead.

extension String {
    /// Lends the string's UTF-8 bytes (not NUL-terminated) with their length.
    func withBytes<R, E: Error>(_ body: (UnsafePointer<CChar>?, Int) throws(E) -> R) throws(E) -> R {
        var copy = self
        let result: Result<R, E> = copy.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                Result { () throws(E) -> R in try body(chars.baseAddress, chars.count) }
            }
        }
        return try result.get()
    }
}

extension Array {
    /// Lends the array's storage, with a typed error.
    func withBuffer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBufferPointer { buffer in
            Result { () throws(E) -> R in try body(buffer) }
        }
        return try result.get()
    }
}

extension Array where Element == UInt8 {
    func withBytes<R, E: Error>(_ body: (UnsafePointer<CChar>?, Int) throws(E) -> R) throws(E) -> R {
        try withBuffer { (buffer: UnsafeBufferPointer<UInt8>) throws(E) -> R in
            let chars = UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
            return try body(chars, buffer.count)
        }
    }
}

func bytesString(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> String {
    guard let pointer, length > 0 else { return "" }
    return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
}

func bytesArray(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> [UInt8] {
    guard let pointer, length > 0 else { return [] }
    return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
        Array(UnsafeBufferPointer(start: $0, count: length))
    }
}

/// Collects what a shim visitor reports; passed as the visitor's context.
final class Collector<Item> {
    var items: [Item] = []
    let limit: Int
    init(limit: Int = .max) { self.limit = limit }
    /// Appends and tells the shim whether to go on (0) or stop (1).
    func add(_ item: Item) -> Int32 {
        items.append(item)
        return items.count >= limit ? 1 : 0
    }
}

typealias TermCollector = Collector<(term: String, count: UInt32)>

let collectTerm: cx_term_visitor = { context, term, length, count in
    let collector = Unmanaged<TermCollector>.fromOpaque(context!).takeUnretainedValue()
    return collector.add((bytesString(term, length), count))
}

/// Runs a visiting shim call with a collector as context and returns what it gathered.
func visitTerms(limit: Int = .max, _ body: (UnsafeMutableRawPointer) throws(XapianError) -> Void)
    throws(XapianError) -> [(term: String, count: UInt32)] {
    let collector = TermCollector(limit: limit)
    defer { withExtendedLifetime(collector) {} }
    try body(Unmanaged.passUnretained(collector).toOpaque())
    return collector.items
}
