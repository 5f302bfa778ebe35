// The `.nn` parser: PEGTL runs the grammar of grammar/nnspec.hpp and the actions below
// build the syntax tree bottom-up.
//
// Expressions are built on an operand stack (`exprs`): literals and names push, operators
// pop their operands and push the result. Statements are built in frames: the keyword (or
// the leading identifier) opens a frame, the rules inside fill it, and the end of the
// statement closes it into its parent's body. Actions never run inside `at<>`, and every
// rule after a deciding token is `must<>`, so no action is ever undone by backtracking.
#include "parse.hpp"

#include <algorithm>

#include <tao/pegtl.hpp>

#include "../grammar/errors.hpp"
#include "../grammar/nnspec.hpp"

namespace nnspec {
namespace {

namespace pegtl = tao::pegtl;
namespace g = grammar;

struct SyntaxError {
    Code code;
    uint32_t offset;
    uint32_t length;
    std::string message;
};

struct Frame {
    Stmt stmt;
    size_t expr_mark = 0;      // operand stack height when the statement opened
    bool in_shortcut = false;  // statements go to `shortcut` instead of `body`
    bool has_value = false;    // the pending item has `= value`
    Item pending_item;
};

struct StopParse {};

struct State {
    State(Program& p, const char* b, const ParseLimits& l) : program(p), base(b), limits(l) {}
    Program& program;
    const char* base;
    const ParseLimits& limits;
    size_t depth = 0;
    uint32_t last_comment_end = 0;
    std::vector<uint32_t> expr_depth;  // by ExprId: the height of each expression's tree
    std::vector<ExprId> exprs;
    std::vector<size_t> paren_marks;
    std::vector<Frame> frames;
    const StatementSink* sink = nullptr;
    size_t top_expr_mark = 0, top_list_mark = 0;  // the pool's size when the top-level statement began

    template <typename Input>
    uint32_t offset(const Input& in) const { return static_cast<uint32_t>(in.current() - base); }
    template <typename ActionInput>
    Span span(const ActionInput& in) const {
        return {program.file, static_cast<uint32_t>(in.begin() - base), static_cast<uint32_t>(in.end() - base)};
    }
    template <typename Input>
    void enter_nested(const Input& in) {
        if (++depth > limits.max_depth) {
            throw SyntaxError{Code::too_deep, offset(in), 1,
                              fmt_depth_message()};
        }
    }
    void leave_nested() { --depth; }
    std::string fmt_depth_message() const {
        return "nesting deeper than " + std::to_string(limits.max_depth) + " levels";
    }

    ExprId pop() {
        const ExprId e = exprs.back();
        exprs.pop_back();
        return e;
    }
    uint32_t height(ExprId id) const { return id < expr_depth.size() ? expr_depth[id] : 1; }
    // Every expression enters the program here. The passes after the parser walk
    // expressions recursively, so a tree taller than the nesting limit is refused: a chain
    // of a million `+` nests as deep as a million parentheses.
    ExprId add(const Expr& e) {
        uint32_t h = 1;
        if (e.lhs != no_expr) h = std::max(h, height(e.lhs) + 1);
        if (e.rhs != no_expr) h = std::max(h, height(e.rhs) + 1);
        if (e.kind == ExprKind::tuple || e.kind == ExprKind::xshape) {
            for (uint32_t i = 0; i < e.list_count; ++i) h = std::max(h, height(program.expr_lists[e.list_begin + i]) + 1);
        }
        if (h > limits.max_depth) {
            const Span at = e.rhs != no_expr ? program.exprs[e.rhs].span : e.span;
            throw SyntaxError{Code::too_deep, at.begin, 1,
                              "expression nested deeper than " + std::to_string(limits.max_depth) +
                                  " levels (each operator is one level)"};
        }
        const ExprId id = program.add_expr(e);
        if (expr_depth.size() <= id) expr_depth.resize(id + 1, 1);
        expr_depth[id] = h;
        return id;
    }
    ExprId push(Expr e) {
        const ExprId id = add(e);
        exprs.push_back(id);
        return id;
    }
    // Pops everything above `mark`: one expression stays itself, several become a tuple.
    ExprId pop_list(size_t mark, Span span) {
        const size_t n = exprs.size() - mark;
        if (n == 1) return pop();
        Expr t{ExprKind::tuple};
        t.span = span;
        t.list_begin = static_cast<uint32_t>(program.expr_lists.size());
        t.list_count = static_cast<uint32_t>(n);
        program.expr_lists.insert(program.expr_lists.end(), exprs.end() - static_cast<long>(n), exprs.end());
        exprs.resize(mark);
        return add(t);
    }
    Frame& top() { return frames.back(); }

