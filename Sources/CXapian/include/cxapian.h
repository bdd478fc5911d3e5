/*
 * cxapian.h — a thin C interface to Xapian 1.4 for acsearch.
 *
 * Why it exists: Swift cannot call Xapian's C++ API directly in a way that keeps
 * C++ exceptions from unwinding through Swift frames. Every function here catches
 * every exception at the boundary and turns it into a status code plus a message.
 *
 * Conventions (after notmuch's lib/notmuch.h):
 *  - Names are cx_<object>_<verb>. Handles are opaque.
 *  - Every function that can fail returns a cx_status and, on failure, stores a
 *    message in *error_message (if error_message is not NULL). The message is
 *    allocated by the shim and must be released with cx_free().
 *  - Strings and byte buffers returned through out-parameters are allocated by the
 *    shim (malloc) and must be released with cx_free(). Lengths are given because
 *    Xapian data may contain NUL bytes; buffers are also NUL-terminated.
 *  - Every _new/_open names its _destroy. Destroying NULL is a no-op.
 *  - Input strings are UTF-8 with an explicit length unless stated otherwise.
 *
 * Threads: no handle is thread-safe. A handle may be used from any thread, but by
 * one thread at a time, and handles derived from one another (a database and its
 * enquire, its result sets, its documents) count as one for this rule.
 */
#ifndef CXAPIAN_H
#define CXAPIAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bumped whenever a declaration in this header changes incompatibly. */
#define CX_API_VERSION 1

typedef enum cx_status {
    CX_OK = 0,
    /** The revision a reader was on has gone: reopen the database and retry. */
    CX_MODIFIED = 1,
    /** Another writer holds the database lock. */
    CX_LOCKED = 2,
    /** The database is corrupt; it cannot be repaired, only rebuilt. */
    CX_CORRUPT = 3,
    /** The database could not be opened (permissions, wrong format version...). */
    CX_OPENING = 4,
    /** No database at that path, or no document with that id. */
    CX_NOT_FOUND = 5,
    /** The query string could not be parsed. */
    CX_QUERY_SYNTAX = 6,
    /** An argument was invalid (for example a term longer than Xapian allows). */
    CX_INVALID_ARGUMENT = 7,
    /** Memory could not be allocated. */
    CX_NO_MEMORY = 8,
    /** A remote database could not be reached or the connection broke. */
    CX_NETWORK = 9,
    /** A remote operation did not complete within its timeout. */
    CX_TIMEOUT = 10,
    /** The operation is not valid in the handle's state (e.g. no transaction). */
    CX_INVALID_OPERATION = 11,
    /** A wildcard or partial term expanded to more terms than allowed. */
    CX_WILDCARD = 12,
    /** The database was closed. */
    CX_CLOSED = 13,
    /** Any other Xapian::Error. */
    CX_XAPIAN = 14,
    /** A C++ exception that is not a Xapian::Error, or not an exception at all. */
    CX_UNKNOWN = 15,
    /** A match ran past its deadline (cx_enquire_set_deadline) and was stopped. */
    CX_TIME_BUDGET = 16
} cx_status;

/** CX_API_VERSION of the compiled shim; callers compare it with the header's. */
int cx_api_version(void);

/** Version of the linked libxapian, e.g. "1.4.22". Static storage: do not free. */
const char *cx_xapian_version(void);

/** A short constant name for a status ("modified", "locked"...). Static: do not free. */
const char *cx_status_name(cx_status status);

/** Releases any string or buffer the shim returned. NULL is a no-op. */
void cx_free(void *pointer);

/* ---------------------------------------------------------------------------
 * Callbacks into the caller.
 *
 * A callback receives a cx_sink to deliver a string result; the shim owns the
 * sink and copies what is set into it. Callbacks must not unwind (Swift cannot).
 * ------------------------------------------------------------------------- */
typedef struct cx_sink cx_sink;
void cx_sink_set(cx_sink *sink, const char *bytes, size_t length);

