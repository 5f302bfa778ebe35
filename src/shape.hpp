// The shape of the data between layers, without the batch dimension.
//
// With an `input` statement every shape is fully known and a mismatch is an error. Without
// one, the file is a layer list: shapes are partial (the rank may be unknown, a dim may be
// unknown) and only what is known is compared, as a warning. One type serves both, so every
// layer kind has one shape rule, not two.
#pragma once

#include <cstdint>
#include <string>

// GCC 12 reports the memmove in small_vector's growth path as reading past, or writing
// into, the inline buffer, which that path never does: known false positives.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Wstringop-overread"
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif
#include <boost/container/small_vector.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace nnspec {

constexpr int64_t unknown_dim = -1;

// Sizes of a shape, of a kernel, of an option's tuple: nearly always four or fewer, so they
// live inline and a layer's shapes and options cost no allocation.
using Dims = boost::container::small_vector<int64_t, 4>;

// More dimensions than any real tensor has; the bound keeps a repeat of a layer that adds a
// dim (`repeat 10^9 { embedding 1 -> 1 }`) from growing one shape per iteration.
constexpr size_t max_rank = 64;

struct Shape {
    Dims dims;  // unknown_dim where not known
    bool rank_known = false;    // false: `dims` are the trailing dims of a longer shape

    static Shape unknown() { return {}; }
    static Shape of(Dims d) { return {std::move(d), true}; }
    bool fully_known() const {
        if (!rank_known) return false;
        for (auto d : dims) if (d == unknown_dim) return false;
        return true;
    }
    int64_t last() const { return dims.empty() ? unknown_dim : dims.back(); }
    // dim i counted from the front (only meaningful when the rank is known)
    int64_t front(size_t i) const { return rank_known && i < dims.size() ? dims[i] : unknown_dim; }
    friend bool operator==(const Shape& a, const Shape& b) { return a.rank_known == b.rank_known && a.dims == b.dims; }
    friend bool operator<(const Shape& a, const Shape& b) {
        return a.rank_known != b.rank_known ? a.rank_known < b.rank_known : a.dims < b.dims;
    }
};

// `3x224x224`, `(?, 768)`, `(..., 10)` for a shape whose leading dims are not known.
std::string to_string(const Shape& s);

}  // namespace nnspec
