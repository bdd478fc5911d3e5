// cx_writable_database: the single writer of a database.
#include "internal.h"

using namespace cxapian;

extern "C" cx_status cx_writable_database_open(const char *path, int flags, cx_writable_database **out,
                                               char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        int action = (flags & CX_WRITABLE_CREATE) ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN;
        if (flags & CX_WRITABLE_WAIT_FOR_LOCK) action |= Xapian::DB_RETRY_LOCK;
        *out = new cx_writable_database{Xapian::WritableDatabase(cstring(path), action | Xapian::DB_BACKEND_GLASS)};
    });
}

extern "C" cx_status cx_writable_database_open_remote(const char *host, unsigned port, unsigned timeout_ms,
                                                      unsigned connect_timeout_ms, cx_writable_database **out,
                                                      char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        *out = new cx_writable_database{
            Xapian::Remote::open_writable(cstring(host), port, timeout_ms, connect_timeout_ms)};
    });
}

extern "C" void cx_writable_database_destroy(cx_writable_database *database) {
    // ~WritableDatabase may commit pending changes, which can fail (a full disk):
    // a destructor has no status to report it with, so the failure is dropped.
    try {
        delete database;
    } catch (...) {
    }
}

extern "C" cx_status cx_writable_database_reader(cx_writable_database *database, cx_database **out,
                                                 char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        require(out, "out");
        std::unique_ptr<cx_database> handle(new cx_database{database->database});
        handle->shard_count = 1;
        handle->single_local = true;
        *out = handle.release();
    });
}

extern "C" cx_status cx_writable_database_replace(cx_writable_database *database, const char *unique_term,
                                                  size_t length, cx_document *document, uint32_t *docid,
                                                  char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        require(document, "document");
        const std::string term = bytes(unique_term, length);
        if (term.empty()) throw Xapian::InvalidArgumentError("unique term is empty");
        // Xapian does not add the unique term itself; without it the document could
        // never be found, replaced or deleted by that term again.
        document->document.add_boolean_term(term);
        Xapian::docid id = database->database.replace_document(term, document->document);
        if (docid != nullptr) *docid = id;
    });
}

extern "C" cx_status cx_writable_database_delete(cx_writable_database *database, const char *unique_term,
                                                 size_t length, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        const std::string term = bytes(unique_term, length);
        if (term.empty()) throw Xapian::InvalidArgumentError("unique term is empty");
        database->database.delete_document(term);
    });
}

extern "C" cx_status cx_writable_database_commit(cx_writable_database *database, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        database->database.commit();
    });
}

extern "C" cx_status cx_writable_database_begin_transaction(cx_writable_database *database, int flushed,
                                                            char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        database->database.begin_transaction(flushed != 0);
    });
}

extern "C" cx_status cx_writable_database_commit_transaction(cx_writable_database *database, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        database->database.commit_transaction();
    });
}

extern "C" cx_status cx_writable_database_cancel_transaction(cx_writable_database *database, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        database->database.cancel_transaction();
    });
}

extern "C" cx_status cx_writable_database_set_metadata(cx_writable_database *database, const char *key,
                                                       size_t key_length, const char *value, size_t value_length,
                                                       char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        database->database.set_metadata(bytes(key, key_length), bytes(value, value_length));
    });
}

extern "C" cx_status cx_writable_database_add_spelling(cx_writable_database *database, const char *word,
                                                       size_t length, uint32_t frequency_increment,
                                                       char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        database->database.add_spelling(bytes(word, length), frequency_increment);
    });
}

extern "C" cx_status cx_writable_database_add_synonym(cx_writable_database *database, const char *term,
                                                      size_t term_length, const char *synonym, size_t synonym_length,
                                                      char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        database->database.add_synonym(bytes(term, term_length), bytes(synonym, synonym_length));
    });
}

extern "C" cx_status cx_writable_database_clear_synonyms(cx_writable_database *database, const char *term,
                                                         size_t length, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        database->database.clear_synonyms(bytes(term, length));
    });
}

extern "C" cx_status cx_writable_database_close(cx_writable_database *database, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        database->database.close();
    });
}