/** Called for each item of an iteration; return 0 to continue, non-zero to stop. */
typedef int (*cx_term_visitor)(void *context, const char *term, size_t length, uint32_t count);
/** Called for each position of a term in a document; return 0 to continue. */
typedef int (*cx_position_visitor)(void *context, uint32_t position);
/** Called for each value of a facet: value bytes and the number of matches with it. */
typedef int (*cx_value_visitor)(void *context, const char *value, size_t length, uint32_t count);
/** Called for each expansion term of a relevance set, with its weight. */
typedef int (*cx_weighted_term_visitor)(void *context, const char *term, size_t length, double weight);

/* ---------------------------------------------------------------------------
 * Stemmers
 * ------------------------------------------------------------------------- */
typedef struct cx_stem cx_stem;

/** A Snowball stemmer: "english", "none"... Destroy with cx_stem_destroy. */
cx_status cx_stem_new(const char *language, cx_stem **out, char **error_message);

/**
 * A stemmer whose work is done by the caller: for each word, `stem` is called with
 * the (lowercased) word and sets its stem into the sink. `stem` must be pure: the
 * shim memoises its results (up to 200,000 words) and calls it once per new word.
 * It may be called from whichever thread uses a TermGenerator, QueryParser or MSet
 * holding this stemmer, one thread at a time (see Threads above).
 * `destroy_context` (may be NULL) is called once when the last copy is released,
 * which may be after cx_stem_destroy. Destroy with cx_stem_destroy.
 */
typedef void (*cx_stem_function)(void *context, const char *word, size_t length, cx_sink *stem);
cx_status cx_stem_new_custom(cx_stem_function stem, void *context,
                             void (*destroy_context)(void *context),
                             cx_stem **out, char **error_message);

/** Stems one word. *out is allocated by the shim: release with cx_free. */
cx_status cx_stem_apply(cx_stem *stem, const char *word, size_t length,
                        char **out, size_t *out_length, char **error_message);

void cx_stem_destroy(cx_stem *stem);

/** Snowball languages this libxapian knows, space separated. Release with cx_free. */
char *cx_stem_languages(void);

/* ---------------------------------------------------------------------------
 * Values: helpers for sortable numbers
 * ------------------------------------------------------------------------- */
/** Xapian::sortable_serialise; writes at most 9 bytes into out[16], returns the length. */
size_t cx_sortable_serialise(double value, char out[16]);
double cx_sortable_unserialise(const char *bytes, size_t length);

/* ---------------------------------------------------------------------------
 * Documents
 * ------------------------------------------------------------------------- */
typedef struct cx_document cx_document;

/** An empty document to build. Destroy with cx_document_destroy. */
cx_status cx_document_new(cx_document **out, char **error_message);
void cx_document_destroy(cx_document *document);

cx_status cx_document_set_data(cx_document *document, const char *data, size_t length, char **error_message);
/** The document's data. *out is allocated by the shim: release with cx_free. */
cx_status cx_document_get_data(cx_document *document, char **out, size_t *out_length, char **error_message);

/** Adds a term without positions (a filter or an identifier). */
cx_status cx_document_add_boolean_term(cx_document *document, const char *term, size_t length, char **error_message);
/** Adds a term with a within-document frequency increment, without position. */
cx_status cx_document_add_term(cx_document *document, const char *term, size_t length,
                               uint32_t wdf_increment, char **error_message);
/** Adds one occurrence of a term at a position (for phrase searching). */
cx_status cx_document_add_posting(cx_document *document, const char *term, size_t length, uint32_t position,
                                  uint32_t wdf_increment, char **error_message);
/** Visits the positions of a term in the document (none if it has no positions). */
/* Removes the positions of every term that does not start with keep_prefix, keeping
   its wdf. */
cx_status cx_document_drop_positions(cx_document *document, const char *keep_prefix, size_t prefix_length,
                                     char **error_message);
