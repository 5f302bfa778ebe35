// The JSON emitter. Written by hand rather than through a DOM: a flat list can have
// millions of layers, and each line is a fixed template.
#include <fmt/format.h>

#include "emit.hpp"
#include "flatten.hpp"
#include "structure.hpp"

namespace nnspec {
namespace {

bool is_default(const FieldSpec& spec, const FieldValue& v) {
    switch (spec.type) {
        case FieldType::boolean: return v.flag == spec.default_bool;
        case FieldType::decimal:
        case FieldType::word: return v.text == spec.default_text;
        default: return !v.set;
    }
}

void append_ints(std::string& out, const Dims& ints, bool force_array) {
    if (ints.size() == 1 && !force_array) {
        out += std::to_string(ints[0]);
        return;
    }
    out += '[';
    for (size_t i = 0; i < ints.size(); ++i) {
        if (i) out += ", ";
        out += std::to_string(ints[i]);
    }
    out += ']';
}

}  // namespace

std::string json_quote(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
                else out += c;
        }
    }
    return out + "\"";
}

std::string layer_json(const Layer& layer) {
    std::string out = "{\"type\": " + json_quote(layer.kind->name);
    for (size_t i = 0; i < layer.kind->fields.size(); ++i) {
        const FieldSpec& spec = layer.kind->fields[i];
        const FieldValue& v = layer.fields[i];
        if (!spec.json_always && is_default(spec, v)) continue;
        out += ", " + json_quote(spec.json_key) + ": ";
        switch (spec.type) {
            case FieldType::size:
            case FieldType::count:
            case FieldType::integer: out += std::to_string(v.ints.empty() ? 0 : v.ints[0]); break;
            case FieldType::sizes:
            case FieldType::shape: append_ints(out, v.ints, false); break;
            case FieldType::integers: append_ints(out, v.ints, true); break;
            case FieldType::counts:
                if (!v.text.empty()) out += json_quote(v.text);
                else append_ints(out, v.ints, false);
                break;
            case FieldType::boolean: out += v.flag ? "true" : "false"; break;
            case FieldType::decimal: out += v.text; break;
            case FieldType::word: out += json_quote(v.text); break;
        }
    }
    if (!layer.name.empty()) out += ", \"name\": " + json_quote(layer.name);
    if (!layer.tie.empty()) out += ", \"tie\": " + json_quote(layer.tie);
    if (!layer.trainable) out += ", \"trainable\": false";
    return out + "}";
}

namespace {

std::string_view node_type(NodeKind k) {
    switch (k) {
        case NodeKind::residual: return "residual";
        case NodeKind::concat: return "concat";
        case NodeKind::add: return "add";
        case NodeKind::multiply: return "multiply";
        case NodeKind::gate: return "gate";
        case NodeKind::side: return "side";
        default: return "layer";
    }
}

void append_items(std::string& out, const std::vector<StructItem>& items, const std::string& indent);

void append_list(std::string& out, const std::vector<StructItem>& items, const std::string& indent) {
    if (items.empty()) {
        out += "[]";
        return;
    }
    out += "[";
    append_items(out, items, indent + "  ");
    out += "\n" + indent + "]";
}

void append_items(std::string& out, const std::vector<StructItem>& items, const std::string& indent) {
    bool first = true;
    for (const StructItem& item : items) {
        out += first ? "\n" : ",\n";
        first = false;
        out += indent;
        if (item.kind == NodeKind::layer) {
            out += layer_json(*item.layer);
            continue;
        }
        out += "{\"type\": " + json_quote(node_type(item.kind));
        switch (item.kind) {
            case NodeKind::residual:
                out += ", \"body\": ";
                append_list(out, item.groups[0], indent);
                if (item.has_shortcut) {
                    out += ", \"shortcut\": ";
                    append_list(out, item.groups[1], indent);
                }
                break;
            case NodeKind::concat:
            case NodeKind::add:
            case NodeKind::multiply: {
                if (item.kind == NodeKind::concat) out += ", \"dim\": " + std::to_string(item.dim);
                out += ", \"branches\": [";
                for (size_t b = 0; b < item.groups.size(); ++b) {
                    out += b ? ",\n" + indent + "  " : "\n" + indent + "  ";
                    append_list(out, item.groups[b], indent + "  ");
                }
                out += "\n" + indent + "]";
                break;
            }
            case NodeKind::side:
                if (item.side_input) {
                    out += ", \"input\": ";
                    append_ints(out, item.side_input->dims, true);
                }
                [[fallthrough]];
            default:
                out += ", \"body\": ";
                append_list(out, item.groups[0], indent);
        }
        out += "}";
    }
}

std::string emit_structured(const Network& network) {
    std::string out = "{";
    if (!network.name.empty()) out += "\"name\": " + json_quote(network.name) + ", ";
    if (network.has_input) {
        out += "\"input\": ";
        append_ints(out, network.input.dims, true);
        out += ", ";
    }
    out += "\"layers\": ";
    append_list(out, structure_of(*network.root), "");
    return out + "}\n";
}

}  // namespace

std::string emit_json(const Network& network, const JsonEmitOptions& options) {
    if (options.structured) return emit_structured(network);
    std::string out;
    std::string indent = "  ";
    if (options.wrap) {
        out += "{";
        if (!network.name.empty()) out += "\"name\": " + json_quote(network.name) + ", ";
        if (network.has_input) {
            out += "\"input\": ";
            append_ints(out, network.input.dims, true);
            out += ", ";
        }
        out += "\"layers\": [";
        indent = "    ";
    } else {
        out += "[";
    }
    bool first = true;
    for_each_layer(*network.root, [&](const Layer& layer) {
        out += first ? "\n" : ",\n";
        first = false;
        out += indent + layer_json(layer);
    });
    out += first ? "]" : "\n" + indent.substr(2) + "]";
    if (indent.size() == 4) out += "}";
    return out + "\n";
}

}  // namespace nnspec
