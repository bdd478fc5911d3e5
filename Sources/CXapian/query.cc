// cx_query and cx_queryparser: building and parsing queries.
#include "internal.h"

#include <algorithm>

using namespace cxapian;

namespace {

// A boolean field whose raw value the caller turns into a term (for canonical
// forms such as folded province names and document numbers).
class CallbackFieldProcessor : public Xapian::FieldProcessor {
  public:
    CallbackFieldProcessor(cx_field_function function, void *context, std::string *error)
        : function_(function), context_(context), error_(error) {}
    void own_context(void (*destroy)(void *)) { destroy_ = destroy; }
    ~CallbackFieldProcessor() override {
        if (destroy_ != nullptr) destroy_(context_);
    }
    Xapian::Query operator()(const std::string &value) override {
        cx_sink sink;
        if (function_(context_, value.data(), value.size(), &sink) != 0) {
            // Never thrown from here (see cx_queryparser::field_error): noted, and
            // the first refusal is raised by cx_queryparser_parse.
            if (error_->empty()) *error_ = sink.value.empty() ? "invalid field value: " + value : sink.value;
            return Xapian::Query::MatchNothing;
        }
        if (sink.value.empty()) return Xapian::Query::MatchNothing;
        return Xapian::Query(sink.value);
    }

  private:
    cx_field_function function_;
    void *context_;
    std::string *error_;
    void (*destroy_)(void *) = nullptr;
};

/// A range whose query the caller builds. Xapian strips the field from the start
/// (and from the end when repeated there) before calling it.
class CallbackRangeProcessor : public Xapian::RangeProcessor {
  public:
    CallbackRangeProcessor(const std::string &field, cx_range_function function, void *context, std::string *error)
        : Xapian::RangeProcessor(Xapian::BAD_VALUENO, field), function_(function), context_(context), error_(error) {}
    void own_context(void (*destroy)(void *)) { destroy_ = destroy; }
    ~CallbackRangeProcessor() override {
        if (destroy_ != nullptr) destroy_(context_);
    }
    Xapian::Query operator()(const std::string &start, const std::string &end) override {
        cx_query_sink query;
        cx_sink error;
        if (function_(context_, start.data(), start.size(), end.data(), end.size(), &query, &error) != 0) {
            // Not thrown, as for field processors (cx_queryparser::field_error).
            if (error_->empty()) *error_ = error.value.empty() ? "invalid range: " + start + ".." + end : error.value;
            return Xapian::Query::MatchNothing;
        }
        return query.query;
    }

  private:
    cx_range_function function_;
    void *context_;
    std::string *error_;
    void (*destroy_)(void *) = nullptr;
};

cx_query *wrap(const Xapian::Query &query) { return new cx_query{query}; }

// A fixed set of documents by id, without weight: what a watch's query is filtered
// by when it runs over a commit's new documents, so that the match opens no posting
// list for each of them (an OR of their id terms opened one per document and per
// watch). Ids are of one database: a combined database clones this for each of its
// shards with the same ids, which would be wrong there.
class DocumentSetSource : public Xapian::PostingSource {
  public:
    explicit DocumentSetSource(std::vector<Xapian::docid> ids) : ids_(std::move(ids)) {}
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return static_cast<Xapian::doccount>(ids_.size()); }
    Xapian::doccount get_termfreq_max() const override { return static_cast<Xapian::doccount>(ids_.size()); }
    void init(const Xapian::Database &) override { position_ = npos; }
    void next(double) override { position_ = position_ == npos ? 0 : position_ + 1; }
    void skip_to(Xapian::docid id, double) override {
        const auto from = ids_.begin() + static_cast<std::ptrdiff_t>(position_ == npos ? 0 : position_);
        position_ = static_cast<size_t>(std::lower_bound(from, ids_.end(), id) - ids_.begin());
    }
    bool at_end() const override { return position_ != npos && position_ >= ids_.size(); }
    Xapian::docid get_docid() const override { return ids_[position_]; }
    Xapian::PostingSource *clone() const override { return new DocumentSetSource(ids_); }
    std::string get_description() const override { return "DocumentSetSource(" + std::to_string(ids_.size()) + ")"; }

  private:
    static constexpr size_t npos = static_cast<size_t>(-1);
    std::vector<Xapian::docid> ids_;
    size_t position_ = npos;
};

}  // namespace