cx_status cx_document_visit_positions(cx_document *document, const char *term, size_t length,
                                      cx_position_visitor visitor, void *context, char **error_message);
cx_status cx_document_add_value(cx_document *document, uint32_t slot, const char *value, size_t length,
                                char **error_message);
/** A value; empty when the slot is unset. *out is allocated by the shim: cx_free. */
cx_status cx_document_get_value(cx_document *document, uint32_t slot, char **out, size_t *out_length,
                                char **error_message);
/** Visits the document's terms that start with prefix (all when prefix is empty), with wdf. */
cx_status cx_document_visit_terms(cx_document *document, const char *prefix, size_t prefix_length,
                                  cx_term_visitor visitor, void *context, char **error_message);
/** The document id when the document came from a database, 0 for a new one. */
uint32_t cx_document_id(cx_document *document);

/* ---------------------------------------------------------------------------
 * Read-only databases: one shard, or several combined and searched as one.
 * ------------------------------------------------------------------------- */
typedef struct cx_database cx_database;

/** An empty combination to which shards are added. Destroy with cx_database_destroy. */
cx_status cx_database_new(cx_database **out, char **error_message);
/** Opens a local database read-only. Destroy with cx_database_destroy. */
cx_status cx_database_open(const char *path, cx_database **out, char **error_message);
/** Adds a local database as a shard. */
cx_status cx_database_add_local(cx_database *database, const char *path, char **error_message);
/**
 * Adds a database served by xapian-tcpsrv as a shard. Timeouts are in milliseconds;
 * 0 means none. A failed connection leaves `database` unchanged.
 */
cx_status cx_database_add_remote(cx_database *database, const char *host, unsigned port,
                                 unsigned timeout_ms, unsigned connect_timeout_ms, char **error_message);
/** Adds every shard of `other` to `database`; `other` stays owned by the caller. */
cx_status cx_database_add_database(cx_database *database, cx_database *other, char **error_message);
void cx_database_destroy(cx_database *database);

/** Moves to the newest committed revision; *changed says whether it moved. */
cx_status cx_database_reopen(cx_database *database, int *changed, char **error_message);
cx_status cx_database_close(cx_database *database, char **error_message);
/** Writes the databases, merged (documents renumbered in order), as one new glass
 *  database at path, which must not exist yet or be empty. */
cx_status cx_database_compact(cx_database *database, const char *path, char **error_message);
cx_status cx_database_doc_count(cx_database *database, uint32_t *out, char **error_message);
/** Revision of a single local shard (Xapian cannot give one for a combination). */
cx_status cx_database_revision(cx_database *database, uint64_t *out, char **error_message);
cx_status cx_database_term_freq(cx_database *database, const char *term, size_t length, uint32_t *out,
                                char **error_message);
/** Metadata value for key; empty if unset. *out is allocated by the shim: cx_free. */
cx_status cx_database_get_metadata(cx_database *database, const char *key, size_t key_length,
                                   char **out, size_t *out_length, char **error_message);
/**
 * The lowest (upper = 0) or highest value any document has in slot, empty when
 * none has one; cx_free it. Xapian keeps these bounds, so they cost no scan.
 */
cx_status cx_database_value_bound(cx_database *database, uint32_t slot, int upper, char **out, size_t *out_length,
                                  char **error_message);
/** Visits metadata keys that start with prefix. */
cx_status cx_database_visit_metadata_keys(cx_database *database, const char *prefix, size_t prefix_length,
                                          cx_term_visitor visitor, void *context, char **error_message);
/** Visits terms that start with prefix, with their document frequency. */
cx_status cx_database_visit_terms(cx_database *database, const char *prefix, size_t prefix_length,
                                  cx_term_visitor visitor, void *context, char **error_message);
/** The first document that has `term` (the unique-id pattern); *docid is 0 if none. */
cx_status cx_database_find_term(cx_database *database, const char *term, size_t length, uint32_t *docid,
                                char **error_message);
