// Diagnostics are values. A pass appends them to a `Diagnostics` list and carries on, so a
// run reports every problem it can find; renderers (render.cpp) decide how they look.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "source.hpp"

namespace nnspec {

enum class Code {
#define X(id, code, summary) id,
#include "codes.def"
#undef X
};

struct CodeInfo {
    Code id;
    std::string_view code;     // "E0101"
    std::string_view summary;  // one line, for docs and `--explain`
};
const CodeInfo& code_info(Code c);
const std::vector<CodeInfo>& all_codes();

enum class Severity { error, warning };

struct Label {
    Span span;
    std::string message;  // may be empty
};

struct Diagnostic {
    Code code;
    Severity severity = Severity::error;
    std::string message;         // lowercase, names in backticks
    Label primary;
    std::vector<Label> secondary;  // other places that explain this one
    std::vector<std::string> notes;
    std::vector<std::string> help;

    Diagnostic& label(Span s, std::string msg) { secondary.push_back({s, std::move(msg)}); return *this; }
    Diagnostic& note(std::string n) { notes.push_back(std::move(n)); return *this; }
    Diagnostic& hint(std::string h) { help.push_back(std::move(h)); return *this; }
};

// Keeps the first `limit()` diagnostics and counts the rest: an input with a million
// mistakes gets a readable report in linear time, not a million rendered snippets.
class Diagnostics {
public:
    static constexpr size_t default_limit = 100;

    Diagnostic& error(Code c, Span at, std::string message, std::string label = {});
    Diagnostic& warning(Code c, Span at, std::string message, std::string label = {});
    const std::vector<Diagnostic>& all() const { return list_; }  // the kept ones
    // The one added last, to add a note to (a discarded one when past the limit).
    Diagnostic& last() { return discarded_last_ || list_.empty() ? discarded_ : list_.back(); }
    void append(const Diagnostics& other) {
        for (const Diagnostic& d : other.list_) add(d);
        errors_ += other.errors_;
        warnings_ += other.warnings_;
    }
    // Points every diagnostic of `all()` from index `first` on at the block call `at` too:
    // what a body draws depends on the call's arguments. Through nested calls a report
    // shows the two innermost calls and the outermost one, and says it leaves out the rest.
    void label_call(size_t first, Span at);
    size_t errors() const { return errors_; }                     // all of them, kept or not
    size_t warnings() const { return warnings_; }
    bool has_errors() const { return errors_ != 0; }
    size_t dropped() const { return errors_ + warnings_ - list_.size(); }
    size_t limit() const { return limit_; }
    void set_limit(size_t limit) { limit_ = limit == 0 ? SIZE_MAX : limit; }  // 0: no limit

private:
    Diagnostic& add(Diagnostic d);
    std::vector<Diagnostic> list_;
    Diagnostic discarded_;  // what a caller past the limit adds notes to
    bool discarded_last_ = false;
    size_t errors_ = 0;
    size_t warnings_ = 0;
    size_t limit_ = default_limit;
};

// "did you mean": the closest candidate by edit distance, or empty if none is close.
std::string_view closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

// While one is alive, `closest_match` on this thread compares at most `cells` table cells
// in all, then suggests nothing: a text of a million misspelt names costs a million
// suggestions otherwise, and only the first `Diagnostics::limit()` are ever shown. The
// compiler holds one for each compilation.
class SuggestionBudget {
public:
    explicit SuggestionBudget(uint64_t cells);
    ~SuggestionBudget();
    SuggestionBudget(const SuggestionBudget&) = delete;
    SuggestionBudget& operator=(const SuggestionBudget&) = delete;

private:
    uint64_t cells_;
    SuggestionBudget* outer_;
    friend std::string_view closest_match(std::string_view, const std::vector<std::string_view>&);
};

}  // namespace nnspec
