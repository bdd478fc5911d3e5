// Private to the shim: the C++ behind the opaque handles, and the one place where
// exceptions become status codes. Nothing here is visible to Swift.
#ifndef CXAPIAN_INTERNAL_H
#define CXAPIAN_INTERNAL_H

#include "cxapian.h"

#include <xapian.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

struct cx_sink {
    std::string value;
};

struct cx_stem {
    Xapian::Stem stem;
};

struct cx_document {
    Xapian::Document document;
};

struct cx_database {
    Xapian::Database database;
    // How many shards were added; a revision is only meaningful for one local shard.
    size_t shard_count = 0;
    bool single_local = false;
};

struct cx_writable_database {
    Xapian::WritableDatabase database;
};

struct cx_termgen {
    Xapian::TermGenerator termgen;
};

struct cx_query {
    Xapian::Query query;
};

struct cx_query_sink {
    Xapian::Query query{Xapian::Query::OP_INVALID};
};

struct cx_queryparser {
    Xapian::QueryParser parser;
    // Not handed to Xapian's reference counting, so their lifetime is the handle's.
    std::unique_ptr<Xapian::SimpleStopper> stopper;
    std::vector<std::unique_ptr<Xapian::FieldProcessor>> field_processors;
    std::vector<std::unique_ptr<Xapian::RangeProcessor>> range_processors;
    // A field processor's refusal, raised once parse_query has returned: Xapian
    // 1.4.22 frees a term twice when a FieldProcessor throws under a leading "-" or
    // "+" ("-kind:foo" crashed the process; found by scripts/fuzz).
    std::string field_error;
};

namespace cxapian {
// Thrown by DeadlineSpy from inside a match; private to the shim and caught by
// guard(), never let out. Not a Xapian::Error, so no Xapian code takes it for its own.
struct TimeBudgetExceeded {};

// Stops a match at its deadline: Xapian 1.4's time limit only ends check_at_least
// early, it is not a deadline. A MatchSpy sees every match; every few, it looks at
// the clock, and past the deadline throws through the matcher (which unwinds as it
// does for its own errors). It keeps the best matches seen, for a partial answer.
class DeadlineSpy : public Xapian::MatchSpy {
  public:
    DeadlineSpy(double seconds, size_t keep, Xapian::valueno slot, bool use_slot, bool descending);
    void operator()(const Xapian::Document &doc, double wt) override;
    // Restarts the clock and forgets what was kept: called before each match.
    void start();
    // The kept documents, best first.
    std::vector<Xapian::docid> best() const;
    // Matches seen since start().
    unsigned seen() const { return calls_; }

  private:
    struct Kept {
        std::string key;
        double weight;
        Xapian::docid docid;
    };
    bool better(const Kept &a, const Kept &b) const;
    double seconds_;
    size_t keep_;
    Xapian::valueno slot_;
    bool use_slot_, descending_;
    double deadline_ = 0;
    unsigned calls_ = 0;
    std::vector<Kept> kept_;  // a heap whose top is the worst kept
};

// Counts the values of several slots in one pass over the matches, each slot into a
// hash table; a slot holding several values joined by a separator counts each value.
// Six ValueCountMatchSpys (a std::map each, the joined values split afterwards) made
// a search's six facets over 70,000 matches cost three times its match
// (docs/benchmarks.md, facets). Local databases only: a remote shard runs only the
// spies Xapian can serialise, ValueCountMatchSpy among them.
class FacetCounter : public Xapian::MatchSpy {
  public:
    // Counts `slot` too; separator -1: the value is one value. Returns its index.
    size_t add(Xapian::valueno slot, int separator);
    void operator()(const Xapian::Document &doc, double wt) override;
    const std::unordered_map<std::string, Xapian::doccount> &counts(size_t index) const {
        return facets_[index].counts;
    }

  private:
    struct Counted {
        Xapian::valueno slot;
        int separator;
        std::unordered_map<std::string, Xapian::doccount> counts;
    };
    std::vector<Counted> facets_;
};
}  // namespace cxapian

struct cx_enquire {
    Xapian::Enquire enquire;
    // Where each facet is counted: by `counter` (local databases) or by its own
    // ValueCountMatchSpy in `spies` (remote shards), and the separator of its values.
    struct FacetSource {
        bool counted_here;
        size_t index;
        int separator;
    };
    std::vector<FacetSource> facets;
    std::unique_ptr<cxapian::FacetCounter> counter;
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    std::unique_ptr<cxapian::DeadlineSpy> deadline;
    // The last match was stopped by the deadline: what it kept is readable.
    bool stopped = false;
    explicit cx_enquire(const Xapian::Database &db) : enquire(db) {}
};

