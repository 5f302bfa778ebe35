// conv1d/conv2d/conv3d IN -> OUT kernel=K [stride= padding= dilation= groups=] [bias|nobias]:
// torch.nn.ConvNd. Weight (OUT, IN/groups, *kernel), bias (OUT).
// Shape: (IN, L1..Lr) -> (OUT, L1'..Lr'), Li' = floor((Li + 2p - d(k-1) - 1) / s) + 1;
// `padding=same` keeps Li (stride 1 only), `padding=valid` is 0.
// The quick counter repeats this rule and formula for layer lists: src/quick_layer.cpp.
#include "kind.hpp"

namespace nnspec {
namespace {

enum { in, out, kernel, stride, padding, dilation, groups, bias };

std::string fmt_expected(std::string_view kind, int rank) {
    static const char* const layouts[] = {"", "(C, L)", "(C, H, W)", "(C, D, H, W)"};
    return "`" + std::string(kind) + "` expects a " + layouts[rank] + " input";
}

// A `sizes` field as one value per spatial dim (a single written value applies to all).
int64_t per_dim(const FieldValue& f, size_t i) { return f.ints.size() == 1 ? f.ints[0] : f.ints[i]; }

template <int Rank>
void infer(ShapeContext& c) {
    Layer& l = c.layer;
    const std::string_view kind = l.kind->name;
    const bool shape_fits = c.in.rank_known && c.in.dims.size() == Rank + 1;
    if (c.strict && !shape_fits) {
        c.mismatch(l.span, fmt_expected(kind, Rank) + ", but the incoming shape is " + to_string(c.in), "");
        return;  // the channels and sizes below would only repeat it
    }
    const int64_t channels = shape_fits ? c.in.dims[0] : unknown_dim;
    FieldValue& f = l.fields[in];
    if (!f.set) {
        if (channels == unknown_dim) {
            c.missing("`" + std::string(kind) + "` needs its input channels",
                      "write `" + std::string(kind) + " IN -> OUT ...`, or declare `input` so that IN comes from the shape");
            return;
        }
        f.ints = {channels};
    } else if (channels != unknown_dim && channels != f.ints[0]) {
        c.mismatch(f.span, "`" + std::string(kind) + "` expects " + std::to_string(f.ints[0]) +
                               " input channels, but the previous layer gives " + std::to_string(channels),
                   "the incoming shape is " + to_string(c.in));
    }
    Dims dims = {l.size(out)};
    const bool same = l.fields[padding].text == "same";
    for (size_t i = 0; i < Rank; ++i) {
        const int64_t length = shape_fits ? c.in.dims[i + 1] : unknown_dim;
        if (length == unknown_dim || same) {
            dims.push_back(length);
            continue;
        }
        const Wide k = per_dim(l.fields[kernel], i), s = per_dim(l.fields[stride], i), d = per_dim(l.fields[dilation], i);
        const Wide p = l.fields[padding].text == "valid" ? 0 : per_dim(l.fields[padding], i);
        const Wide reach = static_cast<Wide>(length) + 2 * p - d * (k - 1) - 1;
        if (reach < 0) {
            c.problem(Code::bad_shape, l.span,
                    "`" + std::string(kind) + "` output size would be zero or less: input " + std::to_string(length) +
                        " is smaller than the dilated kernel " + to_string(d * (k - 1) + 1) + " plus padding",
                    "incoming shape " + to_string(c.in));
            c.out = Shape::unknown();
            return;
        }
        dims.push_back(static_cast<int64_t>(reach / s + 1));
    }
    c.out = Shape::of(dims);  // spatial dims stay unknown where the input's were
}

void validate(const Layer& l, Diagnostics& d) {
    const int64_t g = l.size(groups);
    const auto& groups_span = l.fields[groups].span.valid() ? l.fields[groups].span : l.span;
    if (l.size(in) % g != 0) {
        d.error(Code::not_divisible, groups_span,
                "input channels " + std::to_string(l.size(in)) + " are not divisible by groups=" + std::to_string(g));
    }
    if (l.size(out) % g != 0) {
        d.error(Code::not_divisible, groups_span,
                "output channels " + std::to_string(l.size(out)) + " are not divisible by groups=" + std::to_string(g));
    }
    if (l.fields[padding].text == "same") {
        for (int64_t s : l.fields[stride].ints) {
            if (s != 1) {
                d.error(Code::conflicting_options, l.fields[padding].span, "`padding=same` needs stride 1")
                    .hint("PyTorch rejects padding='same' for strided convolutions");
                break;
            }
        }
    }
}

Params params(const Layer& l) {
    const Count o = static_cast<uint64_t>(l.size(out));
    Count w = o * Count(static_cast<uint64_t>(l.size(in) / std::max<int64_t>(1, l.size(groups))));
    const int rank = l.kind->spatial_rank;
    for (int i = 0; i < rank; ++i) w *= Count(static_cast<uint64_t>(per_dim(l.fields[kernel], static_cast<size_t>(i))));
    return {w, l.flag(bias) ? o : Count(0)};
}

Dims weight_shape(const Layer& l) {
    Dims w = {l.size(out), l.size(in) / std::max<int64_t>(1, l.size(groups))};
    for (int i = 0; i < l.kind->spatial_rank; ++i) w.push_back(per_dim(l.fields[kernel], static_cast<size_t>(i)));
    return w;
}

std::string tuple_text(const FieldValue& f) {
    if (f.ints.size() == 1) return std::to_string(f.ints[0]);
    std::string t = "(";
    for (size_t i = 0; i < f.ints.size(); ++i) t += (i ? ", " : "") + std::to_string(f.ints[i]);
    return t + ")";
}

std::string torch_module(const Layer& l) {
    std::string m = "nn.Conv" + std::to_string(l.kind->spatial_rank) + "d(" + std::to_string(l.size(in)) + ", " +
                    std::to_string(l.size(out)) + ", " + tuple_text(l.fields[kernel]);
    if (l.fields[stride].set) m += ", stride=" + tuple_text(l.fields[stride]);
    if (!l.fields[padding].text.empty()) m += ", padding='" + l.fields[padding].text + "'";
    else if (l.fields[padding].set) m += ", padding=" + tuple_text(l.fields[padding]);
    if (l.fields[dilation].set) m += ", dilation=" + tuple_text(l.fields[dilation]);
    if (l.size(groups) != 1) m += ", groups=" + std::to_string(l.size(groups));
    if (!l.flag(bias)) m += ", bias=False";
    return m + ")";
}

std::vector<FieldSpec> fields() {
    return {
        {"in_channels", "in_channels", FieldType::size},
        {"out_channels", "out_channels", FieldType::size, {}, {}, true},
        {"kernel", "kernel_size", FieldType::sizes, {}, {}, true},
        {"stride", "stride", FieldType::sizes, {}, {}, false, 1, false, {}, {}, false},
        {"padding", "padding", FieldType::counts, {}, {}, false, 0, false, {}, {"same", "valid"}, false},
        {"dilation", "dilation", FieldType::sizes, {}, {}, false, 1, false, {}, {}, false},
        {"groups", "groups", FieldType::size, {}, {}, false, 1, false, {}, {}, false},
        {"use_bias", "use_bias", FieldType::boolean, "bias", "nobias", false, 0, true},
    };
}

}  // namespace

const KindInfo& conv1d_kind() {
    static const KindInfo kind{"conv1d", "nn.Conv1d", "a 1-d convolution", fields(), in, out, out, 1,
                               infer<1>, validate, params, weight_shape, torch_module};
    return kind;
}
const KindInfo& conv2d_kind() {
    static const KindInfo kind{"conv2d", "nn.Conv2d", "a 2-d convolution", fields(), in, out, out, 2,
                               infer<2>, validate, params, weight_shape, torch_module};
    return kind;
}
const KindInfo& conv3d_kind() {
    static const KindInfo kind{"conv3d", "nn.Conv3d", "a 3-d convolution", fields(), in, out, out, 3,
                               infer<3>, validate, params, weight_shape, torch_module};
    return kind;
}

}  // namespace nnspec
