// cx_document: a document being built, or one read back from a database.
#include "internal.h"

using namespace cxapian;

extern "C" cx_status cx_document_new(cx_document **out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        *out = new cx_document();
    });
}

extern "C" void cx_document_destroy(cx_document *document) { delete document; }

extern "C" cx_status cx_document_set_data(cx_document *document, const char *data, size_t length,
                                          char **error_message) {
    return guard(error_message, [&] {
        require(document, "document");
        document->document.set_data(bytes(data, length));
    });
}

extern "C" cx_status cx_document_get_data(cx_document *document, char **out, size_t *out_length,
                                          char **error_message) {
    return guard(error_message, [&] {
        require(document, "document");
        give(document->document.get_data(), out, out_length);
    });
}

extern "C" cx_status cx_document_add_boolean_term(cx_document *document, const char *term, size_t length,
                                                  char **error_message) {
    return guard(error_message, [&] {
        require(document, "document");
        document->document.add_boolean_term(bytes(term, length));
    });
}

extern "C" cx_status cx_document_add_term(cx_document *document, const char *term, size_t length,
                                          uint32_t wdf_increment, char **error_message) {
    return guard(error_message, [&] {
        require(document, "document");
        document->document.add_term(bytes(term, length), wdf_increment);
    });
}

extern "C" cx_status cx_document_add_posting(cx_document *document, const char *term, size_t length,
                                             uint32_t position, uint32_t wdf_increment, char **error_message) {
    return guard(error_message, [&] {
        require(document, "document");
        document->document.add_posting(bytes(term, length), position, wdf_increment);
    });
}

extern "C" cx_status cx_document_visit_positions(cx_document *document, const char *term, size_t length,
                                                 cx_position_visitor visitor, void *context, char **error_message) {
    return guard(error_message, [&] {
        require(document, "document");
        if (visitor == nullptr) throw Xapian::InvalidArgumentError("visitor is NULL");
        const std::string name = bytes(term, length);
        // Looking up a term the document lacks throws; no term, no positions.
        auto it = document->document.termlist_begin();
        it.skip_to(name);
        if (it == document->document.termlist_end() || *it != name) return;
        for (auto pos = it.positionlist_begin(); pos != it.positionlist_end(); ++pos) {
            if (visitor(context, *pos) != 0) break;
        }
    });
}

extern "C" cx_status cx_document_add_value(cx_document *document, uint32_t slot, const char *value, size_t length,
                                           char **error_message) {
    return guard(error_message, [&] {
        require(document, "document");
        document->document.add_value(slot, bytes(value, length));
    });
}

extern "C" cx_status cx_document_get_value(cx_document *document, uint32_t slot, char **out, size_t *out_length,
                                           char **error_message) {
    return guard(error_message, [&] {
        require(document, "document");
        give(document->document.get_value(slot), out, out_length);
    });
}

extern "C" cx_status cx_document_visit_terms(cx_document *document, const char *prefix, size_t prefix_length,
                                             cx_term_visitor visitor, void *context, char **error_message) {
    return guard(error_message, [&] {
        require(document, "document");
        if (visitor == nullptr) throw Xapian::InvalidArgumentError("visitor is NULL");
        const std::string start = bytes(prefix, prefix_length);
        auto end = document->document.termlist_end();
        for (auto it = document->document.termlist_begin(); it != end; ++it) {
            if (!start.empty()) {
                it.skip_to(start);
                if (it == end) break;
            }
            const std::string term = *it;
            if (term.compare(0, start.size(), start) != 0) break;
            if (visitor(context, term.data(), term.size(), it.get_wdf()) != 0) break;
        }
    });
}

extern "C" uint32_t cx_document_id(cx_document *document) {
    if (document == nullptr) return 0;
    try {
        return document->document.get_docid();
    } catch (...) {
        return 0;
    }
}

extern "C" cx_status cx_document_drop_positions(cx_document *document, const char *keep_prefix, size_t prefix_length,
                                                char **error_message) {
    return guard(error_message, [&] {
        require(document, "document");
        Xapian::Document &doc = document->document;
        const std::string keep = bytes(keep_prefix, prefix_length);
        std::vector<std::pair<std::string, Xapian::termcount>> dropped;
        for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
            const std::string term = *it;
            if (term.compare(0, keep.size(), keep) == 0 || it.positionlist_count() == 0) continue;
            dropped.emplace_back(term, it.get_wdf());
        }
        // Xapian has no call to forget a term's positions only: the term goes and
        // comes back with its wdf.
        for (const auto &term : dropped) {
            doc.remove_term(term.first);
            doc.add_term(term.first, term.second);
        }
    });
}
