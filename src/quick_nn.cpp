// The quick counter for `.nn` text (see quick.hpp): a recursive-descent reader that
// evaluates each statement as it reads it. Expressions are computed as they are parsed;
// a repeat's body is kept as the place in the text where it starts and is read again at
// each distinct iteration, so nothing is built per token. A block's body, which is called
// many times, is read once into a plan (quick_plan.hpp) that each call runs.
//
// The reader follows grammar/nnspec.hpp rule by rule (each function names its rule) and
// the evaluator follows sema/ (values.cpp, 2_layer.cpp, 3_structure.cpp) case by case,
// with one difference: where they would report anything, this gives up (`give_up`
// throws `Unsupported`, caught at the entry point) and the reference pipeline runs.
//
// Bodies are read in two modes. Evaluating, every statement takes effect. Scanning, the
// text is only checked against the grammar, its end found, and whether an expression in
// it names a repeat's index: the reference reads the whole file before evaluating, so a
// body that is never evaluated (a `repeat 0`, a block never called) must still be read.
// Scanning a block's body, the reader also tells a `Recorder` what it reads, which makes
// the block's plan.
#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <deque>
#include <stop_token>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "name_hash.hpp"
#include "quick.hpp"
#include "quick_layer.hpp"
#include "quick_lets.hpp"
#include "quick_plan.hpp"

namespace nnspec {
namespace {

namespace plan = quick::plan;

struct Unsupported {};

// A value as the quick counter computes it (see `apply_operator`).
using Num = int64_t;

[[noreturn]] void give_up() { throw Unsupported{}; }

// Character classes, one table lookup each: the reader asks for every byte.
enum CharClass : uint8_t { first = 1, other = 2, digit = 4 };
constexpr auto char_classes = [] {
    std::array<uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c) {
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool number = c >= '0' && c <= '9';
        t[static_cast<size_t>(c)] = static_cast<uint8_t>((letter ? first | other : 0) | (number ? other | digit : 0));
    }
    return t;
}();
bool ident_first(char c) { return char_classes[static_cast<unsigned char>(c)] & first; }
bool ident_other(char c) { return char_classes[static_cast<unsigned char>(c)] & other; }
bool is_digit(char c) { return char_classes[static_cast<unsigned char>(c)] & digit; }

// What the byte after an operand says, one table lookup (Reader::expr): most often that
// the expression ends there.
enum OperatorKind : uint8_t { ending = 0, multiplying = 1, adding = 2 };
constexpr auto operator_kinds = [] {
    std::array<uint8_t, 256> t{};
    t['*'] = t['/'] = multiplying;
    t['+'] = t['-'] = adding;
    return t;
}();

using quick::is_word;

// Words that start a keyword statement (grammar: keyword_statement). Most statement heads
// are layer kinds or block names: the first letter turns nearly all of them away.
bool is_statement_keyword(std::string_view w) {
    switch (w[0]) {
        case 'a': return is_word(w, "add");
        case 'b': return is_word(w, "block") || is_word(w, "branch");
        case 'c': return is_word(w, "concat");
        case 'e': return is_word(w, "expect");
        case 'f': return is_word(w, "frozen");
        case 'g': return is_word(w, "gate");
        case 'i': return is_word(w, "input") || is_word(w, "import");
        case 'l': return is_word(w, "let");
        case 'm': return is_word(w, "multiply");
        case 'n': return is_word(w, "network");
        case 'r': return is_word(w, "repeat") || is_word(w, "residual");
        case 's': return is_word(w, "shortcut") || is_word(w, "side");
        default: return false;
    }
}

// Words after a layer kind that are flags, never the start of its sizes (grammar: flag_word).
bool is_flag_word(std::string_view w) {
    switch (w[0]) {
        case 'a': return is_word(w, "affine") || is_word(w, "as");
        case 'b': return is_word(w, "bias") || is_word(w, "bidirectional");
        case 'c': return is_word(w, "ceil");
        case 'f': return is_word(w, "frozen");
        case 'n': return is_word(w, "nobias") || is_word(w, "noaffine");
        default: return false;
    }
}

// Names in scope are the reference's `Scope` (sema.hpp): block parameters, block-local
// lets and repeat indices, looked up innermost first; top-level lets are in `LetTable`.

// An expression's value: an integer, a name that is not defined (a word such as `true`),
// or a list (a tuple or `3x5`), whose items are in `Reader::list_`.
struct Value {
    enum class Type : uint8_t { integer, word, list } type = Type::integer;
    Num integer = 0;
    std::string_view word;
};

struct Param {
    std::string_view name;
    const char* default_at = nullptr;  // where its default expression starts, if any
};

struct Block {
    boost::container::small_vector<Param, 4> params;  // inline: a call reads them with the block
    const char* body = nullptr;  // just after its `{`
    // Made as its definition is scanned, or at its first call where the definition was only
    // passed over (see quick_plan.hpp); refused: read from the text at every call.
    enum class Planned : uint8_t { not_yet, made, refused } planned = Planned::not_yet;
    quick::plan::Plan plan;
};

// The blocks, looked up at every call: open addressing on a power of two (no division, no
// node to follow), a slot holding the name and where its block is.
class BlockTable {
public:
    Block* find(std::string_view name) { return find(name, NameHash{}(name)); }
    // false if the name is there already
    bool insert(std::string_view name, Block&& block) {
        const uint64_t hash = NameHash{}(name);
        if (find(name, hash)) return false;
        if ((blocks_.size() + 1) * 2 > slots_.size()) grow();
        if (name.size() > UINT32_MAX) give_up();
        blocks_.push_back(std::move(block));
        place({name.data(), static_cast<uint32_t>(name.size()), static_cast<uint32_t>(hash >> 32), &blocks_.back()}, hash);
        return true;
    }

private:
    Block* find(std::string_view name, uint64_t hash) {
        if (slots_.empty()) return nullptr;
        const auto tag = static_cast<uint32_t>(hash >> 32);
        for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (!s.block) return nullptr;
            if (s.tag == tag && same_name({s.name, s.length}, name)) return s.block;
        }
    }
    struct Slot {
        const char* name = nullptr;  // in the text
        uint32_t length = 0;
        uint32_t tag = 0;  // the hash's high half
        Block* block = nullptr;  // null: an empty slot
    };
    void place(const Slot& slot, uint64_t hash) {
        size_t i = hash & mask_;
        while (slots_[i].block) i = (i + 1) & mask_;
        slots_[i] = slot;
    }
    void grow() {
        std::vector<Slot> old(std::max<size_t>(64, slots_.size() * 2));
        old.swap(slots_);
        mask_ = slots_.size() - 1;
        for (const Slot& s : old) {
            if (s.block) place(s, NameHash{}({s.name, s.length}));
        }
    }
    std::vector<Slot> slots_;
    size_t mask_ = 0;
    std::deque<Block> blocks_;  // where a block stays while more are added
};

struct Expect {
    bool params;  // else trainable
    Num value;
};

// What a layer statement has set: a second setting is an error in the reference.
enum class Field : uint8_t { in, out, kernel, bias, frozen, count };
struct Marks {
    bool done[static_cast<size_t>(Field::count)] = {};
    void set(Field f) {
        if (!fresh(f)) give_up();  // given twice
    }
    // sets it; false if it was set already
    bool fresh(Field f) {
        bool& d = done[static_cast<size_t>(f)];
        if (d) return false;
        d = true;
        return true;
    }
};

// What a flag sets (`frozen`, `bias`, `nobias`); Field::count: nothing this kind takes.
Field flag_field(quick::Kind kind, std::string_view key) {
    if (is_word(key, "frozen")) return Field::frozen;
    if ((is_word(key, "bias") || is_word(key, "nobias")) && kind != quick::Kind::embedding) return Field::bias;
    return Field::count;
}

// What key=value sets, by the option's DSL name or JSON key (kinds/*.cpp: their
// fields); Field::count: nothing this kind takes.
Field option_field(quick::Kind kind, std::string_view key) {
    using K = quick::Kind;
    const bool conv = kind == K::conv1d || kind == K::conv2d || kind == K::conv3d;
    if (kind == K::dense ? is_word(key, "input_size") : conv ? is_word(key, "in_channels") : is_word(key, "num_embeddings")) return Field::in;
    if (kind == K::dense ? is_word(key, "output_size") : conv ? is_word(key, "out_channels") : is_word(key, "embedding_dim")) return Field::out;
    if (conv && (is_word(key, "kernel") || is_word(key, "kernel_size"))) return Field::kernel;
    if (kind != K::embedding && is_word(key, "use_bias")) return Field::bias;
    return Field::count;
}

// Makes a plan (quick_plan.hpp) while the reader scans a body: the reader's scanning
// branches tell it what they read, in the order they read it. Where the text holds what a
// plan cannot say exactly, it refuses, and the body is read from the text at each
// evaluation, as it would be without plans. Scopes mirror the text reader's: a block's
// body sees its parameters and its lets, a repeat's body adds its index and lets.
class Recorder {
public:
    // Values an expression of a plan may hold at once (Reader::run_expr); deeper ones refuse.
    static constexpr uint32_t max_stack = 32;

    explicit Recorder(plan::Store& store) : store_(store) {}

    bool refused() const { return refused_; }
    void refuse() { refused_ = true; }
    uint32_t slots() const { return slots_; }

    // ---- names in scope
    void open_scope() { scopes_.push_back(static_cast<uint32_t>(bindings_.size())); }
    void close_scope() {
        bindings_.resize(scopes_.back());
        scopes_.pop_back();
    }
    uint32_t bind(std::string_view name) {
        bindings_.push_back({name, slots_});
        return slots_++;
    }
    bool bound_here(std::string_view name) const {
        for (size_t i = scopes_.back(); i < bindings_.size(); ++i) {
            if (same_name(bindings_[i].name, name)) return true;
        }
        return false;
    }