struct cx_mset {
    Xapian::MSet mset;
};

namespace cxapian {

// Copies bytes into a malloc'd, NUL-terminated buffer that the caller frees with
// cx_free. Returns false (leaving *out untouched) when memory runs out.
bool copy_out(const std::string &value, char **out, size_t *out_length) noexcept;

// Stores message for the caller; never throws (an allocation failure leaves NULL).
void set_error(char **error_message, const char *message) noexcept;
void set_error(char **error_message, const std::string &message) noexcept;

// Runs body and maps every exception to a status. Most derived classes first:
// each Xapian class that a caller can act on differently gets its own code.
template <typename Body>
cx_status guard(char **error_message, Body &&body) noexcept {
    try {
        body();
        return CX_OK;
    } catch (const TimeBudgetExceeded &) {
        set_error(error_message, "the match ran past its time budget and was stopped");
        return CX_TIME_BUDGET;
    } catch (const Xapian::DatabaseModifiedError &e) {
        set_error(error_message, e.get_description());
        return CX_MODIFIED;
    } catch (const Xapian::DatabaseLockError &e) {
        set_error(error_message, e.get_description());
        return CX_LOCKED;
    } catch (const Xapian::DatabaseCorruptError &e) {
        set_error(error_message, e.get_description());
        return CX_CORRUPT;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        set_error(error_message, e.get_description());
        return CX_NOT_FOUND;
    } catch (const Xapian::DatabaseOpeningError &e) {
        set_error(error_message, e.get_description());
        return CX_OPENING;
    } catch (const Xapian::DatabaseClosedError &e) {
        set_error(error_message, e.get_description());
        return CX_CLOSED;
    } catch (const Xapian::DocNotFoundError &e) {
        set_error(error_message, e.get_description());
        return CX_NOT_FOUND;
    } catch (const Xapian::QueryParserError &e) {
        set_error(error_message, e.get_description());
        return CX_QUERY_SYNTAX;
    } catch (const Xapian::WildcardError &e) {
        set_error(error_message, e.get_description());
        return CX_WILDCARD;
    } catch (const Xapian::InvalidArgumentError &e) {
        set_error(error_message, e.get_description());
        return CX_INVALID_ARGUMENT;
    } catch (const Xapian::InvalidOperationError &e) {
        set_error(error_message, e.get_description());
        return CX_INVALID_OPERATION;
    } catch (const Xapian::NetworkTimeoutError &e) {
        set_error(error_message, e.get_description());
        return CX_TIMEOUT;
    } catch (const Xapian::NetworkError &e) {
        set_error(error_message, e.get_description());
        return CX_NETWORK;
    } catch (const Xapian::Error &e) {
        set_error(error_message, e.get_description());
        return CX_XAPIAN;
    } catch (const std::bad_alloc &) {
        set_error(error_message, "out of memory");
        return CX_NO_MEMORY;
    } catch (const std::exception &e) {
        set_error(error_message, e.what());
        return CX_UNKNOWN;
    } catch (...) {
        set_error(error_message, "unknown C++ exception");
        return CX_UNKNOWN;
    }
}

// Fails with InvalidArgumentError when a required handle or out-pointer is NULL,
// so a caller's mistake is a status, not a crash.
template <typename T>
void require(const T *pointer, const char *what) {
    if (pointer == nullptr) throw Xapian::InvalidArgumentError(std::string(what) + " is NULL");
}

inline std::string bytes(const char *data, size_t length) {
    if (data == nullptr) {
        if (length != 0) throw Xapian::InvalidArgumentError("NULL string with a non-zero length");
        return std::string();
    }
    return std::string(data, length);
}

inline std::string cstring(const char *data) { return data == nullptr ? std::string() : std::string(data); }

// Stores a result in the caller's out-parameters, or throws bad_alloc.
inline void give(const std::string &value, char **out, size_t *out_length) {
    require(out, "out");
    if (!copy_out(value, out, out_length)) throw std::bad_alloc();
}

Xapian::Query::op query_op(cx_query_op op);
Xapian::TermGenerator::stem_strategy termgen_strategy(cx_stem_strategy strategy);
Xapian::QueryParser::stem_strategy parser_strategy(cx_stem_strategy strategy);

}  // namespace cxapian

#endif
