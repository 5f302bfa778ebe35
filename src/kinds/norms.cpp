// The normalisation layers. All keep the shape; C is dim 0 of the shape (PyTorch's channel
// dim 1, with the batch), a normalised SHAPE is the trailing dims.
//   batchnorm [C] [noaffine]      nn.BatchNorm1d/2d/3d by the input rank: weight and bias (C)
//                                 each, 2C; the running mean/var/count are buffers, not counted
//   layernorm [SHAPE] [nobias]    nn.LayerNorm: weight and bias of SHAPE (default the last
//                                 dim), 2*prod(SHAPE); `nobias` prod(SHAPE); `noaffine` 0
//   rmsnorm [SHAPE]               RMSNorm: a weight of SHAPE, prod(SHAPE); no bias
//   groupnorm [C] groups=G        nn.GroupNorm(G, C): 2C (`noaffine` 0); G must divide C
//   instancenorm [C] [affine]     nn.InstanceNorm1d/2d/3d: 0, with `affine` 2C
#include <algorithm>

#include "common.hpp"

namespace nnspec {
namespace {

using kinds::count_of;

// ---- channel norms: batchnorm, instancenorm, groupnorm ------------------------------------

// Takes C from dim 0 of the shape, or checks the written C against it. `ranks` lists the
// input ranks (without batch) the PyTorch module accepts; empty: any rank from 1.
void infer_channels(ShapeContext& c, size_t channels_field, std::vector<size_t> ranks, std::string_view layouts) {
    Layer& l = c.layer;
    const std::string kind = kinds::kind_name(l);
    c.out = c.in;
    const bool rank_fits = c.in.rank_known && !c.in.dims.empty() &&
                           (ranks.empty() || std::find(ranks.begin(), ranks.end(), c.in.dims.size()) != ranks.end());
    if (c.in.rank_known) l.input_rank = static_cast<int>(c.in.dims.size());
    if (c.strict && !rank_fits) {
        c.mismatch(l.span, kind + " expects " + std::string(layouts) + ", but the incoming shape is " + to_string(c.in), "");
        return;
    }
    const int64_t channels = rank_fits ? c.in.dims[0] : unknown_dim;
    FieldValue& f = l.fields[channels_field];
    if (!f.set) {
        if (channels == unknown_dim) {
            c.missing(kind + " needs its number of channels",
                      "write `" + std::string(l.kind->name) + " C`, or declare `input` so that C comes from the shape");
            return;
        }
        kinds::fill(f, {channels});
    } else if (channels != unknown_dim && channels != f.ints[0]) {
        c.mismatch(f.span, kind + " expects " + std::to_string(f.ints[0]) + " channels, but the previous layer gives " +
                               std::to_string(channels),
                   "the incoming shape is " + to_string(c.in));
    }
}

// ", eps=..." and ", affine=..." as PyTorch's arguments, when not its defaults.
std::string norm_args(const Layer& l, size_t eps, size_t affine) {
    std::string a = kinds::py_decimal_arg("eps", l.kind->fields[eps], l.fields[eps]);
    if (l.flag(affine) != l.kind->fields[affine].default_bool) a += l.flag(affine) ? ", affine=True" : ", affine=False";
    return a;
}

namespace batchnorm {
enum { channels, affine, eps };

void infer(ShapeContext& c) { infer_channels(c, channels, {1, 2, 3, 4}, "a (C), (C, L), (C, H, W) or (C, D, H, W) input"); }

Params params(const Layer& l) {
    const Count c = l.flag(affine) ? count_of(l.size(channels)) : Count(0);
    return {c, c};
}

// BatchNorm1d takes (N, C) and (N, C, L); a rank the shape does not tell is most likely that.
std::string torch_module(const Layer& l) {
    const int d = l.input_rank == 3 ? 2 : l.input_rank == 4 ? 3 : 1;
    return "nn.BatchNorm" + std::to_string(d) + "d(" + std::to_string(l.size(channels)) + norm_args(l, eps, affine) + ")";
}
}  // namespace batchnorm

namespace instancenorm {
enum { channels, affine, eps };

void infer(ShapeContext& c) { infer_channels(c, channels, {2, 3, 4}, "a (C, L), (C, H, W) or (C, D, H, W) input"); }

Params params(const Layer& l) {
    const Count c = l.flag(affine) ? count_of(l.size(channels)) : Count(0);
    return {c, c};
}

// Instance norm is for feature maps; without a known rank the 2-d module is the likely one.
std::string torch_module(const Layer& l) {
    const int d = l.input_rank == 2 ? 1 : l.input_rank == 4 ? 3 : 2;
    return "nn.InstanceNorm" + std::to_string(d) + "d(" + std::to_string(l.size(channels)) + norm_args(l, eps, affine) + ")";
}
}  // namespace instancenorm

namespace groupnorm {
enum { groups, channels, affine, eps };

void infer(ShapeContext& c) { infer_channels(c, channels, {}, "an input with channels first"); }

void validate(const Layer& l, Diagnostics& d) {
    if (l.size(channels) % l.size(groups) != 0) {
        d.error(Code::not_divisible, l.fields[groups].span,
                "channels " + std::to_string(l.size(channels)) + " are not divisible by groups=" + std::to_string(l.size(groups)));
    }
}

Params params(const Layer& l) {
    const Count c = l.flag(affine) ? count_of(l.size(channels)) : Count(0);
    return {c, c};
}

std::string torch_module(const Layer& l) {
    return "nn.GroupNorm(" + std::to_string(l.size(groups)) + ", " + std::to_string(l.size(channels)) + norm_args(l, eps, affine) + ")";
}
}  // namespace groupnorm

// ---- shape norms: layernorm, rmsnorm ------------------------------------------------------

// The normalised shape is the trailing dims of the input: taken from the last dim when not
// written, checked against the shape when written.
void infer_trailing(ShapeContext& c, size_t shape_field) {
    Layer& l = c.layer;
    const std::string kind = kinds::kind_name(l);
    c.out = c.in;
    FieldValue& f = l.fields[shape_field];
    if (!f.set) {
        const int64_t last = c.in.last();
        if (last == unknown_dim) {
            c.missing(kind + " needs the shape it normalises",
                      "write `" + std::string(l.kind->name) + " N` (or a shape), or declare `input` so that it is the last dim");
            return;
        }
        kinds::fill(f, {last});
        return;
    }
    const size_t n = f.ints.size();
    if (c.in.rank_known && c.in.dims.size() < n) {
        c.mismatch(f.span, kind + " normalises the trailing " + to_string(Shape::of(f.ints)) + ", but the incoming shape is " + to_string(c.in),
                   "the incoming shape has only " + std::to_string(c.in.dims.size()) + " dims");
        return;
    }
    for (size_t i = 0; i < n; ++i) {
        const int64_t have = kinds::from_end(c.in, i), want = f.ints[n - 1 - i];
        if (have != unknown_dim && have != want) {
            c.mismatch(f.span, kind + " normalises the trailing " + to_string(Shape::of(f.ints)) + ", but the incoming shape is " +
                                   to_string(c.in),
                       "the shape's trailing dims must be these");
            return;
        }
    }
}

namespace layernorm {
enum { shape, eps, bias, affine };

void infer(ShapeContext& c) { infer_trailing(c, shape); }

Params params(const Layer& l) {
    if (!l.flag(affine)) return {0, 0};
    const Count n = product(l.fields[shape].ints);
    return {n, l.flag(bias) ? n : Count(0)};
}

// PyTorch 1.13's LayerNorm has no `bias` argument: without a bias it is a helper module.
std::string torch_module(const Layer& l) {
    const bool no_bias = l.flag(affine) && !l.flag(bias);
    std::string m = (no_bias ? "LayerNormNoBias(" : "nn.LayerNorm(") + kinds::py_sizes(l.fields[shape].ints);
    m += kinds::py_decimal_arg("eps", l.kind->fields[eps], l.fields[eps]);
    if (!l.flag(affine)) m += ", elementwise_affine=False";
    return m + ")";
}
}  // namespace layernorm

namespace rmsnorm {
enum { shape, eps, affine };

void infer(ShapeContext& c) { infer_trailing(c, shape); }

Params params(const Layer& l) { return {l.flag(affine) ? product(l.fields[shape].ints) : Count(0), 0}; }

// torch.nn.RMSNorm came with PyTorch 2.4; the helper module has its signature.
std::string torch_module(const Layer& l) {
    std::string m = "RMSNorm(" + kinds::py_sizes(l.fields[shape].ints);
    m += kinds::py_decimal_arg("eps", l.kind->fields[eps], l.fields[eps]);
    if (!l.flag(affine)) m += ", elementwise_affine=False";
    return m + ")";
}
}  // namespace rmsnorm

}  // namespace

const KindInfo& batchnorm_kind() {
    static const KindInfo kind{
        "batchnorm", "nn.BatchNorm2d", "batch normalisation (1d, 2d or 3d by the input shape)",
        {
            {"num_features", "num_features", FieldType::size},
            {"affine", "affine", FieldType::boolean, "affine", "noaffine", false, 0, true},
            {"eps", "eps", FieldType::decimal, {}, {}, false, 0, false, "1e-05", {}, false},
        },
        -1, -1, batchnorm::channels, 0, batchnorm::infer, nullptr, batchnorm::params, nullptr, batchnorm::torch_module,
    };
    return kind;
}

const KindInfo& layernorm_kind() {
    static const KindInfo kind{
        "layernorm", "nn.LayerNorm", "layer normalisation over the trailing dims",
        {
            {"normalized_shape", "normalized_shape", FieldType::shape},
            {"eps", "eps", FieldType::decimal, {}, {}, false, 0, false, "1e-05", {}, false},
            {"use_bias", "use_bias", FieldType::boolean, "bias", "nobias", false, 0, true},
            {"elementwise_affine", "elementwise_affine", FieldType::boolean, "affine", "noaffine", false, 0, true, {}, {}, false},
        },
        -1, -1, layernorm::shape, 0, layernorm::infer, nullptr, layernorm::params, nullptr, layernorm::torch_module,
    };
    return kind;
}

const KindInfo& rmsnorm_kind() {
    static const KindInfo kind{
        "rmsnorm", "RMSNorm", "root-mean-square normalisation over the trailing dims",
        {
            {"normalized_shape", "normalized_shape", FieldType::shape},
            {"eps", "eps", FieldType::decimal, {}, {}, false, 0, false, {}, {}, false},  // PyTorch: None, the dtype's epsilon
            {"elementwise_affine", "elementwise_affine", FieldType::boolean, "affine", "noaffine", false, 0, true, {}, {}, false},
        },
        -1, -1, rmsnorm::shape, 0, rmsnorm::infer, nullptr, rmsnorm::params, nullptr, rmsnorm::torch_module,
    };
    return kind;
}

const KindInfo& groupnorm_kind() {
    static const KindInfo kind{
        "groupnorm", "nn.GroupNorm", "group normalisation",
        {
            {"groups", "num_groups", FieldType::size, {}, {}, true},
            {"num_channels", "num_channels", FieldType::size},
            {"affine", "affine", FieldType::boolean, "affine", "noaffine", false, 0, true},
            {"eps", "eps", FieldType::decimal, {}, {}, false, 0, false, "1e-05", {}, false},
        },
        -1, -1, groupnorm::channels, 0, groupnorm::infer, groupnorm::validate, groupnorm::params, nullptr, groupnorm::torch_module,
    };
    return kind;
}

const KindInfo& instancenorm_kind() {
    static const KindInfo kind{
        "instancenorm", "nn.InstanceNorm2d", "instance normalisation (1d, 2d or 3d by the input shape)",
        {
            {"num_features", "num_features", FieldType::size},
            {"affine", "affine", FieldType::boolean, "affine", "noaffine", false, 0, false},
            {"eps", "eps", FieldType::decimal, {}, {}, false, 0, false, "1e-05", {}, false},
        },
        -1, -1, instancenorm::channels, 0, instancenorm::infer, nullptr, instancenorm::params, nullptr, instancenorm::torch_module,
    };
    return kind;
}

}  // namespace nnspec
