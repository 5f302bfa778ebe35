// Pooling, no parameters.
// maxpool1d/2d/3d, avgpool1d/2d/3d kernel=K [stride=S] [padding=P] [ceil]: torch.nn.MaxPoolNd,
// AvgPoolNd. S defaults to K. (C, L1..Lr) -> (C, L1'..Lr') with PyTorch's rule:
// L' = floor_or_ceil((L + 2P - K) / S) + 1, and with `ceil` a last window that would start
// in the right padding is dropped. P is at most K/2; L' must stay positive.
// adaptiveavgpool/adaptivemaxpool SIZE: torch.nn.AdaptiveAvgPoolNd/MaxPoolNd, N from the
// input rank; (C, L1..Lr) -> (C, SIZE...), a single size applying to every spatial dim.
#include "common.hpp"

namespace nnspec {
namespace {

using kinds::per_dim;

const char* const layouts[] = {"", "(C, L)", "(C, H, W)", "(C, D, H, W)"};

// ---- fixed-window pools -------------------------------------------------------------------

enum { kernel, stride, padding, ceil_mode };

int64_t stride_of(const Layer& l, size_t i) { return l.fields[stride].set ? per_dim(l.fields[stride], i) : per_dim(l.fields[kernel], i); }

// PyTorch's pooling_output_shape (aten/src/ATen/native/Pool.h) with dilation 1.
Wide pooled(Wide length, Wide k, Wide s, Wide p, bool ceil_on) {
    Wide out = floor_div(length + 2 * p - (k - 1) - 1 + (ceil_on ? s - 1 : 0), s) + 1;
    if (ceil_on && (out - 1) * s >= length + p) --out;
    return out;
}

template <int Rank>
void infer(ShapeContext& c) {
    Layer& l = c.layer;
    const std::string kind = kinds::kind_name(l);
    const bool shape_fits = c.in.rank_known && c.in.dims.size() == Rank + 1;
    if (c.strict && !shape_fits) {
        c.mismatch(l.span, kind + " expects a " + layouts[Rank] + " input, but the incoming shape is " + to_string(c.in), "");
        return;
    }
    Dims dims = {shape_fits ? c.in.dims[0] : unknown_dim};
    for (size_t i = 0; i < Rank; ++i) {
        const int64_t length = shape_fits ? c.in.dims[i + 1] : unknown_dim;
        if (length == unknown_dim) {
            dims.push_back(unknown_dim);
            continue;
        }
        const Wide k = per_dim(l.fields[kernel], i);
        const Wide size = pooled(length, k, stride_of(l, i), per_dim(l.fields[padding], i), l.flag(ceil_mode));
        if (size <= 0) {
            c.problem(Code::bad_shape, l.span,
                      kind + " output size would be " + to_string(size) + ": input " + std::to_string(length) + " is smaller than the kernel " +
                          to_string(k) + " plus padding",
                      "incoming shape " + to_string(c.in));
            c.out = Shape::unknown();
            return;
        }
        dims.push_back(static_cast<int64_t>(size));
    }
    c.out = Shape::of(dims);
}

void validate(const Layer& l, Diagnostics& d) {
    for (size_t i = 0; i < static_cast<size_t>(l.kind->spatial_rank); ++i) {
        const int64_t k = per_dim(l.fields[kernel], i), p = per_dim(l.fields[padding], i);
        if (p > k / 2) {
            d.error(Code::conflicting_options, l.fields[padding].span,
                    "`padding` " + std::to_string(p) + " is more than half the kernel " + std::to_string(k))
                .note("PyTorch allows pool padding up to kernel/2");
            break;
        }
    }
}

Params no_params(const Layer&) { return {0, 0}; }

std::string torch_module(const Layer& l) {
    const bool max = l.kind->name.substr(0, 3) == "max";
    std::string m = std::string(max ? "nn.MaxPool" : "nn.AvgPool") + std::to_string(l.kind->spatial_rank) + "d(" +
                    kinds::py_sizes(l.fields[kernel].ints);
    if (l.fields[stride].set) m += ", stride=" + kinds::py_sizes(l.fields[stride].ints);
    if (l.fields[padding].set) m += ", padding=" + kinds::py_sizes(l.fields[padding].ints);
    if (l.flag(ceil_mode)) m += ", ceil_mode=True";
    return m + ")";
}

std::vector<FieldSpec> fields() {
    return {
        {"kernel", "kernel_size", FieldType::sizes, {}, {}, true},
        {"stride", "stride", FieldType::sizes, {}, {}, false, 0, false, {}, {}, false},  // not set: the kernel
        {"padding", "padding", FieldType::counts, {}, {}, false, 0, false, {}, {}, false},
        {"ceil", "ceil_mode", FieldType::boolean, "ceil", {}, false, 0, false, {}, {}, false},
    };
}

// ---- adaptive pools -----------------------------------------------------------------------

enum { output_size };

void adaptive_infer(ShapeContext& c) {
    Layer& l = c.layer;
    const std::string kind = kinds::kind_name(l);
    const FieldValue& f = l.fields[output_size];
    if (!c.in.rank_known) {
        // a single size gives no rank: the output is unknown
        if (f.ints.size() > 1) {
            Dims dims = {unknown_dim};
            dims.insert(dims.end(), f.ints.begin(), f.ints.end());
            c.out = Shape::of(dims);
        }
        return;
    }
    l.input_rank = static_cast<int>(c.in.dims.size());
    const size_t rank = c.in.dims.size() - std::min<size_t>(1, c.in.dims.size());
    if (rank < 1 || rank > 3) {
        c.mismatch(l.span, kind + " expects a (C, L), (C, H, W) or (C, D, H, W) input, but the incoming shape is " + to_string(c.in), "");
        return;
    }
    if (f.ints.size() != 1 && f.ints.size() != rank) {
        c.mismatch(f.span, kind + " gives " + std::to_string(f.ints.size()) + " sizes, but the incoming shape " + to_string(c.in) + " has " +
                               std::to_string(rank) + " spatial dims",
                   "give one size for all dims, or one per spatial dim");
        return;
    }
    Dims dims = {c.in.dims[0]};
    for (size_t i = 0; i < rank; ++i) dims.push_back(per_dim(f, i));
    c.out = Shape::of(dims);
}

std::string adaptive_module(const Layer& l) {
    const auto& sizes = l.fields[output_size].ints;
    const int rank = l.input_rank >= 2 && l.input_rank <= 4 ? l.input_rank - 1 : sizes.size() > 1 ? static_cast<int>(sizes.size()) : 2;
    const bool max = l.kind->name == "adaptivemaxpool";
    return std::string(max ? "nn.AdaptiveMaxPool" : "nn.AdaptiveAvgPool") + std::to_string(rank) + "d(" + kinds::py_sizes(sizes) + ")";
}

}  // namespace

const std::vector<const KindInfo*>& pool_kinds() {
    static const KindInfo kinds[] = {
        {"maxpool1d", "nn.MaxPool1d", "1-d max pooling", fields(), -1, -1, -1, 1, infer<1>, validate, no_params, nullptr, torch_module},
        {"maxpool2d", "nn.MaxPool2d", "2-d max pooling", fields(), -1, -1, -1, 2, infer<2>, validate, no_params, nullptr, torch_module},
        {"maxpool3d", "nn.MaxPool3d", "3-d max pooling", fields(), -1, -1, -1, 3, infer<3>, validate, no_params, nullptr, torch_module},
        {"avgpool1d", "nn.AvgPool1d", "1-d average pooling", fields(), -1, -1, -1, 1, infer<1>, validate, no_params, nullptr, torch_module},
        {"avgpool2d", "nn.AvgPool2d", "2-d average pooling", fields(), -1, -1, -1, 2, infer<2>, validate, no_params, nullptr, torch_module},
        {"avgpool3d", "nn.AvgPool3d", "3-d average pooling", fields(), -1, -1, -1, 3, infer<3>, validate, no_params, nullptr, torch_module},
        {"adaptiveavgpool", "nn.AdaptiveAvgPool2d", "average pooling to a fixed size (1d, 2d or 3d by the input shape)",
         {{"output_size", "output_size", FieldType::shape, {}, {}, true}}, -1, -1, output_size, 0, adaptive_infer, nullptr, no_params,
         nullptr, adaptive_module},
        {"adaptivemaxpool", "nn.AdaptiveMaxPool2d", "max pooling to a fixed size (1d, 2d or 3d by the input shape)",
         {{"output_size", "output_size", FieldType::shape, {}, {}, true}}, -1, -1, output_size, 0, adaptive_infer, nullptr, no_params,
         nullptr, adaptive_module},
    };
    static const std::vector<const KindInfo*> list = [] {
        std::vector<const KindInfo*> v;
        for (const KindInfo& k : kinds) v.push_back(&k);
        return v;
    }();
    return list;
}

}  // namespace nnspec
