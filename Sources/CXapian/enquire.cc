// cx_enquire and cx_mset: running a query and reading its results.
#include "internal.h"

#include <algorithm>
#include <chrono>

using namespace cxapian;

namespace {

Xapian::MSetIterator item(cx_mset *mset, size_t index) {
    require(mset, "mset");
    if (index >= mset->mset.size())
        throw Xapian::RangeError("result index " + std::to_string(index) + " is past the " +
                                 std::to_string(mset->mset.size()) + " results");
    return mset->mset[static_cast<Xapian::doccount>(index)];
}

double now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

namespace cxapian {

DeadlineSpy::DeadlineSpy(double seconds, size_t keep, Xapian::valueno slot, bool use_slot, bool descending)
    : seconds_(seconds), keep_(keep), slot_(slot), use_slot_(use_slot), descending_(descending) {
    kept_.reserve(keep + 1);
}

void DeadlineSpy::start() {
    deadline_ = now_seconds() + seconds_;
    calls_ = 0;
    kept_.clear();
}

size_t FacetCounter::add(Xapian::valueno slot, int separator) {
    facets_.push_back(Counted{slot, separator, {}});
    return facets_.size() - 1;
}

void FacetCounter::operator()(const Xapian::Document &doc, double) {
    for (Counted &facet : facets_) {
        const std::string value = doc.get_value(facet.slot);
        if (value.empty()) continue;
        if (facet.separator < 0) {
            ++facet.counts[value];
            continue;
        }
        const char separator = static_cast<char>(facet.separator);
        size_t start = 0;
        while (start < value.size()) {
            size_t end = value.find(separator, start);
            if (end == std::string::npos) end = value.size();
            if (end > start) ++facet.counts[value.substr(start, end - start)];
            start = end + 1;
        }
    }
}

bool DeadlineSpy::better(const Kept &a, const Kept &b) const {
    if (use_slot_ && a.key != b.key) {
        // Without a value, last in either order (as cx_enquire_set_sort_by_value sorts).
        if (a.key.empty() || b.key.empty()) return b.key.empty();
        return descending_ ? a.key > b.key : a.key < b.key;
    }
    if (a.weight != b.weight) return a.weight > b.weight;
    return a.docid < b.docid;
}

void DeadlineSpy::operator()(const Xapian::Document &doc, double wt) {
    // The clock every 16 matches: cheap beside the match itself.
    if ((++calls_ & 15) == 0 && now_seconds() > deadline_) throw TimeBudgetExceeded();
    if (keep_ == 0) return;
    Kept item{use_slot_ ? doc.get_value(slot_) : std::string(), wt, doc.get_docid()};
    auto worse_on_top = [this](const Kept &a, const Kept &b) { return better(a, b); };
    if (kept_.size() < keep_) {
        kept_.push_back(std::move(item));
        std::push_heap(kept_.begin(), kept_.end(), worse_on_top);
    } else if (better(item, kept_.front())) {
        std::pop_heap(kept_.begin(), kept_.end(), worse_on_top);
        kept_.back() = std::move(item);
        std::push_heap(kept_.begin(), kept_.end(), worse_on_top);
    }
}

std::vector<Xapian::docid> DeadlineSpy::best() const {
    std::vector<Kept> sorted = kept_;
    std::sort(sorted.begin(), sorted.end(), [this](const Kept &a, const Kept &b) { return better(a, b); });
    std::vector<Xapian::docid> ids;
    ids.reserve(sorted.size());
    for (const Kept &item : sorted) ids.push_back(item.docid);
    return ids;
}

}  // namespace cxapian

extern "C" cx_status cx_enquire_new(cx_database *database, cx_enquire **out, char **error_message) {
    return guard(error_message, [&] {
        require(database, "database");
        require(out, "out");
        *out = new cx_enquire(database->database);
    });
}

extern "C" void cx_enquire_destroy(cx_enquire *enquire) { delete enquire; }

extern "C" cx_status cx_enquire_set_query(cx_enquire *enquire, cx_query *query, char **error_message) {
    return guard(error_message, [&] {
        require(enquire, "enquire");
        require(query, "query");
        enquire->enquire.set_query(query->query);
    });
}

extern "C" cx_status cx_enquire_set_sort_by_relevance(cx_enquire *enquire, char **error_message) {
    return guard(error_message, [&] {
        require(enquire, "enquire");
        enquire->enquire.set_sort_by_relevance();
    });
}

extern "C" cx_status cx_enquire_set_sort_by_value(cx_enquire *enquire, uint32_t slot, int descending,
                                                  int then_relevance, char **error_message) {
    return guard(error_message, [&] {
        require(enquire, "enquire");
        if (descending) {
            // Xapian puts empty values last in descending order already.
            if (then_relevance)
                enquire->enquire.set_sort_by_value_then_relevance(slot, true);
            else
                enquire->enquire.set_sort_by_value(slot, true);
            return;
        }
        // Ascending, an empty value would come first: it is read as "\xff" instead,
        // after any value that does not start with that byte (no text does in UTF-8).
        // release(): the enquire owns the key maker from here on.
        auto *keys = new Xapian::MultiValueKeyMaker();
        keys->add_value(slot, false, std::string(1, '\xff'));
        if (then_relevance)
            enquire->enquire.set_sort_by_key_then_relevance(keys->release(), false);
        else
            enquire->enquire.set_sort_by_key(keys->release(), false);
    });
}

extern "C" cx_status cx_enquire_set_collapse_key(cx_enquire *enquire, uint32_t slot, uint32_t max,
                                                 char **error_message) {
    return guard(error_message, [&] {
        require(enquire, "enquire");
        enquire->enquire.set_collapse_key(slot, max == 0 ? 1 : max);
    });
}

extern "C" cx_status cx_enquire_set_time_limit(cx_enquire *enquire, double seconds, char **error_message) {
    return guard(error_message, [&] {
        require(enquire, "enquire");
        enquire->enquire.set_time_limit(seconds);
    });
}

extern "C" cx_status cx_enquire_set_deadline(cx_enquire *enquire, double seconds, uint32_t keep, int64_t sort_slot,
                                             int descending, char **error_message) {
    return guard(error_message, [&] {
        require(enquire, "enquire");
        if (!(seconds >= 0)) throw Xapian::InvalidArgumentError("a deadline must be 0 or more seconds");
        if (seconds == 0) return;
        if (enquire->deadline) throw Xapian::InvalidOperationError("the deadline is already set");
        const bool use_slot = sort_slot >= 0;
        std::unique_ptr<DeadlineSpy> spy(new DeadlineSpy(seconds, keep, use_slot ? Xapian::valueno(sort_slot) : 0,
                                                         use_slot, descending != 0));
        enquire->enquire.add_matchspy(spy.get());
        enquire->deadline = std::move(spy);
    });
}

extern "C" cx_status cx_enquire_visit_stopped(cx_enquire *enquire, cx_position_visitor visitor, void *context,
                                              uint32_t *seen, char **error_message) {
    return guard(error_message, [&] {
        require(enquire, "enquire");
        require(seen, "seen");
        if (visitor == nullptr) throw Xapian::InvalidArgumentError("visitor is NULL");
        *seen = 0;
        if (!enquire->stopped || !enquire->deadline) return;
        *seen = enquire->deadline->seen();
        for (Xapian::docid id : enquire->deadline->best()) {
            if (visitor(context, id) != 0) break;
        }
    });
}

extern "C" cx_status cx_enquire_add_facet(cx_enquire *enquire, uint32_t slot, int32_t separator, int remote,
                                          size_t *facet_index, char **error_message) {
    return guard(error_message, [&] {
        require(enquire, "enquire");
        require(facet_index, "facet_index");
        if (separator < -1 || separator > 255) throw Xapian::InvalidArgumentError("separator is not a byte");
        enquire->facets.reserve(enquire->facets.size() + 1);
        if (remote) {
            std::unique_ptr<Xapian::ValueCountMatchSpy> spy(new Xapian::ValueCountMatchSpy(slot));
            enquire->spies.reserve(enquire->spies.size() + 1);
            enquire->enquire.add_matchspy(spy.get());
            enquire->facets.push_back({false, enquire->spies.size(), separator});
            enquire->spies.push_back(std::move(spy));
        } else {
            if (!enquire->counter) {
                std::unique_ptr<FacetCounter> counter(new FacetCounter());
                enquire->enquire.add_matchspy(counter.get());
                enquire->counter = std::move(counter);
            }
            enquire->facets.push_back({true, enquire->counter->add(slot, separator), separator});
        }
        *facet_index = enquire->facets.size() - 1;
    });
}

extern "C" cx_status cx_enquire_visit_facet(cx_enquire *enquire, size_t facet_index, size_t max_values,
                                            cx_value_visitor visitor, void *context, char **error_message) {
    return guard(error_message, [&] {
        require(enquire, "enquire");
        if (visitor == nullptr) throw Xapian::InvalidArgumentError("visitor is NULL");
        if (facet_index >= enquire->facets.size()) throw Xapian::RangeError("no facet with that index");
        const cx_enquire::FacetSource &source = enquire->facets[facet_index];
        std::unordered_map<std::string, Xapian::doccount> split;
        const std::unordered_map<std::string, Xapian::doccount> *counts = &split;
        if (source.counted_here) {
            counts = &enquire->counter->counts(source.index);
        } else {
            // Xapian counted the joined values: each is split here, so that a document
            // counts once for each of its values, as the counter counts.
            const Xapian::ValueCountMatchSpy &spy = *enquire->spies[source.index];
            for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
                const std::string joined = *it;
                if (source.separator < 0) {
                    split[joined] += it.get_termfreq();
                    continue;
                }
                size_t start = 0;
                while (start < joined.size()) {
                    size_t end = joined.find(static_cast<char>(source.separator), start);
                    if (end == std::string::npos) end = joined.size();
                    if (end > start) split[joined.substr(start, end - start)] += it.get_termfreq();
                    start = end + 1;
                }
            }
        }
        // Most frequent first, then by value: stable output for equal counts.
        std::vector<std::pair<const std::string *, Xapian::doccount>> values;
        values.reserve(counts->size());
        for (const auto &entry : *counts) values.emplace_back(&entry.first, entry.second);
        const auto before = [](const auto &a, const auto &b) {
            return a.second != b.second ? a.second > b.second : *a.first < *b.first;
        };
        size_t limit = max_values == 0 ? values.size() : std::min(max_values, values.size());
        std::partial_sort(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(limit), values.end(), before);
        for (size_t i = 0; i < limit; ++i) {
            if (visitor(context, values[i].first->data(), values[i].first->size(), values[i].second) != 0) break;
        }
    });
}

