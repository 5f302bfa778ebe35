// The quick counter for a flat JSON layer list (see quick.hpp): `[{"type": "dense",
// "input_size": 784, "output_size": 128, "use_bias": true}, ...]` read byte by byte into
// quick::Layer records, then applied in order.
//
// A large list is read by several threads at once. No JSON string may hold a raw line
// break, so a line start is a safe place to cut; each piece but the first starts at a line
// whose first token is `{`, and the piece before it must end exactly there, between two
// elements, or the whole list is read again by one thread. Only the reading runs in
// parallel: the shape between layers passes from each layer to the next, and applying
// a record costs a few dozen instructions.
#include <system_error>
#include <thread>
#include <vector>

#include "quick.hpp"
#include "quick_layer.hpp"

namespace nnspec {
namespace {

// The keys a handled layer can have; a bit each.
enum Key : uint16_t {
    type = 1,
    input_size = 2,
    output_size = 4,
    use_bias = 8,
    in_channels = 16,
    out_channels = 32,
    kernel_size = 64,
    num_embeddings = 128,
    embedding_dim = 256,
};

Key key_of(std::string_view k) {
    switch (k.size()) {
        case 4: return k == "type" ? type : Key{};
        case 8: return k == "use_bias" ? use_bias : Key{};
        case 10: return k == "input_size" ? input_size : Key{};
        case 11:
            if (k == "output_size") return output_size;
            if (k == "in_channels") return in_channels;
            return k == "kernel_size" ? kernel_size : Key{};
        case 12: return k == "out_channels" ? out_channels : Key{};
        case 13: return k == "embedding_dim" ? embedding_dim : Key{};
        case 14: return k == "num_embeddings" ? num_embeddings : Key{};
        default: return Key{};
    }
}

// What each kind must have and may have (json_front.cpp: a flat list needs every size).
struct KeySet {
    uint16_t required, allowed;
};
KeySet keys_of(quick::Kind k) {
    switch (k) {
        case quick::Kind::dense: return {type | input_size | output_size, type | input_size | output_size | use_bias};
        case quick::Kind::embedding: return {type | num_embeddings | embedding_dim, type | num_embeddings | embedding_dim};
        default: return {type | in_channels | out_channels | kernel_size, type | in_channels | out_channels | kernel_size | use_bias};
    }
}

// Reads one piece of the list: elements from `p` on, until `stop` (an element start that
// the next piece begins at) or the list's closing `]`. Returns false on anything that is
// not a handled layer or not plain JSON.
class PieceReader {
public:
    PieceReader(const char* p, const char* end, std::vector<quick::Layer>& out) : p_(p), end_(end), out_(out) {}