    template <typename ActionInput>
    void open(StmtKind kind, const ActionInput& in) {
        if (frames.empty()) {
            top_expr_mark = program.exprs.size();
            top_list_mark = program.expr_lists.size();
        }
        Frame& f = frames.emplace_back();  // built in place: a statement is too big to move twice
        f.stmt.kind = kind;
        f.stmt.span = f.stmt.keyword_span = span(in);
        f.expr_mark = exprs.size();
    }
    void close() {
        Frame& f = frames.back();
        if (exprs.size() > f.expr_mark) f.stmt.value = pop_list(f.expr_mark, program.exprs[exprs.back()].span);
        if (frames.size() == 1 && sink) {
            const bool keep_pool = f.stmt.kind == StmtKind::block;  // a block is evaluated at each call
            const bool go_on = (*sink)(std::move(f.stmt));
            frames.pop_back();
            if (!keep_pool) {
                program.exprs.resize(top_expr_mark);
                program.expr_lists.resize(top_list_mark);
            }
            if (!go_on) throw StopParse{};
            return;
        }
        if (frames.size() == 1) {
            program.statements.push_back(std::move(f.stmt));
        } else {
            Frame& parent = frames[frames.size() - 2];
            (parent.in_shortcut ? parent.stmt.shortcut : parent.stmt.body).push_back(std::move(f.stmt));
        }
        frames.pop_back();
    }
    template <typename ActionInput>
    void check_name_length(const ActionInput& in) const {
        if (in.size() > limits.max_name_length) {
            throw SyntaxError{Code::too_long_name, static_cast<uint32_t>(in.begin() - base), static_cast<uint32_t>(in.size()),
                              "identifier longer than " + std::to_string(limits.max_name_length) + " characters"};
        }
    }
};

// ---- control: turns a failed must<> into a SyntaxError with the table's message ----------

std::string describe_character(unsigned char c) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "0x%02X", c);
    return buffer;
}

template <typename Rule>
struct control : pegtl::normal<Rule> {
    template <typename Input, typename... States>
    [[noreturn]] static void raise(const Input& in, State& state, States&&...) {
        const uint32_t at = state.offset(in);
        if (!in.empty()) {
            const auto c = static_cast<unsigned char>(*in.current());
            if (c >= 0x80 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) {
                throw SyntaxError{Code::bad_character, at, 1,
                                  c >= 0x80 ? "unexpected non-ASCII character (byte " + describe_character(c) + ")"
                                            : "unexpected control character " + describe_character(c)};
            }
        }
        const char* message = g::error_message<Rule>;
        throw SyntaxError{Code::syntax, at, 1, message ? message : "unexpected input"};
    }
};

// ---- actions ------------------------------------------------------------------------

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

std::optional<uint64_t> parse_digits(std::string_view text) { return parse_integer_literal(text); }

template <>
struct action<g::integer> {
    template <typename I>
    static void apply(const I& in, State& s) {
        Expr e{ExprKind::integer};
        e.span = s.span(in);
        const auto v = parse_digits(in.string_view());
        e.value = v.value_or(0);
        e.overflowed = !v;
        s.push(e);
    }
};

template <>
struct action<g::decimal> {
    template <typename I>
    static void apply(const I& in, State& s) {
        Expr e{ExprKind::decimal};
        e.span = s.span(in);
        e.text = in.string_view();
        s.push(e);
    }
};

template <>
struct action<g::xshape> {
    template <typename I>
    static void apply(const I& in, State& s) {
        const std::string_view text = in.string_view();
        const Span whole = s.span(in);
        std::vector<ExprId> dims;
        size_t start = 0;
        while (start <= text.size()) {
            size_t end = text.find('x', start);
            if (end == std::string_view::npos) end = text.size();
            Expr d{ExprKind::integer};
            d.span = {whole.file, whole.begin + static_cast<uint32_t>(start), whole.begin + static_cast<uint32_t>(end)};
            const auto v = parse_digits(text.substr(start, end - start));
            d.value = v.value_or(0);
            d.overflowed = !v;
            dims.push_back(s.add(d));
            start = end + 1;
        }
        Expr e{ExprKind::xshape};
        e.span = whole;
        e.list_begin = static_cast<uint32_t>(s.program.expr_lists.size());
        e.list_count = static_cast<uint32_t>(dims.size());
        s.program.expr_lists.insert(s.program.expr_lists.end(), dims.begin(), dims.end());
        s.push(e);
    }
};

