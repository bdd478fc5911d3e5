import Foundation
#if canImport(Glibc)
import Glibc
#endif

enum DescriptorLimit {
    /// systemd (and most shells) start services with a soft limit of 1024 open
    /// files, too few for max_connections plus the index's files. Raises the soft
    /// limit as far as the hard one allows, as systemd's own documentation advises
    /// for programs that need more; returns the limit now in force.
    static func raise(toServe connections: Int) -> Int {
        let files = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(files, &limit) == 0 else { return 1024 }
        let wanted = rlim_t(connections + 256)
        if limit.rlim_cur < wanted {
            limit.rlim_cur = min(wanted, limit.rlim_max)
            _ = setrlimit(files, &limit)
            _ = getrlimit(files, &limit)
        }
        return Int(min(limit.rlim_cur, rlim_t(Int.max)))
    }
}
