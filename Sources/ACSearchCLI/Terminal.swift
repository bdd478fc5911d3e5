#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// What standard output is: colours and width only for a terminal, and never when
/// NO_COLOR is set (no-color.org) or TERM is "dumb".
struct Terminal {
    let color: Bool
    let width: Int
    let isTerminal: Bool

    static var standardOutput: Terminal {
        let environment = ProcessInfo.processInfo.environment
        let tty = isatty(STDOUT_FILENO) == 1
        let color = tty && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        var size = winsize()
        let width = tty && ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 20 ? Int(size.ws_col) : 0
        return Terminal(color: color, width: width, isTerminal: tty)
    }

    func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { color ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func highlight(_ text: String) -> String { highlightCodes.start + text + highlightCodes.end }
    var highlightCodes: (start: String, end: String) { color ? ("\u{1B}[1;33m", "\u{1B}[0m") : ("", "") }

    /// One message on standard error; it may quote the daemon, which may quote a document.
    static func error(_ line: String) {
        write(Array((SafeText.block(line) + "\n").utf8), to: STDERR_FILENO)
    }

    static func output(_ bytes: [UInt8]) {
        write(bytes, to: STDOUT_FILENO)
    }

    /// The daemon's JSON as it came, but with nothing a terminal would act on.
    static func outputJSON(_ bytes: [UInt8]) {
        output(SafeText.json(bytes))
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32) {
        fflush(nil)  // what print() buffered goes first
        bytes.withUnsafeBufferPointer { buffer in
            var done = 0
            while done < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                done += written
            }
        }
    }

    /// Text left-aligned in a column of `width` characters.
    static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// Wraps text to the terminal width with an indent (no wrapping when not a terminal).
    func wrap(_ text: String, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        guard width > indent + 20 else { return pad + text }
        var lines: [String] = []
        var line = ""
        var visible = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let length = Terminal.visibleLength(String(word))
            if visible > 0 && visible + 1 + length > width - indent {
                lines.append(pad + line)
                line = ""
                visible = 0
            }
            line += (visible > 0 ? " " : "") + word
            visible += (visible > 0 ? 1 : 0) + length
        }
        if !line.isEmpty { lines.append(pad + line) }
        return lines.joined(separator: "\n")
    }

    /// Length without escape sequences.
    static func visibleLength(_ text: String) -> Int {
        var count = 0
        var escaping = false
        for character in text {
            if character == "\u{1B}" { escaping = true; continue }
            if escaping { if character == "m" { escaping = false }; continue }
            count += 1
        }
        return count
    }
}
