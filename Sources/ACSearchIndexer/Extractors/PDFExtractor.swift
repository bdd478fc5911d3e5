import ACSearchAnalysis
import Foundation

/// PDF text through poppler's `pdftotext`.
enum PDFExtractor {
    static func text(of path: String, limits: ExtractionLimits) throws(ExtractionError) -> String {
        let data = try ExternalFilter.run("pdftotext", ["-enc", "UTF-8", "-q", "-nopgbrk", path, "-"], on: path,
                                          package: "poppler-utils", limits: limits)
        let text = String(decoding: data, as: UTF8.self)
        guard text.contains(where: { !$0.isWhitespace }) else { throw .noText }
        return text
    }
}

/// Word 97-2003 text through `catdoc`, in UTF-8 (antiword refuses documents of a
/// few lines: "the text stream of this file is too small to handle"). catdoc prints
/// a file that is not an OLE compound file as if it were text: those are refused
/// by their first bytes before it runs.
enum DOCExtractor {
    static let oleMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    static func text(of path: String, limits: ExtractionLimits) throws(ExtractionError) -> String {
        let head = FileHandle(forReadingAtPath: path).map { handle in
            defer { try? handle.close() }
            return (try? handle.read(upToCount: 8)) ?? Data()
        } ?? Data()
        if !head.isEmpty, [UInt8](head) != oleMagic { throw .invalidDocument("not a Word 97-2003 document (no OLE header)") }
        let data = try ExternalFilter.run("catdoc", ["-d", "utf-8", "-w", path], on: path, package: "catdoc", limits: limits)
        let text = TextDecoding.unifyingLineBreaks(String(decoding: data, as: UTF8.self))
        guard text.contains(where: { !$0.isWhitespace }) else { throw .noText }
        return text
    }
}

/// RTF through `unrtf --html`: its HTML keeps every character (as entities) where
/// its plain-text output turns non-Latin-1 ones into "?", and the HTML reader then
/// takes the title and the text.
enum RTFExtractor {
    static func record(of path: String, id: String, limits: ExtractionLimits) throws(ExtractionError) -> SourceRecord {
        let data = try ExternalFilter.run("unrtf", ["--html", path], on: path, package: "unrtf", limits: limits)
        return try HTMLExtractor.record(String(decoding: data, as: UTF8.self), id: id, source: path)
    }
}

/// Runs a tool as an external filter under a time limit (`timeout`) and a memory
/// limit (`prlimit --as`), so a hostile file costs at most that and cannot take the
/// indexer down; its output is read up to the size limit of a file.
enum ExternalFilter {
    /// `path`: the source file the tool reads, held to the size limit first (nil when
    /// the tool reads none, or one of the indexer's own making, as OCR's page images);
    /// `timeoutSeconds`: another limit than `limits.filterTimeoutSeconds` (OCR's per page);
    /// `environment`: added to the indexer's own.
    static func run(_ tool: String, _ arguments: [String], on path: String?, package: String,
                    limits: ExtractionLimits, timeoutSeconds: Int? = nil,
                    environment: [String: String] = [:]) throws(ExtractionError) -> Data {
        if let path {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if size > limits.maxFileSize { throw .tooLarge(bytes: size, limit: limits.maxFileSize) }
            if size == 0 { throw .empty }
        }
        let seconds = timeoutSeconds ?? limits.filterTimeoutSeconds
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/\(tool)") else {
            throw .filterFailed("cannot run \(tool) (install \(package))")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["--kill-after=2", String(seconds),
                             "prlimit", "--as=\(limits.filterMemoryMiB * 1_048_576)", tool] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        do {
            try process.run()
        } catch {
            throw .filterFailed("cannot run \(tool) (install \(package)): \(error.localizedDescription)")
        }
        // Read at most what a text file may hold; stop the filter if it says more.
        var data = Data()
        let handle = output.fileHandleForReading
        while let chunk = try? handle.read(upToCount: 65_536), !chunk.isEmpty {
            data.append(chunk)
            if data.count > limits.maxFileSize {
                process.terminate()
                break
            }
        }
        process.waitUntilExit()
        let status = process.terminationStatus
        if status == 124 || status == 137 {
            throw .filterFailed("\(tool) took longer than \(seconds) s")
        }
        if status != 0 {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile().prefix(300), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw .invalidDocument("\(tool) failed (exit \(status))\(message.isEmpty ? "" : ": " + message)")
        }
        return data
    }
}
