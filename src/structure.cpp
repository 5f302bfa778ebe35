#include "structure.hpp"

#include "flatten.hpp"

namespace nnspec {
namespace {

class Builder {
public:
    void append(const Node& node, std::vector<StructItem>& out);

private:
    std::vector<StructItem> list_of(const std::vector<NodeRef>& nodes);
    // `repeat 10^18 { repeat 5 { } }` holds nothing and must not take 10^18 steps.
    void append_children(const std::vector<NodeRef>& nodes, std::vector<StructItem>& out);

    EntryCounter size_{true};
};

void Builder::append_children(const std::vector<NodeRef>& nodes, std::vector<StructItem>& out) {
    for (const auto& c : nodes) {
        if (size_(*c) == Count(0)) continue;
        for (uint64_t i = 0; i < c->times; ++i) append(*c, out);
    }
}

std::vector<StructItem> Builder::list_of(const std::vector<NodeRef>& nodes) {
    std::vector<StructItem> out;
    append_children(nodes, out);
    return out;
}

void Builder::append(const Node& node, std::vector<StructItem>& out) {
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
            append_children(node.children, out);
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

Count structure_size(const Node& root) { return EntryCounter(true)(root); }

std::vector<StructItem> structure_of(const Node& root) {
    std::vector<StructItem> out;
    Builder().append(root, out);
    return out;
}

}  // namespace nnspec
