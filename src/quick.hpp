// The quick counter: `count` and `check` for the common clean file at the speed of reading
// it. A `.nn` text is evaluated as it is read, with no syntax tree, no expression pool and
// no IR; a flat JSON layer list goes from its bytes straight to layer sizes, on every core.
//
// It answers only when it can evaluate the whole text and the reference pipeline (parser,
// semantic passes) would report nothing at all: no error, no warning. For anything else
// (a diagnostic, a statement, layer kind or option it does not handle, a limit it is near)
// it answers nothing, and the compiler runs the reference pipeline, which words every
// message. So it changes how fast nnspec answers for a clean file, never what it says:
// tests/unit/quick_test.cpp and the fuzzers compare the two on every input they have.
//
// What it handles: `network`, `let`, `expect params|trainable`, `block` definitions and
// calls, `repeat` (with `as`), and `dense`, `conv1d`/`conv2d`/`conv3d` (in, out, kernel,
// bias) and `embedding` layers, without an `input` shape; in JSON the same kinds in a flat
// list, as the task's format writes them.
#pragma once

#include <optional>
#include <string_view>

#include "checked.hpp"
#include "parse.hpp"
#include "sema/sema.hpp"
#include "shape.hpp"

namespace nnspec {

struct QuickCount {
    Count params, trainable;
    Shape out;  // the shape after the last layer
    bool joined = false;  // `.nn` read by two threads: the second one's part was used
    size_t chunks = 0;    // and how many chunks it read of the first one's part
    size_t planned_calls = 0;  // block calls run through the block's plan (for tests)
};

// `text` must be followed by a NUL byte, as a std::string's characters are (the reader
// looks ahead without bound checks). With `threads` > 1 a text of `min_split` bytes or more
// is read by two threads (quick_nn.cpp: `quick_count_nn`). `head_waits` (for tests): the
// first thread starts when the second is done, which then reads every chunk it can.
// `plans` (false for tests): block calls run the block's plan (quick_plan.hpp) where it
// has one, instead of reading its body from the text at every call; either way the answer
// is the same.
constexpr size_t quick_min_split = size_t{1} << 20;
std::optional<QuickCount> quick_count_nn(std::string_view text, const ParseLimits& limits, const EvaluateOptions& options,
                                         unsigned threads = 1, size_t min_split = quick_min_split, bool head_waits = false,
                                         bool plans = true);

// `threads`: how many may read the list at once (the caller's cores; 1 reads it alone);
// each reads at least `min_piece` bytes (below a few megabytes a thread costs more than it
// saves; the tests cut small lists to check the joins).
constexpr size_t quick_min_piece = size_t{4} << 20;
std::optional<QuickCount> quick_count_json(std::string_view text, const ParseLimits& limits, unsigned threads,
                                           size_t min_piece = quick_min_piece);

}  // namespace nnspec
