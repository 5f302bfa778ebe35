#include "diagnostics.hpp"

#include <algorithm>
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

Diagnostic& Diagnostics::error(Code c, Span at, std::string message, std::string label) {
    ++errors_;
    return list_.emplace_back(Diagnostic{c, Severity::error, std::move(message), {at, std::move(label)}, {}, {}, {}});
}

Diagnostic& Diagnostics::warning(Code c, Span at, std::string message, std::string label) {
    return list_.emplace_back(Diagnostic{c, Severity::warning, std::move(message), {at, std::move(label)}, {}, {}, {}});
}

namespace {
// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
// two neighbouring characters (the commonest typo, `widht`) each cost one.
size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        for (size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}
}  // namespace

std::string_view closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
    if (word.size() > 64) return {};  // not worth comparing, and keeps this linear in the input
    std::string_view best;
    size_t best_distance = std::max<size_t>(1, word.size() / 3) + 1;
    for (auto c : candidates) {
        const size_t d = edit_distance(word, c);
        if (d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    return best;
}

}  // namespace nnspec
