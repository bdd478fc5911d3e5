import ACSearchAPI

/// Why a request did not get an answer, or got an error answer.
public enum ClientError: Error, CustomStringConvertible {
    /// No daemon at the socket (missing, refused, no permission).
    case unreachable(String, String)
    /// The path exists and is not a socket.
    case notASocket(String)
    case timedOut(String, Double)
    /// The daemon answered with an error (a bad query, overload...).
    case answer(APIError)
    case invalidAnswer(String)

    public var description: String {
        switch self {
        case .unreachable(let path, let why): return "cannot reach acsearchd at \(path): \(why)"
        case .notASocket(let path): return "\(path) is not a socket"
        case .timedOut(let path, let seconds): return "acsearchd at \(path) did not answer within \(seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) s"
        case .answer(let error): return error.message
        case .invalidAnswer(let why): return why
        }
    }
}
