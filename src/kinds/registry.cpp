// The table of layer kinds. Adding a kind: write kinds/NAME.cpp with a function returning
// its KindInfo (or a family's list of them), declare it below and add it to the list.
#include <algorithm>
#include <unordered_map>

#include "../name_hash.hpp"
#include "kind.hpp"

namespace nnspec {

const KindInfo& dense_kind();
const KindInfo& conv1d_kind();
const KindInfo& conv2d_kind();
const KindInfo& conv3d_kind();
const KindInfo& embedding_kind();
const KindInfo& convtranspose1d_kind();
const KindInfo& convtranspose2d_kind();
const KindInfo& convtranspose3d_kind();
const KindInfo& batchnorm_kind();
const KindInfo& layernorm_kind();
const KindInfo& rmsnorm_kind();
const KindInfo& groupnorm_kind();
const KindInfo& instancenorm_kind();
const KindInfo& lstm_kind();
const KindInfo& gru_kind();
const KindInfo& rnn_kind();
const KindInfo& attention_kind();
const KindInfo& param_kind();
const std::vector<const KindInfo*>& activation_kinds();  // the activations, dropout, droppath, prelu
const std::vector<const KindInfo*>& pool_kinds();        // max/avg pools, adaptive pools
const std::vector<const KindInfo*>& reshape_kinds();     // flatten, reshape, permute, select, mean

const std::vector<const KindInfo*>& all_kinds() {
    static const std::vector<const KindInfo*> kinds = [] {
        std::vector<const KindInfo*> k = {
            &dense_kind(),           &conv1d_kind(),          &conv2d_kind(),          &conv3d_kind(),
            &convtranspose1d_kind(), &convtranspose2d_kind(), &convtranspose3d_kind(), &embedding_kind(),
            &batchnorm_kind(),       &layernorm_kind(),       &rmsnorm_kind(),         &groupnorm_kind(),
            &instancenorm_kind(),    &lstm_kind(),            &gru_kind(),             &rnn_kind(),
            &attention_kind(),       &param_kind(),
        };
        for (const auto* family : {&activation_kinds(), &pool_kinds(), &reshape_kinds()}) k.insert(k.end(), family->begin(), family->end());
        return k;
    }();
    return kinds;
}

const KindInfo* find_kind(std::string_view name) {
    static const std::unordered_map<std::string_view, const KindInfo*, NameHash> by_name = [] {
        std::unordered_map<std::string_view, const KindInfo*, NameHash> m;
        for (const KindInfo* k : all_kinds()) m.emplace(k->name, k);
        return m;
    }();
    const auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : it->second;
}

int KindInfo::field_index(std::string_view key) const {
    for (size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].name == key || fields[i].json_key == key) return static_cast<int>(i);
    }
    return -1;
}

Count product(const Dims& dims) {
    Count c = 1;
    for (int64_t d : dims) c = d < 0 ? Count::overflowed() : c * Count(static_cast<uint64_t>(d));
    return c;
}

void ShapeContext::mismatch(Span at, std::string message, std::string label) {
    if (strict) {
        diagnostics.error(Code::shape_mismatch, at, std::move(message), std::move(label));
    } else {
        diagnostics.warning(Code::size_mismatch, at, std::move(message), std::move(label))
            .note("without an `input` shape the file is a layer list, so this is a warning");
    }
}

void ShapeContext::missing(std::string message, std::string help) {
    diagnostics.error(Code::missing_value, layer.span, std::move(message)).hint(std::move(help));
}

void ShapeContext::problem(Code code, Span at, std::string message, std::string label) {
    if (strict) {
        diagnostics.error(code, at, std::move(message), std::move(label));
    } else {
        diagnostics.warning(Code::size_mismatch, at, std::move(message), std::move(label))
            .note("without an `input` shape the file is a layer list, so this is a warning");
    }
}

void ShapeContext::error(Code code, Span at, std::string message, std::string label) {
    diagnostics.error(code, at, std::move(message), std::move(label));
}

std::string to_string(const Shape& s) {
    std::string out;
    if (!s.rank_known) out = s.dims.empty() ? "(unknown)" : "(...";
    else out = s.dims.size() == 1 ? "" : "";
    if (!s.rank_known) {
        for (auto d : s.dims) out += ", " + (d == unknown_dim ? std::string("?") : std::to_string(d));
        return s.dims.empty() ? out : out + ")";
    }
    if (s.dims.empty()) return "()";
    for (size_t i = 0; i < s.dims.size(); ++i) {
        if (i) out += 'x';
        out += s.dims[i] == unknown_dim ? std::string("?") : std::to_string(s.dims[i]);
    }
    return out;
}

}  // namespace nnspec
