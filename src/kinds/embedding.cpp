// embedding NUM -> DIM: torch.nn.Embedding. Weight (NUM, DIM), no bias.
// Shape: indices of any shape S -> (S..., DIM).
// The quick counter repeats this rule and formula for layer lists: src/quick_layer.cpp.
#include "kind.hpp"

namespace nnspec {
namespace {

enum { num, dim };

void infer(ShapeContext& c) {
    c.out = c.in;
    c.out.dims.push_back(c.layer.size(dim));
}

Params params(const Layer& l) {
    return {Count(static_cast<uint64_t>(l.size(num))) * Count(static_cast<uint64_t>(l.size(dim))), 0};
}

Dims weight_shape(const Layer& l) { return {l.size(num), l.size(dim)}; }

std::string torch_module(const Layer& l) {
    return "nn.Embedding(" + std::to_string(l.size(num)) + ", " + std::to_string(l.size(dim)) + ")";
}

}  // namespace

const KindInfo& embedding_kind() {
    static const KindInfo kind{
        "embedding", "nn.Embedding", "a lookup table of learned vectors",
        {
            {"num_embeddings", "num_embeddings", FieldType::size, {}, {}, true},
            {"embedding_dim", "embedding_dim", FieldType::size, {}, {}, true},
        },
        num, dim, -1, 0, infer, nullptr, params, weight_shape, torch_module,
    };
    return kind;
}

}  // namespace nnspec
