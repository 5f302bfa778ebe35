// Small helpers shared by the kinds' files: per-dimension options, dimension indices over
// the shape without batch, sizes taken from the shape, and Python literals for the
// PyTorch module expressions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kind.hpp"

namespace nnspec::kinds {

// A `sizes`/`counts` field as one value per spatial dim (a single written value applies to all).
inline int64_t per_dim(const FieldValue& f, size_t i) { return f.ints.size() == 1 ? f.ints[0] : f.ints[i]; }

inline Count count_of(int64_t v) { return Count(static_cast<uint64_t>(v)); }

// A size the layer takes from the incoming shape. Marked as set so that the emitters write
// it: a flat layer list has no shapes to take it from again.
inline void fill(FieldValue& f, Dims ints) {
    f.ints = std::move(ints);
    f.set = true;
}

// `d` (negative counts from the end) as an index into a shape of `rank` dims; -1 if out of range.
inline int64_t dim_index(int64_t d, size_t rank) {
    const auto r = static_cast<int64_t>(rank);
    const int64_t i = d < 0 ? d + r : d;
    return i >= 0 && i < r ? i : -1;
}

// The same dim on the batched tensor PyTorch sees: counted from the front it moves by one,
// counted from the end it stays.
inline int64_t torch_dim(int64_t d) { return d >= 0 ? d + 1 : d; }

inline std::string kind_name(const Layer& l) { return "`" + std::string(l.kind->name) + "`"; }

// Python literals: `3` or `(3, 5)` for a per-dim option; `(768,)` or `(1, 768)` for a shape.
inline std::string py_sizes(const Dims& v) {
    if (v.size() == 1) return std::to_string(v[0]);
    std::string t = "(";
    for (size_t i = 0; i < v.size(); ++i) t += (i ? ", " : "") + std::to_string(v[i]);
    return t + ")";
}
inline std::string py_tuple(const Dims& v) {
    if (v.size() == 1) return "(" + std::to_string(v[0]) + ",)";
    return py_sizes(v);
}

// ", name=value" for an option that differs from PyTorch's default; decimals as written.
inline std::string py_decimal_arg(std::string_view name, const FieldSpec& spec, const FieldValue& v) {
    if (v.text == spec.default_text) return {};
    return ", " + std::string(name) + "=" + v.text;
}

// Dim `i` counted from the end (0 is the last), or unknown_dim where the shape does not know it.
inline int64_t from_end(const Shape& s, size_t i) { return i < s.dims.size() ? s.dims[s.dims.size() - 1 - i] : unknown_dim; }

}  // namespace nnspec::kinds
