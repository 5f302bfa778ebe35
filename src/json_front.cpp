#include "json_front.hpp"

#include <algorithm>

#include "json_scan.hpp"
#include "kinds/kind.hpp"

namespace nnspec {
namespace {

std::string quoted(std::string_view s) { return "`" + std::string(s) + "`"; }

std::string describe(const JsonValue& v) {
    switch (v.type) {
        case JsonValue::Type::string: return "the string \"" + (v.text.size() > 40 ? v.text.substr(0, 40) + "..." : v.text) + "\"";
        case JsonValue::Type::number: return v.text;
        case JsonValue::Type::boolean: return v.boolean ? "true" : "false";
        case JsonValue::Type::null: return "null";
        default: return std::string(json_type_name(v.type));
    }
}

// Where a value is, as a JSON path (`$[1].kernel_size[0]`). It is spelt out only for a
// message: building the text for every key of every layer was most of the front end's work.
struct JsonPath {
    JsonPath(const char* b) : base(b) {}          // NOLINT: a path is written as its text
    JsonPath(const std::string& b) : base(b) {}   // NOLINT
    JsonPath(std::string_view b, std::string_view k, size_t i = SIZE_MAX) : base(b), key(k), index(i) {}

    std::string_view base;  // `$[1]`, `$.input`
    std::string_view key;   // a member of base
    size_t index = SIZE_MAX;  // an element of that

    JsonPath element(size_t i) const { return {base, key, i}; }
    std::string str() const {
        std::string out(base);
        if (!key.empty()) out += "." + std::string(key);
        if (index != SIZE_MAX) out += "[" + std::to_string(index) + "]";
        return out;
    }
};

class JsonFront {
public:
    JsonFront(Program& program, Diagnostics& diagnostics) : p_(program), d_(diagnostics) {}

    void document(const JsonValue& root) {
        if (root.type == JsonValue::Type::array) {
            list(root, "$", p_.statements);
            return;
        }
        if (root.type != JsonValue::Type::object) {
            d_.error(Code::json_type, root.span, "expected an array of layers, or an object with `layers`, found " + describe(root));
            return;
        }
        const JsonValue* layers = nullptr;
        for (size_t i = 0; i < root.keys.size(); ++i) {
            const std::string& key = root.keys[i];
            const JsonValue& v = root.items[i];
            if (key == "name") {
                if (v.type != JsonValue::Type::string) {
                    type_error(v, "$.name", "a string");
                    continue;
                }
                Stmt s{StmtKind::network};
                s.span = s.name_span = s.keyword_span = v.span;
                s.name = p_.own(v.text);
                p_.statements.insert(p_.statements.begin(), std::move(s));
            } else if (key == "input") {
                Stmt s{StmtKind::input};
                s.span = s.keyword_span = v.span;
                s.value = integers(v, JsonPath{"$.input"}, false);
                if (s.value != no_expr) p_.statements.push_back(std::move(s));
            } else if (key == "layers") {
                if (v.type != JsonValue::Type::array) {
                    type_error(v, "$.layers", "an array of layers");
                    continue;
                }
                layers = &v;
            } else {
                d_.error(Code::unknown_option, root.key_spans[i], "unknown key " + quoted(key) + " in the network object")
                    .note("the keys are `name`, `input` and `layers`");
            }
        }
        if (!layers) {
            d_.error(Code::json_missing_key, root.span, "missing key `layers`").note("at $");
            return;
        }
        list(*layers, "$.layers", p_.statements);
    }

private:
    void type_error(const JsonValue& v, const JsonPath& path, std::string_view expected) {
        d_.error(Code::json_type, v.span, "expected " + std::string(expected) + ", found " + describe(v)).note("at " + path.str());
    }

    void list(const JsonValue& array, const std::string& path, std::vector<Stmt>& out) {
        for (size_t i = 0; i < array.items.size(); ++i) {
            if (auto s = layer(array.items[i], path + "[" + std::to_string(i) + "]")) out.push_back(std::move(*s));
        }
    }

    ExprId integer(const JsonValue& v, const JsonPath& path) {
        if (v.type != JsonValue::Type::number) {
            type_error(v, path, "an integer");
            return no_expr;
        }
        if (!v.integral) {
            type_error(v, path, "an integer");
            return no_expr;
        }
        const bool negative = v.text[0] == '-';
        Expr e{ExprKind::integer};
        e.span = v.span;
        if (negative) e.span.begin += 1;
        const auto value = parse_integer_literal(std::string_view(v.text).substr(negative ? 1 : 0));
        e.value = value.value_or(0);
        e.overflowed = !value;
        const ExprId literal = p_.add_expr(e);
        if (!negative) return literal;
        Expr n{ExprKind::negate};
        n.span = v.span;
        n.lhs = literal;
        return p_.add_expr(n);
    }

