import ACSearchAPI
import XapianKit

extension Searcher {
    /// A document's whole body as an HTML fragment (text escaped), the words a query
    /// matches in `<mark>…</mark>`, as the hits' snippets mark them: the web page's
    /// document view. Without a query (or one that marks nothing) the body is only escaped.
    public func highlightedBody(_ body: String, query text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return SnippetHTML.escape(body) }
        let prepared = try query(for: SearchRequest(query: trimmed))
        guard let highlighter = try highlightMatches(for: prepared.query, adding: prepared.marking) else {
            return SnippetHTML.escape(body)
        }
        let bytes = Array(body.utf8)
        // A snippet as long as the text is the text: Xapian then marks every match in it
        // rather than choosing a window.
        let raw = try highlighter.snippet(ofUTF8: SnippetHTML.withoutMarks(bytes[...]), length: bytes.count + 1,
                                          stemmer: stemmer.stemmer,
                                          highlight: (SnippetHTML.markStart, SnippetHTML.markEnd), omit: "",
                                          exhaustive: false)
        let phrases = PhraseMarks(query: QueryText.prepare(trimmed), stem: stemmer.stem)
        return SnippetHTML.render(phrases?.apply(raw).text ?? raw)
    }
}
