// The `.nn` emitter: a flat layer list written back as the language a person would write.
// Sizes go in the `IN -> OUT` position, options that differ from the defaults follow, and
// a run of identical statements (or of an identical group of up to eight) becomes
// `repeat N { ... }`.
#include "emit.hpp"
#include "flatten.hpp"

namespace nnspec {
namespace {

std::string ints_text(const std::vector<int64_t>& ints, bool x_joined) {
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

std::string emit_nn(const Network& network) {
    std::vector<std::string> lines;
    std::vector<bool> named;  // a named layer cannot be repeated (names are unique)
    for_each_layer(*network.root, [&](const Layer& layer) {
        lines.push_back(layer_nn(layer));
        named.push_back(!layer.name.empty());
    });
    std::string out;
    if (!network.name.empty()) out += "network " + network.name + "\n";
    size_t i = 0;
    while (i < lines.size()) {
        // the period and count of the longest run of a repeated group starting at i
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
            out += "repeat " + std::to_string(best_count) + " {";
            if (best_period == 1) {
                out += " " + lines[i] + " }\n";
            } else {
                out += "\n";
                for (size_t k = 0; k < best_period; ++k) out += "    " + lines[i + k] + "\n";
                out += "}\n";
            }
            i += best_count * best_period;
        } else {
            out += lines[i] + "\n";
            ++i;
        }
    }
    return out;
}

}  // namespace nnspec
