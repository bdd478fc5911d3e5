import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the daemon listens: a socket systemd passed in, or a path it binds itself.
public enum ListenAddress: Sendable, CustomStringConvertible {
    case inherited(descriptor: CInt)
    case path(String, mode: mode_t, group: gid_t?)

    public var description: String {
        switch self {
        case .inherited(let descriptor): return "systemd socket (fd \(descriptor))"
        case .path(let path, _, _): return path
        }
    }

    public struct BindError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes a path ready to bind: a stale socket (nobody answering) is removed; a
    /// live one is never stolen, and neither is a file that is not a socket.
    static func prepare(path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let parent = (path as NSString).deletingLastPathComponent
            var parentInfo = stat()
            if stat(parent.isEmpty ? "." : parent, &parentInfo) != 0 {
                throw BindError(description: "cannot bind \(path): the folder \(parent) does not exist")
            }
            return
        }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw BindError(description: "cannot bind \(path): it exists and is not a socket")
        }
        if isAnswering(path) {
            throw BindError(description: "cannot bind \(path): another server is listening on it")
        }
        unlink(path)
    }

    static func isAnswering(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// A socket the daemon bound itself, and the file it made: at stop the path is
    /// removed only while it is still that file (another daemon may have taken the
    /// path over since; its socket is not ours to delete).
    struct BoundSocket: Sendable {
        let descriptor: CInt
        let path: String
        let device: UInt64
        let inode: UInt64
    }

    /// Binds and listens at path, created private and then opened to mode and group.
    /// Bound here, not by NIO: NIO's own Unix listener unlinks its path on close,
    /// whoever owns the file by then.
    static func bind(path: String, mode: mode_t, group: gid_t?, backlog: CInt) throws -> BoundSocket {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw BindError(description: "cannot create a socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw BindError(description: "cannot bind \(path): the path is longer than a Unix socket allows")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let previous = umask(0o177)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        umask(previous)
        var info = stat()
        guard bound == 0, listen(descriptor, backlog) == 0, lstat(path, &info) == 0 else {
            let why = String(cString: strerror(errno))
            close(descriptor)
            throw BindError(description: "cannot bind \(path): \(why)")
        }
        let socket = BoundSocket(descriptor: descriptor, path: path, device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        do {
            try secure(path: path, mode: mode, group: group)
        } catch {
            close(descriptor)
            remove(socket)
            throw error
        }
        return socket
    }

    /// Removes the socket's path if it is still the file this daemon bound.
    @discardableResult
    static func remove(_ socket: BoundSocket) -> Bool {
        var info = stat()
        guard lstat(socket.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK,
              UInt64(info.st_dev) == socket.device, UInt64(info.st_ino) == socket.inode else { return false }
        return unlink(socket.path) == 0
    }

    /// Applies mode and group to a socket the daemon bound itself.
    static func secure(path: String, mode: mode_t, group: gid_t?) throws {
        if chmod(path, mode) != 0 {
            throw BindError(description: "cannot set the mode of \(path): \(String(cString: strerror(errno)))")
        }
        if let group, chown(path, uid_t.max, group) != 0 {
            throw BindError(description: "cannot give \(path) to group \(group): \(String(cString: strerror(errno)))")
        }
    }

    /// A group name or number to a group id.
    public static func groupID(_ name: String) throws -> gid_t {
        if let number = gid_t(name) { return number }
        guard let entry = getgrnam(name) else { throw BindError(description: "no group named \(name)") }
        return entry.pointee.gr_gid
    }
}