extern "C" cx_status cx_query_new_documents(const uint32_t *ids, size_t count, cx_query **out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        if (count > 0) require(ids, "ids");
        std::vector<Xapian::docid> sorted(ids, ids + count);
        std::sort(sorted.begin(), sorted.end());
        sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
        if (!sorted.empty() && sorted.front() == 0) throw Xapian::InvalidArgumentError("document id 0 does not exist");
        *out = wrap(Xapian::Query((new DocumentSetSource(std::move(sorted)))->release()));
    });
}

extern "C" cx_status cx_query_new_term(const char *term, size_t length, uint32_t wqf, cx_query **out,
                                       char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        *out = wrap(Xapian::Query(bytes(term, length), wqf == 0 ? 1 : wqf));
    });
}

extern "C" cx_status cx_query_new_combined(cx_query_op op, cx_query *const *subqueries, size_t count,
                                           uint32_t window, cx_query **out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        if (count > 0) require(subqueries, "subqueries");
        std::vector<Xapian::Query> parts;
        parts.reserve(count);
        for (size_t i = 0; i < count; ++i) {
            require(subqueries[i], "subquery");
            parts.push_back(subqueries[i]->query);
        }
        *out = wrap(Xapian::Query(query_op(op), parts.begin(), parts.end(), window));
    });
}

extern "C" cx_status cx_query_new_value_range(uint32_t slot, const char *low, size_t low_length, const char *high,
                                              size_t high_length, cx_query **out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        *out = wrap(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, bytes(low, low_length),
                                  bytes(high, high_length)));
    });
}

extern "C" cx_status cx_query_new_scaled(cx_query *query, double factor, cx_query **out, char **error_message) {
    return guard(error_message, [&] {
        require(query, "query");
        require(out, "out");
        *out = wrap(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query->query, factor));
    });
}

extern "C" cx_status cx_query_new_match_all(cx_query **out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        *out = wrap(Xapian::Query::MatchAll);
    });
}

extern "C" cx_status cx_query_new_match_nothing(cx_query **out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        *out = wrap(Xapian::Query::MatchNothing);
    });
}

extern "C" void cx_query_destroy(cx_query *query) { delete query; }

extern "C" cx_status cx_query_describe(cx_query *query, char **out, size_t *out_length, char **error_message) {
    return guard(error_message, [&] {
        require(query, "query");
        give(query->query.get_description(), out, out_length);
    });
}

extern "C" int cx_query_is_empty(cx_query *query) {
    if (query == nullptr) return 1;
    try {
        return query->query.empty() ? 1 : 0;
    } catch (...) {
        return 1;
    }
}

namespace {

bool has_positional(const Xapian::Query &query) {
    const Xapian::Query::op type = query.get_type();
    if (type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_NEAR) return true;
    for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
        if (has_positional(query.get_subquery(i))) return true;
    }
    return false;
}

// An OP_SYNONYM of exactly two terms, one with the prefix and one without, becomes
// the prefixed term. Only operators that take no parameter are rebuilt around it;
// anything else (phrases, NEAR, scaled weights) is kept whole.
Xapian::Query prefer_prefixed_synonym(const Xapian::Query &query, const std::string &prefix, bool &changed) {
    const Xapian::Query::op type = query.get_type();
    const size_t count = query.get_num_subqueries();
    if (type == Xapian::Query::OP_SYNONYM && count == 2) {
        const Xapian::Query first = query.get_subquery(0), second = query.get_subquery(1);
        if (first.get_type() == Xapian::Query::LEAF_TERM && second.get_type() == Xapian::Query::LEAF_TERM) {
            const std::string a = *first.get_terms_begin(), b = *second.get_terms_begin();
            const bool a_prefixed = a.compare(0, prefix.size(), prefix) == 0;
            const bool b_prefixed = b.compare(0, prefix.size(), prefix) == 0;
            if (a_prefixed != b_prefixed) {
                changed = true;
                return a_prefixed ? first : second;
            }
        }
    }
    switch (type) {
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_AND_NOT:
        case Xapian::Query::OP_XOR:
        case Xapian::Query::OP_AND_MAYBE:
        case Xapian::Query::OP_FILTER:
        case Xapian::Query::OP_SYNONYM:
        case Xapian::Query::OP_MAX:
            break;
        default:
            return query;
    }
    std::vector<Xapian::Query> parts;
    parts.reserve(count);
    bool below = false;
    for (size_t i = 0; i < count; ++i) parts.push_back(prefer_prefixed_synonym(query.get_subquery(i), prefix, below));
    if (!below) return query;
    changed = true;
    return Xapian::Query(type, parts.begin(), parts.end());
}

}  // namespace