/** A stored document. CX_NOT_FOUND if there is none with that id. Destroy with cx_document_destroy. */
cx_status cx_database_get_document(cx_database *database, uint32_t docid, cx_document **out,
                                   char **error_message);
/** A spelling correction for word, or an empty string. cx_free it. */
cx_status cx_database_spelling_suggestion(cx_database *database, const char *word, size_t length,
                                          unsigned max_edit_distance, char **out, size_t *out_length,
                                          char **error_message);
/** Visits the spelling dictionary's words that start with prefix, with their frequency. */
cx_status cx_database_visit_spellings(cx_database *database, const char *prefix, size_t prefix_length,
                                      cx_term_visitor visitor, void *context, char **error_message);
/** Visits the synonyms stored for term. */
cx_status cx_database_visit_synonyms(cx_database *database, const char *term, size_t length,
                                     cx_term_visitor visitor, void *context, char **error_message);

/* ---------------------------------------------------------------------------
 * The writable database: one writer per database at a time.
 * ------------------------------------------------------------------------- */
typedef struct cx_writable_database cx_writable_database;

enum {
    /** Create the database if it does not exist (otherwise it must exist). */
    CX_WRITABLE_CREATE = 1,
    /** Wait for another writer's lock instead of failing with CX_LOCKED. */
    CX_WRITABLE_WAIT_FOR_LOCK = 2
};

/** Opens (or creates) a local database for writing. Destroy with cx_writable_database_destroy. */
cx_status cx_writable_database_open(const char *path, int flags, cx_writable_database **out,
                                    char **error_message);
/** Opens a database served by `xapian-tcpsrv --writable`. Timeouts in milliseconds. */
cx_status cx_writable_database_open_remote(const char *host, unsigned port, unsigned timeout_ms,
                                           unsigned connect_timeout_ms, cx_writable_database **out,
                                           char **error_message);
/**
 * Releases the handle and the lock. As Xapian does, pending changes are committed
 * unless a transaction is open (then they are cancelled): commit explicitly.
 */
void cx_writable_database_destroy(cx_writable_database *database);

/**
 * A read-only view of the writer's state (committed and pending changes alike).
 * Destroy with cx_database_destroy; it must not outlive the writer's use.
 */
cx_status cx_writable_database_reader(cx_writable_database *database, cx_database **out, char **error_message);

/**
 * Replaces the documents indexed by `unique_term` with `document` (adds if none).
 * The unique term is added to `document` as a boolean term first.
 */
cx_status cx_writable_database_replace(cx_writable_database *database, const char *unique_term, size_t length,
                                       cx_document *document, uint32_t *docid, char **error_message);
/** Deletes the documents indexed by `unique_term` (no error if there are none). */
cx_status cx_writable_database_delete(cx_writable_database *database, const char *unique_term, size_t length,
                                      char **error_message);
cx_status cx_writable_database_commit(cx_writable_database *database, char **error_message);
/** Starts a transaction; `flushed` makes its commit also a database commit. */
cx_status cx_writable_database_begin_transaction(cx_writable_database *database, int flushed,
                                                 char **error_message);
cx_status cx_writable_database_commit_transaction(cx_writable_database *database, char **error_message);
cx_status cx_writable_database_cancel_transaction(cx_writable_database *database, char **error_message);
cx_status cx_writable_database_set_metadata(cx_writable_database *database, const char *key, size_t key_length,
                                            const char *value, size_t value_length, char **error_message);
cx_status cx_writable_database_add_spelling(cx_writable_database *database, const char *word, size_t length,
                                            uint32_t frequency_increment, char **error_message);
cx_status cx_writable_database_add_synonym(cx_writable_database *database, const char *term, size_t term_length,
                                           const char *synonym, size_t synonym_length, char **error_message);
cx_status cx_writable_database_clear_synonyms(cx_writable_database *database, const char *term, size_t length,
                                              char **error_message);
cx_status cx_writable_database_close(cx_writable_database *database, char **error_message);

