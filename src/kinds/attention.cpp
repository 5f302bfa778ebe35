// attention [E] heads=N [kv_heads=K] [kdim= vdim=] [nobias]: multi-head attention as four
// projections, q (E -> E), k (kdim -> K*E/N), v (vdim -> K*E/N) and o (E -> E), with a bias
// on each unless `nobias`. kdim and vdim default to E and K to N, which makes it
// nn.MultiheadAttention: 4E^2 + 4E, or E*(E + kdim + vdim) + 3E + E^2 + E with kdim/vdim
// (its in_proj_bias holds the q, k and v biases). K < N is grouped-query attention.
// Shape: (S, E) -> (S, E); the emitted module is batch-first, as nnspec's shapes are.
#include "common.hpp"

namespace nnspec {
namespace {

using kinds::count_of;

enum { embed, heads, kv_heads, kdim, vdim, bias, dropout };

int64_t kv_heads_of(const Layer& l) { return l.fields[kv_heads].set ? l.size(kv_heads) : l.size(heads); }
int64_t kdim_of(const Layer& l) { return l.fields[kdim].set ? l.size(kdim) : l.size(embed); }
int64_t vdim_of(const Layer& l) { return l.fields[vdim].set ? l.size(vdim) : l.size(embed); }

void infer(ShapeContext& c) {
    Layer& l = c.layer;
    if (c.strict && !(c.in.rank_known && c.in.dims.size() == 2)) {
        c.mismatch(l.span, "`attention` expects a (sequence, features) input, but the incoming shape is " + to_string(c.in), "");
        return;
    }
    const int64_t last = c.in.last();
    FieldValue& f = l.fields[embed];
    if (!f.set) {
        if (last == unknown_dim) {
            c.missing("`attention` needs its embedding size",
                      "write `attention E heads=N`, or declare `input` so that E comes from the shape");
            return;
        }
        kinds::fill(f, {last});
    } else if (last != unknown_dim && last != f.ints[0]) {
        c.mismatch(f.span, "`attention` expects " + std::to_string(f.ints[0]) + " features, but the previous layer gives " +
                               std::to_string(last),
                   "the incoming shape is " + to_string(c.in));
    }
    c.out = c.in;
}

void validate(const Layer& l, Diagnostics& d) {
    const int64_t e = l.size(embed), n = l.size(heads);
    if (e % n != 0) {
        d.error(Code::not_divisible, l.fields[heads].span,
                "the embedding size " + std::to_string(e) + " is not divisible by heads=" + std::to_string(n))
            .note("each head gets E/heads features");
    }
    if (l.fields[kv_heads].set && n % l.size(kv_heads) != 0) {
        d.error(Code::not_divisible, l.fields[kv_heads].span,
                "heads=" + std::to_string(n) + " is not divisible by kv_heads=" + std::to_string(l.size(kv_heads)))
            .note("in grouped-query attention each key/value head serves the same number of query heads");
    }
}

Params params(const Layer& l) {
    const int64_t e = l.size(embed);
    const Count E = count_of(e);
    const Count kv = count_of(kv_heads_of(l)) * count_of(e / l.size(heads));  // key/value width
    const Count weight = E * E + count_of(kdim_of(l)) * kv + count_of(vdim_of(l)) * kv + E * E;
    return {weight, l.flag(bias) ? E + kv + kv + E : Count(0)};
}

// nn.MultiheadAttention has no grouped-query form; with K < N it is a helper module.
std::string torch_module(const Layer& l) {
    const bool grouped = kv_heads_of(l) != l.size(heads);
    std::string m = grouped ? "GroupedQueryAttention(" + std::to_string(l.size(embed)) + ", " + std::to_string(l.size(heads)) + ", " +
                                  std::to_string(l.size(kv_heads))
                            : "nn.MultiheadAttention(" + std::to_string(l.size(embed)) + ", " + std::to_string(l.size(heads));
    m += kinds::py_decimal_arg("dropout", l.kind->fields[dropout], l.fields[dropout]);
    if (!l.flag(bias)) m += ", bias=False";
    if (l.fields[kdim].set) m += ", kdim=" + std::to_string(l.size(kdim));
    if (l.fields[vdim].set) m += ", vdim=" + std::to_string(l.size(vdim));
    if (!grouped) m += ", batch_first=True";
    return m + ")";
}

}  // namespace

const KindInfo& attention_kind() {
    static const KindInfo kind{
        "attention", "nn.MultiheadAttention", "multi-head (or grouped-query) attention",
        {
            {"embed_dim", "embed_dim", FieldType::size},
            {"heads", "num_heads", FieldType::size, {}, {}, true},
            {"kv_heads", "kv_heads", FieldType::size, {}, {}, false, 0, false, {}, {}, false},
            {"kdim", "kdim", FieldType::size, {}, {}, false, 0, false, {}, {}, false},
            {"vdim", "vdim", FieldType::size, {}, {}, false, 0, false, {}, {}, false},
            {"use_bias", "use_bias", FieldType::boolean, "bias", "nobias", false, 0, true},
            {"dropout", "dropout", FieldType::decimal, {}, {}, false, 0, false, "0.0", {}, false},
        },
        -1, -1, embed, 0, infer, validate, params, nullptr, torch_module,
    };
    return kind;
}

}  // namespace nnspec
