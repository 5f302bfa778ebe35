// A layer as the quick counter holds it: a kind and at most three sizes, no strings, no
// spans. `quick_apply` is the kinds' shape rule and formula for the partial shapes of a
// file without `input` (kinds/dense.cpp, conv.cpp, embedding.cpp are the reference), and
// refuses every case in which those would report something.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "checked.hpp"
#include "shape.hpp"

namespace nnspec::quick {

enum class Kind : uint8_t { dense, conv1d, conv2d, conv3d, embedding };

// A word against a keyword: with the keyword's length known here, the comparison compiles
// to a load or two, where std::string_view's == calls memcmp.
template <size_t N>
bool is_word(std::string_view w, const char (&keyword)[N]) {
    return w.size() == N - 1 && std::memcmp(w.data(), keyword, N - 1) == 0;
}

// The kind a layer statement or a JSON "type" names, if the quick counter handles it.
[[gnu::always_inline]] inline bool find_kind(std::string_view name, Kind& kind) {
    if (is_word(name, "dense")) kind = Kind::dense;
    else if (is_word(name, "conv2d")) kind = Kind::conv2d;
    else if (is_word(name, "embedding")) kind = Kind::embedding;
    else if (is_word(name, "conv1d")) kind = Kind::conv1d;
    else if (is_word(name, "conv3d")) kind = Kind::conv3d;
    else return false;
    return true;
}

struct Layer {
    Kind kind = Kind::dense;
    bool has_in = false, has_out = false;
    bool bias = true;       // dense and conv default to a bias
    bool trainable = true;  // false: `frozen`
    uint8_t kernel_count = 0;  // 0: no kernel written; 1: one for every dim; else one per dim
    int64_t in = 0, out = 0;
    int64_t kernel[3] = {0, 0, 0};
};

struct Totals {
    Count params, trainable;
};

// Applies `layer` to `shape` and adds its count to `totals`; false where the reference
// would report an error or a warning (a missing or mismatched size, a kernel larger than
// the input, an overflow), and then `shape` and `totals` are not to be used.
bool apply(Layer& layer, Shape& shape, Totals& totals);

}  // namespace nnspec::quick