/* ---------------------------------------------------------------------------
 * Term generation
 * ------------------------------------------------------------------------- */
typedef struct cx_termgen cx_termgen;

typedef enum cx_stem_strategy {
    CX_STEM_NONE = 0,
    CX_STEM_SOME = 1,
    CX_STEM_ALL = 2,
    CX_STEM_ALL_Z = 3,
    CX_STEM_SOME_FULL_POS = 4
} cx_stem_strategy;

enum {
    /** Feed the words of indexed text to the database's spelling dictionary. */
    CX_TERMGEN_SPELLING = 128
};

/** Destroy with cx_termgen_destroy. */
cx_status cx_termgen_new(cx_termgen **out, char **error_message);
void cx_termgen_destroy(cx_termgen *termgen);
/** The stemmer is copied (reference counted): the caller may destroy its handle. */
cx_status cx_termgen_set_stemmer(cx_termgen *termgen, cx_stem *stem, char **error_message);
cx_status cx_termgen_set_stemming_strategy(cx_termgen *termgen, cx_stem_strategy strategy, char **error_message);
cx_status cx_termgen_set_flags(cx_termgen *termgen, int flags, char **error_message);
/** Needed for CX_TERMGEN_SPELLING. The writer must outlive the term generator's use. */
cx_status cx_termgen_set_database(cx_termgen *termgen, cx_writable_database *database, char **error_message);
/** Terms go into `document`, which must outlive the term generator's use of it. */
cx_status cx_termgen_set_document(cx_termgen *termgen, cx_document *document, char **error_message);
/** Indexes text with positions; prefix (may be empty) is put before every term. */
cx_status cx_termgen_index_text(cx_termgen *termgen, const char *text, size_t length, uint32_t wdf_increment,
                                const char *prefix, size_t prefix_length, char **error_message);
/** Leaves a gap in positions so phrases do not match across a field boundary. */
cx_status cx_termgen_increase_termpos(cx_termgen *termgen, uint32_t delta, char **error_message);

/* ---------------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------------- */
typedef struct cx_query cx_query;

typedef enum cx_query_op {
    CX_QUERY_AND = 0,
    CX_QUERY_OR = 1,
    CX_QUERY_AND_NOT = 2,
    CX_QUERY_XOR = 3,
    CX_QUERY_AND_MAYBE = 4,
    CX_QUERY_FILTER = 5,
    CX_QUERY_NEAR = 6,
    CX_QUERY_PHRASE = 7,
    CX_QUERY_ELITE_SET = 8,
    CX_QUERY_SYNONYM = 9,
    CX_QUERY_MAX = 10
} cx_query_op;

/** A term query. Destroy with cx_query_destroy. */
cx_status cx_query_new_term(const char *term, size_t length, uint32_t wqf, cx_query **out, char **error_message);
/** The documents with these ids (of one database, not of shards combined), weightless.
 *  Destroy with cx_query_destroy. */
cx_status cx_query_new_documents(const uint32_t *ids, size_t count, cx_query **out, char **error_message);
/** Combines subqueries (not consumed: the caller still destroys them). */
cx_status cx_query_new_combined(cx_query_op op, cx_query *const *subqueries, size_t count, uint32_t window,
                                cx_query **out, char **error_message);
/** Documents whose value in slot lies in [low, high] (bytewise). */
cx_status cx_query_new_value_range(uint32_t slot, const char *low, size_t low_length, const char *high,
                                   size_t high_length, cx_query **out, char **error_message);
