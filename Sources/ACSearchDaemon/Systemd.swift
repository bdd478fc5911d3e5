import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The two systemd protocols acsearchd speaks, both small and stable: socket
/// activation (sd_listen_fds) and readiness notification (sd_notify).
public enum Systemd {
    /// Descriptors passed by socket activation, when LISTEN_PID names this process.
    /// Clears the variables so that children do not inherit them.
    public static func listenedDescriptors(environment: [String: String] = ProcessInfo.processInfo.environment) -> [CInt] {
        defer {
            unsetenv("LISTEN_PID")
            unsetenv("LISTEN_FDS")
            unsetenv("LISTEN_FDNAMES")
        }
        guard let pid = environment["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
              let count = environment["LISTEN_FDS"].flatMap(Int32.init), count > 0 else { return [] }
        return (0..<count).map { 3 + $0 }
    }

    /// Sends a state ("READY=1", "STOPPING=1", "WATCHDOG=1", "STATUS=...") to the
    /// service manager, if it asked for notifications. Failures are ignored, as
    /// sd_notify's are: a daemon must run without systemd too.
    @discardableResult
    public static func notify(_ state: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard var path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return false }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let abstract = path.hasPrefix("@")
        if abstract { path.removeFirst() }
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            let offset = abstract ? 1 : 0
            for (index, byte) in bytes.enumerated() { buffer[index + offset] = byte }
        }
        // A path counts its NUL; an abstract name its leading NUL instead.
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                sendto(descriptor, message, message.count, Int32(MSG_NOSIGNAL), socketAddress, length)
            }
        }
        return sent == message.count
    }

    /// How often to ping the watchdog (half of WATCHDOG_USEC), when one is set for us.
    public static func watchdogInterval(environment: [String: String] = ProcessInfo.processInfo.environment) -> Duration? {
        guard let microseconds = environment["WATCHDOG_USEC"].flatMap(UInt64.init), microseconds > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"].flatMap(Int32.init), pid != getpid() { return nil }
        return .microseconds(Int64(microseconds / 2))
    }
}
