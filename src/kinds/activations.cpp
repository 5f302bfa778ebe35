// Elementwise layers: the activations, dropout and droppath have no parameters and keep the
// shape; their float options (`negative_slope=`, `alpha=`, `p=`, ...) are PyTorch's and
// are kept as written. softmax/logsoftmax take `dim=` (default -1, the last dim).
// prelu [C]: torch.nn.PReLU, C learned slopes (default 1, shared by every channel); a C
// above 1 must be the channel dim (dim 0 of the shape).
#include <cstdlib>

#include "common.hpp"

namespace nnspec {
namespace {

void identity_shape(ShapeContext& c) { c.out = c.in; }

// The softmaxes: the dim must exist where the rank is known.
void softmax_shape(ShapeContext& c) {
    c.out = c.in;
    const FieldValue& f = c.layer.fields[0];
    const int64_t d = f.ints[0];
    const bool fits = !c.in.rank_known || kinds::dim_index(d, c.in.dims.size()) >= 0;
    if (!fits) {
        c.mismatch(f.span.valid() ? f.span : c.layer.span,
                   kinds::kind_name(c.layer) + " over `dim=" + std::to_string(d) + "`, but the incoming shape " + to_string(c.in) +
                       " has " + std::to_string(c.in.dims.size()) + " dims",
                   "dims count from 0, without the batch");
    }
}

double decimal_value(const FieldValue& f) { return std::strtod(f.text.c_str(), nullptr); }

// dropout and droppath: p is a probability.
void validate_p(const Layer& l, Diagnostics& d) {
    const FieldValue& p = l.fields[0];
    const double v = decimal_value(p);
    if (!(v >= 0.0 && v <= 1.0)) {
        d.error(Code::wrong_value, p.span.valid() ? p.span : l.span, "`p` is a probability, between 0 and 1, not " + p.text);
    }
}

void validate_gelu(const Layer& l, Diagnostics& d) {
    const FieldValue& a = l.fields[0];
    if (a.text != "none" && a.text != "tanh") {
        d.error(Code::wrong_value, a.span, "`approximate` is `none` or `tanh`, not `" + a.text + "`");
    }
}

Params no_params(const Layer&) { return {0, 0}; }

// `nn.Name(key=value, ...)` with the options that differ from PyTorch's defaults.
std::string torch_module(const Layer& l) {
    std::string args;
    for (size_t i = 0; i < l.kind->fields.size(); ++i) {
        const FieldSpec& spec = l.kind->fields[i];
        const FieldValue& v = l.fields[i];
        std::string value;
        if (spec.type == FieldType::integer) value = std::to_string(kinds::torch_dim(v.ints[0]));  // softmax's dim: always written
        else if (v.text == spec.default_text) continue;
        else value = spec.type == FieldType::word ? "'" + v.text + "'" : v.text;
        args += (args.empty() ? "" : ", ") + std::string(spec.json_key) + "=" + value;
    }
    return std::string(l.kind->torch_name) + "(" + args + ")";
}

FieldSpec decimal(std::string_view name, std::string_view fallback) {
    return {name, name, FieldType::decimal, {}, {}, false, 0, false, fallback, {}, false};
}

KindInfo elementwise(std::string_view name, std::string_view torch, std::string_view summary, std::vector<FieldSpec> fields = {},
                     void (*validate)(const Layer&, Diagnostics&) = nullptr, void (*infer)(ShapeContext&) = identity_shape) {
    return KindInfo{name, torch, summary, std::move(fields), -1, -1, -1, 0, infer, validate, no_params, nullptr, torch_module};
}

// ---- prelu --------------------------------------------------------------------------------

enum { num_parameters, init };

void prelu_shape(ShapeContext& c) {
    c.out = c.in;
    const FieldValue& f = c.layer.fields[num_parameters];
    // without a channel dim PyTorch sees one channel
    const int64_t channels = !c.in.rank_known ? unknown_dim : c.in.dims.empty() ? 1 : c.in.dims[0];
    if (f.ints[0] != 1 && channels != unknown_dim && channels != f.ints[0]) {
        c.mismatch(f.span, "`prelu` has " + std::to_string(f.ints[0]) + " slopes, but the incoming shape " + to_string(c.in) + " has " +
                               std::to_string(channels) + " channels",
                   "one slope, or one per channel (dim 0)");
    }
}

Params prelu_params(const Layer& l) { return {kinds::count_of(l.size(num_parameters)), 0}; }
Dims prelu_weight(const Layer& l) { return {l.size(num_parameters)}; }

std::string prelu_module(const Layer& l) {
    std::string m = "nn.PReLU(";
    if (l.size(num_parameters) != 1) m += std::to_string(l.size(num_parameters));
    if (l.fields[init].text != l.kind->fields[init].default_text) {
        m += (l.size(num_parameters) != 1 ? ", init=" : "init=") + l.fields[init].text;
    }
    return m + ")";
}

}  // namespace

const std::vector<const KindInfo*>& activation_kinds() {
    static const KindInfo kinds[] = {
        elementwise("relu", "nn.ReLU", "max(0, x)"),
        elementwise("relu6", "nn.ReLU6", "min(max(0, x), 6)"),
        elementwise("leakyrelu", "nn.LeakyReLU", "x, or negative_slope * x below 0", {decimal("negative_slope", "0.01")}),
        elementwise("elu", "nn.ELU", "the exponential linear unit", {decimal("alpha", "1.0")}),
        elementwise("gelu", "nn.GELU", "the Gaussian error linear unit",
                    {{"approximate", "approximate", FieldType::word, {}, {}, false, 0, false, "none", {}, false}}, validate_gelu),
        elementwise("silu", "nn.SiLU", "x * sigmoid(x) (swish)"),
        elementwise("mish", "nn.Mish", "x * tanh(softplus(x))"),
        elementwise("softplus", "nn.Softplus", "log(1 + exp(beta * x)) / beta", {decimal("beta", "1"), decimal("threshold", "20")}),
        elementwise("hardswish", "nn.Hardswish", "the piecewise-linear swish"),
        elementwise("hardsigmoid", "nn.Hardsigmoid", "the piecewise-linear sigmoid"),
        elementwise("tanh", "nn.Tanh", "the hyperbolic tangent"),
        elementwise("sigmoid", "nn.Sigmoid", "the logistic function"),
        elementwise("softmax", "nn.Softmax", "softmax over one dim",
                    {{"dim", "dim", FieldType::integer, {}, {}, false, -1, false, {}, {}, true}}, nullptr, softmax_shape),
        elementwise("logsoftmax", "nn.LogSoftmax", "log of softmax over one dim",
                    {{"dim", "dim", FieldType::integer, {}, {}, false, -1, false, {}, {}, true}}, nullptr, softmax_shape),
        elementwise("identity", "nn.Identity", "passes its input on"),
        elementwise("dropout", "nn.Dropout", "zeroes elements with probability p while training", {decimal("p", "0.5")}, validate_p),
        // PyTorch 1.13 has no module for stochastic depth (timm's DropPath): a helper module
        elementwise("droppath", "DropPath", "drops the whole sample's path with probability p while training", {decimal("p", "0.0")},
                    validate_p),
        KindInfo{"prelu", "nn.PReLU", "a leaky ReLU with learned slopes",
                 {
                     {"num_parameters", "num_parameters", FieldType::size, {}, {}, false, 1},
                     decimal("init", "0.25"),
                 },
                 -1, -1, num_parameters, 0, prelu_shape, nullptr, prelu_params, prelu_weight, prelu_module},
    };
    static const std::vector<const KindInfo*> list = [] {
        std::vector<const KindInfo*> v;
        for (const KindInfo& k : kinds) v.push_back(&k);
        return v;
    }();
    return list;
}

}  // namespace nnspec
