/// How a shard is named on the command line and in configuration: a local folder,
/// or `tcp://host:port` of a xapian-tcpsrv. The writer and the daemon read names here.
public enum ShardAddress {
    /// "tcp://host:port" → (host, port); nil for anything else (a folder).
    public static func remote(_ shard: String) -> (host: String, port: UInt16)? {
        guard shard.hasPrefix("tcp://") else { return nil }
        let rest = shard.dropFirst("tcp://".count)
        guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]) else { return nil }
        return (String(rest[..<colon]), port)
    }
}
