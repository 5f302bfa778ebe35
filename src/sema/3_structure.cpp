// Phase 3: the statements in order. Each statement takes the current shape and gives the
// next one, and yields a node of the IR with its counts.
//
// A `repeat` whose body does not use its index is evaluated once per distinct input shape:
// iterations that see a shape seen before reuse that evaluation, and a run of identical
// iterations is one segment with a multiplicity. So `repeat 1_000_000_000 { ... }` costs
// one body, and a cycle of shapes (a permute back and forth) costs one body per shape.
#include <algorithm>
#include <functional>
#include <set>

#include "sema.hpp"

namespace nnspec {
namespace {

std::string quoted(std::string_view s) { return "`" + std::string(s) + "`"; }

bool expr_uses(const Program& p, ExprId id, std::string_view name) {
    if (id == no_expr) return false;
    const Expr& e = p.expr(id);
    if (e.kind == ExprKind::name) return e.text == name;
    if (e.kind == ExprKind::tuple || e.kind == ExprKind::xshape) {
        for (uint32_t i = 0; i < e.list_count; ++i) {
            if (expr_uses(p, p.expr_lists[e.list_begin + i], name)) return true;
        }
        return false;
    }
    return expr_uses(p, e.lhs, name) || expr_uses(p, e.rhs, name);
}

bool body_uses(const Program& p, const std::vector<Stmt>& body, std::string_view name) {
    for (const Stmt& s : body) {
        if (expr_uses(p, s.value, name) || expr_uses(p, s.dims_in, name) || expr_uses(p, s.dims_out, name)) return true;
        for (const auto& i : s.items) if (expr_uses(p, i.value, name)) return true;
        for (const auto& a : s.args) if (expr_uses(p, a.value, name)) return true;
        if (body_uses(p, s.body, name) || body_uses(p, s.shortcut, name)) return true;
    }
    return false;
}

// Shapes agree where both are known (a partial shape from a layer list agrees with more).
bool agree(const Shape& a, const Shape& b) {
    if (a.rank_known && b.rank_known && a.dims.size() != b.dims.size()) return false;
    const size_t n = std::min(a.dims.size(), b.dims.size());
    for (size_t i = 1; i <= n; ++i) {
        const int64_t x = a.dims[a.dims.size() - i], y = b.dims[b.dims.size() - i];
        if (x != unknown_dim && y != unknown_dim && x != y) return false;
    }
    return true;
}

// Numpy broadcasting of two shapes; nullopt if they cannot broadcast.
std::optional<Shape> broadcast(const Shape& a, const Shape& b) {
    Shape out;
    out.rank_known = a.rank_known && b.rank_known;
    const size_t n = std::max(a.dims.size(), b.dims.size());
    out.dims.assign(n, unknown_dim);
    for (size_t i = 1; i <= n; ++i) {
        const int64_t x = i <= a.dims.size() ? a.dims[a.dims.size() - i] : 1;
        const int64_t y = i <= b.dims.size() ? b.dims[b.dims.size() - i] : 1;
        int64_t r;
        if (x == unknown_dim || y == unknown_dim) r = (x == 1 ? y : y == 1 ? x : unknown_dim);
        else if (x == y || y == 1) r = x;
        else if (x == 1) r = y;
        else return std::nullopt;
        out.dims[n - i] = r;
    }
    return out;
}

}  // namespace

bool Evaluator::budget(Span where) {
    // saturating: `--max-evaluations` may be as large as the type allows
    const uint64_t limit = options_.max_evaluations > UINT64_MAX - text_budget_ ? UINT64_MAX : options_.max_evaluations + text_budget_;
    if (++evaluations_ <= limit) return true;
    if (!budget_reported_) {
        diagnostics_.error(Code::too_many_layers, where,
                           "evaluation stopped after " + std::to_string(limit) + " distinct block and repeat evaluations")
            .note("a repeat whose body uses its index, or whose shape never settles, is evaluated once per iteration")
            .hint("raise the limit with `--max-evaluations N`");
        budget_reported_ = true;
    }
    return false;
}

void Evaluator::add_count(Node& total, const Node& part, Span where, uint64_t times) {
    total.params += part.params * Count(times);
    total.trainable += part.trainable * Count(times);
    if (total.params.overflow() && !overflow_reported_) {
        diagnostics_.error(Code::count_overflow, where, "the parameter count passes 2^64-1 here", "the total overflows")
            .note("counts are exact 64-bit integers; a larger network cannot be counted");
        overflow_reported_ = true;
    }
}

void Evaluator::check_expects(const std::vector<ExpectCheck>& expects, Count params, Count trainable, std::string_view scope_name) {
    // An `expect` in a repeat's body is evaluated at each iteration, and an indexed one may
    // take a new value each time: it is reported once, at its first value that fails.
    std::set<std::pair<FileId, uint32_t>> reported;
    for (const auto& e : expects) {
        const bool is_params = e.params;
        const Count actual = is_params ? params : trainable;
        if (actual.overflow()) continue;  // reported where it overflowed
        if (static_cast<Wide>(actual.value()) == e.value) continue;
        if (!reported.insert({e.span.file, e.span.begin}).second) continue;
        const Wide difference = static_cast<Wide>(actual.value()) - e.value;
        diagnostics_.error(Code::expect_failed, e.span,
                           std::string(scope_name) + " has " + std::to_string(actual.value()) + (is_params ? " parameters" : " trainable parameters") +
                               ", not " + to_string(e.value),
                           "expected " + to_string(e.value) + ", counted " + std::to_string(actual.value()))
            .note("the difference is " + std::string(difference > 0 ? "+" : "") + to_string(difference));
    }
}

NodeRef Evaluator::eval_sequence(const std::vector<Stmt>& body, Scope& scope, Context& ctx, std::vector<ExpectCheck>& expects) {
    auto node = new_node();
    node->kind = NodeKind::sequence;
    node->in = ctx.shape;
    if (!body.empty()) node->span = Span::join(body.front().span, body.back().span);
    // The parser bounds the nesting of one text; calls multiply it (64 calls of bodies 200
    // deep would exhaust the stack), so the evaluation bounds it again.
    if (!body.empty() && nesting_ > options_.max_nesting) {
        diagnostics_.error(Code::too_deep, body.front().span,
                           "bodies nested deeper than " + std::to_string(options_.max_nesting) + " levels, counting through block calls");
        ctx.shape = Shape::unknown();
        node->out = ctx.shape;
        return node;
    }
    ++nesting_;
    struct Leave {
        size_t& n;
        ~Leave() { --n; }
    } leave{nesting_};
    for (const Stmt& s : body) {
        NodeRef child = eval_statement(s, scope, ctx, expects);
        if (!child) continue;
        add_count(*node, *child, s.span);
        node->children.push_back(std::move(child));
    }
    node->out = ctx.shape;
    return node;
}

NodeRef Evaluator::eval_statement(const Stmt& s, Scope& scope, Context& ctx, std::vector<ExpectCheck>& expects) {
    const bool top_level = !scope.in_block && scope.parent == nullptr;
    switch (s.kind) {
        case StmtKind::network:
        case StmtKind::input:
        case StmtKind::import:
        case StmtKind::block:
            if (!top_level) {
                diagnostics_.error(Code::misplaced_statement, s.keyword_span,
                                   quoted(stmt_keyword(s.kind)) + " is only allowed at the top level of a file");
            }
            return nullptr;
        case StmtKind::let: {
            if (top_level) return nullptr;  // evaluated by `declare`
            const auto value = eval_int(s.value, scope);
            for (const auto& [name, v] : scope.names) {
                if (name == s.name) {
                    diagnostics_.error(Code::redefined_name, s.name_span, quoted(s.name) + " is already defined in this block");
                    return nullptr;
                }
            }
            if (value) scope.names.emplace_back(s.name, *value);
            return nullptr;
        }
        case StmtKind::expect: {
            if (s.name == "params" || s.name == "trainable") {
                const auto v = eval_int(s.value, scope);
                if (v) expects.push_back({s.name == "params", program_.expr(s.value).span, *v});
                return nullptr;
            }
            if (s.name != "shape") {
                diagnostics_.error(Code::syntax, s.name_span, "`expect` checks `params`, `trainable` or `shape`, not " + quoted(s.name));
                return nullptr;
            }
            const auto dims = eval_shape(s.value, scope);
            if (!dims) return nullptr;
            const Shape expected = Shape::of(*dims);
            if (!ctx.strict && !ctx.shape.fully_known()) {
                if (ctx.shape.dims.empty()) {
                    diagnostics_.error(Code::misplaced_statement, s.span, "`expect shape` needs a known shape here")
                        .hint("declare the network's `input` shape at the top of the file");
                } else if (!agree(ctx.shape, expected)) {
                    diagnostics_.error(Code::expect_failed, program_.expr(s.value).span,
                                       "the shape here is " + to_string(ctx.shape) + ", not " + to_string(expected));
                }
                return nullptr;
            }
            if (ctx.shape.fully_known() && !(ctx.shape == expected)) {
                diagnostics_.error(Code::expect_failed, program_.expr(s.value).span,
                                   "the shape here is " + to_string(ctx.shape) + ", not " + to_string(expected),
                                   "expected " + to_string(expected));
            }
            return nullptr;
        }
        case StmtKind::layer:
            return eval_layer(s, scope, ctx);
        case StmtKind::repeat:
            return eval_repeat(s, scope, ctx, expects);
        case StmtKind::call:
            return eval_call(s, scope, ctx);
        case StmtKind::frozen: {
            Context inner = ctx;
            inner.trainable = false;
            Scope local{&scope, {}, scope.in_block};
            NodeRef body = eval_sequence(s.body, local, inner, expects);
            ctx.shape = inner.shape;
            auto node = new_node(*body);
            node->kind = NodeKind::frozen;
            node->span = s.span;
            node->children = body->children;
            return node;
        }
        case StmtKind::residual: {
            const Shape in = ctx.shape;
            Scope local{&scope, {}, scope.in_block};
            Context body_ctx = ctx;
            NodeRef body = eval_sequence(s.body, local, body_ctx, expects);
            Context shortcut_ctx = ctx;
            NodeRef shortcut;
            if (s.has_shortcut) {
                Scope shortcut_scope{&scope, {}, scope.in_block};
                shortcut = eval_sequence(s.shortcut, shortcut_scope, shortcut_ctx, expects);
            }
            if (!agree(body_ctx.shape, shortcut_ctx.shape)) {
                const std::string message = "the residual body gives " + to_string(body_ctx.shape) + ", but the " +
                                            (s.has_shortcut ? "shortcut gives " : "input is ") + to_string(shortcut_ctx.shape);
                if (ctx.strict) {
                    auto& d = diagnostics_.error(Code::shape_mismatch, s.keyword_span, message, "the sum needs equal shapes");
                    if (!s.has_shortcut) d.hint("add a `shortcut { ... }` that maps the input to " + to_string(body_ctx.shape));
                } else {
                    diagnostics_.warning(Code::size_mismatch, s.keyword_span, message);
                }
            }
            auto node = new_node();
            node->kind = NodeKind::residual;
            node->span = s.span;
            node->in = in;
            node->children = {body};
            add_count(*node, *body, s.span);
            if (shortcut) {
                node->has_shortcut = true;
                node->shortcut = {shortcut};
                add_count(*node, *shortcut, s.shortcut_span);
            }
            ctx.shape = body_ctx.shape.fully_known() || !shortcut_ctx.shape.fully_known() ? body_ctx.shape : shortcut_ctx.shape;
            node->out = ctx.shape;
            return node;
        }
        case StmtKind::gate: {
            const Shape in = ctx.shape;
            Scope local{&scope, {}, scope.in_block};
            Context body_ctx = ctx;
            NodeRef body = eval_sequence(s.body, local, body_ctx, expects);
            const auto b = broadcast(in, body_ctx.shape);
            if (!b || (in.fully_known() && b->fully_known() && !(*b == in))) {
                const std::string message = "the gate gives " + to_string(body_ctx.shape) + ", which does not broadcast to its input " + to_string(in);
                if (ctx.strict) diagnostics_.error(Code::shape_mismatch, s.keyword_span, message);
                else diagnostics_.warning(Code::size_mismatch, s.keyword_span, message);
            }
            auto node = new_node();
            node->kind = NodeKind::gate;
            node->span = s.span;
            node->in = node->out = in;
            node->children = {body};
            add_count(*node, *body, s.span);
            ctx.shape = in;
            return node;
        }
        case StmtKind::concat:
            return eval_branches(s, scope, ctx, NodeKind::concat, expects);
        case StmtKind::add:
            return eval_branches(s, scope, ctx, NodeKind::add, expects);
        case StmtKind::multiply:
            return eval_branches(s, scope, ctx, NodeKind::multiply, expects);
        case StmtKind::side: {
            Context inner = ctx;
            auto node = new_node();
            if (s.value != no_expr) {
                const auto dims = eval_shape(s.value, scope);
                inner.shape = dims ? Shape::of(*dims) : Shape::unknown();
                inner.strict = dims.has_value();
                if (dims) node->side_input = Shape::of(*dims);
            } else {
                inner.shape = Shape::unknown();
                inner.strict = false;
            }
            Scope local{&scope, {}, scope.in_block};
            NodeRef body = eval_sequence(s.body, local, inner, expects);
            node->kind = NodeKind::side;
            node->span = s.span;
            node->in = node->out = ctx.shape;
            node->children = {body};
            add_count(*node, *body, s.span);
            return node;
        }
        case StmtKind::branch:
            diagnostics_.error(Code::misplaced_statement, s.keyword_span, "`branch` only appears inside `concat`, `add` or `multiply`");
            return nullptr;
    }
    return nullptr;
}

NodeRef Evaluator::eval_branches(const Stmt& s, Scope& scope, Context& ctx, NodeKind kind, std::vector<ExpectCheck>& expects) {
    auto node = new_node();
    node->kind = kind;
    node->span = s.span;
    node->in = ctx.shape;
    int64_t dim = 0;
    for (const Item& item : s.items) {
        if (kind == NodeKind::concat && item.key == "dim" && item.value != no_expr) {
            if (auto v = eval_int(item.value, scope)) {
                if (*v > INT32_MAX || *v < INT32_MIN) {
                    diagnostics_.error(Code::overflow, program_.expr(item.value).span, "`dim` is out of range");
                } else {
                    dim = static_cast<int64_t>(*v);
                }
            }
        } else {
            diagnostics_.error(Code::unknown_option, item.key_span,
                               "unknown option " + quoted(item.key) + " for " + quoted(stmt_keyword(s.kind)))
                .hint(kind == NodeKind::concat ? "`concat` takes `dim=N`" : "this statement takes no options");
        }
    }
    node->dim = dim;
    if (s.body.empty()) {
        diagnostics_.error(Code::missing_value, s.keyword_span, quoted(stmt_keyword(s.kind)) + " needs at least one `branch { ... }`");
        return nullptr;
    }
    std::vector<Shape> outs;
    for (const Stmt& b : s.body) {
        Context branch_ctx = ctx;
        Scope local{&scope, {}, scope.in_block};
        NodeRef body = eval_sequence(b.body, local, branch_ctx, expects);
        outs.push_back(branch_ctx.shape);
        add_count(*node, *body, b.span);
        node->children.push_back(body);
    }
    Shape out = outs[0];
    const auto report = [&](const std::string& message) {
        if (ctx.strict) diagnostics_.error(Code::shape_mismatch, s.keyword_span, message);
        else diagnostics_.warning(Code::size_mismatch, s.keyword_span, message);
    };
    if (kind == NodeKind::concat) {
        for (size_t i = 1; i < outs.size() && out.rank_known; ++i) {
            const Shape& o = outs[i];
            if (!o.rank_known || o.dims.size() != out.dims.size()) {
                report("concat branches have different ranks: " + to_string(out) + " and " + to_string(o));
                out = Shape::unknown();
                break;
            }
            const auto rank = static_cast<int64_t>(out.dims.size());
            const int64_t d = dim < 0 ? dim + rank : dim;
            if (d < 0 || d >= rank) {
                diagnostics_.error(Code::shape_mismatch, s.keyword_span,
                                   "`dim=" + std::to_string(dim) + "` is out of range for the shape " + to_string(out));
                out = Shape::unknown();
                break;
            }
            bool differs = false;  // one report per branch, however many dims differ
            for (int64_t k = 0; k < rank; ++k) {
                const auto uk = static_cast<size_t>(k);
                if (k == d) {
                    out.dims[uk] = out.dims[uk] == unknown_dim || o.dims[uk] == unknown_dim ? unknown_dim : out.dims[uk] + o.dims[uk];
                } else if (out.dims[uk] != o.dims[uk] && out.dims[uk] != unknown_dim && o.dims[uk] != unknown_dim) {
                    differs = true;
                }
            }
            if (differs) {
                report("concat branches differ off the concat dim " + std::to_string(dim) + ": " + to_string(outs[0]) + " and " + to_string(o));
            }
        }
        if (outs.size() == 1 && out.rank_known) {
            const auto rank = static_cast<int64_t>(out.dims.size());
            if ((dim < 0 ? dim + rank : dim) < 0 || (dim < 0 ? dim + rank : dim) >= rank) {
                diagnostics_.error(Code::shape_mismatch, s.keyword_span, "`dim=" + std::to_string(dim) + "` is out of range for the shape " + to_string(out));
            }
        }
    } else {
        for (size_t i = 1; i < outs.size(); ++i) {
            auto b = broadcast(out, outs[i]);
            if (!b) {
                report("branches give shapes that do not broadcast: " + to_string(out) + " and " + to_string(outs[i]));
                out = Shape::unknown();
                break;
            }
            out = *b;
        }
    }
    ctx.shape = out;
    node->out = out;
    return node;
}

NodeRef Evaluator::eval_repeat(const Stmt& s, Scope& scope, Context& ctx, std::vector<ExpectCheck>& expects) {
    const auto count = eval_int(s.value, scope);
    if (!count) return nullptr;
    if (*count < 0) {
        diagnostics_.error(Code::not_positive, program_.expr(s.value).span, "a repeat count must be zero or more, found " + to_string(*count));
        return nullptr;
    }
    auto node = new_node();
    node->kind = NodeKind::repeat;
    node->span = s.span;
    node->in = ctx.shape;
    const auto total = static_cast<uint64_t>(*count);
    const bool indexed = !s.name.empty() && body_uses(program_, s.body, s.name);
    const auto run_once = [&](uint64_t index) -> NodeRef {
        Scope local{&scope, {}, scope.in_block};
        if (!s.name.empty()) local.names.emplace_back(s.name, static_cast<Wide>(index));
        return eval_sequence(s.body, local, ctx, expects);
    };
    const auto append = [&](NodeRef body, uint64_t times) {
        if (!node->children.empty() && node->children.back()->children == body->children &&
            node->children.back()->in == body->in) {
            auto merged = new_node(*node->children.back());
            merged->times += times;
            node->children.back() = merged;
        } else {
            auto segment = new_node(*body);
            segment->times = times;
            node->children.push_back(segment);
        }
        add_count(*node, *body, s.span, times);
    };
    const size_t errors_before = diagnostics_.errors();
    if (indexed) {
        for (uint64_t i = 0; i < total; ++i) {
            if (!budget(s.span)) break;
            append(run_once(i), 1);
            if (diagnostics_.errors() != errors_before) break;  // one report, not one per iteration
        }
    } else {
        std::map<Shape, NodeRef> seen;  // input shape -> its evaluation
        std::vector<Shape> order;        // input shapes in iteration order
        uint64_t done = 0;
        while (done < total) {
            const Shape in = ctx.shape;
            auto it = seen.find(in);
            if (it != seen.end()) {
                // the shapes cycle from `in`: the rest is whole cycles plus a partial one
                const auto start = static_cast<size_t>(std::find(order.begin(), order.end(), in) - order.begin());
                const uint64_t length = order.size() - start;
                const uint64_t remaining = total - done;
                const uint64_t whole = remaining / length, rest = remaining % length;
                if (length == 1) {
                    append(it->second, remaining);
                    ctx.shape = it->second->out;
                } else {
                    auto cycle = new_node();
                    cycle->kind = NodeKind::sequence;
                    cycle->in = in;
                    for (size_t k = start; k < order.size(); ++k) {
                        const NodeRef& step = seen[order[k]];
                        cycle->children.push_back(step);
                        add_count(*cycle, *step, s.span);
                    }
                    cycle->out = in;
                    if (whole) append(cycle, whole);
                    for (uint64_t k = 0; k < rest; ++k) {
                        append(seen[order[start + k]], 1);
                        ctx.shape = seen[order[start + k]]->out;
                    }
                }
                done = total;
                break;
            }
            if (!budget(s.span)) break;
            NodeRef body = run_once(0);
            seen.emplace(in, body);
            order.push_back(in);
            append(body, 1);
            ++done;
            if (diagnostics_.errors() != errors_before) break;
        }
    }
    node->out = ctx.shape;
    return node;
}

NodeRef Evaluator::eval_call(const Stmt& s, Scope& scope, Context& ctx) {
    auto it = blocks_.find(s.name);
    if (it == blocks_.end()) {
        auto& d = diagnostics_.error(Code::undefined_name, s.name_span, "undefined block " + quoted(s.name), "no block has this name");
        if (find_kind(s.name)) {
            d.hint(quoted(s.name) + " is a layer kind: write it without parentheses, `" + std::string(s.name) + " ...`");
        } else {
            std::vector<std::string_view> names;
            for (const auto& [n, b] : blocks_) names.push_back(n);
            std::sort(names.begin(), names.end());  // a deterministic suggestion
            if (auto m = closest_match(s.name, names); !m.empty()) d.hint("did you mean " + quoted(m) + "?");
        }
        ctx.shape = Shape::unknown();
        return nullptr;
    }
    const Stmt& block = *it->second;
    if (std::find(call_stack_.begin(), call_stack_.end(), s.name) != call_stack_.end()) {
        std::string chain;
        for (auto n : call_stack_) chain += std::string(n) + " -> ";
        diagnostics_.error(Code::recursion, s.name_span, "block " + quoted(s.name) + " calls itself", "recursive call")
            .note("the calls: " + chain + std::string(s.name))
            .label(block.name_span, "defined here");
        ctx.shape = Shape::unknown();
        return nullptr;
    }
    if (call_stack_.size() >= options_.max_call_depth) {
        diagnostics_.error(Code::too_deep, s.name_span, "block calls nested deeper than " + std::to_string(options_.max_call_depth));
        ctx.shape = Shape::unknown();
        return nullptr;
    }
    // bind arguments: positional first, then by name; defaults for the rest
    Scope block_scope{nullptr, {}, true};
    boost::container::small_vector<std::optional<Wide>, 8> values(block.params.size());
    boost::container::small_vector<bool, 8> given(block.params.size(), false);
    size_t position = 0;
    bool ok = true;
    for (const Arg& a : s.args) {
        size_t index;
        if (a.name.empty()) {
            if (position >= block.params.size()) {
                diagnostics_.error(Code::bad_call, program_.expr(a.value).span,
                                   "block " + quoted(s.name) + " takes " + std::to_string(block.params.size()) + " argument" +
                                       (block.params.size() == 1 ? "" : "s"))
                    .label(block.name_span, "defined here");
                ok = false;
                continue;
            }
            index = position++;
        } else {
            const auto p = std::find_if(block.params.begin(), block.params.end(), [&](const Param& q) { return q.name == a.name; });
            if (p == block.params.end()) {
                std::vector<std::string_view> names;
                for (const auto& q : block.params) names.push_back(q.name);
                auto& d = diagnostics_.error(Code::bad_call, a.name_span, "block " + quoted(s.name) + " has no parameter " + quoted(a.name));
                if (auto m = closest_match(a.name, names); !m.empty()) d.hint("did you mean " + quoted(m) + "?");
                ok = false;
                continue;
            }
            index = static_cast<size_t>(p - block.params.begin());
        }
        if (given[index]) {
            diagnostics_.error(Code::bad_call, a.name.empty() ? program_.expr(a.value).span : a.name_span,
                               "parameter " + quoted(block.params[index].name) + " is given twice");
            ok = false;
            continue;
        }
        given[index] = true;
        values[index] = eval_int(a.value, scope);
        ok = ok && values[index];
    }
    for (size_t i = 0; i < block.params.size(); ++i) {
        if (!given[i]) {
            if (block.params[i].default_value == no_expr) {
                diagnostics_.error(Code::bad_call, s.span, "missing argument " + quoted(block.params[i].name) + " for block " + quoted(s.name))
                    .label(block.params[i].span, "declared here");
                ok = false;
                continue;
            }
            values[i] = eval_int(block.params[i].default_value, block_scope);
            ok = ok && values[i];
        }
        if (values[i]) block_scope.names.emplace_back(block.params[i].name, *values[i]);
    }
    if (!ok) {
        ctx.shape = Shape::unknown();
        return nullptr;
    }
    if (!budget(s.span)) return nullptr;
    const size_t kept_before = diagnostics_.all().size();
    call_stack_.push_back(s.name);
    std::vector<ExpectCheck> expects;
    NodeRef body = eval_sequence(block.body, block_scope, ctx, expects);
    call_stack_.pop_back();
    check_expects(expects, body->params, body->trainable, "block " + quoted(s.name));
    diagnostics_.label_call(kept_before, s.span);
    auto node = new_node(*body);
    node->kind = NodeKind::block;
    node->span = s.span;
    node->label = std::string(s.name);
    for (size_t i = 0; i < block.params.size(); ++i) node->args.emplace_back(std::string(block.params[i].name), *values[i]);
    return node;
}

void Evaluator::warn_unused_lets() {
    std::vector<std::pair<std::string_view, const Let*>> in_order;  // report in the order of the text
    for (const auto& [name, let] : lets_) in_order.emplace_back(name, &let);
    std::sort(in_order.begin(), in_order.end(), [](const auto& a, const auto& b) {
        return a.second->span.file != b.second->span.file ? a.second->span.file < b.second->span.file
                                                          : a.second->span.begin < b.second->span.begin;
    });
    for (const auto& [name, let_pointer] : in_order) {
        const Let& let = *let_pointer;
        // after an error, an unused `let` is more likely its victim than a mistake of its own
        if (!let.used && let.value && !diagnostics_.has_errors() && name.substr(0, 1) != "_") {
            diagnostics_.warning(Code::unused_let, let.span, quoted(name) + " is never used", "defined here")
                .hint("remove it, or prefix the name with `_` to keep it");
        }
    }
}

Network Evaluator::run() {
    text_budget_ = program_.file ? sources_.file(program_.file).text().size() : 0;
    declare();
    Context ctx;
    ctx.strict = input_.has_value();
    ctx.shape = input_ ? *input_ : Shape::unknown();
    Scope top;
    std::vector<ExpectCheck> expects;
    NodeRef root = eval_sequence(program_.statements, top, ctx, expects);
    check_expects(expects, root->params, root->trainable, "the network");
    Network net;
    net.name = network_name_;
    net.has_input = input_.has_value();
    if (input_) net.input = *input_;
    net.root = root;
    net.params = root->params;
    net.trainable = root->trainable;
    warn_unused_lets();
    return net;
}

Network evaluate(const Program& program, const SourceManager& sources, Diagnostics& diagnostics, const EvaluateOptions& options,
                 const std::vector<const Program*>& imports) {
    Evaluator evaluator(program, sources, diagnostics, options, imports);
    return evaluator.run();
}

}  // namespace nnspec
