import Foundation

/// Lines of a file handle (standard input), read in large blocks, with their numbers
/// counted from 1. A last line without a newline is a line too.
struct LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false
    private var number = 0

    init(_ handle: FileHandle) { self.handle = handle }

    mutating func next() throws -> (number: Int, line: ArraySlice<UInt8>)? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                defer { start = newline + 1 }
                number += 1
                return (number, buffer[start..<newline])
            }
            if ended {
                guard start < buffer.count else { return nil }
                defer { start = buffer.count }
                number += 1
                return (number, buffer[start...])
            }
            buffer.removeSubrange(0..<start)
            start = 0
            if let data = try handle.read(upToCount: 1 << 16), !data.isEmpty { buffer.append(contentsOf: data) } else { ended = true }
        }
    }
}