    // ---- expressions: each operand and operator as the reader meets it (out of line: the
    // reader's expression loop calls these only scanning)
    uint32_t mark() const { return static_cast<uint32_t>(store_.code.size()); }
    [[gnu::noinline]] void constant(int64_t v) { push({plan::Op::constant, 0, v}, 1); }
    // A name operand: the innermost binding of it, else a top-level let. Every repeat being
    // read whose index has this name now counts as naming it, shadowed or not, as the text
    // reader's scan counts it.
    [[gnu::noinline]] void name(std::string_view n, const quick::LetTable::Key& key) {
        for (Open& r : repeats_) {
            if (same_name(n, r.index)) r.named = true;
        }
        for (size_t i = bindings_.size(); i-- > 0;) {
            if (same_name(bindings_[i].name, n)) return push({plan::Op::slot, bindings_[i].slot, 0}, 1);
        }
        store_.globals.push_back({key, 0, false});
        push({plan::Op::global, static_cast<uint32_t>(store_.globals.size() - 1), 0}, 1);
    }
    // `op` as `Reader::apply_operator` takes it
    [[gnu::noinline]] void operation(char op) { push({static_cast<plan::Op>(op), 0, 0}, -1); }
    [[gnu::noinline]] void negate() { push({plan::Op::negate, 0, 0}, 0); }
    // A list just read (`3x5`, `(k, 1)`): where each of its items starts.
    void list(const boost::container::small_vector<uint32_t, 4>& starts) { list_starts_ = starts; }

    // What a value read from `at` on was: its code, and its items if it is a list.
    struct Value {
        plan::Expr expr;
        bool list = false;
        size_t count = 0;
        plan::Expr items[3];
    };
    Value value_since(uint32_t at, bool list) {
        depth_ = 0;  // the value is taken: the next expression starts on an empty stack
        Value v;
        v.expr = {at, mark()};
        v.list = list;
        if (list) {
            v.count = list_starts_.size();
            if (v.count > 3) return v;  // too long for any kernel: whoever takes it refuses
            for (size_t i = 0; i < v.count; ++i) {
                v.items[i] = {list_starts_[i], i + 1 < v.count ? list_starts_[i + 1] : mark()};
            }
        }
        return v;
    }
    plan::Expr integer_since(uint32_t at, bool list) {
        if (list) refuse();
        return value_since(at, false).expr;
    }

    // ---- statements, each added to the body being read
    void begin_body() { body_starts_.push_back(static_cast<uint32_t>(pending_.size())); }
    // The statements of the body being read, moved to the store (an inner body ends first,
    // so each body's statements stay together).
    plan::Body end_body() {
        const uint32_t start = body_starts_.back();
        body_starts_.pop_back();
        const plan::Body body{static_cast<uint32_t>(store_.statements.size()), static_cast<uint32_t>(pending_.size() - start)};
        store_.statements.insert(store_.statements.end(), pending_.begin() + start, pending_.end());
        pending_.resize(start);
        return body;
    }
    // A layer statement, as `Reader::layer` reads it: what `layer` and `option` check of
    // its text when evaluating is checked here, so that a plan is refused where evaluating
    // the text would give up whatever the values; a size's value is checked when the plan
    // runs (`Reader::run_layer`). Out of line: the reader calls these only scanning.
    [[gnu::noinline]] void begin_layer(std::string_view kind) {
        layer_ = {};
        marks_ = {};
        if (!quick::find_kind(kind, layer_.kind)) refuse();
    }
    // the first of its sizes, read from `at` on
    [[gnu::noinline]] void take(uint32_t at, bool list) { taken_ = value_since(at, list); }
    [[gnu::noinline]] void layer_in_out(uint32_t out_at, bool list) {
        size(Field::in, taken_);
        size(Field::out, value_since(out_at, list));
    }
    [[gnu::noinline]] void layer_out() {
        if (layer_.kind == quick::Kind::embedding) refuse();  // takes no single size
        size(Field::out, taken_);
    }
    [[gnu::noinline]] void layer_flag(std::string_view key) {
        const Field f = flag_field(layer_.kind, key);
        if (f == Field::count || !marks_.fresh(f)) return refuse();
        if (f == Field::frozen) layer_.trainable = false;
        else layer_.bias = is_word(key, "bias");
    }
    [[gnu::noinline]] void layer_option(std::string_view key, uint32_t at, bool list) {
        const Value v = value_since(at, list);
        switch (option_field(layer_.kind, key)) {
            case Field::in: return size(Field::in, v);
            case Field::out: return size(Field::out, v);
            case Field::kernel:
                if (!marks_.fresh(Field::kernel)) return refuse();
                if (!v.list) {
                    layer_.kernel[0] = v.expr;
                    layer_.kernel_count = 1;
                    return;
                }
                if (v.count > 3) return refuse();
                for (size_t i = 0; i < v.count; ++i) layer_.kernel[i] = v.items[i];
                layer_.kernel_count = static_cast<uint8_t>(v.count);
                return;
            default:  // `use_bias` takes a word, which a plan does not hold; or not an option here
                return refuse();
        }
    }
    [[gnu::noinline]] void end_layer() { add(plan::Statement::Type::layer, store_.layers, layer_); }
    void let(std::string_view name, plan::Expr value) {
        if (bound_here(name)) refuse();  // the text reader gives up: defined twice in one body
        add(plan::Statement::Type::let, store_.lets, plan::Let{bind(name), value});
    }
    // A repeat's body: its scope, and its index watched for (see `name`).
    void begin_repeat(std::string_view index) {
        open_scope();
        repeats_.push_back({index, index.empty() ? 0 : bind(index), false});
        begin_body();
    }
    void end_repeat(plan::Expr count) {
        plan::Repeat r;
        r.count = count;
        r.body = end_body();
        const Open& open = repeats_.back();
        r.has_index = !open.index.empty();
        r.index_slot = open.slot;
        r.uses_index = r.has_index && open.named;
        repeats_.pop_back();
        close_scope();
        add(plan::Statement::Type::repeat, store_.repeats, r);
    }
    void begin_call(std::string_view name) { call_ = {name, static_cast<uint32_t>(store_.args.size()), 0, nullptr}; }
    void argument(std::string_view name, plan::Expr value) {
        store_.args.push_back({name, value});
        ++call_.arg_count;
    }
    void end_call() { add(plan::Statement::Type::call, store_.calls, call_); }
    void expect(bool params, plan::Expr value) { add(plan::Statement::Type::expect, store_.expects, plan::Expect{value, params}); }

private:
    void push(const plan::Code& c, int effect) {
        store_.code.push_back(c);
        depth_ = static_cast<uint32_t>(static_cast<int>(depth_) + effect);
        if (depth_ > max_depth_) max_depth_ = depth_;
        if (max_depth_ > max_stack) refuse();
    }
    template <typename T>
    void add(plan::Statement::Type type, std::vector<T>& items, const T& item) {
        items.push_back(item);
        pending_.push_back({type, static_cast<uint32_t>(items.size() - 1)});
    }

    struct Binding {
        std::string_view name;
        uint32_t slot;
    };
    struct Open {  // a repeat being read
        std::string_view index;  // empty: none
        uint32_t slot;
        bool named;
    };
    plan::Store& store_;
    bool refused_ = false;
    uint32_t slots_ = 0;
    uint32_t depth_ = 0, max_depth_ = 0;
    boost::container::small_vector<Binding, 16> bindings_;  // the names in scope, innermost last
    boost::container::small_vector<uint32_t, 8> scopes_;    // where each open scope's bindings start
    boost::container::small_vector<Open, 4> repeats_;
    boost::container::small_vector<uint32_t, 4> list_starts_;
    std::vector<plan::Statement> pending_;  // of the bodies being read
    boost::container::small_vector<uint32_t, 8> body_starts_;
    plan::Call call_;
    plan::Layer layer_;  // being read
    Marks marks_;
    Value taken_;

    void size(Field f, const Value& v) {
        if (v.list || !marks_.fresh(f)) return refuse();
        if (f == Field::in) {
            layer_.in = v.expr;
            layer_.has_in = true;
        } else {
            layer_.out = v.expr;
            layer_.has_out = true;
        }
    }
};

// Where a scan for the ends of statements and bodies stops (Reader::pass): the
// bytes that change the depth or hide braces (a comment, a string) and the NUL after the
// text; with a line end and `;`, the bytes that end a statement.
constexpr std::array<bool, 256> stop_table(bool statement_ends) {
    std::array<bool, 256> t{};
    for (const char c : {'{', '}', '#', '"', '\0'}) t[static_cast<unsigned char>(c)] = true;
    if (statement_ends) t['\n'] = t[';'] = true;
    return t;
}
constexpr std::array<bool, 256> body_stops = stop_table(false);
constexpr std::array<bool, 256> statement_stops = stop_table(true);

// The second thread's state before one of the top-level statements of a run (below).
struct Mark {
    size_t offset;  // from the run's first statement
    Shape shape;
    quick::Totals totals;
    uint64_t evaluations;
    size_t expects;
};

// A part of the text that the second thread evaluated from an unknown shape: run 0 from
// the split to the end, and then chunk k (1, 2, ...) just before run k-1, working back
// into the first thread's part while that one is still far from it. A chunk goes on past
// its end, with the state it has come to, until that meets the state of a run after it
// (`link`), so that a first thread that meets any run has the count of everything after.
struct Run {
    const char* start = nullptr;  // its first statement
    std::vector<Mark> marks;      // before each of its first statements
    quick::Totals totals;         // at its end: of the text (run 0), of the link (a chunk)
    uint64_t evaluations = 0;
    std::vector<Expect> expects;
    Shape shape;                  // run 0: the shape at the end of the text
    size_t link_run = 0, link = 0;  // a chunk: the run after it, and its mark, where it met it
};

// What the two threads of a large file share (see `quick_count_nn`).
struct Shared {
    std::atomic<size_t> head_at{0};       // the offset of the statement the first thread is at
    std::atomic<size_t> chunks_known{0};  // starts[1..chunks_known] are set
    std::atomic<size_t> runs_done{0};     // runs[0..runs_done) are complete, in that order
    std::vector<const char*> starts;      // of the runs, made before either thread starts
    std::vector<uint32_t> lets_before;    // lets the second thread has inserted before starts[k]
    std::vector<Run> runs;
    size_t chunk_bytes = 0;
};

