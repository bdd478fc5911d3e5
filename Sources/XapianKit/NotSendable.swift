// Xapian's objects are not thread-safe, so neither are their owners: the compiler,
// not a comment, keeps each on the thread that made it (a value of one of these
// cannot cross into a `@Sendable` closure or another isolation domain). As GRDB
// marks its `Database`.

@available(*, unavailable, message: "Xapian handles are not thread-safe: open one per thread")
extension Database: Sendable {}

@available(*, unavailable, message: "Xapian handles are not thread-safe: open one per thread")
extension WritableDatabase: Sendable {}

@available(*, unavailable, message: "Xapian handles are not thread-safe: build one per thread")
extension Document: Sendable {}

@available(*, unavailable, message: "Xapian handles are not thread-safe: make one per thread")
extension Enquire: Sendable {}

@available(*, unavailable, message: "Xapian handles are not thread-safe: keep a match set on its thread")
extension MatchSet: Sendable {}

@available(*, unavailable, message: "Xapian handles are not thread-safe: build the query on the thread that runs it")
extension Query: Sendable {}

@available(*, unavailable, message: "Xapian handles are not thread-safe: make one parser per thread")
extension QueryParser: Sendable {}

@available(*, unavailable, message: "Xapian handles are not thread-safe: make one stemmer per thread")
extension Stemmer: Sendable {}

@available(*, unavailable, message: "Xapian handles are not thread-safe: make one term generator per thread")
extension TermGenerator: Sendable {}
