// The syntax tree of one `.nn` file (or of one JSON document, which builds the same tree).
//
// It is faithful to the text: every node has a span, and comments are kept with the
// statement they precede or end, so a formatter can print the file back and an editor can
// map a cursor to a node. Expressions live in one flat pool per program and refer to each
// other by index, which keeps a large file's tree compact and cheap to build.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "source.hpp"

namespace nnspec {

using ExprId = uint32_t;
constexpr ExprId no_expr = UINT32_MAX;

enum class ExprKind : uint8_t {
    integer,   // 784, 50_257          (value; overflowed if the literal does not fit)
    decimal,   // 0.1, 1e-5            (text only: it never enters a count)
    name,      // d, same, true        (text)
    negate,    // -x                   (lhs)
    add, subtract, multiply, divide, floor_divide,  // lhs op rhs
    tuple,     // (3, h, w), 1,2,0     (list_begin, list_count into Program::expr_lists)
    xshape,    // 3x224x224            (list_begin, list_count of integer exprs)
};

struct Expr {
    Expr() = default;
    explicit Expr(ExprKind k) : kind(k) {}
    ExprKind kind = ExprKind::integer;
    bool overflowed = false;  // an integer literal past 2^64-1
    Span span;
    uint64_t value = 0;
    ExprId lhs = no_expr, rhs = no_expr;
    uint32_t list_begin = 0, list_count = 0;
    std::string_view text;  // names and decimals; points into the source text
};

enum class StmtKind : uint8_t {
    network, input, let, import, layer, repeat, block, call,
    residual, concat, gate, add, multiply, side, frozen, branch, expect,
};

// `key=value`, a flag (`nobias`: value == no_expr) in a layer.
struct Item {
    std::string_view key;
    Span key_span;
    ExprId value = no_expr;
    Span span;          // the whole item
};

struct Param {
    std::string_view name;
    Span span;
    ExprId default_value = no_expr;
};

struct Arg {
    std::string_view name;  // empty for a positional argument
    Span name_span;
    ExprId value = no_expr;
};

struct Stmt {
    Stmt() = default;
    explicit Stmt(StmtKind k) : kind(k) {}
    StmtKind kind = StmtKind::layer;
    Span span;
    Span keyword_span;        // the leading keyword, layer kind or block name
    std::string_view name;    // network / let / block / call name; layer kind; expect subject; repeat index
    Span name_span;
    std::string import_path;  // import: the unquoted path
    ExprId value = no_expr;   // let value; input / side / expect shape or count; repeat count
    ExprId dims_in = no_expr, dims_out = no_expr;  // layer: `IN -> OUT` or a single OUT / SHAPE
    std::vector<Item> items;  // layer options and flags; concat options
    std::string_view as_name;
    Span as_span;
    std::vector<Param> params;  // block
    std::vector<Arg> args;      // call
    std::vector<Stmt> body;     // block, repeat, residual, gate, side, frozen, branch; concat/add/multiply: branches
    std::vector<Stmt> shortcut; // residual
    bool has_shortcut = false;
    Span shortcut_span;
    std::string json_path;      // JSON only: `$[1]`
    std::vector<uint32_t> leading_comments;  // indices into Program::comments
    int32_t trailing_comment = -1;
};

struct Program {
    FileId file = 0;
    std::vector<Expr> exprs;
    std::vector<ExprId> expr_lists;
    std::vector<Stmt> statements;
    std::vector<Span> comments;
    bool from_json = false;
    std::deque<std::string> owned_text;  // JSON front end: unescaped strings that names point into

    std::string_view own(std::string text) { return owned_text.emplace_back(std::move(text)); }

    const Expr& expr(ExprId id) const { return exprs[id]; }
    ExprId add_expr(const Expr& e) {
        exprs.push_back(e);
        return static_cast<ExprId>(exprs.size() - 1);
    }
};

std::string_view stmt_keyword(StmtKind k);

}  // namespace nnspec
