// Phase 2: one layer statement -> a Layer. The written sizes (`IN -> OUT`, a single OUT or
// SHAPE) and every `key=value` or flag are matched against the kind's fields; what is
// missing comes from defaults or, in the shape rule, from the incoming shape.
#include <algorithm>

#include "sema.hpp"

namespace nnspec {
namespace {

std::string quoted(std::string_view s) { return "`" + std::string(s) + "`"; }

std::vector<std::string_view> option_words(const KindInfo& kind) {
    std::vector<std::string_view> words = {"frozen", "tie"};
    for (const auto& f : kind.fields) {
        words.push_back(f.name);
        if (f.json_key != f.name) words.push_back(f.json_key);
        if (!f.flag_on.empty()) words.push_back(f.flag_on);
        if (!f.flag_off.empty()) words.push_back(f.flag_off);
    }
    return words;
}

// A decimal as every output can write it: `.nn` allows `1_000`, `09` and `00.5`, which are
// not JSON numbers (and `09` is not Python), so separators and leading zeros go.
std::string canonical_decimal(std::string_view written) {
    std::string out;
    out.reserve(written.size());
    size_t i = 0;
    if (i < written.size() && (written[i] == '-' || written[i] == '+')) {
        if (written[i] == '-') out += '-';
        ++i;
    }
    while (i + 1 < written.size() && (written[i] == '0' || written[i] == '_') &&
           (written[i + 1] == '0' || written[i + 1] == '_' || (written[i + 1] >= '1' && written[i + 1] <= '9'))) {
        ++i;  // a leading zero followed by another digit
    }
    for (; i < written.size(); ++i) {
        if (written[i] != '_') out += written[i];
    }
    return out;
}

std::vector<std::string_view> kind_names() {
    std::vector<std::string_view> names;
    for (const KindInfo* k : all_kinds()) names.push_back(k->name);
    return names;
}

}  // namespace

// Evaluates `e` into field `index` of `layer`, checking it against the field's type.
bool Evaluator::assign_field(Layer& layer, size_t index, ExprId e, const Scope& scope, Span at) {
    const FieldSpec& spec = layer.kind->fields[index];
    FieldValue& field = layer.fields[index];
    const auto what = [&] { return quoted(spec.name); };  // only for a message: this runs for every size
    const auto value = eval_value(e, scope);
    if (!value) return false;
    field.span = at;
    const auto as_int64 = [&](Wide w, Wide minimum, std::string_view requirement) -> std::optional<int64_t> {
        if (w < minimum) {
            diagnostics_.error(Code::not_positive, value->span, what() + " must be " + std::string(requirement) + ", found " + to_string(w));
            return std::nullopt;
        }
        if (w > INT64_MAX) {
            diagnostics_.error(Code::overflow, value->span, what() + " is " + to_string(w) + ", larger than 2^63-1");
            return std::nullopt;
        }
        return static_cast<int64_t>(w);
    };
    const auto wrong = [&](std::string expected) {
        diagnostics_.error(Code::wrong_value, value->span, what() + " expects " + expected);
        return false;
    };
    using T = Value::Type;
    switch (spec.type) {
        case FieldType::size:
        case FieldType::count:
        case FieldType::integer: {
            if (value->type == T::decimal || value->type == T::word) {
                eval_int(e, scope);  // reports the decimal or the undefined name
                return false;
            }
            if (value->type != T::integer) return wrong("a single integer");
            const Wide minimum = spec.type == FieldType::size ? 1 : spec.type == FieldType::count ? 0 : -int_limit;
            const auto v = as_int64(value->integer, minimum, spec.type == FieldType::size ? "positive" : "zero or more");
            if (!v) return false;
            field.ints = {*v};
            break;
        }
        case FieldType::sizes:
        case FieldType::counts:
        case FieldType::integers:
        case FieldType::shape: {
            if (value->type == T::word && spec.type == FieldType::counts &&
                std::find(spec.words.begin(), spec.words.end(), value->text) != spec.words.end()) {
                field.text = std::string(value->text);
                field.ints = {0};
                break;
            }
            if (value->type == T::decimal || value->type == T::word) {
                if (value->type == T::word && !spec.words.empty()) {
                    std::string words;
                    for (auto w : spec.words) words += (words.empty() ? "" : " or ") + quoted(w);
                    diagnostics_.error(Code::wrong_value, value->span, what() + " expects an integer, a tuple, " + words + ", found " + quoted(value->text));
                    return false;
                }
                eval_int(e, scope);
                return false;
            }
            const Wide minimum = spec.type == FieldType::counts ? 0 : spec.type == FieldType::integers ? -int_limit : 1;
            Dims ints;
            for (const Wide w : value->integers()) {
                const auto v = as_int64(w, minimum, spec.type == FieldType::counts ? "zero or more" : "positive");
                if (!v) return false;
                ints.push_back(*v);
            }
            const auto rank = static_cast<size_t>(layer.kind->spatial_rank);
            if ((spec.type == FieldType::sizes || spec.type == FieldType::counts) && rank != 0 && ints.size() != 1 && ints.size() != rank) {
                diagnostics_.error(Code::wrong_arity, value->span,
                                   what() + " has " + std::to_string(ints.size()) + " values, but `" + std::string(layer.kind->name) +
                                       "` has " + std::to_string(rank) + " spatial dimensions")
                    .hint("give one value for all dimensions, or exactly " + std::to_string(rank));
                return false;
            }
            field.ints = std::move(ints);
            break;
        }
        case FieldType::boolean:
            if (value->type == T::word && (value->text == "true" || value->text == "false")) {
                field.flag = value->text == "true";
                break;
            }
            return wrong("`true` or `false`");
        case FieldType::decimal:
            if (value->type == T::decimal || (value->type == T::integer && program_.expr(e).kind == ExprKind::integer)) {
                field.text = canonical_decimal(sources_.text(value->span));
                break;
            }
            if (value->type == T::integer) {
                field.text = to_string(value->integer);
                break;
            }
            return wrong("a number");
        case FieldType::word:
            if (value->type == T::word) {
                field.text = std::string(value->text);
                break;
            }
            return wrong("a name");
    }
    field.set = true;
    return true;
}

NodeRef Evaluator::eval_layer(const Stmt& s, const Scope& scope, Context& ctx) {
    const KindInfo* kind = find_kind(s.name);
    if (!kind) {
        auto& d = diagnostics_.error(Code::unknown_kind, s.name_span, "unknown layer kind " + quoted(s.name), "not a layer kind");
        if (blocks_.count(s.name)) {
            d.hint("to use the block " + quoted(s.name) + ", call it: `" + std::string(s.name) + "(...)`");
        } else if (auto m = closest_match(s.name, kind_names()); !m.empty()) {
            d.hint("did you mean " + quoted(m) + "?");
        }
        ctx.shape = Shape::unknown();
        return nullptr;
    }
    auto layer = new_layer();
    layer->kind = kind;
    layer->span = s.span;
    layer->trainable = ctx.trainable;
    layer->fields.resize(kind->fields.size());
    for (size_t i = 0; i < kind->fields.size(); ++i) {
        const FieldSpec& spec = kind->fields[i];
        FieldValue& f = layer->fields[i];
        f.flag = spec.default_bool;
        f.text.assign(spec.default_text);
        if (spec.type == FieldType::size || spec.type == FieldType::count || spec.type == FieldType::integer ||
            spec.type == FieldType::sizes || spec.type == FieldType::counts) {
            f.ints = {spec.default_int};
        }
    }
    const size_t errors_before = diagnostics_.errors();

    // the written sizes
    const auto need = [&](int field, std::string_view form) {
        if (field >= 0) return true;
        diagnostics_.error(Code::wrong_value, program_.expr(s.dims_in).span, quoted(kind->name) + " is not written with " + std::string(form));
        return false;
    };
    boost::container::small_vector<Span, 10> first_set(kind->fields.size());  // no kind has more fields
    if (s.dims_out != no_expr) {
        if (need(kind->in_field, "`IN -> OUT`")) {
            const auto in = static_cast<size_t>(kind->in_field), out = static_cast<size_t>(kind->out_field);
            assign_field(*layer, in, s.dims_in, scope, program_.expr(s.dims_in).span);
            assign_field(*layer, out, s.dims_out, scope, program_.expr(s.dims_out).span);
            first_set[in] = program_.expr(s.dims_in).span;
            first_set[out] = program_.expr(s.dims_out).span;
        }
    } else if (s.dims_in != no_expr) {
        if (kind->single_field < 0) {
            auto& d = diagnostics_.error(Code::wrong_value, program_.expr(s.dims_in).span,
                                         quoted(kind->name) + " does not take a single size here");
            if (kind->in_field >= 0) d.hint("write both sizes: `" + std::string(kind->name) + " IN -> OUT`");
        } else {
            const auto single = static_cast<size_t>(kind->single_field);
            assign_field(*layer, single, s.dims_in, scope, program_.expr(s.dims_in).span);
            first_set[single] = program_.expr(s.dims_in).span;
        }
    }

    // options and flags
    bool frozen_flag = false;
    for (const Item& item : s.items) {
        if (item.value == no_expr) {  // a flag
            if (item.key == "frozen") {
                if (frozen_flag) diagnostics_.error(Code::duplicate_option, item.key_span, "`frozen` is given twice");
                frozen_flag = true;
                layer->trainable = false;
                continue;
            }
            int index = -1;
            bool on = false;
            for (size_t i = 0; i < kind->fields.size(); ++i) {
                if (!kind->fields[i].flag_on.empty() && (kind->fields[i].flag_on == item.key || kind->fields[i].flag_off == item.key)) {
                    index = static_cast<int>(i);
                    on = kind->fields[i].flag_on == item.key;
                }
            }
            if (index < 0) {
                const int as_option = kind->field_index(item.key);
                auto& d = diagnostics_.error(Code::unknown_option, item.key_span,
                                             "unknown flag " + quoted(item.key) + " for " + quoted(kind->name));
                if (as_option >= 0) d.hint(quoted(item.key) + " takes a value: `" + std::string(item.key) + "=...`");
                else if (auto m = closest_match(item.key, option_words(*kind)); !m.empty()) d.hint("did you mean " + quoted(m) + "?");
                continue;
            }
            const auto i = static_cast<size_t>(index);
            if (first_set[i].valid()) {
                const bool same = layer->fields[i].flag == on;
                diagnostics_.error(same ? Code::duplicate_option : Code::conflicting_options, item.key_span,
                                   same ? quoted(item.key) + " is given twice"
                                        : quoted(kind->fields[i].flag_on) + " and " + quoted(kind->fields[i].flag_off) + " contradict each other")
                    .label(first_set[i], "first set here");
                continue;
            }
            layer->fields[i].flag = on;
            layer->fields[i].set = true;
            layer->fields[i].span = item.key_span;
            first_set[i] = item.key_span;
            continue;
        }
        if (item.key == "tie") {
            const Expr& target = program_.expr(item.value);
            if (target.kind != ExprKind::name) {
                diagnostics_.error(Code::wrong_value, target.span, "`tie` expects the name of a layer (`as NAME`)");
            } else if (!layer->tie.empty()) {
                diagnostics_.error(Code::duplicate_option, item.key_span, "`tie` is given twice");
            } else {
                layer->tie = std::string(target.text);
                layer->tie_span = target.span;
            }
            continue;
        }
        if (item.key == "trainable" || item.key == "name" || item.key == "type") {
            // JSON keys that the JSON front end turns into flags; in `.nn` text they have their own syntax
            diagnostics_.error(Code::unknown_option, item.key_span, quoted(item.key) + " is not an option")
                .hint(item.key == "trainable" ? "write the flag `frozen` for a non-trainable layer"
                      : item.key == "name"    ? "name a layer with `as NAME`"
                                              : "the layer kind is the first word of the statement");
            continue;
        }
        const int index = kind->field_index(item.key);
        if (index < 0) {
            auto& d = diagnostics_.error(Code::unknown_option, item.key_span,
                                         "unknown option " + quoted(item.key) + " for " + quoted(kind->name));
            if (!s.json_path.empty()) d.note("at " + s.json_path + "." + std::string(item.key));
            if (auto m = closest_match(item.key, option_words(*kind)); !m.empty()) d.hint("did you mean " + quoted(m) + "?");
            continue;
        }
        const auto i = static_cast<size_t>(index);
        if (first_set[i].valid()) {
            diagnostics_.error(Code::duplicate_option, item.key_span, quoted(kind->fields[i].name) + " is given twice")
                .label(first_set[i], "first given here");
            continue;
        }
        first_set[i] = item.span;
        const size_t errors_before_value = diagnostics_.errors();
        if (!assign_field(*layer, i, item.value, scope, program_.expr(item.value).span) && !s.json_path.empty() &&
            diagnostics_.errors() != errors_before_value) {
            // the JSON path helps find the value in a long document
            diagnostics_.last().note("at " + s.json_path + "." + std::string(item.key));
        }
    }
    if (!s.as_name.empty()) layer->name = std::string(s.as_name);

    // a required option missing after an unknown one is most likely that one misspelt
    const bool unknown_reported = diagnostics_.errors() != errors_before;
    for (size_t i = 0; i < kind->fields.size() && !unknown_reported; ++i) {
        if (kind->fields[i].required && !first_set[i].valid() && static_cast<int>(i) != kind->in_field) {
            auto& d = diagnostics_.error(Code::missing_value, s.name_span,
                                         quoted(kind->name) + " needs " + quoted(kind->fields[i].name));
            if (static_cast<int>(i) == kind->out_field && kind->in_field >= 0) {
                d.hint("write `" + std::string(kind->name) + " IN -> OUT`");
            } else if (static_cast<int>(i) == kind->single_field) {
                d.hint("write it after the kind: `" + std::string(kind->name) + " N`");
            } else {
                d.hint("add `" + std::string(kind->fields[i].name) + "=...`");
            }
        }
    }
    if (diagnostics_.errors() != errors_before) {
        ctx.shape = Shape::unknown();
        return nullptr;
    }

    // shapes, then the checks between options, then the count
    // With an `input`, an unknown shape means an earlier error: this layer's shape checks
    // would only repeat it, so they run against a scratch list that is dropped.
    const bool after_error = ctx.strict && !ctx.shape.fully_known();
    std::optional<Diagnostics> scratch;  // made only when needed: most layers follow no error
    ShapeContext shape{*layer, ctx.shape, Shape::unknown(), ctx.strict, after_error ? scratch.emplace() : diagnostics_};
    if (kind->infer) kind->infer(shape);
    if (shape.out.dims.size() > max_rank) {
        diagnostics_.error(Code::bad_shape, s.span,
                           "the output of this layer would have " + std::to_string(shape.out.dims.size()) + " dimensions",
                           "a shape has at most " + std::to_string(max_rank) + " dimensions");
    }
    if (diagnostics_.errors() != errors_before || (scratch && scratch->has_errors())) {
        ctx.shape = Shape::unknown();
        return nullptr;
    }
    if (kind->validate) kind->validate(*layer, diagnostics_);
    if (diagnostics_.errors() != errors_before) {
        ctx.shape = Shape::unknown();
        return nullptr;
    }
    const Params p = kind->params(*layer);
    layer->weight = p.weight;
    layer->bias = p.bias;
    if (p.weight.overflow() || p.bias.overflow() || (p.weight + p.bias).overflow()) {
        diagnostics_.error(Code::count_overflow, s.span, "the parameter count of this layer does not fit in 64 bits");
        ctx.shape = Shape::unknown();
        return nullptr;
    }

    // shared weights
    if (!layer->tie.empty()) {
        auto it = named_layers_.find(layer->tie);
        if (it == named_layers_.end()) {
            std::vector<std::string_view> names;
            for (const auto& [n, l] : named_layers_) names.push_back(n);
            auto& d = diagnostics_.error(Code::tie_mismatch, layer->tie_span, "no earlier layer is named " + quoted(layer->tie));
            if (auto m = closest_match(layer->tie, names); !m.empty()) d.hint("did you mean " + quoted(m) + "?");
            else d.hint("name the layer whose weight is shared with `as " + layer->tie + "`");
        } else {
            const Layer& target = *it->second.first;
            const auto mine = kind->weight_shape ? kind->weight_shape(*layer) : Dims{};
            const auto theirs = target.kind->weight_shape ? target.kind->weight_shape(target) : Dims{};
            // PyTorch shares the tensor itself, so the shapes must be equal, not only the sizes
            if (mine.empty() || theirs.empty() || mine != theirs) {
                const auto text = [](const Dims& w) {
                    std::string t;
                    for (auto d : w) t += (t.empty() ? "" : "x") + std::to_string(d);
                    return t.empty() ? std::string("no weight") : t;
                };
                diagnostics_.error(Code::tie_mismatch, layer->tie_span,
                                   "cannot tie weights of different shapes: " + text(mine) + " here, " + text(theirs) + " in " + quoted(layer->tie))
                    .label(it->second.second, "the weight of " + quoted(layer->tie));
            } else {
                layer->weight_shared = true;
            }
        }
    }
    if (!layer->name.empty()) {
        auto it = named_layers_.find(layer->name);
        if (it != named_layers_.end() && it->second.second.begin != s.span.begin) {
            diagnostics_.error(Code::redefined_name, s.as_span, "a layer is already named " + quoted(layer->name))
                .label(it->second.second, "first named here");
        } else {
            named_layers_[layer->name] = {layer, s.span};
        }
    }

    auto node = new_node();
    node->kind = NodeKind::layer;
    node->span = s.span;
    node->in = ctx.shape;
    node->out = shape.out;
    node->params = layer->own_params();
    node->trainable = layer->trainable ? node->params : Count(0);
    node->layer = layer;
    ctx.shape = shape.out;
    return node;
}

}  // namespace nnspec
