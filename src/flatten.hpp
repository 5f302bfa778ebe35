// Flattening: the IR's layers in order, repeats expanded and structure inlined. This is
// what the flat JSON list and `.nn` text from a flat list are made of.
#pragma once

#include <functional>
#include <unordered_map>

#include "ir.hpp"

namespace nnspec {

// The number of entries in the unfolding of a node: its layers, and with `structures` each
// residual, concat, add, multiply, gate and side as well (the structured view's entries).
// Repeats share their segments' nodes, so the IR is a DAG whose unfolding can be
// exponentially larger than itself: counts are memoised per node, which also lets a walk
// skip the subtrees that hold nothing (`repeat 10^18 { }` must not take 10^18 steps).
class EntryCounter {
public:
    explicit EntryCounter(bool structures) : structures_(structures) {}
    Count operator()(const Node& node);

private:
    bool structures_;
    std::unordered_map<const Node*, Count> memo_;
};

// How many layers the flat list of `node` has (checked: a billion-layer repeat is fine).
Count flat_layer_count(const Node& node);

// Calls `visit` for each layer in flat order.
void for_each_layer(const Node& node, const std::function<void(const Layer&)>& visit);

}  // namespace nnspec
