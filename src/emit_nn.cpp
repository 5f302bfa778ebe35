// The `.nn` emitter: a network written back as the language a person would write. Sizes
// go in the `IN -> OUT` position, options that differ from the defaults follow, residual,
// concat, add, multiply, gate and side keep their braces, and a run of identical
// statements (or of an identical group of up to eight) becomes `repeat N { ... }`.
#include <algorithm>

#include "emit.hpp"
#include "flatten.hpp"
#include "structure.hpp"

namespace nnspec {
namespace {

std::string ints_text(const Dims& ints, bool x_joined) {
    std::string out;
    for (size_t i = 0; i < ints.size(); ++i) {
        if (i) out += x_joined ? "x" : ",";
        out += std::to_string(ints[i]);
    }
    return out;
}

std::string field_text(const FieldSpec& spec, const FieldValue& v) {
    switch (spec.type) {
        case FieldType::size:
        case FieldType::count:
        case FieldType::integer: return std::to_string(v.ints.empty() ? 0 : v.ints[0]);
        case FieldType::sizes:
        case FieldType::shape: return ints_text(v.ints, true);
        case FieldType::integers: return ints_text(v.ints, false);
        case FieldType::counts: return v.text.empty() ? ints_text(v.ints, true) : v.text;
        case FieldType::boolean: return v.flag ? "true" : "false";
        case FieldType::decimal:
        case FieldType::word: return v.text;
    }
    return {};
}

bool differs_from_default(const FieldSpec& spec, const FieldValue& v) {
    switch (spec.type) {
        case FieldType::boolean: return v.flag != spec.default_bool;
        case FieldType::decimal:
        case FieldType::word: return v.text != spec.default_text;
        default: return v.set;
    }
}

}  // namespace

std::string layer_nn(const Layer& layer) {
    const KindInfo& kind = *layer.kind;
    std::string out(kind.name);
    std::vector<bool> written(kind.fields.size(), false);
    if (kind.in_field >= 0 && kind.out_field >= 0) {
        const auto in = static_cast<size_t>(kind.in_field), o = static_cast<size_t>(kind.out_field);
        out += " " + field_text(kind.fields[in], layer.fields[in]) + " -> " + field_text(kind.fields[o], layer.fields[o]);
        written[in] = written[o] = true;
    } else if (kind.single_field >= 0 && layer.fields[static_cast<size_t>(kind.single_field)].set) {
        const auto f = static_cast<size_t>(kind.single_field);
        out += " " + field_text(kind.fields[f], layer.fields[f]);
        written[f] = true;
    }
    for (size_t i = 0; i < kind.fields.size(); ++i) {
        const FieldSpec& spec = kind.fields[i];
        const FieldValue& v = layer.fields[i];
        if (written[i] || !differs_from_default(spec, v)) continue;
        if (spec.type == FieldType::boolean && !spec.flag_on.empty()) {
            out += " " + std::string(v.flag ? spec.flag_on : spec.flag_off);
        } else {
            out += " " + std::string(spec.name) + "=" + field_text(spec, v);
        }
    }
    if (!layer.tie.empty()) out += " tie=" + layer.tie;
    if (!layer.trainable) out += " frozen";
    if (!layer.name.empty()) out += " as " + layer.name;
    return out;
}

namespace {

std::string shape_text(const Shape& s) {
    std::string out;
    for (size_t i = 0; i < s.dims.size(); ++i) out += (i ? "x" : "") + std::to_string(s.dims[i]);
    return out;
}

std::string indent_lines(const std::string& text, const std::string& indent) {
    std::string out;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        out += indent + text.substr(start, end - start) + "\n";
        start = end + 1;
    }
    return out;
}

std::string statements(const std::vector<StructItem>& items);

// `keyword { ... }`: a one-line body stays on one line, a longer one is indented.
std::string braced(const std::string& head, const std::vector<StructItem>& body) {
    const std::string inner = statements(body);
    if (inner.empty()) return head + " { }";
    if (std::count(inner.begin(), inner.end(), '\n') == 1) return head + " { " + inner.substr(0, inner.size() - 1) + " }";
    return head + " {\n" + indent_lines(inner, "    ") + "}";
}

std::string statement(const StructItem& item) {
    switch (item.kind) {
        case NodeKind::layer: return layer_nn(*item.layer);
        case NodeKind::residual: {
            std::string out = braced("residual", item.groups[0]);
            if (item.has_shortcut) out += " " + braced("shortcut", item.groups[1]);
            return out;
        }
        case NodeKind::concat:
        case NodeKind::add:
        case NodeKind::multiply: {
            std::string head = item.kind == NodeKind::concat ? "concat dim=" + std::to_string(item.dim)
                               : item.kind == NodeKind::add  ? "add"
                                                             : "multiply";
            std::string out = head + " {\n";
            for (const auto& branch : item.groups) out += indent_lines(braced("branch", branch), "    ");
            return out + "}";
        }
        case NodeKind::gate: return braced("gate", item.groups[0]);
        case NodeKind::side: return braced(item.side_input ? "side " + shape_text(*item.side_input) : "side", item.groups[0]);
        default: return {};
    }
}

bool names_a_layer(const StructItem& item) {
    if (item.kind == NodeKind::layer) return !item.layer->name.empty();
    for (const auto& g : item.groups) {
        for (const auto& i : g) if (names_a_layer(i)) return true;
    }
    return false;
}

// Each item's statement, with runs of an identical group of up to eight statements
// written as `repeat N { ... }` (a named layer is never repeated: names are unique).
std::string statements(const std::vector<StructItem>& items) {
    std::vector<std::string> lines;
    std::vector<bool> named;
    for (const auto& item : items) {
        lines.push_back(statement(item));
        named.push_back(names_a_layer(item));
    }
    std::string out;
    size_t i = 0;
    while (i < lines.size()) {
        size_t best_period = 1, best_count = 1;
        for (size_t period = 1; period <= 8 && i + 2 * period <= lines.size(); ++period) {
            bool has_name = false;
            for (size_t k = 0; k < period; ++k) has_name = has_name || named[i + k];
            if (has_name) break;
            size_t count = 1;
            while (i + (count + 1) * period <= lines.size()) {
                bool same = true;
                for (size_t k = 0; k < period && same; ++k) same = lines[i + k] == lines[i + count * period + k];
                if (!same) break;
                ++count;
            }
            if (count > 1 && count * period > best_count * best_period) {
                best_period = period;
                best_count = count;
            }
        }
        if (best_count > 1) {
            std::string body;
            for (size_t k = 0; k < best_period; ++k) body += lines[i + k] + "\n";
            if (best_period == 1 && body.find('\n') == body.size() - 1) {
                out += "repeat " + std::to_string(best_count) + " { " + lines[i] + " }\n";
            } else {
                out += "repeat " + std::to_string(best_count) + " {\n" + indent_lines(body, "    ") + "}\n";
            }
            i += best_count * best_period;
        } else {
            out += lines[i] + "\n";
            ++i;
        }
    }
    return out;
}

}  // namespace

std::string emit_nn(const Network& network) {
    std::string out;
    if (!network.name.empty()) out += "network " + network.name + "\n";
    if (network.has_input) out += "input " + shape_text(network.input) + "\n";
    return out + statements(structure_of(*network.root));
}

}  // namespace nnspec
