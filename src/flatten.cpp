#include "flatten.hpp"

namespace nnspec {

Count EntryCounter::operator()(const Node& node) {
    if (node.kind == NodeKind::layer) return 1;
    if (auto it = memo_.find(&node); it != memo_.end()) return it->second;
    const bool sequence_like = node.kind == NodeKind::sequence || node.kind == NodeKind::repeat ||
                               node.kind == NodeKind::block || node.kind == NodeKind::frozen;
    Count n = structures_ && !sequence_like ? 1 : 0;
    for (const auto& c : node.children) n += (*this)(*c) * Count(c->times);
    for (const auto& c : node.shortcut) n += (*this)(*c);
    memo_.emplace(&node, n);
    return n;
}

namespace {

void walk(const Node& node, const std::function<void(const Layer&)>& visit, EntryCounter& layers) {
    if (node.kind == NodeKind::layer) {
        visit(*node.layer);
        return;
    }
    for (const auto& c : node.children) {
        if (layers(*c) == Count(0)) continue;
        for (uint64_t i = 0; i < c->times; ++i) walk(*c, visit, layers);
    }
    for (const auto& c : node.shortcut) walk(*c, visit, layers);
}

}  // namespace

Count flat_layer_count(const Node& node) { return EntryCounter(false)(node); }

void for_each_layer(const Node& node, const std::function<void(const Layer&)>& visit) {
    EntryCounter layers(false);
    walk(node, visit, layers);
}

}  // namespace nnspec
