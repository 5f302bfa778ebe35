// The JSON parser: grammar/json.hpp plus actions that build JsonValue trees on a stack.
#include "json_value.hpp"

#include <tao/pegtl.hpp>

#include "../grammar/json_errors.hpp"

namespace nnspec {
namespace {

namespace pegtl = tao::pegtl;
namespace j = grammar::json;

struct JsonError {
    Code code;
    uint32_t offset;
    std::string message;
};

struct StopJson {};

struct State {
    State(const char* b, FileId f, const ParseLimits& l, Diagnostics& d) : base(b), file(f), limits(l), diagnostics(d) {}
    const char* base;
    FileId file;
    const ParseLimits& limits;
    Diagnostics& diagnostics;
    size_t depth = 0;
    std::vector<JsonValue> stack;
    std::string pending_key;
    Span pending_key_span;
    std::vector<std::pair<std::string, Span>> key_stack;
    const JsonElementSink* sink = nullptr;  // streaming: where the top-level array's elements go
    size_t next_index = 0;

    template <typename Input>
    void enter_nested(const Input& in) {
        if (++depth > limits.max_depth) {
            throw JsonError{Code::too_deep, static_cast<uint32_t>(in.current() - base),
                            "JSON nested deeper than " + std::to_string(limits.max_depth) + " levels"};
        }
    }
    void leave_nested() { --depth; }
    template <typename I>
    Span span(const I& in) const {
        return {file, static_cast<uint32_t>(in.begin() - base), static_cast<uint32_t>(in.end() - base)};
    }
    // Strings and numbers end up in names and messages: a 10 MB one is refused here, once,
    // rather than copied into every diagnostic that quotes it.
    template <typename I>
    void check_length(const I& in, const char* what) const {
        if (in.size() > limits.max_string_length) {
            throw JsonError{Code::too_long_name, static_cast<uint32_t>(in.begin() - base),
                            std::string(what) + " longer than " + std::to_string(limits.max_string_length) + " bytes"};
        }
    }
};

template <typename Rule>
struct control : pegtl::normal<Rule> {
    template <typename Input, typename... States>
    [[noreturn]] static void raise(const Input& in, State& s, States&&...) {
        const char* message = j::error_message<Rule>;
        throw JsonError{Code::json_syntax, static_cast<uint32_t>(in.current() - s.base), message ? message : "malformed JSON"};
    }
};

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// The grammar has checked the escapes; this only decodes them.
std::string unescape(std::string_view raw) {
    if (raw.find('\\') == std::string_view::npos) return std::string(raw);  // nearly every string
    std::string out;
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\') {
            out += raw[i];
            continue;
        }
        const char c = raw[++i];
        switch (c) {
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                uint32_t cp = static_cast<uint32_t>(std::stoul(std::string(raw.substr(i + 1, 4)), nullptr, 16));
                i += 4;
                if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < raw.size() + 1 && raw.substr(i + 1, 2) == "\\u") {
                    const auto low = static_cast<uint32_t>(std::stoul(std::string(raw.substr(i + 3, 4)), nullptr, 16));
                    if (low >= 0xDC00 && low < 0xE000) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        i += 6;
                    }
                }
                append_utf8(out, cp);
                break;
            }
            default: out += c; break;  // " \ /
        }
    }
    return out;
}

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