/** Multiplies the weight of a subquery by factor. */
cx_status cx_query_new_scaled(cx_query *query, double factor, cx_query **out, char **error_message);
cx_status cx_query_new_match_all(cx_query **out, char **error_message);
cx_status cx_query_new_match_nothing(cx_query **out, char **error_message);
void cx_query_destroy(cx_query *query);
/** Xapian's description of the query, for debugging and tests. cx_free it. */
cx_status cx_query_describe(cx_query *query, char **out, size_t *out_length, char **error_message);
int cx_query_is_empty(cx_query *query);
/** *out = 1 when the query holds a phrase or a NEAR anywhere in it (it needs positions). */
cx_status cx_query_has_positional(cx_query *query, int *out, char **error_message);
/** What a query will cost to run, counted on its tree before it runs. */
typedef struct cx_query_cost {
    /** Term leaves (a term used twice counts twice). */
    uint32_t terms;
    /** Term leaves under an OR-like operator (OR, SYNONYM, XOR, ELITE_SET, MAX):
     *  each is a posting list merged for every candidate. */
    uint32_t or_terms;
    /** Term leaves under a PHRASE or NEAR: each reads positions. */
    uint32_t positional_terms;
    /** OP_WILDCARD nodes (each expands, when the match starts, to up to its limit of terms). */
    uint32_t wildcards;
} cx_query_cost;
cx_status cx_query_measure(cx_query *query, cx_query_cost *out, char **error_message);
/**
 * A copy of the query in which each OP_SYNONYM of exactly two terms, one starting
 * with `prefix` and one not, is the prefixed term alone (a synonym whose documents
 * are a superset of the other's matches the same without merging two lists).
 * Destroy *out with cx_query_destroy.
 */
cx_status cx_query_prefer_prefixed_synonyms(cx_query *query, const char *prefix, size_t length, cx_query **out,
                                            char **error_message);
/** Visits the distinct terms of the query. */
cx_status cx_query_visit_terms(cx_query *query, cx_term_visitor visitor, void *context, char **error_message);

/* ---------------------------------------------------------------------------
 * Query parsing
 * ------------------------------------------------------------------------- */
typedef struct cx_queryparser cx_queryparser;

/** Same values as Xapian::QueryParser::feature_flag. */
enum {
    CX_QP_BOOLEAN = 1,
    CX_QP_PHRASE = 2,
    CX_QP_LOVEHATE = 4,
    CX_QP_BOOLEAN_ANY_CASE = 8,
    CX_QP_WILDCARD = 16,
    CX_QP_PURE_NOT = 32,
    CX_QP_PARTIAL = 64,
    CX_QP_SPELLING_CORRECTION = 128,
    CX_QP_SYNONYM = 256,
    CX_QP_AUTO_SYNONYMS = 512,
    CX_QP_AUTO_MULTIWORD_SYNONYMS = 1024,
    CX_QP_DEFAULT = 7
};

/**
 * Turns the raw value of a boolean field ("province:Hải Dương") into the term to
 * filter on. Set the term into the sink and return 0; set an empty term to match
 * nothing; return non-zero with a message in the sink to reject the query.
 */
typedef int (*cx_field_function)(void *context, const char *value, size_t length, cx_sink *result);

/** Destroy with cx_queryparser_destroy. */
cx_status cx_queryparser_new(cx_queryparser **out, char **error_message);
void cx_queryparser_destroy(cx_queryparser *parser);
cx_status cx_queryparser_set_stemmer(cx_queryparser *parser, cx_stem *stem, char **error_message);
cx_status cx_queryparser_set_stemming_strategy(cx_queryparser *parser, cx_stem_strategy strategy,
                                               char **error_message);
/** Used for wildcards, spelling and synonyms. The database must outlive the parser's use. */
cx_status cx_queryparser_set_database(cx_queryparser *parser, cx_database *database, char **error_message);
/** Stop words (`count` NUL-terminated strings): dropped from a query unless it has nothing else. */
cx_status cx_queryparser_set_stopwords(cx_queryparser *parser, const char *const *words, size_t count,
                                       char **error_message);
cx_status cx_queryparser_set_default_op(cx_queryparser *parser, cx_query_op op, char **error_message);
cx_status cx_queryparser_add_prefix(cx_queryparser *parser, const char *field, const char *prefix,
                                    char **error_message);
