#include "diagnostics.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace nnspec {

const std::vector<CodeInfo>& all_codes() {
    static const std::vector<CodeInfo> codes = {
#define X(id, code, summary) {Code::id, code, summary},
#include "codes.def"
#undef X
    };
    return codes;
}

const CodeInfo& code_info(Code c) { return all_codes().at(static_cast<size_t>(c)); }

Diagnostic& Diagnostics::add(Diagnostic d) {
    discarded_last_ = list_.size() >= limit_;
    if (!discarded_last_) return list_.emplace_back(std::move(d));
    discarded_ = std::move(d);
    return discarded_;
}

void Diagnostics::label_call(size_t first, Span at) {
    static const std::string in_call = "in this call";
    static const std::string left_out = "the calls between these are left out";
    constexpr size_t shown = 3;
    for (size_t i = first; i < list_.size(); ++i) {
        Diagnostic& d = list_[i];
        if (d.code == Code::recursion) continue;  // its note lists the calls already
        Label* outermost = nullptr;
        size_t calls = 0;
        for (Label& l : d.secondary) {
            if (l.message == in_call) {
                outermost = &l;
                ++calls;
            }
        }
        if (calls < shown) {
            d.label(at, in_call);
            continue;
        }
        outermost->span = at;  // the one before it was a call between
        if (std::find(d.notes.begin(), d.notes.end(), left_out) == d.notes.end()) d.note(left_out);
    }
}

Diagnostic& Diagnostics::error(Code c, Span at, std::string message, std::string label) {
    ++errors_;
    return add(Diagnostic{c, Severity::error, std::move(message), {at, std::move(label)}, {}, {}, {}});
}

Diagnostic& Diagnostics::warning(Code c, Span at, std::string message, std::string label) {
    ++warnings_;
    return add(Diagnostic{c, Severity::warning, std::move(message), {at, std::move(label)}, {}, {}, {}});
}

namespace {
thread_local SuggestionBudget* suggestion_budget = nullptr;
constexpr size_t max_compared = 64;  // longer words are not compared: no typo is that long

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
// two neighbouring characters (the commonest typo, `widht`) each cost one. Three rolling
// rows on the stack: a million unknown names must not mean a million allocations.
size_t edit_distance(std::string_view a, std::string_view b) {
    std::array<std::array<size_t, max_compared + 1>, 3> rows;  // i-2, i-1 and i, in rotation
    for (size_t j = 0; j <= b.size(); ++j) rows[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        const auto& before = rows[(i + 1) % 3];
        const auto& previous = rows[(i + 2) % 3];
        auto& current = rows[i % 3];
        current[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) current[j] = std::min(current[j], before[j - 2] + 1);
        }
    }
    return rows[a.size() % 3][b.size()];
}
}  // namespace

SuggestionBudget::SuggestionBudget(uint64_t cells) : cells_(cells), outer_(suggestion_budget) { suggestion_budget = this; }
SuggestionBudget::~SuggestionBudget() { suggestion_budget = outer_; }

std::string_view closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
    if (word.size() > max_compared) return {};  // not worth comparing, and keeps this linear in the input
    if (SuggestionBudget* budget = suggestion_budget) {
        const uint64_t cost = (word.size() + 1) * (max_compared + 1) * candidates.size();
        if (budget->cells_ < cost) return {};
        budget->cells_ -= cost;
    }
    std::string_view best;
    size_t best_distance = std::max<size_t>(1, word.size() / 3) + 1;
    for (auto c : candidates) {
        if (c.size() > max_compared) continue;
        const size_t gap = c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
        if (gap >= best_distance) continue;  // the distance is at least the difference in length
        const size_t d = edit_distance(word, c);
        if (d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    return best;
}

}  // namespace nnspec