class Reader {
public:
    Reader(std::string_view text, const ParseLimits& limits, const EvaluateOptions& options, bool plans)
        : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), options_(options), plans_(plans) {
        depth_limit_ = static_cast<uint32_t>(std::min<size_t>(limits.max_depth / 2, UINT32_MAX));
        name_limit_ = limits.max_name_length;
        nesting_limit_ = options.max_nesting / 2;
        const uint64_t text_budget = text.size();
        evaluation_limit_ = options.max_evaluations > UINT64_MAX - text_budget ? UINT64_MAX : options.max_evaluations + text_budget;
    }

    // The whole file, alone.
    QuickCount file() {
        reserve();
        top_level(0, [](size_t) { return false; });
        return finish(nullptr);
    }

    // The second thread of two (see `quick_count_nn`): the top-level `let`s and blocks
    // before `from` are declared (everything else there is passed over by its braces), then
    // the top-level statements from the first one at or after `from` to the end are
    // evaluated, from an unknown shape (run 0). The state before each of the first
    // `max_marks` of them is kept for the first thread to meet (see `head`). Then, while
    // the first thread is still more than a chunk away, chunks of its part are read, from
    // the split back (see `chunk`). Gives up (throws) only if run 0 does.
    void tail(const char* from, size_t max_marks, Shared& shared, const std::stop_token& stop) {
        reserve();
        lets_.keep_order();
        // the chunks' starts, lowest first, declaring up to each in turn; none below a fifth
        // of the text, where the first thread is sure to be first
        const size_t size = static_cast<size_t>(end_ - begin_), offset = static_cast<size_t>(from - begin_);
        std::vector<std::pair<const char*, size_t>> found;  // a start, the lets before it
        for (size_t k = shared.starts.size() - 1; k >= 1 && shared.chunk_bytes; --k) {
            const size_t back = k * shared.chunk_bytes;
            if (back > offset || offset - back < size / 5) continue;
            declare_before(from - back, stop);
            if (p_ == end_ || (!found.empty() && found.back().first == p_)) continue;  // a statement longer than a chunk
            found.emplace_back(p_, lets_.inserted());
        }
        declare_before(from, stop);
        const char* start = p_;
        while (!found.empty() && found.back().first >= start) found.pop_back();
        if (lets_.inserted() > UINT32_MAX) found.clear();  // orders are 32 bits
        shared.starts[0] = start;
        shared.lets_before[0] = static_cast<uint32_t>(lets_.inserted());
        for (size_t k = 1; k <= found.size(); ++k) {  // chunk 1 is the highest
            shared.starts[k] = found[found.size() - k].first;
            shared.lets_before[k] = static_cast<uint32_t>(found[found.size() - k].second);
        }
        shared.chunks_known.store(found.size(), std::memory_order_release);
        // run 0
        top_level(1, [&](size_t) {
            if (stop.stop_requested()) give_up();
            keep_mark(start, max_marks);
            return false;
        });
        keep_run(shared.runs[0], start);
        shared.runs_done.store(1, std::memory_order_release);
        for (size_t k = 1; k <= found.size(); ++k) {
            const size_t at = static_cast<size_t>(shared.starts[k] - begin_);
            if (shared.head_at.load(std::memory_order_relaxed) + shared.chunk_bytes >= at) return;  // it would be there first
            try {
                chunk(shared, k, stop);
            } catch (const Unsupported&) {
                return;  // the first thread reads it, and decides
            }
            shared.runs_done.store(k + 1, std::memory_order_release);
        }
    }

    // Chunk k of the first thread's part (see `Run`), from an unknown shape, up to run k-1's
    // start and then on until it meets a later run. The lets and blocks before the chunk are
    // declared (its table holds those after as well: `chunked_` hides them). Gives up
    // (throws) where it finds what the first thread must decide, and as soon as the first
    // thread is at the chunk's start: it would not use it.
    void chunk(Shared& shared, size_t k, const std::stop_token& stop) {
        const char* const start = shared.starts[k];
        const char* const next_start = shared.starts[k - 1];
        const auto at = static_cast<size_t>(start - begin_);
        totals_ = {};
        expects_.clear();
        marks_.clear();
        shape_ = Shape::unknown();
        chunked_ = true;
        visible_lets_ = shared.lets_before[k];
        p_ = start;
        size_t r = k - 1, link = 0;  // the run after it whose mark is compared, and that mark
        size_t past = 0;             // statements read past its end
        bool linked = false;
        top_level(1, [&](size_t) {
            if (stop.stop_requested() || shared.head_at.load(std::memory_order_relaxed) >= at) give_up();
            statement_at_ = p_;
            if (p_ < next_start) {
                keep_mark(start, chunk_marks);
                return false;
            }
            // past its end: where the state meets a later run's, at the start of one or within
            // its marks; as many statements on as a chunk keeps marks of, no more (a state
            // that does not meet soon may never meet: in a conv stack, say)
            if (++past > chunk_marks) give_up();
            const size_t was = r;
            while (r >= 1 && p_ >= shared.starts[r - 1]) --r;
            if (r != was) link = 0;
            const Run& later = shared.runs[r];
            if (at_mark(later, link)) {
                if (later.marks[link].shape == shape_) return linked = true;
                ++link;
            } else {
                link = SIZE_MAX;  // its marks are behind: on to the next run's start
                if (r == 0) give_up();  // none is left
            }
            return false;
        });
        if (!linked) give_up();
        keep_run(shared.runs[k], start);
        shared.runs[k].link_run = r;
        shared.runs[k].link = link;
    }
    // A chunk's marks: the first thread meets a run within a few statements of its start.
    static constexpr size_t chunk_marks = 256;

    // The state before this statement, as a run from `start` keeps it, for its first `max` statements.
    void keep_mark(const char* start, size_t max) {
        if (marks_.size() < max) marks_.push_back({static_cast<size_t>(p_ - start), shape_, totals_, evaluations_, expects_.size()});
    }
    // Whether this statement is the one where `run` kept its mark `i`.
    bool at_mark(const Run& run, size_t i) const {
        return i < run.marks.size() && run.marks[i].offset == static_cast<size_t>(p_ - run.start);
    }

    void keep_run(Run& run, const char* start) {
        run.start = start;
        run.marks = std::move(marks_);
        run.totals = totals_;
        run.evaluations = evaluations_;
        run.expects = std::move(expects_);
        run.shape = shape_;
        marks_.clear();
        expects_.clear();
    }

    // The first thread: evaluated alone from the start. Before each top-level statement
    // where one of the second thread's runs starts, if that run is complete, and at the
    // first statement at or after `split` (waiting for run 0 there), the state is compared
    // with the run's at the same statement, and on until the statements differ or its marks
    // end. Where the shapes are equal, everything after is the runs' (the lets and blocks are
    // the same, and nothing else carries from one top-level statement to the next), so the
    // counts join there. If they never meet, or the second thread gave up, this reader goes
    // on alone. `join` stops the second thread and waits for it; null if it gave up.
    template <typename Join>
    QuickCount head(const char* split, Shared& shared, const Join& join) {
        reserve(split);
        const Reader* tail = nullptr;
        bool joined = false;    // `join` was called
        const Run* run = nullptr;  // being compared with
        size_t next = 0;        // its mark to compare with
        size_t chunk = 0;       // the lowest chunk whose start is not behind
        bool chunks_read = false;
        const Mark* met = nullptr;
        // compares with `run` at this statement; false where the statements differ or its
        // marks end, and it is left
        const auto compare = [&] {
            if (!at_mark(*run, next)) return false;
            const Mark& m = run->marks[next++];
            if (m.shape == shape_) met = &m;
            return true;
        };
        // Where this thread is, for the second one, which asks at every statement of a chunk:
        // told every 256 statements and at each chunk's start, not at every statement, which
        // would move the line that holds it from core to core each time.
        const auto tell = [&] { shared.head_at.store(static_cast<size_t>(p_ - begin_), std::memory_order_relaxed); };
        size_t untold = 0;
        top_level(0, [&](size_t) {
            if (++untold == 256) {
                tell();
                untold = 0;
            }
            if (run && !compare()) run = nullptr;  // then perhaps another run starts here
            if (!run && !joined) {
                if (p_ >= split) {
                    joined = true;
                    tail = join();
                    if (tail) run = &shared.runs[0];
                } else {
                    if (!chunks_read && (chunk = shared.chunks_known.load(std::memory_order_acquire))) chunks_read = true;
                    while (chunk >= 1 && shared.starts[chunk] <= p_) {
                        tell();
                        if (shared.starts[chunk] == p_) break;
                        --chunk;
                    }
                    if (chunk >= 1 && shared.starts[chunk] == p_ && shared.runs_done.load(std::memory_order_acquire) > chunk) {
                        run = &shared.runs[chunk];
                    }
                }
                next = 0;
                if (run && !compare()) run = nullptr;
            }
            return met != nullptr;
        });
        if (!met) {
            if (!joined) join();  // nothing of the second thread's is used, but it must stop
            return finish(nullptr);
        }
        if (!joined) tail = join();
        if (!tail) give_up();  // cannot be: a complete run comes from a thread that did not give up
        // the runs' counts from the meeting point on
        const Run* r = run;
        const Mark* from = met;
        for (;;) {
            add(totals_, {r->totals.params - from->totals.params, r->totals.trainable - from->totals.trainable});
            evaluations_ += r->evaluations - from->evaluations;
            expects_.insert(expects_.end(), r->expects.begin() + static_cast<long>(from->expects), r->expects.end());
            if (r == &shared.runs[0]) break;
            from = &shared.runs[r->link_run].marks[r->link];
            r = &shared.runs[r->link_run];
        }
        if (evaluations_ > evaluation_limit_) give_up();
        shape_ = shared.runs[0].shape;
        return finish(tail, static_cast<size_t>(run - &shared.runs[0]));
    }

