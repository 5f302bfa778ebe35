#include "flatten.hpp"

namespace nnspec {

Count flat_layer_count(const Node& node) {
    if (node.kind == NodeKind::layer) return 1;
    Count n = 0;
    for (const auto& c : node.children) n += flat_layer_count(*c) * Count(c->times);
    for (const auto& c : node.shortcut) n += flat_layer_count(*c);
    return n;
}

void for_each_layer(const Node& node, const std::function<void(const Layer&)>& visit) {
    if (node.kind == NodeKind::layer) {
        visit(*node.layer);
        return;
    }
    for (const auto& c : node.children) {
        for (uint64_t i = 0; i < c->times; ++i) for_each_layer(*c, visit);
    }
    for (const auto& c : node.shortcut) for_each_layer(*c, visit);
}

}  // namespace nnspec
