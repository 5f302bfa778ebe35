// Integer expressions and option values. Arithmetic is exact (128-bit intermediates) and
// every result must fit in 64 bits; `/` must divide exactly, `//` floors like Python's.
#include <algorithm>

#include "sema.hpp"

namespace nnspec {
namespace {

std::string_view operator_text(ExprKind k) {
    switch (k) {
        case ExprKind::add: return "+";
        case ExprKind::subtract: return "-";
        case ExprKind::multiply: return "*";
        case ExprKind::divide: return "/";
        case ExprKind::floor_divide: return "//";
        default: return "?";
    }
}

}  // namespace

std::vector<std::string_view> Evaluator::visible_names(const Scope& scope) const {
    std::vector<std::string_view> names;
    for (const Scope* s = &scope; s; s = s->parent) {
        for (const auto& [name, value] : s->names) names.push_back(name);
    }
    for (const auto& [name, let] : lets_) names.push_back(name);
    std::sort(names.begin(), names.end());  // a deterministic suggestion whatever the hash order
    return names;
}

std::optional<Wide> Evaluator::let_value(Let& let, const Expr& use, const Scope& scope) {
    if (!scope.in_block && let.span.file == use.span.file && let.span.begin > use.span.begin) {
        diagnostics_.error(Code::undefined_name, use.span, "`" + std::string(use.text) + "` is used before its `let`")
            .label(let.span, "defined here")
            .hint("move the `let` above its first use");
        return std::nullopt;
    }
    let.used = true;
    return let.value;  // nullopt if the let itself had an error: reported there
}

std::optional<Wide> Evaluator::eval_int(ExprId id, const Scope& scope) {
    const Expr& e = program_.expr(id);
    switch (e.kind) {
        case ExprKind::integer:
            if (e.overflowed) {
                diagnostics_.error(Code::overflow, e.span, "integer literal does not fit in 64 bits", "larger than 18446744073709551615");
                return std::nullopt;
            }
            return static_cast<Wide>(e.value);
        case ExprKind::decimal:
            diagnostics_.error(Code::not_integer, e.span, "expected an integer, found the decimal `" + std::string(e.text) + "`",
                               "decimals are only for options such as `p=` and `eps=`");
            return std::nullopt;
        case ExprKind::name: {
            if (const Wide* v = scope.find(e.text)) return *v;
            const auto it = lets_.find(e.text);
            if (it != lets_.end()) return let_value(it->second, e, scope);
            auto& d = diagnostics_.error(Code::undefined_name, e.span, "undefined name `" + std::string(e.text) + "`", "not defined");
            const auto suggestion = closest_match(e.text, visible_names(scope));
            if (!suggestion.empty()) d.hint("did you mean `" + std::string(suggestion) + "`?");
            else d.hint("define it with `let " + std::string(e.text) + " = ...`");
            return std::nullopt;
        }
        case ExprKind::negate: {
            const auto v = eval_int(e.lhs, scope);
            if (!v) return std::nullopt;
            return -*v;  // |v| <= 2^64-1, so -v is in range too
        }
        case ExprKind::add:
        case ExprKind::subtract:
        case ExprKind::multiply:
        case ExprKind::divide:
        case ExprKind::floor_divide: {
            const auto a = eval_int(e.lhs, scope);
            const auto b = eval_int(e.rhs, scope);
            if (!a || !b) return std::nullopt;
            Int r;
            if (e.kind == ExprKind::add) r = int_add(*a, *b);
            else if (e.kind == ExprKind::subtract) r = int_sub(*a, *b);
            else if (e.kind == ExprKind::multiply) r = int_mul(*a, *b);
            else {
                if (*b == 0) {
                    diagnostics_.error(Code::division_by_zero, program_.expr(e.rhs).span, "division by zero", "this is 0");
                    return std::nullopt;
                }
                if (e.kind == ExprKind::divide && *a % *b != 0) {
                    diagnostics_.error(Code::inexact_division, e.span,
                                       "`" + to_string(*a) + " / " + to_string(*b) + "` does not divide exactly",
                                       "leaves a remainder of " + to_string(*a % *b))
                        .hint("use `//` for floor division");
                    return std::nullopt;
                }
                r = e.kind == ExprKind::divide ? checked(*a / *b) : checked(floor_div(*a, *b));
            }
            if (!r) {
                diagnostics_.error(Code::overflow, e.span,
                                   "`" + to_string(*a) + " " + std::string(operator_text(e.kind)) + " " + to_string(*b) +
                                       "` does not fit in 64 bits");
                return std::nullopt;
            }
            return r;
        }
        case ExprKind::tuple:
        case ExprKind::xshape:
            diagnostics_.error(Code::wrong_value, e.span, "expected a single integer, found a shape of " +
                                                              std::to_string(e.list_count) + " dimensions");
            return std::nullopt;
    }
    return std::nullopt;
}

std::optional<Value> Evaluator::eval_value(ExprId id, const Scope& scope) {
    const Expr& e = program_.expr(id);
    Value v;
    v.span = e.span;
    switch (e.kind) {
        case ExprKind::decimal:
            v.type = Value::Type::decimal;
            v.text = e.text;
            return v;
        case ExprKind::name: {
            // one lookup: a known name is its value, an unknown one a word (`same`, `true`)
            std::optional<Wide> known;
            if (const Wide* local = scope.find(e.text)) {
                known = *local;
            } else if (const auto it = lets_.find(e.text); it != lets_.end()) {
                known = let_value(it->second, e, scope);
                if (!known) return std::nullopt;
            } else {
                v.type = Value::Type::word;
                v.text = e.text;
                return v;
            }
            v.integer = *known;
            return v;
        }
        case ExprKind::tuple:
        case ExprKind::xshape: {
            v.type = Value::Type::list;
            v.list_is_xshape = e.kind == ExprKind::xshape;
            bool ok = true;
            for (uint32_t i = 0; i < e.list_count; ++i) {
                const auto item = eval_int(program_.expr_lists[e.list_begin + i], scope);
                if (item) v.list.push_back(*item);
                ok = ok && item;
            }
            if (!ok) return std::nullopt;
            return v;
        }
        default: break;
    }
    const auto i = eval_int(id, scope);
    if (!i) return std::nullopt;
    v.integer = *i;
    return v;
}

std::optional<Dims> Evaluator::eval_shape(ExprId id, const Scope& scope) {
    const auto v = eval_value(id, scope);
    if (!v) return std::nullopt;
    if (v->type == Value::Type::decimal || v->type == Value::Type::word) {
        eval_int(id, scope);  // reports the decimal, or the undefined name
        return std::nullopt;
    }
    const std::span<const Wide> dims = v->integers();
    if (dims.size() > max_rank) {
        diagnostics_.error(Code::bad_shape, v->span, "a shape of " + std::to_string(dims.size()) + " dimensions",
                           "a shape has at most " + std::to_string(max_rank) + " dimensions");
        return std::nullopt;
    }
    Dims out;
    for (size_t i = 0; i < dims.size(); ++i) {
        if (dims[i] <= 0) {
            diagnostics_.error(Code::not_positive, v->span, "shape dimension " + std::to_string(i) + " is " + to_string(dims[i]),
                               "every dimension must be positive");
            return std::nullopt;
        }
        if (dims[i] > INT64_MAX) {
            diagnostics_.error(Code::overflow, v->span, "shape dimension " + to_string(dims[i]) + " is larger than 2^63-1");
            return std::nullopt;
        }
        out.push_back(static_cast<int64_t>(dims[i]));
    }
    return out;
}

}  // namespace nnspec