template <>
struct action<g::name_ref> {
    template <typename I>
    static void apply(const I& in, State& s) {
        s.check_name_length(in);
        Expr e{ExprKind::name};
        e.span = s.span(in);
        e.text = in.string_view();
        s.push(e);
    }
};

template <>
struct action<g::paren_open> {
    template <typename I>
    static void apply(const I&, State& s) { s.paren_marks.push_back(s.exprs.size()); }
};

template <>
struct action<g::parens> {
    template <typename I>
    static void apply(const I& in, State& s) {
        const size_t mark = s.paren_marks.back();
        s.paren_marks.pop_back();
        if (s.exprs.size() - mark > 1) {  // a tuple; one element is a grouping and stays as it is
            const ExprId tuple = s.pop_list(mark, s.span(in));
            s.exprs.push_back(tuple);
        }
    }
};

template <>
struct action<g::negation> {
    template <typename I>
    static void apply(const I& in, State& s) {
        Expr e{ExprKind::negate};
        e.span = s.span(in);
        e.lhs = s.pop();
        s.push(e);
    }
};

template <typename I>
void apply_binary(const I& in, State& s) {
    const std::string_view op = in.string_view();
    Expr e{op.substr(0, 2) == "//" ? ExprKind::floor_divide
           : op[0] == '*'          ? ExprKind::multiply
           : op[0] == '/'          ? ExprKind::divide
           : op[0] == '+'          ? ExprKind::add
                                   : ExprKind::subtract};
    e.rhs = s.pop();
    e.lhs = s.pop();
    e.span = Span::join(s.program.exprs[e.lhs].span, s.program.exprs[e.rhs].span);
    s.push(e);
}

template <>
struct action<g::product_tail> {
    template <typename I>
    static void apply(const I& in, State& s) { apply_binary(in, s); }
};
template <>
struct action<g::sum_tail> {
    template <typename I>
    static void apply(const I& in, State& s) { apply_binary(in, s); }
};

// Keywords open their statement's frame.
template <StmtKind Kind>
struct open_statement {
    template <typename I>
    static void apply(const I& in, State& s) { s.open(Kind, in); }
};
template <> struct action<g::kw_network> : open_statement<StmtKind::network> {};
template <> struct action<g::kw_input> : open_statement<StmtKind::input> {};
template <> struct action<g::kw_let> : open_statement<StmtKind::let> {};
template <> struct action<g::kw_import> : open_statement<StmtKind::import> {};
template <> struct action<g::kw_repeat> : open_statement<StmtKind::repeat> {};
template <> struct action<g::kw_block> : open_statement<StmtKind::block> {};
template <> struct action<g::kw_residual> : open_statement<StmtKind::residual> {};
template <> struct action<g::kw_concat> : open_statement<StmtKind::concat> {};
template <> struct action<g::kw_add> : open_statement<StmtKind::add> {};
template <> struct action<g::kw_multiply> : open_statement<StmtKind::multiply> {};
template <> struct action<g::kw_gate> : open_statement<StmtKind::gate> {};
template <> struct action<g::kw_frozen> : open_statement<StmtKind::frozen> {};
template <> struct action<g::kw_side> : open_statement<StmtKind::side> {};
template <> struct action<g::kw_expect> : open_statement<StmtKind::expect> {};
template <> struct action<g::kw_branch> : open_statement<StmtKind::branch> {};

template <>
struct action<g::statement_head> {
    template <typename I>
    static void apply(const I& in, State& s) {
        s.check_name_length(in);
        s.open(StmtKind::layer, in);
        s.top().stmt.name = in.string_view();
        s.top().stmt.name_span = s.span(in);
    }
};

// The names that statements declare.
struct set_name {
    template <typename I>
    static void apply(const I& in, State& s) {
        s.check_name_length(in);
        s.top().stmt.name = in.string_view();
        s.top().stmt.name_span = s.span(in);
    }
};
template <> struct action<g::network_name> : set_name {};
template <> struct action<g::let_name> : set_name {};
template <> struct action<g::block_name> : set_name {};
template <> struct action<g::repeat_index> : set_name {};
template <> struct action<g::expect_subject> : set_name {};

