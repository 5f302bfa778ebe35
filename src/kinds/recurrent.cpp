// lstm/gru/rnn IN -> H (or H, IN from the shape) [layers=L] [bidirectional] [nobias]:
// torch.nn.LSTM/GRU/RNN. With G gates (LSTM 4, GRU 3, RNN 1), each layer and direction has
// weights G*H*(in_l + H) and biases 2*G*H (b_ih and b_hh), in_l = IN for the first layer
// and H*dirs after it.
// Shape: (S, IN) -> (S, H*dirs); the emitted module is batch-first, as nnspec's shapes are.
#include "common.hpp"

namespace nnspec {
namespace {

using kinds::count_of;

enum { in, hidden, layers, bidirectional, bias, dropout };

int64_t gates(const Layer& l) { return l.kind->name == "lstm" ? 4 : l.kind->name == "gru" ? 3 : 1; }
int64_t directions(const Layer& l) { return l.flag(bidirectional) ? 2 : 1; }

void infer(ShapeContext& c) {
    Layer& l = c.layer;
    const std::string kind = kinds::kind_name(l);
    if (c.strict && !(c.in.rank_known && c.in.dims.size() == 2)) {
        c.mismatch(l.span, kind + " expects a (sequence, features) input, but the incoming shape is " + to_string(c.in), "");
        return;
    }
    const int64_t last = c.in.last();
    FieldValue& f = l.fields[in];
    if (!f.set) {
        if (last == unknown_dim) {
            c.missing(kind + " needs its input size",
                      "write `" + std::string(l.kind->name) + " IN -> H`, or declare `input` so that IN comes from the shape");
            return;
        }
        kinds::fill(f, {last});
    } else if (last != unknown_dim && last != f.ints[0]) {
        c.mismatch(f.span, kind + " expects " + std::to_string(f.ints[0]) + " input features, but the previous layer gives " +
                               std::to_string(last),
                   "the incoming shape is " + to_string(c.in));
    }
    const Wide features = static_cast<Wide>(l.size(hidden)) * directions(l);
    if (features > INT64_MAX) {
        c.problem(Code::bad_shape, l.span, kind + " output size " + to_string(features) + " does not fit in 64 bits");
        return;
    }
    c.out = c.in;
    if (c.out.dims.empty()) c.out.dims.push_back(unknown_dim);
    c.out.dims.back() = static_cast<int64_t>(features);
}

Params params(const Layer& l) {
    const Count g = count_of(gates(l)), h = count_of(l.size(hidden)), dirs = count_of(directions(l));
    // layer 0 reads IN, every later layer the H*dirs features of the one before
    const Count first = g * h * (count_of(l.size(in)) + h);
    const Count later = g * h * (h * dirs + h);
    const Count weight = dirs * (first + later * (count_of(l.size(layers)) - 1));
    const Count biases = l.flag(bias) ? dirs * count_of(l.size(layers)) * Count(2) * g * h : Count(0);
    return {weight, biases};
}

std::string torch_module(const Layer& l) {
    const std::string_view names[] = {"nn.RNN(", "nn.GRU(", "nn.LSTM("};
    const int64_t g = gates(l);
    std::string m = std::string(names[g == 4 ? 2 : g == 3 ? 1 : 0]) + std::to_string(l.size(in)) + ", " + std::to_string(l.size(hidden));
    if (l.size(layers) != 1) m += ", num_layers=" + std::to_string(l.size(layers));
    if (!l.flag(bias)) m += ", bias=False";
    m += ", batch_first=True";
    m += kinds::py_decimal_arg("dropout", l.kind->fields[dropout], l.fields[dropout]);
    if (l.flag(bidirectional)) m += ", bidirectional=True";
    return m + ")";
}

std::vector<FieldSpec> fields() {
    return {
        {"input_size", "input_size", FieldType::size},
        {"hidden_size", "hidden_size", FieldType::size, {}, {}, true},
        {"layers", "num_layers", FieldType::size, {}, {}, false, 1, false, {}, {}, false},
        {"bidirectional", "bidirectional", FieldType::boolean, "bidirectional", {}, false, 0, false, {}, {}, false},
        {"use_bias", "use_bias", FieldType::boolean, "bias", "nobias", false, 0, true},
        {"dropout", "dropout", FieldType::decimal, {}, {}, false, 0, false, "0.0", {}, false},
    };
}

}  // namespace

const KindInfo& lstm_kind() {
    static const KindInfo kind{"lstm", "nn.LSTM", "a long short-term memory recurrent layer", fields(), in, hidden, hidden, 0,
                               infer, nullptr, params, nullptr, torch_module};
    return kind;
}
const KindInfo& gru_kind() {
    static const KindInfo kind{"gru", "nn.GRU", "a gated recurrent unit layer", fields(), in, hidden, hidden, 0,
                               infer, nullptr, params, nullptr, torch_module};
    return kind;
}
const KindInfo& rnn_kind() {
    static const KindInfo kind{"rnn", "nn.RNN", "an Elman recurrent layer (tanh)", fields(), in, hidden, hidden, 0,
                               infer, nullptr, params, nullptr, torch_module};
    return kind;
}

}  // namespace nnspec