extern "C" cx_status cx_enquire_get_mset(cx_enquire *enquire, uint32_t first, uint32_t max_items,
                                         uint32_t check_at_least, cx_mset **out, char **error_message) {
    return guard(error_message, [&] {
        require(enquire, "enquire");
        require(out, "out");
        enquire->stopped = false;
        if (enquire->deadline) enquire->deadline->start();
        try {
            *out = new cx_mset{enquire->enquire.get_mset(first, max_items, check_at_least)};
        } catch (const TimeBudgetExceeded &) {
            enquire->stopped = true;
            throw;
        }
    });
}

extern "C" cx_status cx_enquire_visit_expand_terms(cx_enquire *enquire, const uint32_t *relevant,
                                                   size_t relevant_count, uint32_t max_terms,
                                                   const char *term_prefix, cx_weighted_term_visitor visitor,
                                                   void *context, char **error_message) {
    return guard(error_message, [&] {
        require(enquire, "enquire");
        if (visitor == nullptr) throw Xapian::InvalidArgumentError("visitor is NULL");
        if (relevant_count > 0) require(relevant, "relevant");
        Xapian::RSet rset;
        for (size_t i = 0; i < relevant_count; ++i) rset.add_document(relevant[i]);
        const std::string prefix = cstring(term_prefix);
        Xapian::ExpandDeciderFilterPrefix by_prefix(prefix);
        Xapian::ESet eset = enquire->enquire.get_eset(max_terms, rset, prefix.empty() ? nullptr : &by_prefix);
        for (auto it = eset.begin(); it != eset.end(); ++it) {
            const std::string term = *it;
            if (visitor(context, term.data(), term.size(), it.get_weight()) != 0) break;
        }
    });
}

