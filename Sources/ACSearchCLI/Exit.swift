import ArgumentParser

/// Exit codes, grep-style and documented in --help and the README.
public enum Exit {
    public static let found: Int32 = 0
    public static let nothingFound: Int32 = 1
    public static let errorAnswer: Int32 = 2
    public static let unreachable: Int32 = 3
}
