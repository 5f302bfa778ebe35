// dense IN -> OUT [bias|nobias]: torch.nn.Linear. Weight (OUT, IN), bias (OUT).
// Shape: (..., IN) -> (..., OUT); IN may be left out and taken from the shape.
// The quick counter repeats this rule and formula for layer lists: src/quick_layer.cpp.
#include "kind.hpp"

namespace nnspec {
namespace {

enum { in, out, bias };

void infer(ShapeContext& c) {
    FieldValue& f = c.layer.fields[in];
    const int64_t last = c.in.last();
    if (!f.set) {
        if (last == unknown_dim) {
            c.missing("`dense` needs its input size", "write `dense IN -> OUT`, or declare `input` so that IN comes from the shape");
            return;
        }
        f.ints = {last};
    } else if (last != unknown_dim && last != f.ints[0]) {
        c.mismatch(f.span, "`dense` expects " + std::to_string(f.ints[0]) + " input features, but the previous layer gives " +
                               std::to_string(last),
                   "the incoming shape is " + to_string(c.in));
    }
    c.out = c.in;
    if (c.out.dims.empty()) c.out.dims.push_back(unknown_dim);
    c.out.dims.back() = c.layer.size(out);
}

Params params(const Layer& l) {
    const Count o = static_cast<uint64_t>(l.size(out));
    return {o * Count(static_cast<uint64_t>(l.size(in))), l.flag(bias) ? o : Count(0)};
}

Dims weight_shape(const Layer& l) { return {l.size(out), l.size(in)}; }

std::string torch_module(const Layer& l) {
    return "nn.Linear(" + std::to_string(l.size(in)) + ", " + std::to_string(l.size(out)) + (l.flag(bias) ? "" : ", bias=False") + ")";
}

}  // namespace

const KindInfo& dense_kind() {
    static const KindInfo kind{
        "dense", "nn.Linear", "a fully connected layer",
        {
            {"input_size", "input_size", FieldType::size},
            {"output_size", "output_size", FieldType::size, {}, {}, true},
            {"use_bias", "use_bias", FieldType::boolean, "bias", "nobias", false, 0, true},
        },
        in, out, out, 0, infer, nullptr, params, weight_shape, torch_module,
    };
    return kind;
}

}  // namespace nnspec