extern "C" cx_status cx_query_prefer_prefixed_synonyms(cx_query *query, const char *prefix, size_t length,
                                                       cx_query **out, char **error_message) {
    return guard(error_message, [&] {
        require(query, "query");
        require(out, "out");
        if (length > 0) require(prefix, "prefix");
        bool changed = false;
        *out = wrap(prefer_prefixed_synonym(query->query, bytes(prefix, length), changed));
    });
}

namespace {

bool or_like(Xapian::Query::op type) {
    switch (type) {
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_XOR:
        case Xapian::Query::OP_SYNONYM:
        case Xapian::Query::OP_ELITE_SET:
        case Xapian::Query::OP_MAX:
            return true;
        default:
            return false;
    }
}

void measure(const Xapian::Query &query, bool under_or, bool under_positions, cx_query_cost &cost) {
    const Xapian::Query::op type = query.get_type();
    if (type == Xapian::Query::LEAF_TERM) {
        ++cost.terms;
        if (under_or) ++cost.or_terms;
        if (under_positions) ++cost.positional_terms;
        return;
    }
    if (type == Xapian::Query::OP_WILDCARD) {
        ++cost.wildcards;
        return;
    }
    const bool positions = under_positions || type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_NEAR;
    const bool merged = under_or || or_like(type);
    for (size_t i = 0; i < query.get_num_subqueries(); ++i) measure(query.get_subquery(i), merged, positions, cost);
}

}  // namespace

extern "C" cx_status cx_query_measure(cx_query *query, cx_query_cost *out, char **error_message) {
    return guard(error_message, [&] {
        require(query, "query");
        require(out, "out");
        cx_query_cost cost{0, 0, 0, 0};
        measure(query->query, false, false, cost);
        *out = cost;
    });
}

extern "C" cx_status cx_query_has_positional(cx_query *query, int *out, char **error_message) {
    return guard(error_message, [&] {
        require(query, "query");
        require(out, "out");
        *out = has_positional(query->query) ? 1 : 0;
    });
}

extern "C" cx_status cx_query_visit_terms(cx_query *query, cx_term_visitor visitor, void *context,
                                          char **error_message) {
    return guard(error_message, [&] {
        require(query, "query");
        if (visitor == nullptr) throw Xapian::InvalidArgumentError("visitor is NULL");
        for (auto it = query->query.get_unique_terms_begin(); it != query->query.get_terms_end(); ++it) {
            const std::string term = *it;
            if (visitor(context, term.data(), term.size(), 0) != 0) break;
        }
    });
}

/* ---- Query parser ------------------------------------------------------ */

extern "C" cx_status cx_queryparser_new(cx_queryparser **out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        *out = new cx_queryparser();
    });
}

extern "C" void cx_queryparser_destroy(cx_queryparser *parser) { delete parser; }

extern "C" cx_status cx_queryparser_set_stemmer(cx_queryparser *parser, cx_stem *stem, char **error_message) {
    return guard(error_message, [&] {
        require(parser, "parser");
        require(stem, "stem");
        parser->parser.set_stemmer(stem->stem);
    });
}

extern "C" cx_status cx_queryparser_set_stemming_strategy(cx_queryparser *parser, cx_stem_strategy strategy,
                                                          char **error_message) {
    return guard(error_message, [&] {
        require(parser, "parser");
        parser->parser.set_stemming_strategy(parser_strategy(strategy));
    });
}

extern "C" cx_status cx_queryparser_set_database(cx_queryparser *parser, cx_database *database,
                                                 char **error_message) {
    return guard(error_message, [&] {
        require(parser, "parser");
        require(database, "database");
        parser->parser.set_database(database->database);
    });
}