template <>
struct action<g::string_body> {
    template <typename I>
    static void apply(const I& in, State& s) {
        if (in.size() > s.limits.max_string_length) {
            throw SyntaxError{Code::too_long_name, static_cast<uint32_t>(in.begin() - s.base), 1,
                              "string longer than " + std::to_string(s.limits.max_string_length) + " bytes"};
        }
        s.top().stmt.import_path = in.string();
        s.top().stmt.name_span = s.span(in);
    }
};

// The repeat count is taken before the body, whose statements push their own operands.
template <>
struct action<g::repeat_count> {
    template <typename I>
    static void apply(const I&, State& s) {
        s.top().stmt.value = s.pop();
        s.top().expr_mark = s.exprs.size();
    }
};

template <>
struct action<g::dims_in> {
    template <typename I>
    static void apply(const I& in, State& s) {
        auto& f = s.top();
        f.stmt.dims_in = s.pop_list(f.expr_mark, s.span(in));
    }
};
template <>
struct action<g::dims_out> {
    template <typename I>
    static void apply(const I& in, State& s) {
        auto& f = s.top();
        f.stmt.dims_out = s.pop_list(f.expr_mark, s.span(in));
    }
};

template <>
struct action<g::item_key> {
    template <typename I>
    static void apply(const I& in, State& s) {
        s.check_name_length(in);
        auto& f = s.top();
        f.pending_item = Item{};
        f.pending_item.key = in.string_view();
        f.pending_item.key_span = s.span(in);
        f.has_value = false;
    }
};
template <>
struct action<g::item_value> {
    template <typename I>
    static void apply(const I&, State& s) {
        s.top().pending_item.value = s.pop();
        s.top().has_value = true;
    }
};
template <>
struct action<g::option_item> {
    template <typename I>
    static void apply(const I& in, State& s) {
        auto& f = s.top();
        f.pending_item.span = s.span(in);
        f.stmt.items.push_back(std::move(f.pending_item));
    }
};
template <>
struct action<g::as_name> {
    template <typename I>
    static void apply(const I& in, State& s) {
        s.check_name_length(in);
        s.top().stmt.as_name = in.string_view();
        s.top().stmt.as_span = s.span(in);
    }
};

template <>
struct action<g::call_args> {
    template <typename I>
    static void apply(const I&, State& s) { s.top().stmt.kind = StmtKind::call; }
};
template <>
struct action<g::arg_name> {
    template <typename I>
    static void apply(const I& in, State& s) {
        s.top().stmt.args.push_back(Arg{in.string_view(), s.span(in), no_expr});
    }
};
template <>
struct action<g::named_arg> {
    template <typename I>
    static void apply(const I&, State& s) { s.top().stmt.args.back().value = s.pop(); }
};
template <>
struct action<g::positional_arg> {
    template <typename I>
    static void apply(const I&, State& s) { s.top().stmt.args.push_back(Arg{{}, {}, s.pop()}); }
};

template <>
struct action<g::param_name> {
    template <typename I>
    static void apply(const I& in, State& s) {
        s.check_name_length(in);
        s.top().stmt.params.push_back(Param{in.string_view(), s.span(in), no_expr});
    }
};
template <>
struct action<g::param_default> {
    template <typename I>
    static void apply(const I&, State& s) { s.top().stmt.params.back().default_value = s.pop(); }
};

template <>
struct action<g::shortcut_keyword> {
    template <typename I>
    static void apply(const I& in, State& s) {
        s.top().in_shortcut = true;
        s.top().stmt.has_shortcut = true;
        s.top().stmt.shortcut_span = s.span(in);
        s.top().expr_mark = s.exprs.size();
    }
};

template <>
struct action<g::statement_content> {
    template <typename I>
    static void apply(const I& in, State& s) { s.top().stmt.span.end = s.span(in).end; }
};
template <>
struct action<g::statement> {
    template <typename I>
    static void apply(const I&, State& s) { s.close(); }
};
template <>
struct action<g::branch_statement> {
    template <typename I>
    static void apply(const I& in, State& s) {
        s.top().stmt.span.end = s.span(in).end;
        s.close();
    }
};