    // An integer, or an array of integers (a tuple); `words` also allows a string.
    ExprId integers(const JsonValue& v, const JsonPath& path, bool words) {
        if (v.type == JsonValue::Type::string && words) return name(v);
        if (v.type == JsonValue::Type::array) {
            std::vector<ExprId> items;
            for (size_t i = 0; i < v.items.size(); ++i) {
                const ExprId e = integer(v.items[i], path.element(i));
                if (e == no_expr) return no_expr;
                items.push_back(e);
            }
            if (items.empty()) {
                type_error(v, path, "a non-empty array of integers");
                return no_expr;
            }
            if (items.size() == 1) return items[0];
            Expr t{ExprKind::tuple};
            t.span = v.span;
            t.list_begin = static_cast<uint32_t>(p_.expr_lists.size());
            t.list_count = static_cast<uint32_t>(items.size());
            p_.expr_lists.insert(p_.expr_lists.end(), items.begin(), items.end());
            return p_.add_expr(t);
        }
        if (v.type == JsonValue::Type::number) return integer(v, path);
        type_error(v, path, words ? "an integer, an array of integers or a string" : "an integer or an array of integers");
        return no_expr;
    }

    ExprId name(const JsonValue& v) {
        Expr e{ExprKind::name};
        e.span = v.span;
        e.text = p_.own(v.text);
        return p_.add_expr(e);
    }

    ExprId value_for(const FieldSpec& spec, const JsonValue& v, const JsonPath& path) {
        switch (spec.type) {
            case FieldType::size:
            case FieldType::count:
            case FieldType::integer:
                return integer(v, path);
            case FieldType::sizes:
            case FieldType::integers:
            case FieldType::shape:
                return integers(v, path, false);
            case FieldType::counts:
                return integers(v, path, !spec.words.empty());
            case FieldType::boolean: {
                if (v.type != JsonValue::Type::boolean) {
                    type_error(v, path, "`true` or `false`");
                    return no_expr;
                }
                Expr e{ExprKind::name};
                e.span = v.span;
                e.text = v.boolean ? "true" : "false";
                return p_.add_expr(e);
            }
            case FieldType::decimal: {
                if (v.type != JsonValue::Type::number) {
                    type_error(v, path, "a number");
                    return no_expr;
                }
                Expr e{ExprKind::decimal};
                e.span = v.span;
                e.text = p_.own(v.text);
                return p_.add_expr(e);
            }
            case FieldType::word:
                if (v.type != JsonValue::Type::string) {
                    type_error(v, path, "a string");
                    return no_expr;
                }
                return name(v);
        }
        return no_expr;
    }

    static bool is_structure(std::string_view type) {
        return type == "residual" || type == "concat" || type == "add" || type == "multiply" || type == "gate" || type == "side";
    }

    // A list of layers under `key`, as the body of `s` (or of a new branch).
    bool body(const JsonValue& v, std::string_view key, const std::string& path, std::vector<Stmt>& out, bool required) {
        const JsonValue* list = v.member(key);
        if (!list) {
            if (required) {
                d_.error(Code::json_missing_key, v.span, "missing key " + quoted(key)).note("at " + path);
            }
            return !required;
        }
        if (list->type != JsonValue::Type::array) {
            type_error(*list, path + "." + std::string(key), "an array of layers");
            return false;
        }
        this->list(*list, path + "." + std::string(key), out);
        return true;
    }

