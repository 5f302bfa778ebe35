// Phase 1: the top-level declarations. `network` and `input` are checked for place and
// number; `let`s are evaluated in order (each sees the ones above it); blocks are
// collected so that any block can call any other, in any order.
#include "sema.hpp"

namespace nnspec {

// The lets and blocks of an imported file. Its lets see each other in order, like the
// importing file's; a name defined in two files is an error at the second definition.
void Evaluator::declare_imported(const Program& imported) {
    Scope top;
    for (const Stmt& s : imported.statements) {
        if (s.kind == StmtKind::let) {
            const auto value = eval_int(s.value, top);
            auto [it, inserted] = lets_.emplace(s.name, Let{s.name_span, value, true});  // an import's lets need not be used
            if (!inserted) {
                diagnostics_.error(Code::redefined_name, s.name_span, "`" + std::string(s.name) + "` is defined twice")
                    .label(it->second.span, "first defined here");
            }
        } else if (s.kind == StmtKind::block) {
            auto [it, inserted] = blocks_.emplace(s.name, &s);
            if (!inserted && it->second != &s) {
                diagnostics_.error(Code::redefined_name, s.name_span, "block `" + std::string(s.name) + "` is defined twice")
                    .label(it->second->name_span, "first defined here");
            }
        }
    }
}

void Evaluator::declare() {
    for (const Program* imported : imports_) declare_imported(*imported);
    const Stmt* network = nullptr;
    const Stmt* first_layer = nullptr;
    Scope top;
    for (size_t i = 0; i < program_.statements.size(); ++i) {
        const Stmt& s = program_.statements[i];
        switch (s.kind) {
            case StmtKind::network:
                if (network) {
                    diagnostics_.error(Code::redefined_name, s.span, "the network is named twice").label(network->span, "first named here");
                } else if (i != 0) {
                    diagnostics_.error(Code::misplaced_statement, s.keyword_span, "`network` must be the first statement");
                }
                if (!network) {
                    network = &s;
                    network_name_ = std::string(s.name);
                }
                break;
            case StmtKind::input:
                if (input_stmt_) {
                    diagnostics_.error(Code::redefined_name, s.span, "the input shape is declared twice")
                        .label(input_stmt_->span, "first declared here")
                        .hint("other inputs of the network feed `side` paths");
                    break;
                }
                input_stmt_ = &s;
                if (first_layer) {
                    diagnostics_.error(Code::misplaced_statement, s.keyword_span, "`input` must come before the first layer")
                        .label(first_layer->span, "the first layer");
                }
                if (auto dims = eval_shape(s.value, top)) input_ = Shape::of(*dims);
                break;
            case StmtKind::let: {
                auto existing = lets_.find(s.name);
                const auto value = eval_int(s.value, top);
                if (existing != lets_.end()) {
                    diagnostics_.error(Code::redefined_name, s.name_span, "`" + std::string(s.name) + "` is defined twice",
                                       "defined again here")
                        .label(existing->second.span, "first defined here")
                        .hint("a `let` is a constant: give the new value another name");
                    break;
                }
                lets_[s.name] = Let{s.name_span, value, false};
                break;
            }
            case StmtKind::block: {
                auto [it, inserted] = blocks_.emplace(s.name, &s);
                if (!inserted) {
                    diagnostics_.error(Code::redefined_name, s.name_span, "block `" + std::string(s.name) + "` is defined twice")
                        .label(it->second->name_span, "first defined here");
                }
                std::set<std::string_view> params;
                for (const Param& p : s.params) {
                    if (!params.insert(p.name).second) {
                        diagnostics_.error(Code::redefined_name, p.span, "parameter `" + std::string(p.name) + "` is listed twice");
                    }
                }
                break;
            }
            case StmtKind::import:
                break;  // resolved by the driver before evaluation
            case StmtKind::expect:
                break;
            default:
                if (!first_layer) first_layer = &s;
                break;
        }
    }
}

}  // namespace nnspec
