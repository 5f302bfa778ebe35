// The fast JSON reader: the task's flat layer list, byte by byte, with no grammar engine.
//
// It reads exactly the documents that nearly every caller writes: a top-level array of
// objects whose members are ASCII strings without escapes, numbers, `true`, `false`,
// `null` or flat arrays of those. For each element it fills the same JsonValue the PEGTL
// reader (json_value.cpp) would build, spans included, and hands it to the same sink, so
// the JSON front end cannot tell them apart. Anything else (an escape, a non-ASCII byte,
// a nested object, a malformed number, a duplicate key, a syntax error) is not its
// business: it stops and says so, and the caller falls back to the PEGTL reader, which
// accepts every JSON text and words every error. So this file never reports anything.
#include "json_scan.hpp"

namespace nnspec {
namespace {

class Scanner {
public:
    Scanner(std::string_view text, FileId file, const ParseLimits& limits) : text_(text), file_(file), limits_(limits) {}

    ScanResult run(const JsonElementSink& sink) {
        skip_ws();
        if (!eat('[')) return ScanResult::unsupported;
        size_t index = 0;
        bool stopped = false;
        const bool read = elements(']', [&] {
            if (!object(element_)) return false;
            stopped = !sink(element_, index++);
            return !stopped;
        });
        if (stopped) return ScanResult::stopped;
        skip_ws();
        return read && pos_ == text_.size() ? ScanResult::done : ScanResult::unsupported;
    }

private:
    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }
    bool eat(char c) {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }
    void skip_ws() {
        while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '\t')) ++pos_;
    }
    // After an opening bracket: [ element *( "," element ) ] close, with whitespace between.
    template <typename Element>
    bool elements(char close, const Element& element) {
        skip_ws();
        if (eat(close)) return true;
        for (;;) {
            if (!element()) return false;
            skip_ws();
            if (eat(close)) return true;
            if (!eat(',')) return false;
            skip_ws();
        }
    }
    Span span_from(size_t begin) const { return {file_, static_cast<uint32_t>(begin), static_cast<uint32_t>(pos_)}; }
    static bool digit(char c) { return c >= '0' && c <= '9'; }

    // `"` printable ASCII but `"` and `\` `"`; the contents go to `out`.
    bool string(std::string& out, Span& span) {
        const size_t begin = pos_;
        if (!eat('"')) return false;
        const size_t first = pos_;
        while (!at_end()) {
            const auto c = static_cast<unsigned char>(text_[pos_]);
            if (c == '"') break;
            if (c == '\\' || c < 0x20 || c >= 0x80) return false;
            ++pos_;
        }
        if (!eat('"')) return false;
        if (pos_ - begin > limits_.max_string_length) return false;
        out.assign(text_.substr(first, pos_ - 1 - first));
        span = span_from(begin);
        return true;
    }

    // number = [ "-" ] ( "0" / digit1-9 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]
    bool number(JsonValue& v) {
        const size_t begin = pos_;
        eat('-');
        if (eat('0')) {
            if (digit(peek())) return false;
        } else {
            if (!digit(peek())) return false;
            while (digit(peek())) ++pos_;
        }
        bool integral = true;
        if (eat('.')) {
            integral = false;
            if (!digit(peek())) return false;
            while (digit(peek())) ++pos_;
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            ++pos_;
            if (peek() == '+' || peek() == '-') ++pos_;
            if (!digit(peek())) return false;
            while (digit(peek())) ++pos_;
        }
        if (pos_ - begin > limits_.max_string_length) return false;
        v.type = JsonValue::Type::number;
        v.integral = integral;
        v.span = span_from(begin);
        v.text.assign(text_.substr(begin, pos_ - begin));
        return true;
    }

    bool word(JsonValue& v, std::string_view w, JsonValue::Type type, bool boolean) {
        const size_t begin = pos_;
        if (text_.substr(pos_, w.size()) != w) return false;
        pos_ += w.size();
        v.type = type;
        v.boolean = boolean;
        v.span = span_from(begin);
        v.text.assign(w);
        return true;
    }

    // A string, number, true, false or null; an array of those when `array_allowed`.
    bool value(JsonValue& v, bool array_allowed) {
        switch (peek()) {
            case '"':
                v.type = JsonValue::Type::string;
                return string(v.text, v.span);
            case 't': return word(v, "true", JsonValue::Type::boolean, true);
            case 'f': return word(v, "false", JsonValue::Type::boolean, false);
            case 'n': return word(v, "null", JsonValue::Type::null, false);
            case '[': return array_allowed && array(v);
            default: return number(v);
        }
    }

    bool array(JsonValue& v) {
        if (limits_.max_depth < 3) return false;  // the list, this object, this array
        const size_t begin = pos_;
        ++pos_;  // '['
        v.type = JsonValue::Type::array;
        if (!elements(']', [&] { return value(v.items.emplace_back(), false); })) return false;
        v.span = span_from(begin);
        return true;
    }

    bool object(JsonValue& v) {
        if (limits_.max_depth < 2) return false;
        const size_t begin = pos_;
        if (!eat('{')) return false;
        // the previous element's storage is reused: no allocation for the next one
        v.items.clear();
        v.keys.clear();
        v.key_spans.clear();
        v.type = JsonValue::Type::object;
        const bool read = elements('}', [&] {
            std::string& key = v.keys.emplace_back();
            if (!string(key, v.key_spans.emplace_back())) return false;
            for (size_t i = 0; i + 1 < v.keys.size(); ++i) {
                if (v.keys[i] == key) return false;  // a duplicate key is an error to report
            }
            skip_ws();
            if (!eat(':')) return false;
            skip_ws();
            return value(v.items.emplace_back(), true);
        });
        if (!read) return false;
        v.span = span_from(begin);
        return true;
    }

    std::string_view text_;
    FileId file_;
    const ParseLimits& limits_;
    size_t pos_ = 0;
    JsonValue element_;
};

}  // namespace

ScanResult scan_json_layer_list(std::string_view text, FileId file, const ParseLimits& limits, const JsonElementSink& sink) {
    return Scanner(text, file, limits).run(sink);
}

}  // namespace nnspec