extern "C" void cx_mset_destroy(cx_mset *mset) { delete mset; }

extern "C" size_t cx_mset_size(cx_mset *mset) {
    if (mset == nullptr) return 0;
    try {
        return mset->mset.size();
    } catch (...) {
        return 0;
    }
}

extern "C" cx_status cx_mset_counts(cx_mset *mset, cx_match_counts *out, char **error_message) {
    return guard(error_message, [&] {
        require(mset, "mset");
        require(out, "out");
        out->lower = mset->mset.get_matches_lower_bound();
        out->estimated = mset->mset.get_matches_estimated();
        out->upper = mset->mset.get_matches_upper_bound();
    });
}

extern "C" cx_status cx_mset_item_at(cx_mset *mset, size_t index, cx_mset_item *out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        auto it = item(mset, index);
        out->docid = *it;
        out->rank = it.get_rank();
        out->percent = it.get_percent();
        out->weight = it.get_weight();
        out->collapse_count = it.get_collapse_count();
    });
}

extern "C" cx_status cx_mset_document(cx_mset *mset, size_t index, cx_document **out, char **error_message) {
    return guard(error_message, [&] {
        require(out, "out");
        auto it = item(mset, index);
        *out = new cx_document{it.get_document()};
    });
}

extern "C" cx_status cx_mset_collapse_key(cx_mset *mset, size_t index, char **out, size_t *out_length,
                                          char **error_message) {
    return guard(error_message, [&] {
        auto it = item(mset, index);
        give(it.get_collapse_key(), out, out_length);
    });
}

extern "C" cx_status cx_mset_snippet(cx_mset *mset, const char *text, size_t text_length, size_t length,
                                     cx_stem *stem, int exhaustive, int background, const char *hi_start, const char *hi_end,
                                     const char *omit, char **out, size_t *out_length, char **error_message) {
    return guard(error_message, [&] {
        require(mset, "mset");
        unsigned flags = 0;
        if (background) flags |= Xapian::MSet::SNIPPET_BACKGROUND_MODEL;
        if (exhaustive) flags |= Xapian::MSet::SNIPPET_EXHAUSTIVE;
        Xapian::Stem stemmer = stem == nullptr ? Xapian::Stem() : stem->stem;
        give(mset->mset.snippet(bytes(text, text_length), length, stemmer, flags, cstring(hi_start),
                                cstring(hi_end), cstring(omit)),
             out, out_length);
    });
}
