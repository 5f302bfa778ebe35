// A layer as the quick counter holds it: a kind and at most three sizes, no strings, no
// spans. `quick_apply` is the kinds' shape rule and formula for the partial shapes of a
// file without `input` (kinds/dense.cpp, conv.cpp, embedding.cpp are the reference), and
// refuses every case in which those would report something.
#pragma once

#include <cstdint>
#include <string_view>

#include "checked.hpp"
#include "shape.hpp"

namespace nnspec::quick {

enum class Kind : uint8_t { dense, conv1d, conv2d, conv3d, embedding };

// The kind a layer statement or a JSON "type" names, if the quick counter handles it.
bool find_kind(std::string_view name, Kind& kind);

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