private:
    // Room in the let table for a let every 256 bytes (the bundled examples with lets have
    // one every 400 to 900, the benchmark's file one every 330); more make it grow. Made by
    // the thread that fills it, so that the two threads of a large file clear their tables
    // at the same time. The first thread of two makes room for the lets of its part alone
    // (a smaller table is a faster one: see quick_lets.hpp); going on alone, it grows it.
    void reserve(const char* to = nullptr) { lets_.reserve(static_cast<size_t>((to ? to : end_) - begin_) / 256); }

    // The top-level statements from the cursor on; `at_statement` is asked before each and
    // may stop the loop. `first_index` is the index of the first one in the file.
    template <typename AtStatement>
    void top_level(size_t first_index, const AtStatement& at_statement) {
        Scope top;
        if (++nesting_ > nesting_limit_) give_up();
        for (size_t index = first_index;; ++index) {
            gap();
            if (p_ == end_) break;
            if (at_statement(index)) break;
            statement(top, &expects_, true, index == 0, totals_);
            end_of_statement();
        }
        --nesting_;
    }

    // The checks at the end of the file: the top-level `expect`s and the unused lets (the
    // reference warns of those). A let is used if this reader or `other` (the tail) used
    // it. The lets the tail declared before its part, and did not read again in a chunk,
    // are this reader's too, and checked from this side: looked up from the tail's side as
    // well, each would be a cache miss in this reader's table, some 15 ms for the 100 MB
    // benchmark. Those a chunk read are checked from the tail's side: this reader may
    // not have come to them.
    QuickCount finish(const Reader* other, size_t chunks = 0) {
        check_expects(expects_, totals_);
        const auto checker = [](const Reader* elsewhere) {
            return [elsewhere](std::string_view name, bool used, bool declared_early) {
                if (used || declared_early || name[0] == '_') return;
                if (elsewhere && elsewhere->lets_.used(name)) return;
                give_up();
            };
        };
        lets_.each(checker(other));
        if (other) other->lets_.each(checker(this));
        return {totals_.params, totals_.trainable, shape_, other != nullptr, chunks, planned_calls_ + (other ? other->planned_calls_ : 0)};
    }

    // The top-level statements before `from`: `let`s and blocks take effect, the rest is
    // passed over. Braces only open and close bodies (a `#` comment may hold any, and a
    // quoted string, only in `import`, is left to the reference), so counting them finds
    // where each top-level statement ends. Nothing here is checked: the first thread, or
    // a chunk (see `chunk`), reads each statement in full, and gives up if it is wrong.
    // So a block's body is passed over as well, not scanned: each call reads it anyway.
    void declare_before(const char* from, const std::stop_token& stop) {
        Scope top;
        scope_ = &top;
        declaring_ = true;
        struct Done {
            bool& flag;
            ~Done() { flag = false; }
        } done{declaring_};
        for (;;) {
            gap();
            if (p_ >= from || p_ == end_) return;
            if (stop.stop_requested()) give_up();  // the first half gave up: so does this one
            if (*p_ == 'l' || *p_ == 'b') {
                const char* start = p_;
                const std::string_view word = identifier();
                if (is_word(word, "let")) {
                    let_statement(top, true);
                    end_of_statement();
                    continue;
                }
                if (is_word(word, "block")) {
                    block_statement(true, true);
                    end_of_statement();
                    continue;
                }
                p_ = start;
            }
            pass(false, from);
        }
    }

#if defined(__SSE2__)
    static __m128i bytes_are(__m128i v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); }
    static __m128i body_stops_in(__m128i v) {
        __m128i hit = _mm_or_si128(bytes_are(v, '{'), bytes_are(v, '}'));
        hit = _mm_or_si128(hit, _mm_or_si128(bytes_are(v, '#'), bytes_are(v, '"')));
        return _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_setzero_si128()));
    }
#endif
    // Inside a body: the first of `body_stops` at or after `q`, sixteen bytes at a time
    // where the text has them (SSE2, which every x86-64 has), then a byte at a time.
    const char* next_body_stop(const char* q) const {
#if defined(__SSE2__)
        while (end_ + 1 - q >= 16) {  // the NUL at `end_` may be read
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
            if (const int mask = _mm_movemask_epi8(body_stops_in(v))) return q + __builtin_ctz(static_cast<unsigned>(mask));
            q += 16;
        }
#endif
        while (!body_stops[static_cast<unsigned char>(*q)]) ++q;
        return q;
    }
    // Between top-level statements: as `next_body_stop`, and the end of a statement where
    // the next may be a let or a block: before an `l`, a `b` or a blank (an indented
    // statement, looked at closely). Most statements are neither, and are passed over
    // with no stop. Within sixteen bytes of `from`, every statement's end is a stop, so
    // that the second half starts at the first statement at or after `from`.
    const char* next_top_stop(const char* q, const char* from) const {
#if defined(__SSE2__)
        while (from - q >= 17 && end_ - q >= 16) {  // reads q[0..16]; the NUL at `end_` may be read
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
            const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 1));
            const __m128i ends = _mm_or_si128(bytes_are(v, '\n'), bytes_are(v, ';'));
            const __m128i starts = _mm_or_si128(_mm_or_si128(bytes_are(next, 'l'), bytes_are(next, 'b')),
                                                _mm_or_si128(bytes_are(next, ' '), bytes_are(next, '\t')));
            const __m128i hit = _mm_or_si128(body_stops_in(v), _mm_and_si128(ends, starts));
            if (const int mask = _mm_movemask_epi8(hit)) return q + __builtin_ctz(static_cast<unsigned>(mask));
            q += 16;
        }
