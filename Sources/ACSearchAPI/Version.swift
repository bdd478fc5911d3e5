/// The version acsearch reports: the CLI's `--version`, the daemon's `/v1/status`,
/// its `Server` header and its log.
public enum ACSearchVersion {
    public static let current = "0.1.0"
}
