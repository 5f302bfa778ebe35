// The quick counter's layer rules. Each mirrors its kind's `infer` and `params` in kinds/
// for a file without `input`, where a disagreement between known sizes is a warning: here
// it is a refusal, so the reference pipeline gives the warning.
//
// A change to one of these kinds in kinds/ (dense.cpp, conv.cpp, embedding.cpp) is a
// change here too; tests/unit/quick_test.cpp and the fuzzers compare the two on every
// input they have.
#include "quick_layer.hpp"

namespace nnspec::quick {
namespace {

Count count_of(int64_t v) { return Count(static_cast<uint64_t>(v)); }

int spatial_rank(Kind k) { return k == Kind::conv1d ? 1 : k == Kind::conv2d ? 2 : 3; }

// IN from the dim of the shape that feeds it (`seen`, perhaps unknown_dim): taken from it
// where the layer does not write IN, else checked against it where it is known.
bool settle_in(Layer& l, int64_t seen) {
    if (l.has_in) return seen == unknown_dim || seen == l.in;
    if (seen == unknown_dim) return false;
    l.in = seen;
    l.has_in = true;
    return true;
}

// dense IN -> OUT: the last dim is IN, and becomes OUT.
bool apply_dense(Layer& l, Shape& shape) {
    if (!l.has_out || !settle_in(l, shape.last())) return false;
    if (shape.dims.empty()) shape.dims.push_back(unknown_dim);
    shape.dims.back() = l.out;
    return true;
}

// convNd IN -> OUT kernel=K: (IN, L1..Lr) -> (OUT, L1-K1+1, ...) at stride 1, no padding.
bool apply_conv(Layer& l, Shape& shape) {
    const int rank = spatial_rank(l.kind);
    if (!l.has_out || l.kernel_count == 0 || (l.kernel_count != 1 && l.kernel_count != rank)) return false;
    const bool fits = shape.rank_known && shape.dims.size() == static_cast<size_t>(rank) + 1;
    if (!settle_in(l, fits ? shape.dims[0] : unknown_dim)) return false;
    if (!fits) {  // (OUT, ?, ...): the rank is the kind's from here on
        shape = Shape::of(Dims(static_cast<size_t>(rank) + 1, unknown_dim));
        shape.dims[0] = l.out;
        return true;
    }
    // in place: the shape has the output's rank already
    for (int i = 0; i < rank; ++i) {
        int64_t& length = shape.dims[static_cast<size_t>(i) + 1];
        if (length == unknown_dim) continue;
        const int64_t k = l.kernel[l.kernel_count == 1 ? 0 : i];
        if (length < k) return false;  // the output would be empty: the reference reports it
        length = length - k + 1;
    }
    shape.dims[0] = l.out;
    return true;
}

// embedding NUM -> DIM: indices of any shape gain a last dim DIM.
bool apply_embedding(const Layer& l, Shape& shape) {
    if (!l.has_in || !l.has_out || shape.dims.size() >= max_rank) return false;
    shape.dims.push_back(l.out);
    return true;
}

}  // namespace

bool apply(Layer& l, Shape& shape, Totals& totals) {
    Count weight, bias;
    switch (l.kind) {
        case Kind::dense:
            if (!apply_dense(l, shape)) return false;
            weight = count_of(l.out) * count_of(l.in);
            bias = l.bias ? count_of(l.out) : Count(0);
            break;
        case Kind::conv1d:
        case Kind::conv2d:
        case Kind::conv3d: {
            if (!apply_conv(l, shape)) return false;
            weight = count_of(l.out) * count_of(l.in);
            const int rank = spatial_rank(l.kind);
            for (int i = 0; i < rank; ++i) weight *= count_of(l.kernel[l.kernel_count == 1 ? 0 : i]);
            bias = l.bias ? count_of(l.out) : Count(0);
            break;
        }
        case Kind::embedding:
            if (!apply_embedding(l, shape)) return false;
            weight = count_of(l.in) * count_of(l.out);
            break;
    }
    const Count own = weight + bias;
    if (own.overflow()) return false;
    totals.params += own;
    if (l.trainable) totals.trainable += own;
    return !totals.params.overflow();
}

}  // namespace nnspec::quick