#endif
        while (!statement_stops[static_cast<unsigned char>(*q)]) ++q;
        return q;
    }
    // Passes over top-level statements, from one's start to just after the end (its line
    // end or `;`) of it or of one after it that `next_top_stop` stops at; or (`to_close`)
    // over a body, from just after its `{` to just after its `}`.
    void pass(bool to_close, const char* from = nullptr) {
        size_t depth = 0;
        for (;;) {
            p_ = depth || to_close ? next_body_stop(p_) : next_top_stop(p_, from);
            switch (*p_) {
                case '{': ++depth; break;
                case '}':
                    if (depth == 0) {
                        if (!to_close) give_up();
                        return void(++p_);
                    }
                    --depth;
                    break;
                case '#': comment(); continue;  // to its line end, which is looked at next
                case '"': give_up();
                case '\n':
                case ';': return void(++p_);  // only between top-level statements
                default:  // a NUL
                    if (p_ == end_) {
                        if (depth || to_close) give_up();
                        return;
                    }
                    break;
            }
            ++p_;
        }
    }

    // ---- lexical ----------------------------------------------------------------------

    // The text ends in a NUL (as a std::string does), so looking one or two bytes ahead
    // needs no bound check: a NUL is no token's character, and one inside the text stops
    // the reader like any other stray byte.
    char peek(size_t ahead = 0) const { return p_[ahead]; }
    // On a local cursor, stored once (see `identifier`); one space, the next most
    // common case, costs a test more than none. `after_blanks` leaves the cursor where it
    // is, for a reader that looks past the blanks for an operator first.
    [[gnu::always_inline]] const char* after_blanks() const {
        const char* q = p_;
        if (static_cast<unsigned char>(*q) > ' ') return q;  // most often: the next token is here
        if (*q == ' ' && static_cast<unsigned char>(q[1]) > ' ') return q + 1;
        while (*q == ' ' || *q == '\t') ++q;
        return q;
    }
    [[gnu::always_inline]] void blanks() { p_ = after_blanks(); }
    bool eol() {
        if (*p_ == '\n') return ++p_, true;
        if (*p_ == '\r' && p_[1] == '\n') return p_ += 2, true;
        return false;
    }
    // comment = "#" { any character but a line end }
    void comment() {
        const void* nl = std::memchr(p_, '\n', static_cast<size_t>(end_ - p_));
        p_ = nl ? static_cast<const char*>(nl) : end_;
        if (p_ > begin_ && p_[-1] == '\r' && p_ != end_) --p_;  // `\r\n` is the line end
    }
    // gap = { blank | line end | ";" | comment }
    void gap() {
        for (;;) {
            blanks();
            if (eol() || (peek() == ';' && ++p_)) continue;
            if (peek() == '#') {
                comment();
                continue;
            }
            return;
        }
    }
    void expect_char(char c) {
        if (peek() != c) give_up();
        ++p_;
    }
    // identifier
    //
    // The loop over the bytes of a name runs on a local cursor, stored once: `p_` is a
    // member, and a char may alias anything, `p_` included, so through `p_` itself each
    // byte read would need the member written back first.
    [[gnu::always_inline]] std::string_view identifier() {
        const char* const start = p_;
        if (!ident_first(*start)) give_up();
        const char* q = start + 1;
        while (ident_other(*q)) ++q;
        p_ = q;
        const auto n = static_cast<size_t>(q - start);
        if (n > name_limit_) give_up();
        return {start, n};
    }
    // A name just read, as the let table looks it up: the text ends in a NUL, so its eight
    // bytes may be read where at least seven follow the name's first.
    [[gnu::always_inline]] quick::LetTable::Key let_key(std::string_view n) const {
        return quick::LetTable::key(n, end_ - n.data() >= 7);
    }
    // digits = "0".."9" { ["_"] "0".."9" }, as a value. Eighteen digits always fit in an
    // int64_t, so no step checks for overflow; a longer number gives up.
    [[gnu::always_inline]] Num digits() {
        if (!is_digit(peek())) give_up();
        uint64_t v = static_cast<uint64_t>(*p_++ - '0');
        int count = 1;
        for (;;) {
            if (is_digit(*p_)) {
                if (++count > 18) give_up();
                v = v * 10 + static_cast<uint64_t>(*p_++ - '0');
            } else if (*p_ == '_' && is_digit(p_[1])) {
                ++p_;
            } else {
                return static_cast<Num>(v);
            }
        }
    }
    // end_of_statement = sp [comment] (line end | ";" | &"}" | end of file)
    void end_of_statement() {
        blanks();
        if (peek() == '#') comment();
        if (eol() || (peek() == ';' && ++p_)) return;
        if (peek() == '}' || p_ == end_) return;
        give_up();
    }
    void enter() {
        if (++depth_ > depth_limit_) give_up();
    }

    // ---- expressions ------------------------------------------------------------------
    //
    // Each function returns the value as a Num and leaves what else there is to know in
    // members: `type_` (an integer, a word, a list in `list_`), `word_` and `height_`. So the
    // common case, an integer, is passed in registers.

    // Where the code of the expression about to be read starts, making a plan.
    template <bool R = true>
    uint32_t recording_at() const {
        if constexpr (R) return rec_ ? rec_->mark() : 0;
        return 0;
    }

    // Each expression function below is made twice: `R` (recording) tells a plan's
    // recorder (`rec_`, scanning) what it reads; without it, as when evaluating, no call to
    // the recorder is there to cost anything.

    // A value of an expression, for the callers that look at more than an integer.
    Value value() { return rec_ ? value_read<true>() : value_read<false>(); }
    Num integer() { return rec_ ? integer_read<true>() : integer_read<false>(); }
    template <bool R>
    Value value_read() {
        Value v;
        v.integer = expr<R>();
        v.type = type_;
        v.word = word_;
        return v;
    }
    template <bool R>
    Num integer_read() {
        const Num v = expr<R>();
        if (type_ != Value::Type::integer) not_integer();  // the rare case first: one test
        return v;
    }
    Num integer_of(const Value& v) const {
        if (v.type != Value::Type::integer) not_integer();
        return v.integer;
    }
    void need_integer() const {
        if (type_ != Value::Type::integer) not_integer();  // the rare case first: one test
    }
    // A list or a word where an integer goes: evaluating, the reference reports it; making
    // a plan, the plan cannot hold it.
    void not_integer() const {
        if (evaluating_) give_up();
        if (rec_) rec_->refuse();
    }
    void set_height(uint32_t h) { height_ = checked_height(h); }
    uint32_t checked_height(uint32_t h) const {
        if (h > depth_limit_) give_up();
        return h;
    }
    // The reference computes in 128 bits and reports a value beyond 64; here a value beyond
    // int64_t gives up (the reference then answers), so the common case is one instruction
    // and an overflow flag.
    template <bool R>
    Num apply_operator(Num a, Num b, char op) {
        if (!evaluating_) {
            if constexpr (R) rec_->operation(op);
            return 0;
        }
        return arithmetic(a, b, op);
    }
    static Num negated(Num v) {
        if (v == INT64_MIN) give_up();
        return -v;
    }
    // `op` as apply_operator writes it: `f` for `//`
    static Num arithmetic(Num a, Num b, char op) {
        Num v;
        if (op == '+') {
            if (__builtin_add_overflow(a, b, &v)) give_up();
        } else if (op == '-') {
            if (__builtin_sub_overflow(a, b, &v)) give_up();
        } else if (op == '*') {
            if (__builtin_mul_overflow(a, b, &v)) give_up();
        } else {
            if (b == 0 || (b == -1 && a == INT64_MIN)) give_up();
            v = a / b;
            if (a % b != 0) {
                if (op == '/') give_up();  // not exact: the reference reports it
                if ((a < 0) != (b < 0)) --v;  // `//` rounds towards negative infinity
            }
        }
        return v;
    }
    // expr = sum;  sum = product { add_op product };  product = unary { mul_op unary }
    // mul_op = "//" | "*" | "/"
    // Both levels in one loop: after each operand the next byte decides, so a size with no
    // operator (most of them) is settled by one look at what follows it.
    template <bool R>
    Num expr() {
        Num sum = 0, product = operand<R>();
        uint32_t sum_height = 0, product_height = height_;
        char add_op = 0;  // the operator before `product`; 0: none yet
        for (;;) {
            const char* q = after_blanks();
            char op = *q;
            const uint8_t kind = operator_kinds[static_cast<unsigned char>(op)];
            if (kind == multiplying) {
                need_integer();
                p_ = q + 1;
                if (op == '/' && *p_ == '/') ++p_, op = 'f';
                blanks();
                const Num b = operand<R>();
                need_integer();
                product_height = checked_height(std::max(product_height, height_) + 1);
                product = apply_operator<R>(product, b, op);
                continue;
            }
            const bool add = kind == adding && !(op == '-' && q[1] == '>');
            if (add_op) {
                need_integer();
                sum_height = checked_height(std::max(sum_height, product_height) + 1);
                sum = apply_operator<R>(sum, product, add_op);
            } else {
                if (!add) {
                    height_ = product_height;
                    return product;
                }
                need_integer();
                sum = product;
                sum_height = product_height;
            }
            if (!add) {
                height_ = sum_height;
                return sum;
            }
            add_op = op;
            p_ = q + 1;
            blanks();
            product = operand<R>();
            product_height = height_;
        }
    }
    // An operand of a sum or product: a number or a name read here, where most sizes are
    // nothing more, without a call; anything else (a negation, parentheses) in `unary`.
    template <bool R>
    [[gnu::always_inline]] Num operand() {
        const char c = *p_;
        if (is_digit(c)) return number<R>();
        if (ident_first(c)) return name<R>();
        return unary<R>();
    }
    // unary = negation | primary;  negation = "-" unary
    template <bool R>
    [[gnu::noinline]] Num unary() {
        if (*p_ != '-') return primary<R>();
        enter();
        ++p_;
        blanks();
        const Num v = unary<R>();
        --depth_;
        need_integer();
        set_height(height_ + 1);
        if constexpr (R) rec_->negate();
        return negated(v);
    }
    // primary = number | name_ref | parens
    template <bool R>
    Num primary() {
        const char c = *p_;
        if (is_digit(c)) return number<R>();
        if (ident_first(c)) return name<R>();
        if (c == '(') return parens<R>();
        give_up();
    }
    // number = xshape | integer   (a decimal is not a size: the reference reports it)
    template <bool R>
    [[gnu::always_inline]] Num number() {
        const Num v = digits();
        type_ = Value::Type::integer;
        height_ = 1;
        if constexpr (R) rec_->constant(v);
        if (*p_ == 'x' && is_digit(p_[1])) xshape<R>(v);
        if (ident_other(*p_) || *p_ == '.') give_up();
        return v;
    }
    // xshape = digits "x" digits { "x" digits }, after its first digits; out of line, so
    // that a plain number costs no more than its digits
    template <bool R>
    [[gnu::noinline]] void xshape(Num first) {
        list_.clear();
        list_.push_back(first);
        while (*p_ == 'x' && is_digit(p_[1])) {
            ++p_;
            list_.push_back(digits());
            if constexpr (R) rec_->constant(list_.back());
        }
        type_ = Value::Type::list;
        height_ = 2;
        if constexpr (R) {  // one constant an item, the first one already there
            boost::container::small_vector<uint32_t, 4> starts;
            for (size_t i = 0; i < list_.size(); ++i) starts.push_back(rec_->mark() - static_cast<uint32_t>(list_.size() - i));
            rec_->list(starts);
        }
    }
    // name_ref = identifier: a block parameter, a local, a repeat index or a top-level let
    template <bool R>
    [[gnu::always_inline]] Num name() {
        const std::string_view n = identifier();
        type_ = Value::Type::integer;
        height_ = 1;
        if (!evaluating_) {
            if (same_name(n, watched_)) watched_used_ = true;
            if constexpr (R) rec_->name(n, let_key(n));
            return 0;
        }
        if (const Wide* local = scope_->find(n)) {
            if (local == watched_slot_) watched_hit_ = true;
            return static_cast<Num>(*local);  // each one put there by this reader
        }
        const Num* let = chunked_ ? lets_.use_before(let_key(n), visible_lets_) : lets_.use(let_key(n));
        if (!let) {
            type_ = Value::Type::word;
            word_ = n;
            return 0;
        }
        return *let;
    }
    // parens = "(" expr { "," expr } ")"   (one element: grouping; more: a tuple)
    template <bool R>
    Num parens() {
        enter();
        ++p_;
        blanks();
        boost::container::small_vector<uint32_t, 4> starts;  // recording: where each item's code starts
        if constexpr (R) starts.push_back(rec_->mark());
        const Num first = expr<R>();
        blanks();
        if (*p_ != ',') {
            expect_char(')');
            --depth_;
            return first;
        }
        need_integer();
        uint32_t height = height_;
        boost::container::small_vector<Num, 4> values = {first};
        while (*p_ == ',') {
            ++p_;
            blanks();
            if constexpr (R) starts.push_back(rec_->mark());
            values.push_back(integer_read<R>());
            height = std::max(height, height_);
            blanks();
        }
        expect_char(')');
        --depth_;
        if constexpr (R) rec_->list(starts);
        list_.assign(values.begin(), values.end());
        type_ = Value::Type::list;
        set_height(height + 1);
        return 0;
    }

    // ---- statements -------------------------------------------------------------------

    // statements = gap { statement gap }, up to the end of the file or a body's `}`
    quick::Totals statements(Scope& scope, std::vector<Expect>* expects, bool top_level) {
        quick::Totals totals;
        if (evaluating_ && ++nesting_ > nesting_limit_) give_up();
        for (size_t index = 0;; ++index) {
            gap();
            if (p_ == end_ || peek() == '}') break;
            statement(scope, expects, top_level, top_level && index == 0, totals);
            end_of_statement();
        }
        if (evaluating_) --nesting_;
        return totals;
    }

    void add(quick::Totals& total, const quick::Totals& part, uint64_t times = 1) {
        total.params += part.params * Count(times);
        total.trainable += part.trainable * Count(times);
        if (total.params.overflow()) give_up();
    }

    void statement(Scope& scope, std::vector<Expect>* expects, bool top_level, bool first, quick::Totals& totals) {
        scope_ = &scope;
        const std::string_view head = identifier();
        if (is_statement_keyword(head)) {
            if (is_word(head, "let")) return let_statement(scope, top_level);
            if (is_word(head, "repeat")) return repeat_statement(scope, expects, totals);
            if (is_word(head, "block")) return block_statement(top_level, false);
            if (is_word(head, "expect")) return expect_statement(expects);
            if (is_word(head, "network") && first) {
                blanks();
                identifier();
                return;
            }
            give_up();
        }
        if (peek() == '(') return call(head, scope, totals);
        if (rec_) return layer<true>(head, scope, totals);
        layer<false>(head, scope, totals);
    }

    // let_statement = "let" identifier "=" expr
    void let_statement(Scope& scope, bool top_level) {
        blanks();
        const std::string_view name = identifier();
        const quick::LetTable::Key key = let_key(name);
        if (top_level && evaluating_) lets_.prefetch(key);
        blanks();
        expect_char('=');
        blanks();
        scope_ = &scope;
        const uint32_t at = recording_at();
        const Num value = integer();
        if (!evaluating_) {
            if (rec_) rec_->let(name, rec_->integer_since(at, false));
            return;
        }
        if (top_level) {
            if (chunked_) {
                if (!lets_.settle(key, value, visible_lets_++)) give_up();  // declared before, in this order
                return;
            }
            if (!lets_.insert(key, value, declaring_)) give_up();  // defined twice
            return;
        }
        for (const auto& [n, v] : scope.names) {
            if (same_name(n, name)) give_up();  // already defined in this block
        }
        scope.names.emplace_back(name, value);
    }

    // expect_statement = "expect" identifier "=" shape
    void expect_statement(std::vector<Expect>* expects) {
        blanks();
        const std::string_view subject = identifier();
        blanks();
        expect_char('=');
        blanks();
        const bool known = is_word(subject, "params") || is_word(subject, "trainable");
        if (evaluating_ && !known) give_up();
        const uint32_t at = recording_at();
        const Num value = integer();
        if (evaluating_ && expects) expects->push_back({is_word(subject, "params"), value});
        if (rec_) {
            if (!known) rec_->refuse();
            rec_->expect(is_word(subject, "params"), rec_->integer_since(at, false));
        }
    }

    void check_expects(const std::vector<Expect>& expects, const quick::Totals& t) const {
        for (const Expect& e : expects) {
            if (e.value < 0 || (e.params ? t.params : t.trainable).value() != static_cast<uint64_t>(e.value)) give_up();
        }
    }

    // A body (after its `{`) read in scanning mode: where its `}` is, and whether an
    // expression in it names `watched`. Remembered, as a repeat inside a repeat asks again.
    struct Scanned {
        const char* close;
        bool uses_watched;
    };
    Scanned scan_body(const char* body, std::string_view watched) {
        if (const auto it = scanned_.find(body); it != scanned_.end()) return it->second;
        // scanning: no statement takes effect, and no name is looked up
        const bool was_evaluating = evaluating_;
        const std::string_view was_watched = watched_;
        const bool was_used = watched_used_;
        evaluating_ = false;
        watched_ = watched;
        watched_used_ = false;
        p_ = body;
        Scope unused;
        statements(unused, nullptr, false);
        if (peek() != '}') give_up();
        const Scanned s{p_, !watched.empty() && watched_used_};
        evaluating_ = was_evaluating;
        watched_ = was_watched;
        watched_used_ = was_used;
        // Remembered only inside a body, which may be evaluated again; a top-level
        // statement is read once.
        if (nesting_ > 1) scanned_.emplace(body, s);
        return s;
    }
    // body = "{" statements "}", at its `{`: scanned, and left with the cursor after it
    // Scanning already, the body is part of the scan: an outer index named inside it counts.
    const char* open_body(std::string_view watched, bool& uses_watched) {
        expect_char('{');
        enter();
        const char* body = p_;
        if (evaluating_) {
            const Scanned s = scan_body(body, watched);
            uses_watched = s.uses_watched;
            p_ = s.close;
        } else {
            Scope unused;
            statements(unused, nullptr, false);
        }
        expect_char('}');
        --depth_;
        return body;
    }

    // A scope inside `parent`, built member by member: brace-initialized, the compiler
    // zeroes the names' inline storage first (some 200 bytes a call or iteration).
    static Scope nested_scope(const Scope* parent, bool in_block) {
        Scope s;
        s.parent = parent;
        s.in_block = in_block;
        return s;
    }

    quick::Totals evaluate_body(const char* body, Scope& scope, std::vector<Expect>* expects) {
        const char* resume = p_;
        p_ = body;
        const quick::Totals t = statements(scope, expects, false);
        if (*p_ != '}') give_up();
        body_close_ = p_;
        p_ = resume;
        return t;
    }

    void budget() {
        if (++evaluations_ > evaluation_limit_) give_up();
    }

    // repeat_statement = "repeat" expr ["as" identifier] body
    void repeat_statement(Scope& scope, std::vector<Expect>* expects, quick::Totals& totals) {
        blanks();
        scope_ = &scope;
        const uint32_t at = recording_at();
        const Num count = integer();
        const plan::Expr count_code = rec_ ? rec_->integer_since(at, false) : plan::Expr{};
        blanks();
        std::string_view index;
        if (ident_first(peek())) {
            if (!is_word(identifier(), "as")) give_up();
            blanks();
            index = identifier();
            blanks();
        }
        bool uses_index = false;
        const char* body;
        const bool direct = evaluating_ && count > 0;
        if (direct) {
            // Its first iteration reads the whole body: no scan is needed to check it or to
            // find its end (the cursor moves past the body below). Whether it names the
            // index is seen in that iteration, mostly (see below).
            expect_char('{');
            enter();
            body = p_;
        } else {
            if (rec_) rec_->begin_repeat(index);
            body = open_body(index, uses_index);
            if (rec_) rec_->end_repeat(count_code);
            if (!evaluating_) return;
            if (count < 0) give_up();
            if (count == 0) return;
        }
        const auto total = static_cast<uint64_t>(count);
        const char* close = nullptr;
        struct Leave {  // read here, not scanned: past the body, whichever way this returns
            Reader& r;
            const bool& direct;
            const char*& close;
            ~Leave() {
                if (direct && close) {
                    r.p_ = close + 1;
                    --r.depth_;
                }
            }
        } leave{*this, direct, close};
        // One iteration. With `saw_index`, it watches for a lookup that finds the index
        // and says whether one did.
        const auto run_once = [&](uint64_t i, bool* saw_index = nullptr) {
            Scope local = nested_scope(&scope, scope.in_block);
            if (!index.empty()) local.names.emplace_back(index, static_cast<Num>(i));
            const Wide* const was_watched = watched_slot_;
            const bool was_hit = watched_hit_;
            if (saw_index) {
                watched_slot_ = &local.names.back().second;  // moved if a local `let` grows the list: then not seen
                watched_hit_ = false;
            }
            const quick::Totals t = evaluate_body(body, local, expects);
            close = body_close_;
            if (saw_index) {
                *saw_index = watched_hit_;
                watched_slot_ = was_watched;
                watched_hit_ = was_hit;
            }
            return t;
        };
        Steps steps;
        uint64_t done = 0;
        if (!index.empty()) {
            // The first iteration, watching for a lookup that finds the index. One that
            // does settles it; none leaves the question to a scan, as an index named only
            // in a body that this iteration did not evaluate (a `repeat 0` inside) counts.
            budget();
            Shape in = shape_;
            bool saw_index = false;
            const quick::Totals first = run_once(0, &saw_index);
            uses_index = saw_index || scan_body(body, index).uses_watched;
            add(totals, first);
            done = 1;
            if (uses_index) {
                for (uint64_t i = 1; i < total; ++i) {
                    budget();
                    add(totals, run_once(i));
                }
                return;
            }
            steps.push_back({std::move(in), first, shape_});
        }
        cycle(steps, done, total, totals, [&](uint64_t) { return run_once(0); });
    }

    // The evaluations of a repeat's body, `total` iterations: every one where the body
    // names the index (`every`), else as `cycle` goes. `run_once(i)` evaluates iteration i.
    template <typename RunOnce>
    void iterate(uint64_t total, bool every, quick::Totals& totals, const RunOnce& run_once) {
        if (every) {
            for (uint64_t i = 0; i < total; ++i) {
                budget();
                add(totals, run_once(i));
            }
            return;
        }
        Steps steps;
        cycle(steps, 0, total, totals, run_once);
    }

    // The iterations from `done` on of a body that does not name its index, `steps` being
    // those evaluated so far. As the reference: one evaluation per distinct input shape,
    // then whole cycles.
    struct Step {
        Shape in;
        quick::Totals totals;
        Shape out;
    };
    using Steps = boost::container::small_vector<Step, 2>;
    template <typename RunOnce>
    void cycle(Steps& steps, uint64_t done, uint64_t total, quick::Totals& totals, const RunOnce& run_once) {
        while (done < total) {
            size_t start = 0;
            while (start < steps.size() && !(steps[start].in == shape_)) ++start;
            if (start < steps.size()) {
                const uint64_t length = steps.size() - start, remaining = total - done;
                const uint64_t whole = remaining / length, rest = remaining % length;
                if (length == 1) {
                    add(totals, steps[start].totals, remaining);
                    shape_ = steps[start].out;
                } else {
                    quick::Totals cycle;
                    for (size_t k = start; k < steps.size(); ++k) add(cycle, steps[k].totals);
                    if (whole) add(totals, cycle, whole);
                    for (uint64_t k = 0; k < rest; ++k) {
                        add(totals, steps[start + k].totals);
                        shape_ = steps[start + k].out;
                    }
                }
                return;
            }
            if (steps.size() >= 16) give_up();
            budget();
            Shape in = shape_;
            const quick::Totals t = run_once(0);
            steps.push_back({std::move(in), t, shape_});
            add(totals, t);
            ++done;
        }
    }

    // ---- plans (quick_plan.hpp) --------------------------------------------------------

    // Runs `make` with the reader scanning and `r` told what it reads; where the cursor and
    // the rest of the reader's state were, after. Whether `r` holds what was read.
    template <typename Make>
    bool record(Recorder& r, const Make& make) {
        struct Saved {  // put back however `make` ends, giving up included
            Reader& reader;
            const char* p = reader.p_;
            uint32_t depth = reader.depth_;
            bool evaluating = reader.evaluating_;
            std::string_view watched = reader.watched_;
            bool watched_used = reader.watched_used_;
            const Scope* scope = reader.scope_;
            Value::Type type = reader.type_;
            std::string_view word = reader.word_;
            uint32_t height = reader.height_;
            ~Saved() {
                reader.rec_ = nullptr;
                reader.p_ = p;
                reader.depth_ = depth;
                reader.evaluating_ = evaluating;
                reader.watched_ = watched;
                reader.watched_used_ = watched_used;
                reader.scope_ = scope;
                reader.type_ = type;
                reader.word_ = word;
                reader.height_ = height;
            }
        } saved{*this};
        evaluating_ = false;
        watched_ = {};
        rec_ = &r;
        make();
        return !r.refused();
    }
    // A body's statements, from the cursor to its `}`, into `r`.
    plan::Body record_body(Recorder& r) {
        r.begin_body();
        Scope unused;
        statements(unused, nullptr, false);
        if (peek() != '}') give_up();
        return r.end_body();
    }

    // A block's plan: its parameters' defaults and its body, scanned as its definition scans
    // them (where the body is scanned for the first time, this is that scan). Refused, the
    // block is read from the text at every call. Where its body's `}` is.
    const char* plan_block(Block& block) {
        const plan::Store::Sizes before = block_plans_.sizes();
        Recorder r(block_plans_);
        plan::Plan plan;
        const char* close = nullptr;
        const bool made = record(r, [&] {
            depth_ = 1;  // inside its body's braces, as at its definition
            r.open_scope();
            plan.first_default = static_cast<uint32_t>(block_plans_.defaults.size());
            for (const Param& param : block.params) {  // a default sees the parameters before it
                plan::Expr code;
                if (param.default_at) {
                    p_ = param.default_at;
                    const uint32_t at = r.mark();
                    integer();
                    code = r.integer_since(at, false);
                }
                block_plans_.defaults.push_back(code);
                r.bind(param.name);
            }
            p_ = block.body;
            plan.body = record_body(r);
            close = p_;
        });
        if (!made) {
            block_plans_.truncate(before);
            block.planned = Block::Planned::refused;
            return close;
        }
        plan.slots = r.slots();
        block.plan = plan;
        block.planned = Block::Planned::made;
        return close;
    }

    // A plan's body: its statements in order, as `statements` evaluates the text. `frame`
    // holds the values of the plan's names; `expects`: where the block's `expect`s go,
    // those in its repeats' bodies too.
    quick::Totals run_body(plan::Store& st, plan::Body body, Num* frame, std::vector<Expect>& expects) {
        quick::Totals totals;
        if (++nesting_ > nesting_limit_) give_up();
        for (uint32_t k = body.first; k < body.first + body.count; ++k) {
            const plan::Statement s = st.statements[k];
            switch (s.type) {
                case plan::Statement::Type::layer: run_layer(st, st.layers[s.index], frame, totals); break;
                case plan::Statement::Type::let: {
                    const plan::Let let = st.lets[s.index];
                    frame[let.slot] = run_expr(st, let.value, frame);
                    break;
                }
                case plan::Statement::Type::repeat: run_repeat(st, s.index, frame, expects, totals); break;
                case plan::Statement::Type::call: run_call(st, s.index, frame, totals); break;
                case plan::Statement::Type::expect: {
                    const plan::Expect e = st.expects[s.index];
                    const Num value = run_expr(st, e.value, frame);
                    expects.push_back({e.params, value});
                    break;
                }
            }
        }
        --nesting_;
        return totals;
    }

    // A layer of a plan: its sizes, then the rules every layer goes through (quick_layer.cpp).
    void run_layer(plan::Store& st, const plan::Layer& pl, const Num* frame, quick::Totals& totals) {
        quick::Layer l;
        l.kind = pl.kind;
        l.bias = pl.bias;
        l.trainable = pl.trainable;
        if (pl.has_in) {
            l.in = run_size(st, pl.in, frame);
            l.has_in = true;
        }
        if (pl.has_out) {
            l.out = run_size(st, pl.out, frame);
            l.has_out = true;
        }
        l.kernel_count = pl.kernel_count;
        for (size_t i = 0; i < pl.kernel_count; ++i) l.kernel[i] = run_size(st, pl.kernel[i], frame);
        if (!quick::apply(l, shape_, totals)) give_up();
    }
    Num run_size(plan::Store& st, plan::Expr e, const Num* frame) {
        const Num w = run_expr(st, e, frame);
        if (w < 1) give_up();  // as `size_of`
        return w;
    }

    void run_repeat(plan::Store& st, uint32_t index, Num* frame, std::vector<Expect>& expects, quick::Totals& totals) {
        const plan::Repeat r = st.repeats[index];  // a copy: a call in its body may add to the store
        const Num count = run_expr(st, r.count, frame);
        if (count < 0) give_up();
        iterate(static_cast<uint64_t>(count), r.uses_index, totals, [&](uint64_t i) {
            if (r.has_index) frame[r.index_slot] = static_cast<Num>(i);
            return run_body(st, r.body, frame, expects);
        });
    }

    void run_call(plan::Store& st, uint32_t index, const Num* frame, quick::Totals& totals) {
        plan::Call& c = st.calls[index];
        if (!c.block) c.block = blocks_.find(c.name);  // a block, once defined, stays
        Block& block = callee(c.name, static_cast<Block*>(c.block));
        const plan::Call call = c;  // a copy: the block's first call may add to the store
        Arguments args(block.params.size());
        for (uint32_t k = call.first_arg; k < call.first_arg + call.arg_count; ++k) {
            const plan::Arg a = st.args[k];
            args.bind(block, a.name, run_expr(st, a.value, frame));
        }
        invoke(block, call.name, args, totals);
    }

    // An expression of a plan: most are a single operand; the rest run on a stack, out of line.
    [[gnu::always_inline]] Num run_expr(plan::Store& st, plan::Expr e, const Num* frame) {
        if (e.single()) return run_operand(st, st.code[e.begin], frame);
        return run_code(st, e, frame);
    }
    [[gnu::noinline]] Num run_code(plan::Store& st, plan::Expr e, const Num* frame) {
        const plan::Code* c = st.code.data() + e.begin;
        Num stack[Recorder::max_stack];
        size_t n = 0;
        for (const plan::Code* const end = st.code.data() + e.end; c != end; ++c) {
            switch (c->op) {
                case plan::Op::constant:
                case plan::Op::slot:
                case plan::Op::global: stack[n++] = run_operand(st, *c, frame); break;
                case plan::Op::negate: stack[n - 1] = negated(stack[n - 1]); break;
                default:  // an operator, its byte
                    --n;
                    stack[n - 1] = arithmetic(stack[n - 1], stack[n], static_cast<char>(c->op));
                    break;
            }
        }
        return stack[0];
    }
    [[gnu::always_inline]] Num run_operand(plan::Store& st, const plan::Code& c, const Num* frame) {
        if (c.op == plan::Op::constant) return c.value;
        if (c.op == plan::Op::slot) return frame[c.index];
        return run_global(st.globals[c.index]);
    }
    // A top-level let a plan names, as `name` looks it up.
    Num run_global(plan::Global& g) {
        if (g.known && !chunked_) return g.value;
        const Num* let = chunked_ ? lets_.use_before(g.key, visible_lets_) : lets_.use(g.key);
        if (!let) give_up();  // a word where a size goes, or a let not defined yet
        if (!chunked_) {
            g.value = *let;
            g.known = true;
        }
        return *let;
    }

    // block_statement = "block" identifier params body
    // params = "(" [param {"," param}] ")";  param = identifier ["=" expr]
    // `declaring`: the tail's declarations (see `declare_before`), where the body is passed over.
    void block_statement(bool top_level, bool declaring) {
        if (!top_level || !evaluating_) give_up();  // the reference reports a nested block
        blanks();
        const std::string_view name = identifier();
        blanks();
        expect_char('(');
        blanks();
        Block block;
        const bool was_evaluating = evaluating_;
        evaluating_ = false;  // defaults are evaluated at each call
        if (peek() != ')') {
            for (;;) {
                Param param;
                param.name = identifier();
                blanks();
                if (peek() == '=') {
                    ++p_;
                    blanks();
                    param.default_at = p_;
                    expr<false>();  // checked now, evaluated at each call
                    blanks();
                }
                for (const Param& q : block.params) {
                    if (same_name(q.name, param.name)) give_up();  // listed twice
                }
                block.params.push_back(param);
                if (peek() != ',') break;
                ++p_;
                blanks();
            }
        }
        evaluating_ = was_evaluating;
        expect_char(')');
        blanks();
        if (declaring) {
            expect_char('{');
            block.body = p_;
            pass(true);
        } else if (plans_ && !chunked_) {  // the one scan of its body makes its plan too
            expect_char('{');
            enter();
            block.body = p_;
            p_ = plan_block(block);
            expect_char('}');
            --depth_;
        } else {
            bool unused = false;
            block.body = open_body({}, unused);
        }
        if (chunked_) {  // declared before: the same one
            const Block* known = blocks_.find(name);
            if (!known || known->body != block.body) give_up();
            return;
        }
        if (!blocks_.insert(name, std::move(block))) give_up();  // defined twice
    }

    // call_args = "(" [arg {"," arg}] ")";  arg = identifier "=" expr | expr
    void call(std::string_view name, Scope& scope, quick::Totals& totals) {
        ++p_;
        blanks();
        Block* block = evaluating_ ? &callee(name, blocks_.find(name)) : nullptr;
        Arguments args(block ? block->params.size() : 0);
        scope_ = &scope;
        if (rec_) rec_->begin_call(name);
        if (peek() != ')') {
            for (;;) {
                std::string_view arg_name;
                if (ident_first(peek())) {
                    const char* save = p_;
                    const std::string_view word = identifier();
                    blanks();
                    if (peek() == '=') {
                        ++p_;
                        blanks();
                        arg_name = word;
                    } else {
                        p_ = save;
                    }
                }
                const uint32_t at = recording_at();
                const Value v = value();
                if (block) args.bind(*block, arg_name, integer_of(v));
                if (rec_) rec_->argument(arg_name, rec_->integer_since(at, v.type == Value::Type::list));
                blanks();
                if (peek() != ',') break;
                ++p_;
                blanks();
            }
        }
        expect_char(')');
        if (rec_) rec_->end_call();
        if (!block) return;
        invoke(*block, name, args, totals);
    }

    // The block a call names, if it may be called here: defined (before the statement, in a
    // chunk), not calling itself, not too deep.
    Block& callee(std::string_view name, Block* block) {
        if (!block || (chunked_ && block->body > statement_at_)) give_up();  // perhaps defined further down: the reference decides
        for (std::string_view caller : call_stack_) {
            if (same_name(caller, name)) give_up();  // recursion
        }
        if (call_stack_.size() >= options_.max_call_depth) give_up();
        return *block;
    }

    // A call's arguments, as its block's parameters take them.
    struct Arguments {
        explicit Arguments(size_t n) : values(n), given(n, false) {}
        boost::container::small_vector<Num, 8> values;
        boost::container::small_vector<bool, 8> given;
        size_t position = 0;
        // `name`: empty for a positional argument
        void bind(const Block& block, std::string_view name, Num value) {
            const size_t n = block.params.size();
            size_t i = position;
            if (name.empty()) {
                if (position >= n) give_up();
                ++position;
            } else {
                for (i = 0; i < n && !same_name(block.params[i].name, name); ++i) {}
                if (i == n) give_up();
            }
            if (given[i]) give_up();
            given[i] = true;
            values[i] = value;
        }
    };

    // The body of `block` with these arguments, its defaults for the rest: through its plan
    // (see quick_plan.hpp; made here for a block whose definition was passed over), or from
    // the text where it has none.
    void invoke(Block& block, std::string_view name, const Arguments& args, quick::Totals& totals) {
        if (block.planned == Block::Planned::not_yet && plans_) plan_block(block);
        const bool planned = block.planned == Block::Planned::made;
        const plan::Plan plan = block.plan;
        boost::container::small_vector<Num, 16> frame(planned ? plan.slots : 0);  // the plan's names
        Scope block_scope = nested_scope(nullptr, true);                          // or the text's
        for (size_t i = 0; i < block.params.size(); ++i) {
            Num value = args.values[i];
            if (!args.given[i]) {
                if (!block.params[i].default_at) give_up();  // a missing argument
                if (planned) {
                    value = run_expr(block_plans_, block_plans_.defaults[plan.first_default + i], frame.data());
                } else {
                    const char* resume = p_;
                    p_ = block.params[i].default_at;
                    scope_ = &block_scope;
                    value = integer();
                    p_ = resume;
                }
            }
            if (planned) frame[i] = value;
            else block_scope.names.emplace_back(block.params[i].name, value);
        }
        budget();
        call_stack_.push_back(name);
        std::vector<Expect> expects;
        planned_calls_ += planned;
        const quick::Totals t = planned ? run_body(block_plans_, plan.body, frame.data(), expects)
                                        : evaluate_body(block.body, block_scope, &expects);
        call_stack_.pop_back();
        check_expects(expects, t);
        add(totals, t);
    }

    // A size: a positive integer that fits in 63 bits (2_layer.cpp: assign_field).
    [[gnu::always_inline]] int64_t size_of(const Value& v) const {
        const Num w = integer_of(v);
        if (evaluating_ && w < 1) give_up();
        return w;
    }

    // layer = identifier [dims] { item };  dims = dim_list ["->" dim_list]
    // item = "as" identifier | item_key ["=" item_value]
    template <bool R>
    void layer(std::string_view kind_name, Scope& scope, quick::Totals& totals) {
        quick::Layer l;
        if (evaluating_ && !quick::find_kind(kind_name, l.kind)) give_up();
        if constexpr (R) rec_->begin_layer(kind_name);
        scope_ = &scope;
        blanks();
        bool has_dims;
        const char c = peek();
        if (ident_first(c)) {
            const char* save = p_;
            const std::string_view word = identifier();
            blanks();
            has_dims = !is_flag_word(word) && peek() != '=';
            p_ = save;
        } else {
            has_dims = is_digit(c) || c == '(' || c == '-';
        }
        Marks marks;
        if (has_dims) {
            const uint32_t at = recording_at<R>();
            const Value first = value_read<R>();
            if constexpr (R) rec_->take(at, first.type == Value::Type::list);
            const char* save = p_;
            blanks();
            if (peek() == ',') give_up();  // a list of sizes: not a kind handled here
            if (peek() == '-' && peek(1) == '>') {
                p_ += 2;
                blanks();
                const uint32_t second_at = recording_at<R>();
                const Value second = value_read<R>();
                if (evaluating_) {
                    l.in = size_of(first);
                    l.out = size_of(second);
                    l.has_in = l.has_out = true;
                    marks.set(Field::in);
                    marks.set(Field::out);
                } else if constexpr (R) {
                    rec_->layer_in_out(second_at, second.type == Value::Type::list);
                }
                const char* after = p_;
                blanks();
                if (peek() == ',') give_up();
                p_ = after;
            } else {
                p_ = save;
                if (evaluating_) {
                    if (l.kind == quick::Kind::embedding) give_up();  // takes no single size
                    l.out = size_of(first);
                    l.has_out = true;
                    marks.set(Field::out);
                } else if constexpr (R) {
                    rec_->layer_out();
                }
            }
        }
        for (;;) {
            const char* save = p_;
            blanks();
            if (!ident_first(peek())) {
                p_ = save;
                break;
            }
            const std::string_view key = identifier();
            if (is_word(key, "as")) give_up();  // a named layer
            const char* after_key = p_;
            blanks();
            if (peek() != '=') {
                p_ = after_key;
                if (!evaluating_) {
                    if constexpr (R) rec_->layer_flag(key);
                    continue;
                }
                // a flag
                const Field f = flag_field(l.kind, key);
                if (f == Field::count) give_up();
                marks.set(f);
                if (f == Field::frozen) l.trainable = false;
                else l.bias = is_word(key, "bias");
                continue;
            }
            ++p_;
            blanks();
            const uint32_t at = recording_at<R>();
            const Value v = value_read<R>();
            if (!evaluating_) {
                if constexpr (R) rec_->layer_option(key, at, v.type == Value::Type::list);
                continue;
            }
            option(l, key, v, marks);
        }
        if (!evaluating_) {
            if constexpr (R) rec_->end_layer();
            return;
        }
        if (!quick::apply(l, shape_, totals)) give_up();
    }

    // key=value, as `option_field` says what it sets
    void option(quick::Layer& l, std::string_view key, const Value& v, Marks& marks) {
        const Field f = option_field(l.kind, key);
        if (f == Field::count) give_up();
        marks.set(f);
        switch (f) {
            case Field::in:
                l.in = size_of(v);
                l.has_in = true;
                break;
            case Field::out:
                l.out = size_of(v);
                l.has_out = true;
                break;
            case Field::kernel:
                if (v.type == Value::Type::integer) {
                    l.kernel[0] = size_of(v);
                    l.kernel_count = 1;
                } else if (v.type == Value::Type::list && list_.size() <= 3) {
                    for (size_t i = 0; i < list_.size(); ++i) {
                        if (list_[i] < 1) give_up();
                        l.kernel[i] = list_[i];
                    }
                    l.kernel_count = static_cast<uint8_t>(list_.size());
                } else {
                    give_up();
                }
                break;
            default:  // use_bias
                if (v.type != Value::Type::word || (!is_word(v.word, "true") && !is_word(v.word, "false"))) give_up();
                l.bias = is_word(v.word, "true");
                break;
        }
    }

    const char* begin_;
    const char* p_;
    const char* end_;
    const EvaluateOptions& options_;
    uint32_t depth_limit_ = 0;
    size_t name_limit_ = 0;
    size_t nesting_limit_ = 0;
    uint64_t evaluation_limit_ = 0;
    uint64_t evaluations_ = 0;
    uint32_t depth_ = 0;
    size_t nesting_ = 0;

    bool evaluating_ = true;
    bool declaring_ = false;  // in `declare_before`
    bool chunked_ = false;    // reading a chunk (see `chunk`): only what is defined before counts
    uint32_t visible_lets_ = 0;  // then: the lets inserted before the statement being read
    const char* statement_at_ = nullptr;  // and where that top-level statement starts
    std::string_view watched_;  // scanning: the repeat index looked for
    bool watched_used_ = false;
    const Wide* watched_slot_ = nullptr;  // evaluating: the repeat index looked for
    bool watched_hit_ = false;

    const Scope* scope_ = nullptr;  // where names in the expression being read are looked up
    // the expression just read, besides its value (see `value`)
    Value::Type type_ = Value::Type::integer;
    std::string_view word_;
    uint32_t height_ = 1;
    boost::container::small_vector<Num, 4> list_;
    Shape shape_;
    quick::LetTable lets_;
    BlockTable blocks_;
    bool plans_ = true;             // false: every body read from the text (for tests)
    Recorder* rec_ = nullptr;       // scanning to make a plan
    plan::Store block_plans_;       // the blocks' plans
    size_t planned_calls_ = 0;
    std::vector<std::string_view> call_stack_;
    std::unordered_map<const char*, Scanned> scanned_;
    quick::Totals totals_;          // of the top level
    std::vector<Expect> expects_;   // of the top level
    std::vector<Mark> marks_;       // the tail's
    const char* body_close_ = nullptr;  // the `}` of the body evaluated last
};

}  // namespace