template <>
struct action<j::string> {
    template <typename I>
    static void apply(const I& in, State& s) {
        s.check_length(in, "string");
        JsonValue& v = s.stack.emplace_back();
        v.type = JsonValue::Type::string;
        v.span = s.span(in);
        const std::string_view raw = in.string_view();
        v.text = unescape(raw.substr(1, raw.size() - 2));
    }
};
template <>
struct action<j::key> {
    template <typename I>
    static void apply(const I& in, State& s) {
        s.check_length(in, "key");
        const std::string_view raw = in.string_view();
        s.key_stack.emplace_back(unescape(raw.substr(1, raw.size() - 2)), s.span(in));
    }
};
template <>
struct action<j::number> {
    template <typename I>
    static void apply(const I& in, State& s) {
        s.check_length(in, "number");
        JsonValue& v = s.stack.emplace_back();
        v.type = JsonValue::Type::number;
        v.span = s.span(in);
        v.text = in.string_view();
        v.integral = v.text.find_first_of(".eE") == std::string::npos;
    }
};
template <bool B>
struct literal_boolean {
    template <typename I>
    static void apply(const I& in, State& s) {
        JsonValue& v = s.stack.emplace_back();
        v.type = JsonValue::Type::boolean;
        v.boolean = B;
        v.span = s.span(in);
        v.text = in.string_view();
    }
};
template <> struct action<j::true_> : literal_boolean<true> {};
template <> struct action<j::false_> : literal_boolean<false> {};
template <>
struct action<j::null> {
    template <typename I>
    static void apply(const I& in, State& s) {
        JsonValue v;
        v.span = s.span(in);
        v.text = "null";
        s.stack.push_back(std::move(v));
    }
};
template <JsonValue::Type T>
struct open_container {
    template <typename I>
    static void apply(const I& in, State& s) {
        JsonValue v;
        v.type = T;
        v.span = s.span(in);
        s.stack.push_back(std::move(v));
    }
};
template <> struct action<j::array_open> : open_container<JsonValue::Type::array> {};
template <> struct action<j::object_open> : open_container<JsonValue::Type::object> {};
template <>
struct action<j::array_element> {
    template <typename I>
    static void apply(const I&, State& s) {
        JsonValue v = std::move(s.stack.back());
        s.stack.pop_back();
        if (s.sink && s.stack.size() == 1) {  // an element of the top-level array
            if (!(*s.sink)(v, s.next_index++)) throw StopJson{};
            return;
        }
        s.stack.back().items.push_back(std::move(v));
    }
};
template <>
struct action<j::member> {
    template <typename I>
    static void apply(const I&, State& s) {
        JsonValue v = std::move(s.stack.back());
        s.stack.pop_back();
        auto [key, key_span] = std::move(s.key_stack.back());
        s.key_stack.pop_back();
        JsonValue& object = s.stack.back();
        for (size_t i = 0; i < object.keys.size(); ++i) {
            if (object.keys[i] == key) {
                s.diagnostics.error(Code::json_duplicate_key, key_span, "duplicate key `" + key + "`", "given again here")
                    .label(object.key_spans[i], "first given here");
                return;
            }
        }
        object.keys.push_back(std::move(key));
        object.key_spans.push_back(key_span);
        object.items.push_back(std::move(v));
    }
};
template <typename Rule>
struct close_container {
    template <typename I>
    static void apply(const I& in, State& s) { s.stack.back().span = s.span(in); }
};
template <> struct action<j::array> : close_container<j::array> {};
template <> struct action<j::object> : close_container<j::object> {};

}  // namespace

std::string_view json_type_name(JsonValue::Type t) {
    switch (t) {
        case JsonValue::Type::null: return "null";
        case JsonValue::Type::boolean: return "a boolean";
        case JsonValue::Type::number: return "a number";
        case JsonValue::Type::string: return "a string";
        case JsonValue::Type::array: return "an array";
        case JsonValue::Type::object: return "an object";
    }
    return "?";
}

bool parse_json_streaming(const SourceManager& sources, FileId file, Diagnostics& diagnostics, const ParseLimits& limits,
                          const JsonElementSink& sink) {
    const std::string_view text = sources.file(file).text();
    State state{text.data(), file, limits, diagnostics};
    state.sink = &sink;
    pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf, const char*> in(text.data(), text.data() + text.size(), "");
    try {
        pegtl::parse<j::text, action, control>(in, state);
    } catch (const JsonError& e) {
        diagnostics.error(e.code, Span{file, e.offset, std::min<uint32_t>(e.offset + 1, static_cast<uint32_t>(text.size()))}, e.message);
        return false;
    } catch (const StopJson&) {
        return false;
    }
    return true;
}

std::optional<JsonValue> parse_json(const SourceManager& sources, FileId file, Diagnostics& diagnostics, const ParseLimits& limits) {
    const std::string_view text = sources.file(file).text();
    State state{text.data(), file, limits, diagnostics};
    pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf, const char*> in(text.data(), text.data() + text.size(), "");
    try {
        pegtl::parse<j::text, action, control>(in, state);
    } catch (const JsonError& e) {
        diagnostics.error(e.code, Span{file, e.offset, std::min<uint32_t>(e.offset + 1, static_cast<uint32_t>(text.size()))}, e.message);
        return std::nullopt;
    }
    if (state.stack.size() != 1) return std::nullopt;
    return std::move(state.stack.back());
}

}  // namespace nnspec
