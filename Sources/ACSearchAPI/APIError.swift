/// An error the API answers with: an HTTP status and a message saying what to change.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: Int
    /// A stable, machine-readable code ("bad_request", "query_syntax", "not_found"...).
    public let code: String
    public let message: String

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func badRequest(_ message: String) -> APIError { APIError(status: 400, code: "bad_request", message: message) }
    public static func querySyntax(_ message: String) -> APIError { APIError(status: 400, code: "query_syntax", message: message) }
    public static func notFound(_ message: String) -> APIError { APIError(status: 404, code: "not_found", message: message) }
    public static func unavailable(_ message: String) -> APIError { APIError(status: 503, code: "unavailable", message: message) }
    public static func internalError(_ message: String) -> APIError { APIError(status: 500, code: "internal", message: message) }

    public var description: String { "\(status) \(code): \(message)" }
}

/// The body of every error answer: `{"error": {"status": 400, "code": "...", "message": "..."}}`.
public struct ErrorResponse: Codable, Sendable {
    public struct Body: Codable, Sendable {
        public let status: Int
        public let code: String
        public let message: String
    }
    public let error: Body

    public init(_ error: APIError) { self.error = Body(status: error.status, code: error.code, message: error.message) }
}