    // The first piece: `[` and its elements.
    bool first(const char* stop) {
        space();
        if (peek() != '[') return false;
        ++p_;
        space();
        if (peek() == ']') return false;  // an empty list: the reference says what it makes of it
        return elements(stop);
    }
    bool elements(const char* stop) {
        for (;;) {
            if (stop && p_ >= stop) return p_ == stop;
            if (!element()) return false;
            space();
            if (peek() == ',') {
                ++p_;
                space();
                continue;
            }
            if (peek() != ']' || stop) return false;
            ++p_;
            space();
            return p_ == end_;
        }
    }

private:
    char peek() const { return p_ < end_ ? *p_ : '\0'; }
    void space() {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }
    // a string without escapes or control characters: keys and kind names need none
    bool string(std::string_view& s) {
        if (peek() != '"') return false;
        const char* start = ++p_;
        while (p_ < end_ && *p_ != '"') {
            const auto c = static_cast<unsigned char>(*p_);
            if (c == '\\' || c < 0x20 || c >= 0x80) return false;
            ++p_;
        }
        if (p_ == end_) return false;
        s = {start, static_cast<size_t>(p_ - start)};
        ++p_;
        return true;
    }
    // a positive integer without sign, fraction or exponent, below 2^63
    bool size(int64_t& v) {
        if (peek() < '1' || peek() > '9') return false;
        uint64_t n = 0;
        while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
            if (n > (static_cast<uint64_t>(INT64_MAX) - 9) / 10) return false;
            n = n * 10 + static_cast<uint64_t>(*p_ - '0');
            ++p_;
        }
        const char c = peek();
        if (c == '.' || c == 'e' || c == 'E') return false;
        v = static_cast<int64_t>(n);
        return true;
    }
    bool literal(std::string_view word) {
        if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
        p_ += word.size();
        return true;
    }
    bool kernel(quick::Layer& l) {
        if (peek() != '[') {
            if (!size(l.kernel[0])) return false;
            l.kernel_count = 1;
            return true;
        }
        ++p_;
        space();
        uint8_t n = 0;
        for (;;) {
            if (n == 3 || !size(l.kernel[n])) return false;
            ++n;
            space();
            if (peek() == ']') break;
            if (peek() != ',') return false;
            ++p_;
            space();
        }
        ++p_;
        if (n < 2) return false;  // `[3]`: left to the reference
        l.kernel_count = n;
        return true;
    }
    // one layer object
    bool element() {
        if (peek() != '{') return false;
        ++p_;
        space();
        quick::Layer l;
        uint16_t seen = 0;
        std::string_view kind_name;
        if (peek() == '}') return false;
        for (;;) {
            std::string_view key;
            if (!string(key)) return false;
            space();
            if (peek() != ':') return false;
            ++p_;
            space();
            const Key k = key_of(key);
            if (!k || (seen & k)) return false;  // unknown here, or given twice
            seen = static_cast<uint16_t>(seen | k);
            bool ok;
            switch (k) {
                case type: ok = string(kind_name); break;
                case input_size:
                case in_channels:
                case num_embeddings: ok = size(l.in); break;
                case output_size:
                case out_channels:
                case embedding_dim: ok = size(l.out); break;
                case kernel_size: ok = kernel(l); break;
                case use_bias:
                    l.bias = peek() == 't';
                    ok = literal(l.bias ? "true" : "false");
                    break;
                default: ok = false;
            }
            if (!ok) return false;
            space();
            if (peek() == ',') {
                ++p_;
                space();
                continue;
            }
            if (peek() != '}') return false;
            ++p_;
            break;
        }
        if (!(seen & type) || !quick::find_kind(kind_name, l.kind)) return false;
        const KeySet keys = keys_of(l.kind);
        if ((seen & keys.required) != keys.required || (seen & ~keys.allowed)) return false;
        l.has_in = l.has_out = true;
        out_.push_back(l);
        return true;
    }

    const char* p_;
    const char* end_;
    std::vector<quick::Layer>& out_;
};

// The start of the first line at or after `from` whose first token is `{`, or nullptr.
const char* element_line(const char* from, const char* end) {
    for (int lines = 0; lines < 1000; ++lines) {
        while (from < end && *from != '\n') ++from;
        if (from == end) return nullptr;
        ++from;
        const char* q = from;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\r')) ++q;
        if (q < end && *q == '{') return q;
    }
    return nullptr;
}

bool read_list(std::string_view text, unsigned threads, size_t min_piece, std::vector<std::vector<quick::Layer>>& pieces) {
    const char* begin = text.data();
    const char* end = begin + text.size();
    const size_t n = std::max<size_t>(1, std::min<size_t>(threads, text.size() / std::max<size_t>(1, min_piece)));
    std::vector<const char*> starts = {begin};
    for (size_t i = 1; i < n; ++i) {
        const char* s = element_line(begin + text.size() / n * i, end);
        if (!s || s <= starts.back()) break;
        starts.push_back(s);
    }
    pieces.assign(starts.size(), {});
    std::vector<char> ok(starts.size(), 0);
    const auto read = [&](size_t i) {
        const char* stop = i + 1 < starts.size() ? starts[i + 1] : nullptr;
        PieceReader r(starts[i], end, pieces[i]);
        pieces[i].reserve(static_cast<size_t>((stop ? stop : end) - starts[i]) / 64);
        ok[i] = i == 0 ? r.first(stop) : r.elements(stop);
    };
    std::vector<std::thread> workers;
    size_t started = 1;
    try {
        for (; started < starts.size(); ++started) workers.emplace_back(read, started);
    } catch (const std::system_error&) {
        // no thread to be had: this one reads the rest
    }
    read(0);
    for (size_t i = started; i < starts.size(); ++i) read(i);
    for (auto& w : workers) w.join();
    for (char piece_ok : ok) {
        if (!piece_ok) return false;
    }
    return true;
}

}  // namespace

std::optional<QuickCount> quick_count_json(std::string_view text, const ParseLimits&, unsigned threads, size_t min_piece) {
    std::vector<std::vector<quick::Layer>> pieces;
    if (!read_list(text, threads, min_piece, pieces)) return std::nullopt;
    QuickCount result;
    quick::Totals totals;
    for (auto& piece : pieces) {
        for (quick::Layer& l : piece) {
            if (!quick::apply(l, result.out, totals)) return std::nullopt;
        }
    }
    result.params = totals.params;
    result.trainable = totals.trainable;
    return result;
}

}  // namespace nnspec
