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

// How many entries structure_of(root) would hold, counted recursively: each layer and each
// residual, concat, add, multiply, gate or side. Checked, and cheap for any repeat count.
Count structure_size(const Node& root);

// Expects a structure_size small enough to hold in memory; subtrees of size 0 are skipped
// whatever their repeat count.
std::vector<StructItem> structure_of(const Node& root);

}  // namespace nnspec
