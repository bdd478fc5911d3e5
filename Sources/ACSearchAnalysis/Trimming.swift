extension StringProtocol {
    /// The text without whitespace and newlines at either end. Foundation's
    /// `trimmingCharacters(in:)` copies the whole text through NSString (UTF-16) and
    /// back, which made trimming a tenth of the indexer's time on long bodies.
    public var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