    // The structured form: `{"type": "residual", "body": [...], "shortcut": [...]}` and the like.
    std::optional<Stmt> structure(const JsonValue& v, const JsonValue& type, const std::string& path) {
        static const std::pair<std::string_view, StmtKind> kinds[] = {
            {"residual", StmtKind::residual}, {"concat", StmtKind::concat}, {"add", StmtKind::add},
            {"multiply", StmtKind::multiply}, {"gate", StmtKind::gate},     {"side", StmtKind::side}};
        const auto it = std::find_if(std::begin(kinds), std::end(kinds), [&](const auto& k) { return k.first == type.text; });
        if (it == std::end(kinds)) return std::nullopt;
        Stmt s{it->second};
        s.span = v.span;
        s.keyword_span = s.name_span = type.span;
        s.json_path = path;
        const bool branched = s.kind == StmtKind::concat || s.kind == StmtKind::add || s.kind == StmtKind::multiply;
        std::vector<std::string_view> allowed = {"type"};
        bool ok = true;
        if (branched) {
            allowed.push_back("branches");
            if (s.kind == StmtKind::concat) allowed.push_back("dim");
            const JsonValue* branches = v.member("branches");
            if (!branches || branches->type != JsonValue::Type::array) {
                if (!branches) d_.error(Code::json_missing_key, type.span, "missing key `branches`").note("at " + path);
                else type_error(*branches, path + ".branches", "an array of layer arrays");
                return std::nullopt;
            }
            for (size_t b = 0; b < branches->items.size(); ++b) {
                const JsonValue& branch = branches->items[b];
                const std::string branch_path = path + ".branches[" + std::to_string(b) + "]";
                if (branch.type != JsonValue::Type::array) {
                    type_error(branch, branch_path, "an array of layers");
                    ok = false;
                    continue;
                }
                Stmt br{StmtKind::branch};
                br.span = br.keyword_span = branch.span;
                list(branch, branch_path, br.body);
                s.body.push_back(std::move(br));
            }
            if (const JsonValue* dim = v.member("dim"); dim && s.kind == StmtKind::concat) {
                const ExprId e = integer(*dim, JsonPath{path, "dim"});
                if (e == no_expr) ok = false;
                else s.items.push_back(Item{"dim", dim->span, e, dim->span});
            }
        } else {
            allowed.push_back("body");
            ok = body(v, "body", path, s.body, true) && ok;
            if (s.kind == StmtKind::residual) {
                allowed.push_back("shortcut");
                if (v.member("shortcut")) {
                    s.has_shortcut = true;
                    ok = body(v, "shortcut", path, s.shortcut, true) && ok;
                }
            }
            if (s.kind == StmtKind::side) {
                allowed.push_back("input");
                if (const JsonValue* input = v.member("input")) {
                    s.value = integers(*input, JsonPath{path, "input"}, false);
                    ok = ok && s.value != no_expr;
                }
            }
        }
        for (size_t i = 0; i < v.keys.size(); ++i) {
            if (std::find(allowed.begin(), allowed.end(), v.keys[i]) == allowed.end()) {
                d_.error(Code::unknown_option, v.key_spans[i], "unknown key " + quoted(v.keys[i]) + " for " + quoted(type.text))
                    .note("at " + path + "." + v.keys[i]);
                ok = false;
            }
        }
        if (!ok) return std::nullopt;
        return s;
    }

public:
    std::optional<Stmt> layer(const JsonValue& v, const std::string& path) {
        if (v.type != JsonValue::Type::object) {
            type_error(v, path, "a layer object");
            return std::nullopt;
        }
        const JsonValue* type = v.member("type");
        if (!type) {
            d_.error(Code::json_missing_key, v.span, "missing key `type`", "this layer has no `type`").note("at " + path);
            return std::nullopt;
        }
        if (type->type != JsonValue::Type::string) {
            type_error(*type, path + ".type", "a string");
            return std::nullopt;
        }
        if (auto structural = structure(v, *type, path)) return structural;
        if (is_structure(type->text)) return std::nullopt;  // reported by `structure`
        const KindInfo* kind = find_kind(type->text);
        if (!kind) {
            std::vector<std::string_view> names;
            for (const KindInfo* k : all_kinds()) names.push_back(k->name);
            auto& d = d_.error(Code::unknown_kind, type->span, "unknown layer type " + quoted(type->text), "not a layer kind");
            d.note("at " + path + ".type");
            if (auto m = closest_match(type->text, names); !m.empty()) d.hint("did you mean " + quoted(m) + "?");
            return std::nullopt;
        }
        Stmt s{StmtKind::layer};
        s.span = v.span;
        s.keyword_span = s.name_span = type->span;
        s.name = kind->name;
        s.json_path = path;
        bool ok = true;
        s.items.reserve(v.keys.size());
        boost::container::small_vector<bool, 10> present(kind->fields.size(), false);  // no kind has more fields
        for (size_t i = 0; i < v.keys.size(); ++i) {
            const std::string_view key = v.keys[i];
            const JsonValue& value = v.items[i];
            const JsonPath key_path{path, key};
            if (key == "type") continue;
            if (key == "name") {
                if (value.type != JsonValue::Type::string) {
                    type_error(value, key_path, "a string");
                    ok = false;
                } else {
                    s.as_name = p_.own(value.text);
                    s.as_span = value.span;
                }
                continue;
            }
            if (key == "tie") {
                if (value.type != JsonValue::Type::string) {
                    type_error(value, key_path, "the name of a layer");
                    ok = false;
                    continue;
                }
                s.items.push_back(Item{"tie", v.key_spans[i], name(value), Span::join(v.key_spans[i], value.span)});
                continue;
            }
            if (key == "trainable") {
                if (value.type != JsonValue::Type::boolean) {
                    type_error(value, key_path, "`true` or `false`");
                    ok = false;
                } else if (!value.boolean) {
                    s.items.push_back(Item{"frozen", v.key_spans[i], no_expr, Span::join(v.key_spans[i], value.span)});
                }
                continue;
            }
            const int index = kind->field_index(key);
            if (index < 0) {
                std::vector<std::string_view> keys = {"name", "tie", "trainable"};
                for (const auto& f : kind->fields) keys.push_back(f.json_key);
                auto& d = d_.error(Code::unknown_option, v.key_spans[i], "unknown key " + quoted(key) + " for " + quoted(kind->name))
                              .note("at " + key_path.str());
                if (auto m = closest_match(key, keys); !m.empty()) d.hint("did you mean " + quoted(m) + "?");
                ok = false;
                continue;
            }
            const auto field = static_cast<size_t>(index);
            present[field] = true;  // even when its value is wrong: that is reported on its own
            const ExprId e = value_for(kind->fields[field], value, key_path);
            if (e == no_expr) {
                ok = false;
                continue;
            }
            s.items.push_back(Item{kind->fields[field].json_key, v.key_spans[i], e,
                                   Span::join(v.key_spans[i], value.span)});
        }
        for (size_t f = 0; f < kind->fields.size(); ++f) {
            const int fi = static_cast<int>(f);
            // a flat list has no shapes to take sizes from, so the written sizes are needed,
            // except a single size with a default of its own (`prelu`: 1)
            const bool has_default = kind->fields[f].default_int != 0;
            const bool needed = kind->fields[f].required || fi == kind->in_field || fi == kind->out_field ||
                                (fi == kind->single_field && !has_default);
            if (needed && !present[f]) {
                d_.error(Code::json_missing_key, type->span,
                         "missing key " + quoted(kind->fields[f].json_key) + " in this " + quoted(kind->name) + " layer")
                    .note("at " + path);
                ok = false;
            }
        }
        if (!ok) return std::nullopt;
        return s;
    }

private:
    Program& p_;
    Diagnostics& d_;
};

}  // namespace

bool parse_json_streaming_program(const SourceManager& sources, FileId file, Diagnostics& diagnostics,
                                  const ParseLimits& limits, Program& pool, const StatementSink& sink) {
    const std::string_view text = sources.file(file).text();
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || text[first] != '[') return false;
    pool.file = file;
    pool.from_json = true;
    JsonFront front(pool, diagnostics);
    size_t given = 0;
    const JsonElementSink element = [&](const JsonValue& v, size_t index) {
        ++given;
        const size_t expr_mark = pool.exprs.size(), list_mark = pool.expr_lists.size(), errors = diagnostics.errors();
        auto statement = front.layer(v, "$[" + std::to_string(index) + "]");
        if (!statement || diagnostics.errors() != errors) return false;
        const bool go_on = sink(std::move(*statement));
        pool.exprs.resize(expr_mark);
        pool.expr_lists.resize(list_mark);
        return go_on;
    };
    switch (scan_json_layer_list(text, file, limits, element)) {
        case ScanResult::done: return true;
        case ScanResult::stopped: return false;
        case ScanResult::unsupported:
            // the elements already given cannot be taken back: then the whole-document path runs
            if (given != 0) return false;
            return parse_json_streaming(sources, file, diagnostics, limits, element);
    }
    return false;
}

Program parse_json_program(const SourceManager& sources, FileId file, Diagnostics& diagnostics, const ParseLimits& limits) {
    Program program;
    program.file = file;
    program.from_json = true;
    const auto root = parse_json(sources, file, diagnostics, limits);
    if (root) JsonFront(program, diagnostics).document(*root);
    return program;
}

}  // namespace nnspec
