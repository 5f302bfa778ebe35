// A JSON document as a tree of values that remember their spans, so that the JSON front
// end reports errors at `file:line:col` like the `.nn` front end does.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "parse.hpp"

namespace nnspec {

struct JsonValue {
    enum class Type : uint8_t { null, boolean, number, string, array, object };
    Type type = Type::null;
    bool boolean = false;
    bool integral = false;       // number: no fraction and no exponent
    Span span;
    std::string text;            // string: unescaped; number: as written
    std::vector<JsonValue> items;  // array elements, or object member values
    std::vector<std::string> keys; // object member keys, aligned with items
    std::vector<Span> key_spans;

    const JsonValue* member(std::string_view key) const {
        for (size_t i = 0; i < keys.size(); ++i) if (keys[i] == key) return &items[i];
        return nullptr;
    }
};

std::string_view json_type_name(JsonValue::Type t);

// Parses a JSON text; on a syntax error returns nullopt with the error in `diagnostics`.
// Duplicate keys in an object are reported (E0504), and the first one is kept.
std::optional<JsonValue> parse_json(const SourceManager& sources, FileId file, Diagnostics& diagnostics, const ParseLimits& limits = {});

// Streaming: each element of the top-level array goes to `sink`, with its index, as soon
// as it is complete, instead of into a tree. The sink returns false to stop the parse; it
// must not keep a reference to the value (the fast reader reuses it for the next element).
// Returns false if the sink stopped it or the text is malformed.
using JsonElementSink = std::function<bool(const JsonValue&, size_t)>;
bool parse_json_streaming(const SourceManager& sources, FileId file, Diagnostics& diagnostics, const ParseLimits& limits,
                          const JsonElementSink& sink);

}  // namespace nnspec