/** `exclusive`: several values of the field are ORed (else ANDed). */
cx_status cx_queryparser_add_boolean_prefix(cx_queryparser *parser, const char *field, const char *prefix,
                                            int exclusive, char **error_message);
/**
 * A boolean field whose values the caller turns into terms; see cx_field_function.
 * On success the parser owns context and calls destroy_context (may be NULL) when
 * it is destroyed; on failure the caller keeps it.
 */
cx_status cx_queryparser_add_boolean_field(cx_queryparser *parser, const char *field, cx_field_function function,
                                           void *context, void (*destroy_context)(void *context), int exclusive,
                                           char **error_message);
/**
 * Delivers a query from a callback: the shim copies it, the caller keeps its own.
 */
typedef struct cx_query_sink cx_query_sink;
void cx_query_sink_set(cx_query_sink *sink, const cx_query *query);

/**
 * Turns the two ends of a range "field:start..end" (the field stripped, an open end
 * empty) into the query that filters on it. Set the query into the sink and return
 * 0; return 0 with nothing set to leave the range to the parser's other range
 * fields; return non-zero with a message in the error sink to reject the query.
 */
typedef int (*cx_range_function)(void *context, const char *start, size_t start_length, const char *end,
                                 size_t end_length, cx_query_sink *query, cx_sink *error);

/**
 * A range field whose ends the caller turns into a query; see cx_range_function.
 * Owns context on success as cx_queryparser_add_boolean_field does.
 */
cx_status cx_queryparser_add_range_field(cx_queryparser *parser, const char *field, cx_range_function function,
                                         void *context, void (*destroy_context)(void *context),
                                         char **error_message);
/** Wildcards and partial terms expanding to more than max terms: 0 = unlimited. */
cx_status cx_queryparser_set_max_expansion(cx_queryparser *parser, uint32_t max, int most_frequent,
                                           char **error_message);
/** Parses a query. Destroy *out with cx_query_destroy. */
cx_status cx_queryparser_parse(cx_queryparser *parser, const char *text, size_t length, int flags,
                               cx_query **out, char **error_message);
/** After a parse with CX_QP_SPELLING_CORRECTION: the corrected query or "". cx_free it. */
cx_status cx_queryparser_corrected_query(cx_queryparser *parser, char **out, size_t *out_length,
                                         char **error_message);

/* ---------------------------------------------------------------------------
 * Searching
 * ------------------------------------------------------------------------- */
typedef struct cx_enquire cx_enquire;
typedef struct cx_mset cx_mset;

/** The database must outlive the enquire. Destroy with cx_enquire_destroy. */
cx_status cx_enquire_new(cx_database *database, cx_enquire **out, char **error_message);
void cx_enquire_destroy(cx_enquire *enquire);
/** The query is copied. */
cx_status cx_enquire_set_query(cx_enquire *enquire, cx_query *query, char **error_message);
cx_status cx_enquire_set_sort_by_relevance(cx_enquire *enquire, char **error_message);
/** By the bytes of a value slot; documents without a value come last in either order
 *  (ascending, they sort as a value of one 0xFF byte). */
cx_status cx_enquire_set_sort_by_value(cx_enquire *enquire, uint32_t slot, int descending,
                                       int then_relevance, char **error_message);
/** At most `max` hits per value of slot; others are counted in their collapse count. */
cx_status cx_enquire_set_collapse_key(cx_enquire *enquire, uint32_t slot, uint32_t max, char **error_message);
/** Seconds; 0 means no limit. Past it, the match stops early and counts are estimates. */
cx_status cx_enquire_set_time_limit(cx_enquire *enquire, double seconds, char **error_message);
/**
 * A deadline for each following cx_enquire_get_mset: the match is stopped once it
 * has run `seconds` (0: none), which then fails with CX_TIME_BUDGET. Checked as
 * matching documents are found (time spent between two matches cannot be cut:
 * bound the query's cost before it runs). Meanwhile the best `keep` matches seen
 * are kept, by weight, or by the value in `sort_slot` when it is not -1, for
 * cx_enquire_visit_stopped. Local databases only: remote shards cannot run it.
 */
