internal import CXapian

/// A stemmer: one of Snowball's, or one whose work is a Swift function.
///
/// A custom stemmer is how acsearch folds diacritics inside Xapian: TermGenerator,
/// QueryParser and `MatchSet.snippet` all call it, so what is indexed, what is
/// asked and what is highlighted agree. The function may be called on whichever
/// thread uses the object holding the stemmer, so it must not touch shared state
/// without its own synchronisation.
public final class Stemmer {
    let handle: OpaquePointer

    /// A Snowball stemmer, e.g. "english"; "none" stems nothing.
    public init(language: String) throws(XapianError) {
        var out: OpaquePointer? = nil
        try call("create stemmer \(language)") { cx_stem_new(language, &out, $0) }
        handle = out!
    }

    /// A stemmer whose stem of a (lowercased) word is `function(word)`.
    public init(_ function: @escaping (String) -> String) throws(XapianError) {
        var out: OpaquePointer? = nil
        try CallbackBox.register(function) { context throws(XapianError) in
            try call("create custom stemmer") { cx_stem_new_custom(runStemFunction, context, releaseCallbackContext, &out, $0) }
        }
        handle = out!
    }

    deinit { cx_stem_destroy(handle) }

    public func stem(_ word: String) throws(XapianError) -> String {
        try word.withBytes { bytes, length throws(XapianError) in
            try takeString("stem \(word)") { out, outLength, error in
                cx_stem_apply(handle, bytes, length, out, outLength, error)
            }
        }
    }
}

private let runStemFunction: cx_stem_function = { context, word, length, sink in
    let stem = CallbackBox<(String) -> String>.function(context)(bytesString(word, length))
    stem.withBytes { cx_sink_set(sink, $0, $1) }
}