template <>
struct action<g::comment> {
    template <typename I>
    static void apply(const I& in, State& s) {
        if (s.sink) return;  // streaming keeps no tree to attach them to
        const Span sp = s.span(in);
        if (sp.begin < s.last_comment_end && !s.program.comments.empty()) return;  // seen before a lookahead rewound
        s.program.comments.push_back(sp);
        s.last_comment_end = sp.end;
    }
};

// ---- comments: attach each to the statement it precedes, or ends on the same line ------

void attach_comments(Program& program, const SourceFile& file) {
    if (program.comments.empty()) return;
    std::vector<Stmt*> in_order;  // statements in text order, depth-first
    auto collect = [&](auto& self, std::vector<Stmt>& list) -> void {
        for (auto& st : list) {
            in_order.push_back(&st);
            self(self, st.body);
            self(self, st.shortcut);
        }
    };
    collect(collect, program.statements);
    std::sort(in_order.begin(), in_order.end(), [](const Stmt* a, const Stmt* b) { return a->span.begin < b->span.begin; });
    size_t next = 0;
    for (uint32_t c = 0; c < program.comments.size(); ++c) {
        const Span comment = program.comments[c];
        while (next < in_order.size() && in_order[next]->span.begin < comment.begin) ++next;
        // a comment on the line where the previous statement ends is that statement's
        if (next > 0) {
            Stmt* previous = in_order[next - 1];
            if (previous->span.end <= comment.begin &&
                file.position(previous->span.end).line == file.position(comment.begin).line) {
                previous->trailing_comment = static_cast<int32_t>(c);
                continue;
            }
        }
        if (next < in_order.size()) in_order[next]->leading_comments.push_back(c);
    }
}

}  // namespace

std::optional<uint64_t> parse_integer_literal(std::string_view digits) {
    uint64_t v = 0;
    for (char c : digits) {
        if (c == '_') continue;
        if (__builtin_mul_overflow(v, 10u, &v) || __builtin_add_overflow(v, static_cast<uint64_t>(c - '0'), &v)) {
            return std::nullopt;
        }
    }
    return v;
}

namespace {

// Runs the grammar over the file; false if a sink stopped it.
bool run_parser(const SourceManager& sources, FileId file, Diagnostics& diagnostics, State& state) {
    const std::string_view text = sources.file(file).text();
    pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf, const char*> in(text.data(), text.data() + text.size(),
                                                                                      sources.file(file).name().c_str());
    try {
        pegtl::parse<g::file, action, control>(in, state);
    } catch (const SyntaxError& e) {
        const uint32_t end = std::min<uint32_t>(e.offset + e.length, static_cast<uint32_t>(text.size()));
        diagnostics.error(e.code, Span{file, e.offset, std::max(end, e.offset)}, e.message);
        // keep the statements that were complete
    } catch (const StopParse&) {
        return false;
    }
    return true;
}

}  // namespace

Program parse_nn(const SourceManager& sources, FileId file, Diagnostics& diagnostics, const ParseLimits& limits) {
    Program program;
    program.file = file;
    State state{program, sources.file(file).text().data(), limits};
    run_parser(sources, file, diagnostics, state);
    attach_comments(program, sources.file(file));
    return program;
}

bool parse_nn_streaming(const SourceManager& sources, FileId file, Diagnostics& diagnostics, const ParseLimits& limits,
                        Program& program, const StatementSink& sink) {
    program.file = file;
    State state{program, sources.file(file).text().data(), limits};
    state.sink = &sink;
    return run_parser(sources, file, diagnostics, state);
}

std::string_view stmt_keyword(StmtKind k) {
    switch (k) {
        case StmtKind::network: return "network";
        case StmtKind::input: return "input";
        case StmtKind::let: return "let";
        case StmtKind::import: return "import";
        case StmtKind::layer: return "layer";
        case StmtKind::repeat: return "repeat";
        case StmtKind::block: return "block";
        case StmtKind::call: return "call";
        case StmtKind::residual: return "residual";
        case StmtKind::concat: return "concat";
        case StmtKind::gate: return "gate";
        case StmtKind::add: return "add";
        case StmtKind::multiply: return "multiply";
        case StmtKind::side: return "side";
        case StmtKind::frozen: return "frozen";
        case StmtKind::branch: return "branch";
        case StmtKind::expect: return "expect";
    }
    return "?";
}

}  // namespace nnspec
