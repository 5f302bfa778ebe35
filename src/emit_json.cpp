// The JSON emitter. Written by hand rather than through a DOM: a flat list can have
// millions of layers, and each line is a fixed template.
#include <fmt/format.h>

#include "emit.hpp"
#include "flatten.hpp"

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

void append_ints(std::string& out, const std::vector<int64_t>& ints, bool force_array) {
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

std::string emit_json(const Network& network, const JsonEmitOptions& options) {
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
