// What every harness checks besides "no crash": diagnostics point inside the text they
// name, every renderer copes with every diagnostic, and a clean unit has a network.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "nnspec.hpp"
#include "quick.hpp"
#include "structure.hpp"

namespace nnspec::fuzz {

// Larger flat lists are not emitted: emitting is linear and proves nothing more, and a
// billion-layer repeat is valid input.
constexpr uint64_t max_emitted_layers = 10'000;

// The options every harness compiles with. The evaluation budget is lowered: a text that
// only exhausts the budget (2^40 block calls) costs seconds under the sanitizers at the
// default of 100,000 evaluations, which libFuzzer could report as a slow unit, and the
// budget's own size is tested elsewhere (tests/malformed: blocks/exponential_calls.nn).
inline CompileOptions options(InputFormat format) {
    CompileOptions o;
    o.format = format;
    o.evaluate.max_evaluations = 10'000;
    return o;
}

[[noreturn]] inline void fail(const char* what, const std::string& detail = {}) {
    std::fprintf(stderr, "invariant broken: %s\n%s\n", what, detail.c_str());
    std::abort();
}

inline void check_diagnostics(const Compiler& compiler) {
    const SourceManager& sources = compiler.sources();
    for (const Diagnostic& d : compiler.diagnostics().all()) {
        auto in_bounds = [&](Span s) {
            if (!s.valid()) return;
            if (s.file >= sources.size()) fail("span names an unknown file");
            const size_t size = sources.file(s.file).text().size();
            if (s.begin > s.end || s.end > size) {
                fail("span outside its text", d.message + " [" + std::to_string(s.begin) + ", " + std::to_string(s.end) +
                                                  ") of " + std::to_string(size));
            }
        };
        in_bounds(d.primary.span);
        for (const Label& l : d.secondary) in_bounds(l.span);
    }
    for (RenderFormat f : {RenderFormat::human, RenderFormat::short_, RenderFormat::json}) {
        RenderOptions o;
        o.format = f;
        o.color = f == RenderFormat::human;
        (void)render_all(compiler.diagnostics(), sources, o);
    }
}

// Compiles `text` as the given format and checks the invariants that hold for any input.
inline Unit compile_checked(Compiler& compiler, const std::string& name, std::string text) {
    Unit unit = compiler.compile_text(name, std::move(text));
    check_diagnostics(compiler);
    if (!compiler.diagnostics().has_errors() && !unit.network.root) fail("a clean unit without a network");
    return unit;
}

// The streaming path (`count`, `check`, and for JSON the fast reader) must give what the
// whole-document path gives: the same counts and the same diagnostics.
inline void check_streaming_agrees(InputFormat format, const std::string& name, const std::string& text,
                                   const Compiler& full, const Unit& full_unit) {
    CompileOptions o = options(format);
    o.streaming = true;
    Compiler streamed(o);
    const Unit unit = streamed.compile_text(name, text);
    const std::string a = render_all(full.diagnostics(), full.sources(), {});
    const std::string b = render_all(streamed.diagnostics(), streamed.sources(), {});
    if (a != b) fail("streaming reports differently", a + "\n--- streaming:\n" + b);
    if (!full.diagnostics().has_errors() &&
        (!(unit.network.params == full_unit.network.params) || !(unit.network.trainable == full_unit.network.trainable))) {
        fail("streaming counts differently", text);
    }
}

// The quick counter, called directly (a JSON list cut into pieces of a few bytes, and a
// `.nn` text read by two threads however short it is, the second reading every chunk it
// can before the first starts, so that the joins are tried on small inputs): where it
// answers, the full path must report nothing and count the same; and a `.nn` text read by
// two threads, or with every block call read from the text instead of run through the
// block's plan, must be answered as it is by one thread with plans.
inline void check_quick_agrees(InputFormat format, const std::string& text, const Compiler& full, const Unit& full_unit) {
    const CompileOptions o = options(format);
    const auto check = [&](const std::optional<QuickCount>& q) {
        if (!q) return;
        if (!full.diagnostics().all().empty()) {
            fail("the quick counter answered where the full path reports", render_all(full.diagnostics(), full.sources(), {}));
        }
        if (!(q->params == full_unit.network.params) || !(q->trainable == full_unit.network.trainable)) {
            fail("the quick counter counts differently", text);
        }
    };
    if (format == InputFormat::json) return check(quick_count_json(text, o.parse, 3, 7));
    const auto one = quick_count_nn(text, o.parse, o.evaluate);
    check(one);
    const auto two = quick_count_nn(text, o.parse, o.evaluate, 2, 1, true);
    check(two);
    if (one.has_value() != two.has_value()) fail("two threads answer where one does not, or the other way", text);
    const auto read = quick_count_nn(text, o.parse, o.evaluate, 1, quick_min_split, false, false);
    check(read);
    if (one.has_value() != read.has_value()) fail("plans answer where the text reader does not, or the other way", text);
}

inline bool small_enough_to_emit(const Unit& unit) {
    if (!unit.network.root) return false;
    // The structure counts every layer and every residual, concat and so on.
    const Count n = structure_size(*unit.network.root);
    return !n.overflow() && n.value() <= max_emitted_layers;
}

}  // namespace nnspec::fuzz
