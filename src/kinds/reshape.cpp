// Layers that only rearrange the data, no parameters. Dims count from 0 over the shape
// without batch; negative ones from the end.
//   flatten             all dims into one: (d1, ..., dn) -> (d1*...*dn), nn.Flatten() on batched input
//   reshape SHAPE       any shape with the same element count -> SHAPE
//   permute D1,...,Dn   reorders the n dims: out[i] = in[Di]
//   select I [dim=N]    x.select(N, I): drops dim N (default 0), -size <= I < size
//   mean [dim=N]        x.mean(N): drops dim N (default 0)
// Without an `input` shape the rank may be unknown; then only what the known trailing dims
// say is used (a negative dim may still be found among them).
#include <algorithm>

#include "common.hpp"

namespace nnspec {
namespace {

using kinds::count_of;

Params no_params(const Layer&) { return {0, 0}; }

// The element count of a fully known shape, or nullopt when it does not fit in 64 bits.
std::optional<int64_t> elements(const Dims& dims) {
    const Count n = product(dims);
    if (n.overflow() || n.value() > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(n.value());
}

// ---- flatten ------------------------------------------------------------------------------

void flatten_infer(ShapeContext& c) {
    c.out = Shape::of({unknown_dim});
    if (c.in.rank_known && c.in.dims.empty()) {  // nn.Flatten's start_dim=1 is past a (batch) tensor
        c.mismatch(c.layer.span, "`flatten` needs at least one dim, but the incoming shape is ()", "");
        return;
    }
    if (!c.in.fully_known()) return;
    const auto n = elements(c.in.dims);
    if (!n) {
        c.problem(Code::bad_shape, c.layer.span, "`flatten` of " + to_string(c.in) + " gives more than 2^63-1 elements");
        c.out = Shape::unknown();
        return;
    }
    c.out = Shape::of({*n});
}

std::string flatten_module(const Layer&) { return "nn.Flatten()"; }

// ---- reshape ------------------------------------------------------------------------------

enum { reshape_shape };

void reshape_infer(ShapeContext& c) {
    Layer& l = c.layer;
    const FieldValue& f = l.fields[reshape_shape];
    if (c.in.rank_known) l.input_rank = static_cast<int>(c.in.dims.size());
    const auto to = elements(f.ints);
    if (!to) {
        c.problem(Code::bad_shape, f.span, "`reshape` to " + to_string(Shape::of(f.ints)) + " gives more than 2^63-1 elements");
        return;
    }
    if (c.in.fully_known()) {
        const auto from = elements(c.in.dims);
        if (!from || *from != *to) {
            c.mismatch(f.span,
                       "`reshape` cannot change the element count: " + to_string(c.in) + " has " + (from ? std::to_string(*from) : "too many") +
                           " elements, " + to_string(Shape::of(f.ints)) + " has " + std::to_string(*to),
                       "the incoming shape is " + to_string(c.in));
            return;
        }
    }
    c.out = Shape::of(f.ints);
}

// Flatten, then unflatten: both native modules, for any input rank.
std::string reshape_module(const Layer& l) {
    const auto& to = l.fields[reshape_shape].ints;
    if (to.size() == 1) return "nn.Flatten()";
    const std::string unflatten = "nn.Unflatten(1, " + kinds::py_tuple(to) + ")";
    return l.input_rank == 1 ? unflatten : "nn.Sequential(nn.Flatten(), " + unflatten + ")";
}

// ---- permute ------------------------------------------------------------------------------

enum { permute_dims };


bool has_repeats(const Dims& dims) {
    for (size_t i = 0; i < dims.size(); ++i) {
        if (std::find(dims.begin(), dims.begin() + static_cast<std::ptrdiff_t>(i), dims[i]) != dims.begin() + static_cast<std::ptrdiff_t>(i)) {
            return true;
        }
    }
    return false;
}

void permute_validate(const Layer& l, Diagnostics& d) {
    if (has_repeats(l.fields[permute_dims].ints)) {
        d.error(Code::wrong_value, l.fields[permute_dims].span, "`permute` lists a dim twice").hint("each dim appears once: `permute 1,2,0`");
    }
}

void permute_infer(ShapeContext& c) {
    Layer& l = c.layer;
    const FieldValue& f = l.fields[permute_dims];
    const size_t n = f.ints.size();
    if (has_repeats(f.ints)) return;  // whatever the shape: reported by permute_validate
    if (c.in.rank_known ? c.in.dims.size() != n : c.in.dims.size() > n) {
        c.mismatch(f.span, "`permute` lists " + std::to_string(n) + " dims, but the incoming shape " + to_string(c.in) + " has " +
                               (c.in.rank_known ? "" : "at least ") + std::to_string(c.in.dims.size()),
                   "list every dim once");
        return;
    }
    // PyTorch needs one index per dim, so the rank is n even where the shape does not say
    Dims in(n - c.in.dims.size(), unknown_dim);
    in.insert(in.end(), c.in.dims.begin(), c.in.dims.end());
    l.input_rank = static_cast<int>(n);
    Dims out, seen;
    for (const int64_t d : f.ints) {
        const int64_t i = kinds::dim_index(d, n);
        if (i < 0 || std::find(seen.begin(), seen.end(), i) != seen.end()) {
            c.mismatch(f.span, "`permute " + std::to_string(d) + "` " + (i < 0 ? "is out of range" : "repeats a dim") + " for " +
                                   std::to_string(n) + " dims",
                       "the incoming shape is " + to_string(c.in));
            return;
        }
        seen.push_back(i);
        out.push_back(in[static_cast<size_t>(i)]);
    }
    c.out = Shape::of(out);
}

// A helper module: PyTorch 1.13 has no permute module (torchvision's is not in torch).
std::string permute_module(const Layer& l) {
    std::string m = "Permute(0";
    for (const int64_t d : l.fields[permute_dims].ints) {
        const int64_t i = l.input_rank > 0 ? kinds::dim_index(d, static_cast<size_t>(l.input_rank)) : -1;
        m += ", " + std::to_string(i >= 0 ? i + 1 : kinds::torch_dim(d));
    }
    return m + ")";
}

// ---- select and mean: drop one dim --------------------------------------------------------

// Removes dim `d` from the shape; reports it (and returns false) when the shape does not have it.
bool drop_dim(ShapeContext& c, int64_t d, Span at, int64_t* size) {
    const std::string kind = kinds::kind_name(c.layer);
    if (!c.in.rank_known) {
        const auto known = static_cast<int64_t>(c.in.dims.size());
        c.out = Shape::unknown();
        if (d < 0 && -d <= known) {  // found among the known trailing dims
            c.out = c.in;
            const auto i = static_cast<size_t>(known + d);
            *size = c.in.dims[i];
            c.out.dims.erase(c.out.dims.begin() + static_cast<std::ptrdiff_t>(i));
        }
        return true;
    }
    c.layer.input_rank = static_cast<int>(c.in.dims.size());
    const int64_t i = kinds::dim_index(d, c.in.dims.size());
    if (i < 0) {
        c.mismatch(at, kind + " over `dim=" + std::to_string(d) + "`, but the incoming shape " + to_string(c.in) + " has " +
                           std::to_string(c.in.dims.size()) + " dims",
                   "dims count from 0, without the batch");
        return false;
    }
    *size = c.in.dims[static_cast<size_t>(i)];
    c.out = c.in;
    c.out.dims.erase(c.out.dims.begin() + i);
    return true;
}

// The dim as PyTorch counts it on the batched tensor.
std::string torch_dim_text(const Layer& l, int64_t d) {
    const int64_t i = l.input_rank > 0 ? kinds::dim_index(d, static_cast<size_t>(l.input_rank)) : -1;
    return std::to_string(i >= 0 ? i + 1 : kinds::torch_dim(d));
}

enum { select_index, select_dim };

void select_infer(ShapeContext& c) {
    const FieldValue& dim = c.layer.fields[select_dim];
    const FieldValue& index = c.layer.fields[select_index];
    int64_t size = unknown_dim;
    if (!drop_dim(c, dim.ints[0], dim.span.valid() ? dim.span : c.layer.span, &size)) return;
    const int64_t i = index.ints[0];
    if (size != unknown_dim && (i >= size || i < -size)) {
        c.mismatch(index.span, "`select " + std::to_string(i) + "` is out of range for dim " + std::to_string(dim.ints[0]) + " of size " +
                                   std::to_string(size),
                   "an index from " + std::to_string(-size) + " to " + std::to_string(size - 1));
        c.out = Shape::unknown();
    }
}

// A helper module: x.select(dim, index), the dim counted with the batch.
std::string select_module(const Layer& l) {
    return "Select(" + torch_dim_text(l, l.fields[select_dim].ints[0]) + ", " + std::to_string(l.fields[select_index].ints[0]) + ")";
}

enum { mean_dim };

void mean_infer(ShapeContext& c) {
    const FieldValue& dim = c.layer.fields[mean_dim];
    int64_t size = unknown_dim;
    drop_dim(c, dim.ints[0], dim.span.valid() ? dim.span : c.layer.span, &size);
}

// A helper module: x.mean(dim), the dim counted with the batch.
std::string mean_module(const Layer& l) { return "Mean(" + torch_dim_text(l, l.fields[mean_dim].ints[0]) + ")"; }

}  // namespace

const std::vector<const KindInfo*>& reshape_kinds() {
    static const KindInfo kinds[] = {
        {"flatten", "nn.Flatten", "all dims into one", {}, -1, -1, -1, 0, flatten_infer, nullptr, no_params, nullptr, flatten_module},
        {"reshape", "Reshape", "the same elements in another shape",
         {{"shape", "shape", FieldType::shape, {}, {}, true}},
         -1, -1, reshape_shape, 0, reshape_infer, nullptr, no_params, nullptr, reshape_module},
        {"permute", "Permute", "reorders the dims",
         {{"dims", "dims", FieldType::integers, {}, {}, true}},
         -1, -1, permute_dims, 0, permute_infer, permute_validate, no_params, nullptr, permute_module},
        {"select", "Select", "one index of a dim, which is dropped",
         {
             {"index", "index", FieldType::integer, {}, {}, true},
             {"dim", "dim", FieldType::integer, {}, {}, false, 0},
         },
         -1, -1, select_index, 0, select_infer, nullptr, no_params, nullptr, select_module},
        {"mean", "Mean", "the mean over a dim, which is dropped",
         {{"dim", "dim", FieldType::integer, {}, {}, false, 0}},
         -1, -1, -1, 0, mean_infer, nullptr, no_params, nullptr, mean_module},
    };
    static const std::vector<const KindInfo*> list = [] {
        std::vector<const KindInfo*> v;
        for (const KindInfo& k : kinds) v.push_back(&k);
        return v;
    }();
    return list;
}

}  // namespace nnspec
