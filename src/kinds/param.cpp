// param SHAPE: a free learnable tensor (class token, position embedding, layer scale) of
// prod(SHAPE) parameters. Its value is the layer's output, whatever comes in: any -> SHAPE.
// Combined with `residual`, `concat` or `gate` it is added, prepended or multiplied.
// PyTorch writes such a tensor with a leading 1 for the batch; SHAPE leaves it out.
#include "common.hpp"

namespace nnspec {
namespace {

enum { shape };

void infer(ShapeContext& c) { c.out = Shape::of(c.layer.fields[shape].ints); }

Params params(const Layer& l) { return {product(l.fields[shape].ints), 0}; }

Dims weight_shape(const Layer& l) { return l.fields[shape].ints; }

// nn.Parameter is not a module: the helper holds one and returns it, expanded over the batch.
std::string torch_module(const Layer& l) { return "Param(" + kinds::py_tuple(l.fields[shape].ints) + ")"; }

}  // namespace

const KindInfo& param_kind() {
    static const KindInfo kind{
        "param", "nn.Parameter", "a learnable tensor, which is the output",
        {
            {"shape", "shape", FieldType::shape, {}, {}, true},
        },
        -1, -1, shape, 0, infer, nullptr, params, weight_shape, torch_module,
    };
    return kind;
}

}  // namespace nnspec
