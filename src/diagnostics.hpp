// Diagnostics are values. A pass appends them to a `Diagnostics` list and carries on, so a
// run reports every problem it can find; renderers (render.cpp) decide how they look.
#pragma once

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

class Diagnostics {
public:
    Diagnostic& error(Code c, Span at, std::string message, std::string label = {});
    Diagnostic& warning(Code c, Span at, std::string message, std::string label = {});
    const std::vector<Diagnostic>& all() const { return list_; }
    void append(const Diagnostics& other) {
        list_.insert(list_.end(), other.list_.begin(), other.list_.end());
        errors_ += other.errors_;
    }
    size_t errors() const { return errors_; }
    size_t warnings() const { return list_.size() - errors_; }
    bool has_errors() const { return errors_ != 0; }

private:
    std::vector<Diagnostic> list_;
    size_t errors_ = 0;
};

// "did you mean": the closest candidate by edit distance, or empty if none is close.
std::string_view closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace nnspec
