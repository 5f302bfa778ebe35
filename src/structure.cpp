#include "structure.hpp"

namespace nnspec {
namespace {

void append(const Node& node, std::vector<StructItem>& out);

std::vector<StructItem> list_of(const std::vector<NodeRef>& nodes) {
    std::vector<StructItem> out;
    for (const auto& n : nodes) {
        for (uint64_t i = 0; i < n->times; ++i) append(*n, out);
    }
    return out;
}

void append(const Node& node, std::vector<StructItem>& out) {
    switch (node.kind) {
        case NodeKind::layer: {
            StructItem item;
            item.layer = node.layer.get();
            out.push_back(std::move(item));
            return;
        }
        case NodeKind::sequence:
        case NodeKind::repeat:
        case NodeKind::block:
        case NodeKind::frozen:
            for (const auto& c : node.children) {
                for (uint64_t i = 0; i < c->times; ++i) append(*c, out);
            }
            return;
        case NodeKind::residual: {
            StructItem item;
            item.kind = NodeKind::residual;
            item.groups.push_back(list_of(node.children));
            item.has_shortcut = node.has_shortcut;
            if (node.has_shortcut) item.groups.push_back(list_of(node.shortcut));
            out.push_back(std::move(item));
            return;
        }
        case NodeKind::concat:
        case NodeKind::add:
        case NodeKind::multiply: {
            StructItem item;
            item.kind = node.kind;
            item.dim = node.dim;
            for (const auto& branch : node.children) item.groups.push_back(list_of({branch}));
            out.push_back(std::move(item));
            return;
        }
        case NodeKind::gate:
        case NodeKind::side: {
            StructItem item;
            item.kind = node.kind;
            item.side_input = node.side_input;
            item.groups.push_back(list_of(node.children));
            out.push_back(std::move(item));
            return;
        }
    }
}

}  // namespace

std::vector<StructItem> structure_of(const Node& root) {
    std::vector<StructItem> out;
    append(root, out);
    return out;
}

}  // namespace nnspec