extern "C" cx_status cx_queryparser_set_stopwords(cx_queryparser *parser, const char *const *words, size_t count,
                                                  char **error_message) {
    return guard(error_message, [&] {
        require(parser, "parser");
        if (count > 0) require(words, "words");
        std::unique_ptr<Xapian::SimpleStopper> stopper(new Xapian::SimpleStopper());
        for (size_t i = 0; i < count; ++i) stopper->add(cstring(words[i]));
        parser->parser.set_stopper(stopper.get());
        parser->stopper = std::move(stopper);
    });
}

extern "C" cx_status cx_queryparser_set_default_op(cx_queryparser *parser, cx_query_op op, char **error_message) {
    return guard(error_message, [&] {
        require(parser, "parser");
        parser->parser.set_default_op(query_op(op));
    });
}

extern "C" cx_status cx_queryparser_add_prefix(cx_queryparser *parser, const char *field, const char *prefix,
                                               char **error_message) {
    return guard(error_message, [&] {
        require(parser, "parser");
        parser->parser.add_prefix(cstring(field), cstring(prefix));
    });
}

extern "C" cx_status cx_queryparser_add_boolean_prefix(cx_queryparser *parser, const char *field, const char *prefix,
                                                       int exclusive, char **error_message) {
    return guard(error_message, [&] {
        require(parser, "parser");
        parser->parser.add_boolean_prefix(cstring(field), cstring(prefix), exclusive != 0);
    });
}

extern "C" cx_status cx_queryparser_add_boolean_field(cx_queryparser *parser, const char *field,
                                                      cx_field_function function, void *context,
                                                      void (*destroy_context)(void *), int exclusive,
                                                      char **error_message) {
    return guard(error_message, [&] {
        require(parser, "parser");
        if (function == nullptr) throw Xapian::InvalidArgumentError("field function is NULL");
        // Room first: once Xapian holds the processor, keeping it must not fail.
        parser->field_processors.reserve(parser->field_processors.size() + 1);
        std::unique_ptr<Xapian::FieldProcessor> processor(new CallbackFieldProcessor(function, context, &parser->field_error));
        parser->parser.add_boolean_prefix(cstring(field), processor.get(), exclusive != 0);
        parser->field_processors.push_back(std::move(processor));
        // Registered: from now on the shim owns the context (see the header).
        static_cast<CallbackFieldProcessor *>(parser->field_processors.back().get())->own_context(destroy_context);
    });
}

extern "C" cx_status cx_queryparser_add_range_field(cx_queryparser *parser, const char *field,
                                                    cx_range_function function, void *context,
                                                    void (*destroy_context)(void *), char **error_message) {
    return guard(error_message, [&] {
        require(parser, "parser");
        if (function == nullptr) throw Xapian::InvalidArgumentError("range function is NULL");
        parser->range_processors.reserve(parser->range_processors.size() + 1);  // as for fields
        std::unique_ptr<CallbackRangeProcessor> processor(
            new CallbackRangeProcessor(cstring(field), function, context, &parser->field_error));
        parser->parser.add_rangeprocessor(processor.get());
        parser->range_processors.push_back(std::move(processor));
        // Registered: from now on the shim owns the context (see the header).
        static_cast<CallbackRangeProcessor *>(parser->range_processors.back().get())->own_context(destroy_context);
    });
}

extern "C" cx_status cx_queryparser_set_max_expansion(cx_queryparser *parser, uint32_t max, int most_frequent,
                                                      char **error_message) {
    return guard(error_message, [&] {
        require(parser, "parser");
        parser->parser.set_max_expansion(
            max, most_frequent ? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT : Xapian::Query::WILDCARD_LIMIT_ERROR);
    });
}

extern "C" cx_status cx_queryparser_parse(cx_queryparser *parser, const char *text, size_t length, int flags,
                                          cx_query **out, char **error_message) {
    return guard(error_message, [&] {
        require(parser, "parser");
        require(out, "out");
        parser->field_error.clear();
        Xapian::Query query = parser->parser.parse_query(bytes(text, length), static_cast<unsigned>(flags));
        if (!parser->field_error.empty()) {
            std::string message;
            message.swap(parser->field_error);
            throw Xapian::QueryParserError(message);
        }
        *out = wrap(query);
    });
}

extern "C" cx_status cx_queryparser_corrected_query(cx_queryparser *parser, char **out, size_t *out_length,
                                                    char **error_message) {
    return guard(error_message, [&] {
        require(parser, "parser");
        give(parser->parser.get_corrected_query_string(), out, out_length);
    });
}