std::optional<QuickCount> quick_count_nn(std::string_view text, const ParseLimits& limits, const EvaluateOptions& options,
                                         unsigned threads, size_t min_split, bool head_waits, bool plans) {
    try {
        Reader head(text, limits, options, plans);
        if (threads < 2 || text.size() < std::max<size_t>(1, min_split)) return head.file();
        // The second thread also declares what comes before its part, at a fraction of the
        // cost of evaluating it. Its part is small enough that it is nearly always done
        // first; it then works back into the first thread's part a chunk at a time, until
        // the two are about to meet (`Reader::tail`). So the threads share the work as their
        // cores allow, which on a shared machine they do unevenly: a fixed split left one
        // idle for up to a third of the time.
        const char* split = text.data() + text.size() / 100 * 70;
        constexpr size_t max_chunks = 128;
        Shared shared;
        shared.chunk_bytes = text.size() / max_chunks;
        shared.starts.assign(max_chunks + 1, nullptr);
        shared.lets_before.assign(max_chunks + 1, 0);
        shared.runs.resize(max_chunks + 1);
        Reader tail(text, limits, options, plans);
        std::optional<std::jthread> worker;
        try {
            worker.emplace([&](std::stop_token stop) {
                try {
                    tail.tail(split, 4096, shared, stop);
                } catch (const Unsupported&) {
                }
            });
        } catch (const std::system_error&) {
            return head.file();  // no thread to be had
        }
        const auto join = [&]() -> Reader* {
            shared.head_at.store(text.size(), std::memory_order_relaxed);  // no more chunks
            if (worker->joinable()) worker->join();
            return shared.runs_done.load(std::memory_order_acquire) >= 1 ? &tail : nullptr;
        };
        if (head_waits) worker->join();
        return head.head(split, shared, join);
        // leaving early (the head gave up), `worker` asks the tail to stop and waits for it
    } catch (const Unsupported&) {
        return std::nullopt;
    }
}

}  // namespace nnspec
