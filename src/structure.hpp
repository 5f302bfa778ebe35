// The structured view of a network: its layers in order with residual, concat, add,
// multiply, gate and side kept as nesting, and sequences, blocks, repeats and frozen
// scopes expanded into their parent list. The structured JSON form and the `.nn` text
// that `from-json` writes are both printed from it.
#pragma once

#include <optional>
#include <vector>

#include "ir.hpp"

namespace nnspec {

struct StructItem {
    NodeKind kind = NodeKind::layer;  // layer, residual, concat, add, multiply, gate or side
    const Layer* layer = nullptr;
    std::vector<std::vector<StructItem>> groups;  // residual: body [, shortcut]; branches; gate/side: body
    bool has_shortcut = false;
    int64_t dim = 0;
    std::optional<Shape> side_input;
};

std::vector<StructItem> structure_of(const Node& root);

}  // namespace nnspec
