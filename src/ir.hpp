// The network IR: what the semantic passes make of a program. It keeps the structure of
// the text (sequence, repeat, block instance, residual, concat, ...) with each node's
// input and output shape and its parameter counts. A repeat holds its body once per
// distinct input shape, with how many iterations each stands for, so a billion-layer
// repeat costs one body. Flattening into a layer list is an emitter's job (flatten.hpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checked.hpp"
#include "kinds/kind.hpp"
#include "pool.hpp"
#include "shape.hpp"

namespace nnspec {

enum class NodeKind : uint8_t {
    layer,      // one layer
    sequence,   // children in order
    repeat,     // children are segments: each a sequence standing for `times` iterations
    block,      // a block instance: children are its body
    residual,   // body(x) + shortcut(x)
    concat,     // branches, concatenated on `dim`
    add,        // branches, summed
    multiply,   // branches, multiplied
    gate,       // x * body(x)
    side,       // a path fed by another input; x passes unchanged
    frozen,     // children are non-trainable
};

struct Node;
using NodeRef = std::shared_ptr<const Node>;

struct Node {
    NodeKind kind = NodeKind::sequence;
    Span span;
    Shape in, out;
    Count params, trainable;  // totals for this node, children and repetitions included
    uint64_t times = 1;       // a repeat segment: consecutive iterations it stands for
    std::shared_ptr<const Layer> layer;
    std::vector<NodeRef> children;  // body, branches or segments
    std::vector<NodeRef> shortcut;  // residual only
    bool has_shortcut = false;
    std::string label;              // block name
    std::vector<std::pair<std::string, Wide>> args;  // block instance arguments, by parameter name
    int64_t dim = 0;                // concat dim as written
    std::optional<Shape> side_input;  // side: the declared shape of its input
};

// Nodes and layers are made through these: evaluation makes and drops millions of them.
template <typename... Args>
std::shared_ptr<Node> new_node(Args&&... args) {
    return std::allocate_shared<Node>(PoolAllocator<Node>{}, std::forward<Args>(args)...);
}
inline std::shared_ptr<Layer> new_layer() { return std::allocate_shared<Layer>(PoolAllocator<Layer>{}); }

struct Network {
    std::string name;
    bool has_input = false;
    Shape input;
    NodeRef root;  // a sequence
    Count params, trainable;
};

}  // namespace nnspec
