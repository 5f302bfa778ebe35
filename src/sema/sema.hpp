// The semantic passes, in the order they run:
//   1_declare.cpp   top-level statements: `network`, `input`, `let`s (evaluated in order), blocks
//   values.cpp      integer expressions and option values, with checked arithmetic
//   2_layer.cpp     one layer statement -> a Layer: options resolved against its kind
//   3_structure.cpp the statements in order: shapes, counts, repeats, blocks, residual, ...
// All of them append to one Diagnostics list and carry on after an error, so one run
// reports every problem; an erroneous part yields no node (or an unknown shape) and the
// checks that depend on it are skipped rather than repeated.
#pragma once

#include <deque>
#include <map>
#include <unordered_map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../ast.hpp"
#include "../diagnostics.hpp"
#include "../ir.hpp"
#include "../name_hash.hpp"

namespace nnspec {

struct EvaluateOptions {
    // Distinct repeat-body and block evaluations in one run, beyond one per statement of the
    // text: work proportional to the text is never refused, work that only a repeat count
    // makes large is bounded.
    uint64_t max_evaluations = 100'000;
    size_t max_call_depth = 64;            // block calls inside block calls
    size_t max_nesting = 200;              // bodies inside bodies, counted through block calls
};

// Evaluates a parsed program into a network. `program` must outlive the result's use of
// names (they are copied into the IR).
// `imports` are the programs the file imports (directly or not), innermost first: their
// `let`s and blocks are visible to the program, the rest of their statements is not used.
Network evaluate(const Program& program, const SourceManager& sources, Diagnostics& diagnostics,
                 const EvaluateOptions& options = {}, const std::vector<const Program*>& imports = {});

// A value of an option: an integer, a list of integers, or text (a decimal or a word).
struct Value {
    enum class Type { integer, list, decimal, word } type = Type::integer;
    Wide integer = 0;
    std::vector<Wide> list;
    bool list_is_xshape = false;
    std::string_view text;
    Span span;

    // An integer or a list, as the integers it holds (one for an integer), without a copy.
    std::span<const Wide> integers() const {
        return type == Type::list ? std::span<const Wide>(list) : std::span<const Wide>(&integer, 1);
    }
};

// A name's value inside a scope: top-level lets, block parameters and lets, a repeat index.
struct Scope {
    const Scope* parent = nullptr;
    boost::container::small_vector<std::pair<std::string_view, Wide>, 4> names;  // a block's parameters, mostly
    bool in_block = false;  // a block body sees every top-level let, wherever it stands

    // Inlined by request: the quick counter asks at every name it reads (quick_nn.cpp).
    [[gnu::always_inline]] const Wide* find(std::string_view name) const {
        for (const Scope* s = this; s; s = s->parent) {
            for (auto it = s->names.rbegin(); it != s->names.rend(); ++it) {
                if (same_name(it->first, name)) return &it->second;
            }
        }
        return nullptr;
    }
};

class Evaluator {
public:
    Evaluator(const Program& program, const SourceManager& sources, Diagnostics& diagnostics, const EvaluateOptions& options,
              std::vector<const Program*> imports = {})
        : program_(program), sources_(sources), diagnostics_(diagnostics), options_(options), imports_(std::move(imports)) {}

    Network run();

    // Streaming (4_stream.cpp): top-level statements one at a time, as the parser completes
    // them, keeping no tree, so a file of any size is counted in memory proportional to
    // its blocks. `stream_feed` returns false where only the whole program can be evaluated
    // (an error, an import, a block called before its definition): the caller then
    // evaluates the whole program with `run`, which is the reference behaviour.
    void stream_begin();
    bool stream_feed(Stmt&& s);
    Network stream_finish();

    // values.cpp
    std::optional<Wide> eval_int(ExprId e, const Scope& scope);
    std::optional<Value> eval_value(ExprId e, const Scope& scope);
    std::optional<Dims> eval_shape(ExprId e, const Scope& scope);

private:
    struct Let {
        Span span;
        std::optional<Wide> value;
        bool used = false;
    };
    // A let's value where `use` names it, checking the use comes after the `let`.
    std::optional<Wide> let_value(Let& let, const Expr& use, const Scope& scope);
    struct Context {
        Shape shape;
        bool strict = false;     // shapes are known from an `input`: disagreements are errors
        bool trainable = true;   // false inside `frozen`
    };
    struct ExpectCheck {
        bool params;  // `expect params`; else `expect trainable`
        Span span;    // the expected value
        Wide value;
    };

    // 1_declare.cpp
    void declare();
    void declare_imported(const Program& imported);
    // 2_layer.cpp
    NodeRef eval_layer(const Stmt& s, const Scope& scope, Context& ctx);
    bool assign_field(Layer& layer, size_t index, ExprId e, const Scope& scope, Span at);
    // 3_structure.cpp
    NodeRef eval_sequence(const std::vector<Stmt>& body, Scope& scope, Context& ctx, std::vector<ExpectCheck>& expects);
    NodeRef eval_statement(const Stmt& s, Scope& scope, Context& ctx, std::vector<ExpectCheck>& expects);
    NodeRef eval_repeat(const Stmt& s, Scope& scope, Context& ctx, std::vector<ExpectCheck>& expects);
    NodeRef eval_call(const Stmt& s, Scope& scope, Context& ctx);
    NodeRef eval_branches(const Stmt& s, Scope& scope, Context& ctx, NodeKind kind, std::vector<ExpectCheck>& expects);
    void check_expects(const std::vector<ExpectCheck>& expects, Count params, Count trainable, std::string_view scope_name);
    void add_count(Node& total, const Node& part, Span where, uint64_t times = 1);
    bool budget(Span where);
    void warn_unused_lets();

    std::vector<std::string_view> visible_names(const Scope& scope) const;

    const Program& program_;
    const SourceManager& sources_;
    Diagnostics& diagnostics_;
    EvaluateOptions options_;
    std::vector<const Program*> imports_;

    std::string network_name_;
    const Stmt* input_stmt_ = nullptr;
    std::optional<Shape> input_;
    // Hashed: a large file has hundreds of thousands of lets, looked up at every use.
    std::unordered_map<std::string_view, Let, NameHash> lets_;
    std::unordered_map<std::string_view, const Stmt*, NameHash> blocks_;
    std::vector<std::string_view> call_stack_;
    std::map<std::string, std::pair<std::shared_ptr<const Layer>, Span>> named_layers_;
    bool overflow_reported_ = false;
    uint64_t evaluations_ = 0;
    struct Stream {
        Context ctx;
        Scope top;
        std::vector<ExpectCheck> expects;
        std::shared_ptr<Node> root;
        std::deque<Stmt> blocks;  // block definitions outlive their statement
        size_t statements = 0;
        bool seen_layer = false;
    };
    std::unique_ptr<Stream> stream_;
    uint64_t text_budget_ = 0;  // one evaluation per byte of source: a statement takes several
    size_t nesting_ = 0;  // bodies being evaluated: each is a few stack frames
    bool budget_reported_ = false;
};

}  // namespace nnspec
