// convtranspose1d/2d/3d IN -> OUT kernel=K [stride= padding= output_padding= dilation= groups=]
// [bias|nobias]: torch.nn.ConvTransposeNd. Weight (IN, OUT/groups, *kernel), bias (OUT).
// Shape: (IN, L1..Lr) -> (OUT, L1'..Lr'), Li' = (Li - 1)s - 2p + d(k - 1) + output_padding + 1.
// PyTorch takes no `padding='same'` (or 'valid') here, and wants output_padding smaller
// than the stride or the dilation.
#include "common.hpp"

namespace nnspec {
namespace {

using kinds::per_dim;

enum { in, out, kernel, stride, padding, output_padding, dilation, groups, bias };

template <int Rank>
void infer(ShapeContext& c) {
    static const char* const layouts[] = {"", "(C, L)", "(C, H, W)", "(C, D, H, W)"};
    Layer& l = c.layer;
    const std::string kind = kinds::kind_name(l);
    const bool shape_fits = c.in.rank_known && c.in.dims.size() == Rank + 1;
    if (c.strict && !shape_fits) {
        c.mismatch(l.span, kind + " expects a " + layouts[Rank] + " input, but the incoming shape is " + to_string(c.in), "");
        return;  // the channels and sizes below would only repeat it
    }
    const int64_t channels = shape_fits ? c.in.dims[0] : unknown_dim;
    FieldValue& f = l.fields[in];
    if (!f.set) {
        if (channels == unknown_dim) {
            c.missing(kind + " needs its input channels",
                      "write `" + std::string(l.kind->name) + " IN -> OUT ...`, or declare `input` so that IN comes from the shape");
            return;
        }
        kinds::fill(f, {channels});
    } else if (channels != unknown_dim && channels != f.ints[0]) {
        c.mismatch(f.span, kind + " expects " + std::to_string(f.ints[0]) + " input channels, but the previous layer gives " +
                               std::to_string(channels),
                   "the incoming shape is " + to_string(c.in));
    }
    Dims dims = {l.size(out)};
    const bool word_padding = !l.fields[padding].text.empty();  // rejected by `validate`
    for (size_t i = 0; i < Rank; ++i) {
        const int64_t length = shape_fits ? c.in.dims[i + 1] : unknown_dim;
        if (length == unknown_dim || word_padding) {
            dims.push_back(unknown_dim);
            continue;
        }
        const Wide k = per_dim(l.fields[kernel], i), s = per_dim(l.fields[stride], i), d = per_dim(l.fields[dilation], i);
        const Wide p = per_dim(l.fields[padding], i), op = per_dim(l.fields[output_padding], i);
        const Wide size = (static_cast<Wide>(length) - 1) * s - 2 * p + d * (k - 1) + op + 1;
        if (size <= 0) {
            c.problem(Code::bad_shape, l.span,
                      kind + " output size would be " + to_string(size) + ": the padding " + to_string(p) + " removes more than input " +
                          std::to_string(length) + " gives",
                      "incoming shape " + to_string(c.in));
            c.out = Shape::unknown();
            return;
        }
        if (size > INT64_MAX) {
            c.problem(Code::bad_shape, l.span, kind + " output size " + to_string(size) + " does not fit in 64 bits");
            c.out = Shape::unknown();
            return;
        }
        dims.push_back(static_cast<int64_t>(size));
    }
    c.out = Shape::of(dims);
}

void validate(const Layer& l, Diagnostics& d) {
    const int64_t g = l.size(groups);
    const Span groups_span = l.fields[groups].span.valid() ? l.fields[groups].span : l.span;
    if (l.size(in) % g != 0) {
        d.error(Code::not_divisible, groups_span,
                "input channels " + std::to_string(l.size(in)) + " are not divisible by groups=" + std::to_string(g));
    }
    if (l.size(out) % g != 0) {
        d.error(Code::not_divisible, groups_span,
                "output channels " + std::to_string(l.size(out)) + " are not divisible by groups=" + std::to_string(g));
    }
    if (!l.fields[padding].text.empty()) {
        d.error(Code::wrong_value, l.fields[padding].span,
                "`padding=" + l.fields[padding].text + "` is not available for transposed convolutions")
            .hint("PyTorch's ConvTranspose takes only integer padding; give it as a number");
    }
    for (size_t i = 0; i < static_cast<size_t>(l.kind->spatial_rank); ++i) {
        const int64_t op = per_dim(l.fields[output_padding], i);
        if (op >= per_dim(l.fields[stride], i) && op >= per_dim(l.fields[dilation], i)) {
            d.error(Code::conflicting_options, l.fields[output_padding].span,
                    "`output_padding` " + std::to_string(op) + " must be smaller than the stride " +
                        std::to_string(per_dim(l.fields[stride], i)) + " or the dilation " + std::to_string(per_dim(l.fields[dilation], i)))
                .note("PyTorch rejects such a layer when it runs");
            break;
        }
    }
}

Params params(const Layer& l) {
    Count w = kinds::count_of(l.size(in)) * kinds::count_of(l.size(out) / std::max<int64_t>(1, l.size(groups)));
    for (size_t i = 0; i < static_cast<size_t>(l.kind->spatial_rank); ++i) w *= kinds::count_of(per_dim(l.fields[kernel], i));
    return {w, l.flag(bias) ? kinds::count_of(l.size(out)) : Count(0)};
}

Dims weight_shape(const Layer& l) {
    Dims w = {l.size(in), l.size(out) / std::max<int64_t>(1, l.size(groups))};
    for (size_t i = 0; i < static_cast<size_t>(l.kind->spatial_rank); ++i) w.push_back(per_dim(l.fields[kernel], i));
    return w;
}

std::string torch_module(const Layer& l) {
    std::string m = "nn.ConvTranspose" + std::to_string(l.kind->spatial_rank) + "d(" + std::to_string(l.size(in)) + ", " +
                    std::to_string(l.size(out)) + ", " + kinds::py_sizes(l.fields[kernel].ints);
    if (l.fields[stride].set) m += ", stride=" + kinds::py_sizes(l.fields[stride].ints);
    if (l.fields[padding].set) m += ", padding=" + kinds::py_sizes(l.fields[padding].ints);
    if (l.fields[output_padding].set) m += ", output_padding=" + kinds::py_sizes(l.fields[output_padding].ints);
    if (l.size(groups) != 1) m += ", groups=" + std::to_string(l.size(groups));
    if (!l.flag(bias)) m += ", bias=False";
    if (l.fields[dilation].set) m += ", dilation=" + kinds::py_sizes(l.fields[dilation].ints);
    return m + ")";
}

std::vector<FieldSpec> fields() {
    return {
        {"in_channels", "in_channels", FieldType::size},
        {"out_channels", "out_channels", FieldType::size, {}, {}, true},
        {"kernel", "kernel_size", FieldType::sizes, {}, {}, true},
        {"stride", "stride", FieldType::sizes, {}, {}, false, 1, false, {}, {}, false},
        // the words are accepted only to be rejected with a clear message
        {"padding", "padding", FieldType::counts, {}, {}, false, 0, false, {}, {"same", "valid"}, false},
        {"output_padding", "output_padding", FieldType::counts, {}, {}, false, 0, false, {}, {}, false},
        {"dilation", "dilation", FieldType::sizes, {}, {}, false, 1, false, {}, {}, false},
        {"groups", "groups", FieldType::size, {}, {}, false, 1, false, {}, {}, false},
        {"use_bias", "use_bias", FieldType::boolean, "bias", "nobias", false, 0, true},
    };
}

}  // namespace

const KindInfo& convtranspose1d_kind() {
    static const KindInfo kind{"convtranspose1d", "nn.ConvTranspose1d", "a 1-d transposed convolution", fields(), in, out, out, 1,
                               infer<1>, validate, params, weight_shape, torch_module};
    return kind;
}
const KindInfo& convtranspose2d_kind() {
    static const KindInfo kind{"convtranspose2d", "nn.ConvTranspose2d", "a 2-d transposed convolution", fields(), in, out, out, 2,
                               infer<2>, validate, params, weight_shape, torch_module};
    return kind;
}
const KindInfo& convtranspose3d_kind() {
    static const KindInfo kind{"convtranspose3d", "nn.ConvTranspose3d", "a 3-d transposed convolution", fields(), in, out, out, 3,
                               infer<3>, validate, params, weight_shape, torch_module};
    return kind;
}

}  // namespace nnspec
