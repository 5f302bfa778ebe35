// Flattening: the IR's layers in order, repeats expanded and structure inlined. This is
// what the flat JSON list and `.nn` text from a flat list are made of.
#pragma once

#include <functional>

#include "ir.hpp"

namespace nnspec {

// How many layers the flat list of `node` has (checked: a billion-layer repeat is fine).
Count flat_layer_count(const Node& node);

// Calls `visit` for each layer in flat order.
void for_each_layer(const Node& node, const std::function<void(const Layer&)>& visit);

}  // namespace nnspec
