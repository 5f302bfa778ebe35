#include "flatten.hpp"

#include <unordered_map>

namespace nnspec {
namespace {

// Repeats share their segments' nodes, so the IR is a DAG whose unfolding can be
// exponentially larger than itself: counts are memoised per node, and walks skip the
// subtrees that hold no layer (`repeat 10^18 { }` must not take 10^18 steps).
using Memo = std::unordered_map<const Node*, Count>;

Count count(const Node& node, Memo& memo) {
    if (node.kind == NodeKind::layer) return 1;
    if (auto it = memo.find(&node); it != memo.end()) return it->second;
    Count n = 0;
    for (const auto& c : node.children) n += count(*c, memo) * Count(c->times);
    for (const auto& c : node.shortcut) n += count(*c, memo);
    memo.emplace(&node, n);
    return n;
}

void walk(const Node& node, const std::function<void(const Layer&)>& visit, Memo& memo) {
    if (node.kind == NodeKind::layer) {
        visit(*node.layer);
        return;
    }
    for (const auto& c : node.children) {
        if (count(*c, memo) == Count(0)) continue;
        for (uint64_t i = 0; i < c->times; ++i) walk(*c, visit, memo);
    }
    for (const auto& c : node.shortcut) walk(*c, visit, memo);
}

}  // namespace

Count flat_layer_count(const Node& node) {
    Memo memo;
    return count(node, memo);
}

void for_each_layer(const Node& node, const std::function<void(const Layer&)>& visit) {
    Memo memo;
    walk(node, visit, memo);
}

}  // namespace nnspec
