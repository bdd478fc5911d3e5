// Versions, memory, errors and the small helpers every other file uses.
#include "internal.h"

#include <cmath>
#include <unordered_map>

namespace cxapian {

bool copy_out(const std::string &value, char **out, size_t *out_length) noexcept {
    char *buffer = static_cast<char *>(std::malloc(value.size() + 1));
    if (buffer == nullptr) return false;
    std::memcpy(buffer, value.data(), value.size());
    buffer[value.size()] = '\0';
    *out = buffer;
    if (out_length != nullptr) *out_length = value.size();
    return true;
}

void set_error(char **error_message, const char *message) noexcept {
    if (error_message == nullptr) return;
    *error_message = nullptr;
    size_t length = std::strlen(message);
    char *buffer = static_cast<char *>(std::malloc(length + 1));
    if (buffer == nullptr) return;
    std::memcpy(buffer, message, length + 1);
    *error_message = buffer;
}

void set_error(char **error_message, const std::string &message) noexcept {
    set_error(error_message, message.c_str());
}

Xapian::Query::op query_op(cx_query_op op) {
    switch (op) {
        case CX_QUERY_AND: return Xapian::Query::OP_AND;
        case CX_QUERY_OR: return Xapian::Query::OP_OR;
        case CX_QUERY_AND_NOT: return Xapian::Query::OP_AND_NOT;
        case CX_QUERY_XOR: return Xapian::Query::OP_XOR;
        case CX_QUERY_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
        case CX_QUERY_FILTER: return Xapian::Query::OP_FILTER;
        case CX_QUERY_NEAR: return Xapian::Query::OP_NEAR;
        case CX_QUERY_PHRASE: return Xapian::Query::OP_PHRASE;
        case CX_QUERY_ELITE_SET: return Xapian::Query::OP_ELITE_SET;
        case CX_QUERY_SYNONYM: return Xapian::Query::OP_SYNONYM;
        case CX_QUERY_MAX: return Xapian::Query::OP_MAX;
    }
    throw Xapian::InvalidArgumentError("unknown query operator " + std::to_string(static_cast<int>(op)));
}

Xapian::TermGenerator::stem_strategy termgen_strategy(cx_stem_strategy strategy) {
    switch (strategy) {
        case CX_STEM_NONE: return Xapian::TermGenerator::STEM_NONE;
        case CX_STEM_SOME: return Xapian::TermGenerator::STEM_SOME;
        case CX_STEM_ALL: return Xapian::TermGenerator::STEM_ALL;
        case CX_STEM_ALL_Z: return Xapian::TermGenerator::STEM_ALL_Z;
        case CX_STEM_SOME_FULL_POS: return Xapian::TermGenerator::STEM_SOME_FULL_POS;
    }
    throw Xapian::InvalidArgumentError("unknown stemming strategy");
}

Xapian::QueryParser::stem_strategy parser_strategy(cx_stem_strategy strategy) {
    switch (strategy) {
        case CX_STEM_NONE: return Xapian::QueryParser::STEM_NONE;
        case CX_STEM_SOME: return Xapian::QueryParser::STEM_SOME;
        case CX_STEM_ALL: return Xapian::QueryParser::STEM_ALL;
        case CX_STEM_ALL_Z: return Xapian::QueryParser::STEM_ALL_Z;
        case CX_STEM_SOME_FULL_POS: return Xapian::QueryParser::STEM_SOME_FULL_POS;
    }
    throw Xapian::InvalidArgumentError("unknown stemming strategy");
}

}  // namespace cxapian

using namespace cxapian;

extern "C" int cx_api_version(void) { return CX_API_VERSION; }

extern "C" const char *cx_xapian_version(void) { return Xapian::version_string(); }

extern "C" const char *cx_status_name(cx_status status) {
    switch (status) {
        case CX_OK: return "ok";
        case CX_MODIFIED: return "modified";
        case CX_LOCKED: return "locked";
        case CX_CORRUPT: return "corrupt";
        case CX_OPENING: return "opening";
        case CX_NOT_FOUND: return "not_found";
        case CX_QUERY_SYNTAX: return "query_syntax";
        case CX_INVALID_ARGUMENT: return "invalid_argument";
        case CX_NO_MEMORY: return "no_memory";
        case CX_NETWORK: return "network";
        case CX_TIMEOUT: return "timeout";
        case CX_INVALID_OPERATION: return "invalid_operation";
        case CX_WILDCARD: return "wildcard";
        case CX_CLOSED: return "closed";
        case CX_XAPIAN: return "xapian";
        case CX_UNKNOWN: return "unknown";
        case CX_TIME_BUDGET: return "time_budget";
    }
    return "unknown";
}

