// cx_database: read-only access to one shard, or several searched as one.
#include "internal.h"

using namespace cxapian;

namespace {

// Iterates a sorted term list from `start` while terms keep the prefix.
template <typename Iterator, typename Visit>
void visit_prefixed(Iterator it, Iterator end, const std::string &prefix, Visit visit) {
    for (; it != end; ++it) {
        const std::string term = *it;
        if (term.compare(0, prefix.size(), prefix) != 0) break;
        if (!visit(it, term)) break;
    }
}

}  // namespace

extern "C" cx_status cx_database_new(cx_database **out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        *out = new cx_database();
    });
}

extern "C" cx_status cx_database_open(const char *path, cx_database **out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        std::unique_ptr<cx_database> handle(new cx_database{Xapian::Database(cstring(path), Xapian::DB_BACKEND_GLASS)});
        handle->shard_count = 1;
        handle->single_local = true;
        *out = handle.release();
    });
}

extern "C" cx_status cx_database_add_local(cx_database *database, const char *path, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        Xapian::Database shard(cstring(path), Xapian::DB_BACKEND_GLASS);
        database->database.add_database(shard);
        database->single_local = database->shard_count == 0;
        database->shard_count += 1;
    });
}

extern "C" cx_status cx_database_add_remote(cx_database *database, const char *host, unsigned port,
                                            unsigned timeout_ms, unsigned connect_timeout_ms, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        Xapian::Database shard = Xapian::Remote::open(cstring(host), port, timeout_ms, connect_timeout_ms);
        database->database.add_database(shard);
        database->single_local = false;
        database->shard_count += 1;
    });
}

extern "C" cx_status cx_database_add_database(cx_database *database, cx_database *other, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        require(other, "other");
        database->database.add_database(other->database);
        database->single_local = database->shard_count == 0 && other->single_local;
        database->shard_count += other->shard_count;
    });
}

extern "C" void cx_database_destroy(cx_database *database) { delete database; }

extern "C" cx_status cx_database_reopen(cx_database *database, int *changed, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        bool moved = database->database.reopen();
        if (changed != nullptr) *changed = moved ? 1 : 0;
    });
}

extern "C" cx_status cx_database_close(cx_database *database, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        database->database.close();
    });
}

extern "C" cx_status cx_database_compact(cx_database *database, const char *path, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        database->database.compact(cstring(path), Xapian::DB_BACKEND_GLASS);
    });
}

extern "C" cx_status cx_database_doc_count(cx_database *database, uint32_t *out, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        require(out, "out");
        *out = database->database.get_doccount();
    });
}

extern "C" cx_status cx_database_revision(cx_database *database, uint64_t *out, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        require(out, "out");
        if (!database->single_local)
            throw Xapian::InvalidOperationError("a revision exists only for a single local database");
        *out = database->database.get_revision();
    });
}

extern "C" cx_status cx_database_term_freq(cx_database *database, const char *term, size_t length, uint32_t *out,
                                           char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        require(out, "out");
        *out = database->database.get_termfreq(bytes(term, length));
    });
}

extern "C" cx_status cx_database_get_metadata(cx_database *database, const char *key, size_t key_length, char **out,
                                              size_t *out_length, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        give(database->database.get_metadata(bytes(key, key_length)), out, out_length);
    });
}

extern "C" cx_status cx_database_value_bound(cx_database *database, uint32_t slot, int upper, char **out,
                                             size_t *out_length, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        give(upper ? database->database.get_value_upper_bound(slot) : database->database.get_value_lower_bound(slot),
             out, out_length);
    });
}

extern "C" cx_status cx_database_visit_metadata_keys(cx_database *database, const char *prefix, size_t prefix_length,
                                                     cx_term_visitor visitor, void *context, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        if (visitor == nullptr) throw Xapian::InvalidArgumentError("visitor is NULL");
        const std::string start = bytes(prefix, prefix_length);
        visit_prefixed(database->database.metadata_keys_begin(start), database->database.metadata_keys_end(start),
                       start, [&](Xapian::TermIterator &, const std::string &key) {
                           return visitor(context, key.data(), key.size(), 0) == 0;
                       });
    });
}

extern "C" cx_status cx_database_visit_terms(cx_database *database, const char *prefix, size_t prefix_length,
                                             cx_term_visitor visitor, void *context, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        if (visitor == nullptr) throw Xapian::InvalidArgumentError("visitor is NULL");
        const std::string start = bytes(prefix, prefix_length);
        visit_prefixed(database->database.allterms_begin(start), database->database.allterms_end(start), start,
                       [&](Xapian::TermIterator &it, const std::string &term) {
                           return visitor(context, term.data(), term.size(), it.get_termfreq()) == 0;
                       });
    });
}

extern "C" cx_status cx_database_find_term(cx_database *database, const char *term, size_t length, uint32_t *docid,
                                           char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        require(docid, "docid");
        *docid = 0;
        auto it = database->database.postlist_begin(bytes(term, length));
        if (it != database->database.postlist_end(bytes(term, length))) *docid = *it;
    });
}

extern "C" cx_status cx_database_get_document(cx_database *database, uint32_t docid, cx_document **out,
                                              char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        require(out, "out");
        if (docid == 0) throw Xapian::DocNotFoundError("document id 0 does not exist");
        *out = new cx_document{database->database.get_document(docid)};
    });
}

extern "C" cx_status cx_database_spelling_suggestion(cx_database *database, const char *word, size_t length,
                                                     unsigned max_edit_distance, char **out, size_t *out_length,
                                                     char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        give(database->database.get_spelling_suggestion(bytes(word, length), max_edit_distance), out, out_length);
    });
}

extern "C" cx_status cx_database_visit_spellings(cx_database *database, const char *prefix, size_t prefix_length,
                                                 cx_term_visitor visitor, void *context, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        if (visitor == nullptr) throw Xapian::InvalidArgumentError("visitor is NULL");
        const std::string start = bytes(prefix, prefix_length);
        auto it = database->database.spellings_begin();
        auto end = database->database.spellings_end();
        if (!start.empty()) it.skip_to(start);
        visit_prefixed(it, end, start, [&](Xapian::TermIterator &i, const std::string &word) {
            return visitor(context, word.data(), word.size(), i.get_termfreq()) == 0;
        });
    });
}

extern "C" cx_status cx_database_visit_synonyms(cx_database *database, const char *term, size_t length,
                                                cx_term_visitor visitor, void *context, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        if (visitor == nullptr) throw Xapian::InvalidArgumentError("visitor is NULL");
        const std::string key = bytes(term, length);
        for (auto it = database->database.synonyms_begin(key); it != database->database.synonyms_end(key); ++it) {
            const std::string synonym = *it;
            if (visitor(context, synonym.data(), synonym.size(), 0) != 0) break;
        }
    });
}