cx_status cx_enquire_set_deadline(cx_enquire *enquire, double seconds, uint32_t keep, int64_t sort_slot,
                                  int descending, char **error_message);
/** Visits the documents kept by a match stopped at its deadline, best first;
 *  *seen is how many matches it had found by then. */
cx_status cx_enquire_visit_stopped(cx_enquire *enquire, cx_position_visitor visitor, void *context, uint32_t *seen,
                                   char **error_message);
/**
 * Counts the values of slot over the matches (facets); read them with
 * cx_enquire_visit_facet. `separator` (a byte, or -1 for none) joins several values
 * in one slot, each counted. Local databases count every facet in one pass
 * (FacetCounter); `remote` (the database has remote shards) counts each with Xapian's
 * ValueCountMatchSpy, which remote shards can run.
 */
cx_status cx_enquire_add_facet(cx_enquire *enquire, uint32_t slot, int32_t separator, int remote, size_t *facet_index,
                               char **error_message);
/** Visits the values counted by a facet during the last cx_enquire_get_mset, most
 *  frequent first (ties by value), at most max_values of them (0: all). */
cx_status cx_enquire_visit_facet(cx_enquire *enquire, size_t facet_index, size_t max_values,
                                 cx_value_visitor visitor, void *context, char **error_message);
/**
 * Runs the query. `check_at_least` makes counts exact up to that number.
 * `relevant` (may be NULL) lists documents whose terms bias the match.
 * Destroy *out with cx_mset_destroy; it must not outlive the enquire.
 */
cx_status cx_enquire_get_mset(cx_enquire *enquire, uint32_t first, uint32_t max_items, uint32_t check_at_least,
                              cx_mset **out, char **error_message);
/**
 * "More like this": the best expansion terms of the given documents, optionally only
 * those starting with term_prefix (empty: all).
 */
cx_status cx_enquire_visit_expand_terms(cx_enquire *enquire, const uint32_t *relevant, size_t relevant_count,
                                        uint32_t max_terms, const char *term_prefix,
                                        cx_weighted_term_visitor visitor, void *context, char **error_message);

typedef struct cx_match_counts {
    uint32_t lower;
    uint32_t estimated;
    uint32_t upper;
} cx_match_counts;

typedef struct cx_mset_item {
    uint32_t docid;
    uint32_t rank;
    int32_t percent;
    double weight;
    uint32_t collapse_count;
} cx_mset_item;

void cx_mset_destroy(cx_mset *mset);
size_t cx_mset_size(cx_mset *mset);
cx_status cx_mset_counts(cx_mset *mset, cx_match_counts *out, char **error_message);
cx_status cx_mset_item_at(cx_mset *mset, size_t index, cx_mset_item *out, char **error_message);
/** The document of a hit. Destroy with cx_document_destroy. */
cx_status cx_mset_document(cx_mset *mset, size_t index, cx_document **out, char **error_message);
/** The collapse-key value of a hit (empty without collapsing). cx_free it. */
cx_status cx_mset_collapse_key(cx_mset *mset, size_t index, char **out, size_t *out_length, char **error_message);
/**
 * MSet::snippet: an extract of `text` around the query's matches, at most `length`
 * bytes, matched words between hi_start and hi_end. The stemmer must be the one used
 * at indexing for stemmed (and folded) matches to be highlighted. `exhaustive` scores
 * every window; `background` also weighs the other words by their rarity in the
 * database (a term-frequency lookup per distinct word). cx_free *out.
 */
cx_status cx_mset_snippet(cx_mset *mset, const char *text, size_t text_length, size_t length, cx_stem *stem,
                          int exhaustive, int background, const char *hi_start, const char *hi_end, const char *omit,
                          char **out, size_t *out_length, char **error_message);

#ifdef __cplusplus
}
#endif

#endif /* CXAPIAN_H */
