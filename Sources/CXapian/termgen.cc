// cx_termgen: text to terms, through the caller's stemmer and strategy.
#include "internal.h"

using namespace cxapian;

extern "C" cx_status cx_termgen_new(cx_termgen **out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        *out = new cx_termgen();
    });
}

extern "C" void cx_termgen_destroy(cx_termgen *termgen) { delete termgen; }

extern "C" cx_status cx_termgen_set_stemmer(cx_termgen *termgen, cx_stem *stem, char **error_message) {
    return guard(error_message, [&] {
        require(termgen, "termgen");
        require(stem, "stem");
        termgen->termgen.set_stemmer(stem->stem);
    });
}

extern "C" cx_status cx_termgen_set_stemming_strategy(cx_termgen *termgen, cx_stem_strategy strategy,
                                                      char **error_message) {
    return guard(error_message, [&] {
        require(termgen, "termgen");
        termgen->termgen.set_stemming_strategy(termgen_strategy(strategy));
    });
}

extern "C" cx_status cx_termgen_set_flags(cx_termgen *termgen, int flags, char **error_message) {
    return guard(error_message, [&] {
        require(termgen, "termgen");
        termgen->termgen.set_flags(static_cast<Xapian::TermGenerator::flags>(flags));
    });
}

extern "C" cx_status cx_termgen_set_database(cx_termgen *termgen, cx_writable_database *database,
                                             char **error_message) {
    return guard(error_message, [&] {
        require(termgen, "termgen");
        require(database, "database");
        termgen->termgen.set_database(database->database);
    });
}

extern "C" cx_status cx_termgen_set_document(cx_termgen *termgen, cx_document *document, char **error_message) {
    return guard(error_message, [&] {
        require(termgen, "termgen");
        require(document, "document");
        // TermGenerator keeps a reference-counted copy that shares the document's
        // internals, so terms added through it appear in the caller's document.
        termgen->termgen.set_document(document->document);
    });
}

extern "C" cx_status cx_termgen_index_text(cx_termgen *termgen, const char *text, size_t length,
                                           uint32_t wdf_increment, const char *prefix, size_t prefix_length,
                                           char **error_message) {
    return guard(error_message, [&] {
        require(termgen, "termgen");
        termgen->termgen.index_text(bytes(text, length), wdf_increment, bytes(prefix, prefix_length));
    });
}

extern "C" cx_status cx_termgen_increase_termpos(cx_termgen *termgen, uint32_t delta, char **error_message) {
    return guard(error_message, [&] {
        require(termgen, "termgen");
        termgen->termgen.increase_termpos(delta);
    });
}
