// Streaming evaluation: the fast path for `count` and `check`. Each top-level statement
// is evaluated as soon as the parser completes it and is then dropped, so memory stays
// proportional to what must outlive a statement (lets, blocks, named layers), not to the
// file. Whenever a statement needs the whole program (see sema.hpp), streaming stops and
// the caller re-runs the full evaluation, so both paths give the same results.
#include "sema.hpp"

namespace nnspec {

void Evaluator::stream_begin() {
    stream_ = std::make_unique<Stream>();
    stream_->root = new_node();
    stream_->root->kind = NodeKind::sequence;
    text_budget_ = program_.file ? sources_.file(program_.file).text().size() : 0;
}

bool Evaluator::stream_feed(Stmt&& s) {
    Stream& st = *stream_;
    const size_t index = st.statements++;
    switch (s.kind) {
        case StmtKind::network:
            if (index != 0 || !network_name_.empty()) return false;
            network_name_ = std::string(s.name);
            return true;
        case StmtKind::input: {
            if (input_ || st.seen_layer) return false;
            auto dims = eval_shape(s.value, st.top);
            if (!dims) return false;
            input_ = Shape::of(*dims);
            st.ctx.strict = true;
            st.ctx.shape = *input_;
            st.root->in = *input_;
            return !diagnostics_.has_errors();
        }
        case StmtKind::let: {
            if (lets_.count(s.name)) return false;
            const auto value = eval_int(s.value, st.top);
            if (!value) return false;
            lets_[s.name] = Let{s.name_span, value, false};
            return true;
        }
        case StmtKind::block: {
            if (blocks_.count(s.name)) return false;
            for (size_t i = 0; i < s.params.size(); ++i) {
                for (size_t j = 0; j < i; ++j) if (s.params[i].name == s.params[j].name) return false;
            }
            st.blocks.push_back(std::move(s));
            blocks_.emplace(st.blocks.back().name, &st.blocks.back());
            return true;
        }
        case StmtKind::import:
            return false;
        case StmtKind::call:
            if (!blocks_.count(s.name)) return false;  // perhaps defined further down
            break;
        default:
            break;
    }
    if (s.kind != StmtKind::expect) st.seen_layer = true;
    NodeRef child = eval_statement(s, st.top, st.ctx, st.expects);
    if (child) add_count(*st.root, *child, s.span);
    return !diagnostics_.has_errors();
}

Network Evaluator::stream_finish() {
    Stream& st = *stream_;
    st.root->out = st.ctx.shape;
    check_expects(st.expects, st.root->params, st.root->trainable, "the network");
    Network net;
    net.name = network_name_;
    net.has_input = input_.has_value();
    if (input_) net.input = *input_;
    net.root = st.root;
    net.params = st.root->params;
    net.trainable = st.root->trainable;
    warn_unused_lets();
    return net;
}

}  // namespace nnspec