extern "C" void cx_free(void *pointer) { std::free(pointer); }

extern "C" void cx_sink_set(cx_sink *sink, const char *bytes, size_t length) {
    if (sink == nullptr) return;
    // Called from the caller's callback: an allocation failure must not unwind
    // through it, so it leaves the sink empty instead.
    try {
        sink->value.assign(bytes == nullptr ? "" : bytes, bytes == nullptr ? 0 : length);
    } catch (...) {
        sink->value.clear();
    }
}

extern "C" void cx_query_sink_set(cx_query_sink *sink, const cx_query *query) {
    if (sink == nullptr || query == nullptr) return;
    // Copying a Xapian::Query takes a reference; caught all the same, as above.
    try {
        sink->query = query->query;
    } catch (...) {
        sink->query = Xapian::Query(Xapian::Query::OP_INVALID);
    }
}

extern "C" size_t cx_sortable_serialise(double value, char out[16]) {
    // sortable_serialise writes at most 9 bytes and cannot throw for finite input.
    if (std::isnan(value)) value = 0;
    return Xapian::sortable_serialise_(value, out);
}

extern "C" double cx_sortable_unserialise(const char *bytes, size_t length) {
    try {
        return Xapian::sortable_unserialise(std::string(bytes == nullptr ? "" : bytes, bytes == nullptr ? 0 : length));
    } catch (...) {
        return 0;
    }
}

/* ---- Stemmers ---------------------------------------------------------- */

namespace {

// A StemImplementation whose work is done by the caller through a C function.
// Results are memoised: Xapian stems every word it indexes, parses or snippets, and
// words repeat, so most calls never cross into the caller (the function is pure).
class CallbackStemmer : public Xapian::StemImplementation {
  public:
    CallbackStemmer(cx_stem_function function, void *context, void (*destroy)(void *))
        : function_(function), context_(context), destroy_(destroy) {}
    ~CallbackStemmer() override {
        if (destroy_ != nullptr) destroy_(context_);
    }
    std::string operator()(const std::string &word) override {
        auto known = memo_.find(word);
        if (known != memo_.end()) return known->second;
        cx_sink sink;
        function_(context_, word.data(), word.size(), &sink);
        if (memo_.size() >= max_memo) memo_.clear();
        memo_.emplace(word, sink.value);
        return std::move(sink.value);
    }
    std::string get_description() const override { return "acsearch callback stemmer"; }

  private:
    static constexpr size_t max_memo = 200000;
    cx_stem_function function_;
    void *context_;
    void (*destroy_)(void *);
    std::unordered_map<std::string, std::string> memo_;
};

}  // namespace

extern "C" cx_status cx_stem_new(const char *language, cx_stem **out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        *out = new cx_stem{Xapian::Stem(cstring(language))};
    });
}

extern "C" cx_status cx_stem_new_custom(cx_stem_function stem, void *context, void (*destroy_context)(void *),
                                        cx_stem **out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        if (stem == nullptr) throw Xapian::InvalidArgumentError("stem function is NULL");
        // Allocate everything that can fail before the implementation takes the
        // context: on failure the caller still owns it, on success the shim does.
        std::unique_ptr<cx_stem> handle(new cx_stem{Xapian::Stem()});
        auto *implementation = new CallbackStemmer(stem, context, destroy_context);
        handle->stem = Xapian::Stem(implementation);  // reference counted from here
        *out = handle.release();
    });
}

extern "C" cx_status cx_stem_apply(cx_stem *stem, const char *word, size_t length, char **out, size_t *out_length,
                                   char **error_message) {
    return guard(error_message, [&] {
        require(stem, "stem");
        give(stem->stem(bytes(word, length)), out, out_length);
    });
}

extern "C" void cx_stem_destroy(cx_stem *stem) { delete stem; }

extern "C" char *cx_stem_languages(void) {
    char *out = nullptr;
    try {
        copy_out(Xapian::Stem::get_available_languages(), &out, nullptr);
    } catch (...) {
        out = nullptr;
    }
    return out;
}
