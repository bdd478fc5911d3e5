import Foundation

/// PDF text through poppler's `pdftotext`, run as an external filter under a time
/// limit (`timeout`) and a memory limit (`prlimit --as`), so a hostile PDF costs at
/// most that and cannot take the indexer down.
enum PDFExtractor {
    static func text(of path: String, limits: ExtractionLimits) throws(ExtractionError) -> String {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > limits.maxFileSize { throw .tooLarge(bytes: size, limit: limits.maxFileSize) }
        if size == 0 { throw .empty }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["--kill-after=2", String(limits.filterTimeoutSeconds),
                             "prlimit", "--as=\(limits.filterMemoryMiB * 1_048_576)",
                             "pdftotext", "-enc", "UTF-8", "-q", "-nopgbrk", path, "-"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .filterFailed("cannot run pdftotext (install poppler-utils): \(error.localizedDescription)")
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
            throw .filterFailed("pdftotext took longer than \(limits.filterTimeoutSeconds) s")
        }
        if status != 0 {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile().prefix(300), as: UTF8.self)
            throw .invalidDocument("pdftotext failed (exit \(status))\(message.isEmpty ? "" : ": " + message)")
        }
        let text = String(decoding: data, as: UTF8.self)
        guard text.contains(where: { !$0.isWhitespace }) else { throw .noText }
        return text
    }
}
