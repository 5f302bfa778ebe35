// The PyTorch emitter: the network as one self-contained Python module.
//
// Every block becomes an nn.Module class taking the block's parameters; the network is a
// class of its own. The IR holds each block instance with evaluated numbers, so a class is
// made from its instances: each instance is rendered with concrete numbers, instances whose
// code differs only in numbers share a class, and each number is written as an expression
// of the parameters (and the block's lets) that gives it in every instance (`cout`,
// `4 * d`, `n - 1`), or as a constant. Where several expressions fit, the statement's own
// text decides (a number written `cout` there is written `cout` here). Instances that
// differ in more than numbers get one class each (`Stage`, `Stage_2`); a loop that runs 0
// times is no difference, it takes the element of the instances that run it.
//
// Layers are registered in the flat layer order of `nnspec json`, and the same walk that
// names the modules gives `emit shapes` each layer's module path, so a test can hook every
// layer of the PyTorch module and compare it with nnspec's shapes and counts.
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "emit.hpp"
#include "flatten.hpp"
#include "nnspec.hpp"

namespace nnspec {
namespace {

// Markers inside rendered code until it is final. A fixed integer (a dim index, not a size)
// never becomes a parameter; a child class instance is named only once its block's classes
// are known.
constexpr char fixed_mark = '\x01';
constexpr char call_open = '\x02';
constexpr char call_close = '\x03';
constexpr char wildcard = '\x08';

// ---------------------------------------------------------------------------- Python names

const std::set<std::string_view>& python_keywords() {
    static const std::set<std::string_view> words = {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
        "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
        "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"};
    return words;
}

// Attributes an nn.Module already has: a layer named like one would break the module.
const std::set<std::string_view>& module_attributes() {
    static const std::set<std::string_view> words = {
        "add_module", "apply", "bfloat16", "buffers", "children", "cpu", "cuda", "double", "dump_patches", "eval",
        "extra_repr", "float", "forward", "get_buffer", "get_extra_state", "get_parameter", "get_submodule",
        "half", "ipu", "load_state_dict", "modules", "named_buffers", "named_children", "named_modules",
        "named_parameters", "parameters", "register_backward_hook", "register_buffer", "register_forward_hook",
        "register_forward_pre_hook", "register_full_backward_hook", "register_module", "register_parameter",
        "requires_grad_", "set_extra_state", "share_memory", "state_dict", "to", "to_empty", "train", "training",
        "type", "xpu", "zero_grad", "weight", "bias", "T_destination", "call_super_init"};
    return words;
}

std::string camel_case(std::string_view snake) {
    std::string out;
    bool upper = true;
    for (char c : snake) {
        if (c == '_') {
            upper = true;
            continue;
        }
        out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        upper = false;
    }
    if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out = "N" + out;
    return out;
}

// ---------------------------------------------------------------------------- helper modules
//
// Modules PyTorch 1.13 lacks, and wrappers that make a torch module take and return one
// tensor, batch first. Only those the network uses are written out.

struct Helper {
    std::string_view name;
    std::string_view code;
};

const std::vector<Helper>& helpers() {
    static const std::vector<Helper> list = {
        {"Param", R"(class Param(nn.Module):
    """`param SHAPE`: a free learnable tensor (with PyTorch's leading 1, as a class token's
    (1, 1, d)); its value, repeated over the batch, is the output."""

    def __init__(self, shape):
        super().__init__()
        self.shape = (shape,) if isinstance(shape, int) else tuple(shape)
        self.weight = nn.Parameter(torch.zeros(1, *self.shape))

    def forward(self, x):
        return self.weight.reshape(1, *self.shape).expand(x.shape[0], *self.shape)
)"},
        {"Select", R"(class Select(nn.Module):
    """`select`: x.select(dim, index), the dim counted with the batch; the dim is dropped."""

    def __init__(self, dim, index):
        super().__init__()
        self.dim, self.index = dim, index

    def forward(self, x):
        return x.select(self.dim, self.index)
)"},
        {"Mean", R"(class Mean(nn.Module):
    """`mean`: x.mean(dim), the dim counted with the batch; the dim is dropped."""

    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return x.mean(self.dim)
)"},
        {"Permute", R"(class Permute(nn.Module):
    """`permute`: x.permute(*dims), the dims counted with the batch (which stays first)."""

    def __init__(self, *dims):
        super().__init__()
        self.dims = dims

    def forward(self, x):
        return x.permute(*self.dims)
)"},
        {"RMSNorm", R"(class RMSNorm(nn.Module):
    """RMS normalisation over the trailing dims: a weight, no bias (torch.nn.RMSNorm of PyTorch 2.4)."""

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True):
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.normalized_shape, self.eps = shape, eps
        self.weight = nn.Parameter(torch.ones(shape)) if elementwise_affine else None

    def forward(self, x):
        dims = tuple(range(-len(self.normalized_shape), 0))
        eps = torch.finfo(x.dtype).eps if self.eps is None else self.eps
        x = x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps)
        return x if self.weight is None else x * self.weight
)"},
        {"LayerNormNoBias", R"(class LayerNormNoBias(nn.LayerNorm):
    """nn.LayerNorm with a weight and no bias (`bias=False` of PyTorch 2.1)."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True):
        super().__init__(normalized_shape, eps=eps, elementwise_affine=elementwise_affine)
        self.register_parameter("bias", None)
)"},
        {"GroupedQueryAttention", R"(class GroupedQueryAttention(nn.Module):
    """Attention with separate q, k, v and output projections, whose kv_heads key/value heads
    are each shared by num_heads // kv_heads query heads (grouped-query attention). Keys and
    values come from x, or from another input with kdim/vdim; when none is given, zeros of
    its width stand in, so that shapes can be checked."""

    def __init__(self, embed_dim, num_heads, kv_heads, dropout=0.0, bias=True, kdim=None, vdim=None):
        super().__init__()
        self.num_heads, self.kv_heads, self.head_dim = num_heads, kv_heads, embed_dim // num_heads
        self.dropout = dropout
        self.kdim, self.vdim = kdim or embed_dim, vdim or embed_dim
        self.q_proj = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.k_proj = nn.Linear(self.kdim, kv_heads * self.head_dim, bias=bias)
        self.v_proj = nn.Linear(self.vdim, kv_heads * self.head_dim, bias=bias)
        self.out_proj = nn.Linear(embed_dim, embed_dim, bias=bias)

    def forward(self, x, key=None, value=None):
        if key is None:
            key = x if self.kdim == x.shape[-1] else x.new_zeros(*x.shape[:-1], self.kdim)
        if value is None:
            value = x if self.vdim == x.shape[-1] else x.new_zeros(*x.shape[:-1], self.vdim)
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(key).view(b, key.shape[1], self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(value).view(b, value.shape[1], self.kv_heads, self.head_dim).transpose(1, 2)
        # each key/value head serves num_heads // kv_heads query heads
        group = self.num_heads // self.kv_heads
        k = k[:, :, None].expand(-1, -1, group, -1, -1).reshape(b, self.num_heads, key.shape[1], self.head_dim)
        v = v[:, :, None].expand(-1, -1, group, -1, -1).reshape(b, self.num_heads, value.shape[1], self.head_dim)
        a = torch.softmax(q @ k.transpose(-2, -1) / self.head_dim ** 0.5, dim=-1)
        a = nn.functional.dropout(a, self.dropout, self.training)
        return self.out_proj((a @ v).transpose(1, 2).reshape(b, s, -1))
)"},
        {"SelfAttention", R"(class SelfAttention(nn.MultiheadAttention):
    """nn.MultiheadAttention on one sequence, batch first, returning the output only. With
    kdim/vdim the keys and values come from another input (cross-attention); when none is
    given, zeros of its width stand in, so that shapes can be checked."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("batch_first", True)
        super().__init__(*args, **kwargs)

    def forward(self, x, key=None, value=None):
        # a view, not x itself: PyTorch 1.13's self-attention fast path fails without biases
        memory = x.view_as(x)
        if key is None:
            key = memory if self.kdim == self.embed_dim else x.new_zeros(*x.shape[:-1], self.kdim)
        if value is None:
            value = memory if self.vdim == self.embed_dim else x.new_zeros(*x.shape[:-1], self.vdim)
        return super().forward(x, key, value, need_weights=False)[0]
)"},
        {"LSTM", R"(class LSTM(nn.LSTM):
    """nn.LSTM, batch first, passing on its output sequence (not the final states)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("batch_first", True)
        super().__init__(*args, **kwargs)

    def forward(self, x):
        return super().forward(x)[0]
)"},
        {"GRU", R"(class GRU(nn.GRU):
    """nn.GRU, batch first, passing on its output sequence (not the final state)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("batch_first", True)
        super().__init__(*args, **kwargs)

    def forward(self, x):
        return super().forward(x)[0]
)"},
        {"RNN", R"(class RNN(nn.RNN):
    """nn.RNN, batch first, passing on its output sequence (not the final state)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("batch_first", True)
        super().__init__(*args, **kwargs)

    def forward(self, x):
        return super().forward(x)[0]
)"},
        {"DropPath", R"(class DropPath(nn.Module):
    """Stochastic depth: in training, zeroes whole samples with probability p (and rescales)."""

    def __init__(self, p=0.0):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        keep = x.new_empty(x.shape[0], *([1] * (x.dim() - 1))).bernoulli_(1.0 - self.p)
        return x * keep / (1.0 - self.p)
)"},
    };
    return list;
}

const Helper* find_helper(std::string_view name) {
    for (const auto& h : helpers()) {
        if (h.name == name) return &h;
    }
    return nullptr;
}

// torch modules that return a tuple or want (query, key, value): the wrapper that passes one
// tensor through instead.
const std::vector<std::pair<std::string_view, std::string_view>>& wrapped_modules() {
    static const std::vector<std::pair<std::string_view, std::string_view>> list = {
        {"nn.LSTM(", "LSTM("}, {"nn.GRU(", "GRU("}, {"nn.RNN(", "RNN("}, {"nn.MultiheadAttention(", "SelfAttention("}};
    return list;
}

// ---------------------------------------------------------------------------- layer modules

struct Module {
    std::string expr;  // the Python expression
    std::string type;  // its class name, as `type(m).__name__` gives it
};

// The leading name of a call expression: `nn.Linear(...)` -> `nn.Linear`.
std::string_view callee(std::string_view expr) {
    const size_t open = expr.find('(');
    return expr.substr(0, open == std::string_view::npos ? expr.size() : open);
}

Module layer_module(const Layer& l, std::set<std::string>& used_helpers) {
    std::string expr;
    if (l.kind->torch_module) {
        expr = l.kind->torch_module(l);
        for (const auto& [from, to] : wrapped_modules()) {
            if (expr.rfind(from, 0) == 0) {
                expr = std::string(to) + expr.substr(from.size());
                break;
            }
        }
    } else {
        throw std::runtime_error("layer kind `" + std::string(l.kind->name) + "` has no PyTorch module");
    }
    std::string_view name = callee(expr);
    if (name.rfind("nn.", 0) == 0) {
        name.remove_prefix(3);
    } else if (find_helper(name)) {
        used_helpers.insert(std::string(name));
    } else {
        throw std::runtime_error("layer kind `" + std::string(l.kind->name) + "` is the PyTorch module `" + std::string(name) +
                                 "`, which neither torch.nn nor nnspec's PyTorch emitter defines");
    }
    return {expr, std::string(name)};
}

std::string freeze(std::string expr) { return expr + ".requires_grad_(False)"; }

// ---------------------------------------------------------------------------- templates
//
// A rendered class as text with integer slots: the text between slots (its skeleton, which
// instances sharing a class must have in common) and each slot's value.

struct Line {
    std::string text;
    Span hint;  // the statement the line comes from: its text names the numbers
};

struct Tokens {
    std::vector<std::string> pieces;  // text before each slot, then the tail: values.size() + 1 pieces
    std::vector<Wide> values;
    std::vector<size_t> line_of;      // each slot's line
    std::string skeleton;
};

bool ident_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// Splits lines into text and integer slots. Strings, comments, names, decimals and fixed
// integers are text.
Tokens tokenize(const std::vector<Line>& lines) {
    Tokens t;
    std::string piece;
    for (size_t n = 0; n < lines.size(); ++n) {
        const std::string& s = lines[n].text;
        size_t i = 0;
        while (i < s.size()) {
            const char c = s[i];
            if (c == '\'' || c == '"') {
                size_t j = i + 1;
                while (j < s.size() && s[j] != c) j += s[j] == '\\' ? 2u : 1u;
                j = std::min(j + 1, s.size());
                piece.append(s, i, j - i);
                i = j;
            } else if (c == '#') {
                piece.append(s, i, std::string::npos);
                i = s.size();
            } else if (c == fixed_mark) {
                ++i;
                while (i < s.size() && digit(s[i])) piece += s[i++];
            } else if (ident_char(c) && !digit(c)) {
                while (i < s.size() && ident_char(s[i])) piece += s[i++];
            } else if (digit(c)) {
                size_t j = i;
                while (j < s.size() && digit(s[j])) ++j;
                const bool decimal = j < s.size() && (s[j] == '.' || s[j] == 'e' || s[j] == 'E' || s[j] == 'j' || ident_char(s[j]));
                const bool after_dot = i > 0 && s[i - 1] == '.';
                if (decimal || after_dot || j - i > 18) {
                    // the rest of a number literal: digits, letters, dots and an exponent's sign
                    while (j < s.size() && (ident_char(s[j]) || s[j] == '.' ||
                                            ((s[j] == '-' || s[j] == '+') && (s[j - 1] == 'e' || s[j - 1] == 'E')))) ++j;
                    piece.append(s, i, j - i);
                } else {
                    t.pieces.push_back(std::move(piece));
                    piece.clear();
                    t.values.push_back(static_cast<Wide>(std::stoll(s.substr(i, j - i))));
                    t.line_of.push_back(n);
                }
                i = j;
            } else {
                piece += c;
                ++i;
            }
        }
        piece += '\n';
    }
    t.pieces.push_back(std::move(piece));
    for (size_t i = 0; i < t.pieces.size(); ++i) {
        if (i) t.skeleton += '\x06';
        t.skeleton += t.pieces[i];
    }
    return t;
}

// The names and integers of a statement's source text, in order.
struct HintToken {
    bool integer = false;
    std::string name;
    Wide value = 0;
};

std::vector<HintToken> hint_tokens(std::string_view s) {
    std::vector<HintToken> out;
    size_t i = 0;
    while (i < s.size()) {
        if (s[i] == '#') {
            while (i < s.size() && s[i] != '\n') ++i;
        } else if (ident_char(s[i]) && !digit(s[i])) {
            size_t j = i;
            while (j < s.size() && ident_char(s[j])) ++j;
            size_t next = j;
            while (next < s.size() && s[next] == ' ') ++next;
            const bool key = next < s.size() && s[next] == '=' && (next + 1 >= s.size() || s[next + 1] != '=');
            if (!key) out.push_back({false, std::string(s.substr(i, j - i)), 0});  // `heads=` names an option, not a value
            i = j;
        } else if (digit(s[i])) {
            size_t j = i;
            std::string digits;
            while (j < s.size() && (digit(s[j]) || s[j] == '_')) {
                if (s[j] != '_') digits += s[j];
                ++j;
            }
            if (j < s.size() && (s[j] == '.' || s[j] == 'e' || s[j] == 'E')) {
                while (j < s.size() && (ident_char(s[j]) || s[j] == '.' || s[j] == '-' || s[j] == '+')) ++j;
            } else if (digits.size() <= 18) {
                out.push_back({true, {}, static_cast<Wide>(std::stoll(digits))});
            }
            i = j;
        } else {
            ++i;
        }
    }
    return out;
}

// The names and numbers of a line's statement, in the order the line writes them: a
// repeat's body comes before its count (`[E for _ in range(N)]`).
std::vector<HintToken> line_hints(const std::string& text) {
    if (text.rfind("repeat", 0) == 0) {
        const size_t open = text.find('{');
        if (open != std::string::npos) return hint_tokens(text.substr(open) + " " + text.substr(0, open));
    }
    return hint_tokens(text);
}

// A parameter of a class: its name in the `.nn` text, in Python, and its value per instance.
struct ClassParam {
    std::string dsl, py;
    std::vector<Wide> values;  // one per member of the group being unified
    bool derived = false;      // a block's `let`, computed in __init__, not passed in
};

struct Candidate {
    std::string text;
    bool compound = false;      // needs parentheses next to an operator
    int first_param = -1;       // for hints: the parameter it names first; -1 for a constant
    Wide constant = 0;
    int rank = 0;               // simpler first, among unanchored candidates
    std::set<int> uses;
    std::vector<Wide> literals = {};  // the numbers a compound expression writes
};

// The expressions of the parameters that give value v[k] for every member k whose value is
// known (a member whose loop runs 0 times has no value there).
using Values = std::vector<std::optional<Wide>>;

std::vector<Candidate> candidates(const Values& v, const std::vector<ClassParam>& params) {
    std::vector<Candidate> out;
    std::vector<size_t> known;
    for (size_t k = 0; k < v.size(); ++k) if (v[k]) known.push_back(k);
    if (known.empty()) return {{"0", false, -1, 0, 0, {}}};
    const auto all = [&](auto&& f) {
        for (size_t k : known) if (!f(*v[k], k)) return false;
        return true;
    };
    const Wide v0 = *v[known[0]];
    if (all([&](Wide x, size_t) { return x == v0; })) out.push_back({nnspec::to_string(v0), false, -1, v0, 0, {}});
    for (size_t pi = 0; pi < params.size(); ++pi) {
        const auto& a = params[pi].values;
        const std::string& p = params[pi].py;
        const int ip = static_cast<int>(pi);
        if (all([&](Wide x, size_t k) { return x == a[k]; })) {
            out.push_back({p, false, ip, 0, 1, {ip}});
            continue;
        }
        const Wide a0 = a[known[0]];
        std::optional<size_t> other;
        for (size_t k : known) if (a[k] != a0) { other = k; break; }
        std::vector<std::pair<Wide, Wide>> lines;  // slope, offset
        if (other) {
            const Wide dv = *v[*other] - v0, da = a[*other] - a0;
            if (dv % da == 0) lines.push_back({dv / da, v0 - dv / da * a0});
        } else {
            if (a0 != 0 && v0 % a0 == 0) lines.push_back({v0 / a0, 0});
            lines.push_back({1, v0 - a0});
        }
        for (const auto& line : lines) {
            // named copies, not a structured binding: clang 14 cannot capture one in a lambda
            const Wide slope = line.first, offset = line.second;
            if (slope < 1 || (slope == 1 && offset == 0)) continue;
            if (!all([&](Wide x, size_t k) { return x == slope * a[k] + offset; })) continue;
            std::string t = slope == 1 ? p : nnspec::to_string(slope) + " * " + p;
            if (offset > 0) t += " + " + nnspec::to_string(offset);
            if (offset < 0) t += " - " + nnspec::to_string(-offset);
            std::vector<Wide> literals;
            if (slope != 1) literals.push_back(slope);
            if (offset != 0) literals.push_back(offset < 0 ? -offset : offset);
            out.push_back({t, true, ip, 0, 2, {ip}, literals});
        }
        // p // c: every divisor that gives v0 (k // 2 and k // 3 agree on k = 3; the text tells)
        if (v0 > 0 && a0 >= 2 * v0) {
            for (Wide c = a0 / (v0 + 1) + 1; c <= a0 / v0 && c < a0 / (v0 + 1) + 33; ++c) {
                if (c < 2) continue;
                if (all([&](Wide x, size_t k) { return a[k] >= 0 && x == a[k] / c; })) {
                    out.push_back({p + " // " + nnspec::to_string(c), true, ip, 0, 3, {ip}, {c}});
                }
            }
        }
        for (size_t qi = 0; qi < params.size(); ++qi) {
            if (qi == pi) continue;
            const auto& b = params[qi].values;
            const std::string& q = params[qi].py;
            const int iq = static_cast<int>(qi);
            // both orders of a product or sum: the text decides which one reads right
            if (all([&](Wide x, size_t k) { return x == a[k] * b[k]; })) out.push_back({p + " * " + q, true, ip, 0, 4, {ip, iq}});
            if (all([&](Wide x, size_t k) { return x == a[k] + b[k]; })) out.push_back({p + " + " + q, true, ip, 0, 4, {ip, iq}});
            if (all([&](Wide x, size_t k) { return x == a[k] - b[k]; })) out.push_back({p + " - " + q, true, ip, 0, 4, {ip, iq}});
        }
    }
    return out;
}

// Instances of one label whose code matches, before numbers are turned into expressions.
struct Group {
    size_t ref;                   // the instance whose text the class takes
    std::vector<size_t> members;  // instance ids
    std::vector<Values> values;   // per member, its value of each of ref's slots
};

struct Unified {
    std::vector<size_t> members;   // instance ids sharing one class
    std::vector<Candidate> slots;  // one expression per slot of ref
    size_t ref = 0;
    std::vector<std::string> py;   // Python names of the parameters, then of the lets
};

// ---------------------------------------------------------------------------- layouts
//
// Where each flat layer sits in the module tree, in flat order: for `emit shapes`, ties and
// side paths. Repeats stay folded; they are expanded only when listed.

struct Layout;
using LayoutRef = std::shared_ptr<const Layout>;

struct LayoutEntry {
    std::string path;                                    // relative; empty: the module itself
    const Node* layer = nullptr;                         // a layer's module
    LayoutRef inner;                                     // a module with layers of its own
    std::vector<std::pair<uint64_t, LayoutRef>> loop;    // nn.Sequential elements: (how many, each)
    const Node* side = nullptr;                          // `inner` is a side path
    bool is_loop = false;
};

struct Layout {
    std::vector<LayoutEntry> entries;
};

std::string join_path(const std::string& a, const std::string& b) {
    if (a.empty()) return b;
    if (b.empty()) return a;
    return a + "." + b;
}

// An element placed at `path`: a module that is one layer keeps its layer entry.
LayoutEntry place(const std::string& path, const LayoutRef& element) {
    if (element->entries.size() == 1 && element->entries[0].path.empty()) {
        LayoutEntry e = element->entries[0];
        e.path = path;
        return e;
    }
    LayoutEntry e;
    e.path = path;
    e.inner = element;
    return e;
}

// ---------------------------------------------------------------------------- instances

struct Instance {
    std::string label;                // class base name (CamelCase)
    std::string block;                // the block's name, or empty for the network and anonymous bodies
    bool anonymous = false;
    std::string what;                 // docstring of an anonymous class
    std::vector<std::string> param_dsl;
    std::vector<Wide> args;
    struct Let {
        std::string name;
        Wide value;
        const Program* program;
        ExprId expr;
    };
    std::vector<Let> lets;            // a block's own `let`s, evaluated for these arguments
    std::vector<Line> init, forward;
    std::vector<size_t> children;     // instance ids it calls
    // after naming
    std::string call;                 // `Name(args)`: the call text with concrete numbers
};

// What an anonymous class inherits: the parameters and `let`s of the class it is in.
struct Owner {
    std::string label;
    std::vector<std::string> param_dsl;
    std::vector<Wide> args;
};

class Emitter {
public:
    Emitter(const Network& network, const PytorchEmitOptions& options) : network_(network), options_(options) {}

    void run();
    std::string code() const;
    const Layout& layout() const { return *root_layout_; }
    std::string network_class() const { return network_class_; }
    const std::map<const Layer*, std::string>& types() const { return types_; }

private:
    struct Rendered {
        size_t id;
        LayoutRef layout;
    };
    Rendered render_instance(Instance inst, const std::vector<NodeRef>& body, bool frozen, const void* key);
    std::string module_of(const std::vector<NodeRef>& nodes, bool frozen, const Owner& owner, int& anonymous,
                          std::string_view suffix, LayoutRef& layout);
    std::string loop_of(const Node& repeat, bool frozen, const Owner& owner, int& anonymous, LayoutEntry& entry);
    Module module_for_layer(const Layer& l);
    Instance block_instance(const Node& n) const;
    std::optional<Wide> evaluate(const Program& p, ExprId e, const std::map<std::string, Wide>& names) const;
    std::optional<std::string> python(const Program& p, ExprId e, const std::map<std::string, std::string>& names, int context = 0) const;
    std::string call_placeholder(size_t id) const { return std::string(1, call_open) + std::to_string(id) + call_close; }
    std::string resolve_calls(const std::string& text) const;
    void name_classes(const std::string& label);
    std::vector<Unified> unify(const Group& group, const std::vector<Tokens>& tokens);
    std::string drop_default_args(const std::string& text) const;
    std::string class_text(const Instance& first, const Tokens& tokens, const Unified& group, const std::string& name,
                           const std::vector<bool>& used, size_t group_index);
    std::string hint_text(Span s) const;
    std::optional<Wide> default_of(const std::string& block, const std::string& param) const;
    std::string block_header(const std::string& block) const;

    friend class BodyRenderer;

    const Network& network_;
    const PytorchEmitOptions& options_;
    std::vector<Instance> instances_;
    std::map<std::string, size_t> dedupe_;
    std::map<std::string, Rendered> memo_;
    std::set<std::string> used_helpers_;
    std::map<std::string, std::vector<size_t>> by_label_;
    std::vector<std::string> label_order_;
    std::set<std::string> class_names_;
    std::vector<std::string> classes_;    // class texts, children first
    std::string network_class_;
    std::string network_doc_;
    size_t network_id_ = 0;
    LayoutRef root_layout_;
    std::map<const Layer*, std::string> types_;
    std::map<std::string, std::vector<std::pair<std::string, std::optional<Wide>>>> defaults_;  // class -> its arguments, with defaults
    std::map<std::string, Wide> globals_;  // the top-level `let`s
    std::set<const Layer*> tied_in_class_;  // ties a class sets itself
};

std::string pyname(const std::string& name, const std::set<std::string>& taken) {
    std::string n = name;
    while (python_keywords().count(n) || taken.count(n) || n == "self" || n == "super" || n == "nn" || n == "torch" || n == "range") n += "_";
    return n;
}

// Renders one class body: registrations in __init__ (in flat layer order) and forward code.
class BodyRenderer {
public:
    BodyRenderer(Emitter& e, Instance& inst, bool frozen) : e_(e), inst_(inst), frozen_(frozen) {
        owner_.label = inst.label;
        owner_.param_dsl = inst.param_dsl;
        owner_.args = inst.args;
        for (const auto& l : inst.lets) {
            owner_.param_dsl.push_back(l.name);
            owner_.args.push_back(l.value);
        }
    }

    void render(const std::vector<NodeRef>& body, Layout& layout) {
        std::vector<std::pair<std::string, bool>> wanted;
        collect(body, wanted);
        assign(wanted);
        layout_ = &layout;
        const std::string result = seq(body, "x", "x", false);
        forward_.push_back({"return " + result, {}});
        init_.insert(init_.end(), ties_.begin(), ties_.end());
        inst_.init = std::move(init_);
        inst_.forward = std::move(forward_);
    }

private:
    // The prefix of a layer's attribute name.
    static std::string prefix_of(const Layer& l) {
        static const std::map<std::string_view, std::string_view> short_names = {
            {"dense", "fc"}, {"conv1d", "conv"}, {"conv2d", "conv"}, {"conv3d", "conv"}, {"convtranspose1d", "deconv"},
            {"convtranspose2d", "deconv"}, {"convtranspose3d", "deconv"}, {"embedding", "embed"}, {"batchnorm", "bn"},
            {"layernorm", "ln"}, {"rmsnorm", "norm"}, {"groupnorm", "gn"}, {"instancenorm", "inorm"}, {"attention", "attn"},
            {"dropout", "drop"}, {"droppath", "drop_path"}, {"maxpool1d", "pool"}, {"maxpool2d", "pool"}, {"maxpool3d", "pool"},
            {"avgpool1d", "pool"}, {"avgpool2d", "pool"}, {"avgpool3d", "pool"}, {"adaptiveavgpool", "pool"},
            {"adaptivemaxpool", "pool"}};
        auto it = short_names.find(l.kind->name);
        return std::string(it == short_names.end() ? l.kind->name : it->second);
    }

    static bool valid_user_name(const std::string& n) {
        if (n.empty() || python_keywords().count(n) || module_attributes().count(n)) return false;
        return std::all_of(n.begin(), n.end(), ident_char) && !digit(n[0]);
    }

    // The attributes the body registers, in order: (prefix or name, is the user's name).
    void collect(const std::vector<NodeRef>& nodes, std::vector<std::pair<std::string, bool>>& out) {
        for (const auto& n : nodes) {
            switch (n->kind) {
                case NodeKind::layer:
                    if (valid_user_name(n->layer->name)) out.push_back({n->layer->name, true});
                    else out.push_back({prefix_of(*n->layer), false});
                    break;
                case NodeKind::block: {
                    std::string p = n->label;
                    std::transform(p.begin(), p.end(), p.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
                    if (!valid_user_name(p)) p += "_";
                    out.push_back({p, false});
                    break;
                }
                case NodeKind::repeat: out.push_back({"layers", false}); break;
                case NodeKind::side: out.push_back({"side", false}); break;
                case NodeKind::sequence:
                case NodeKind::frozen:
                case NodeKind::gate:
                case NodeKind::concat:
                case NodeKind::add:
                case NodeKind::multiply:
                    collect(n->children, out);
                    break;
                case NodeKind::residual:
                    collect(n->children, out);
                    collect(n->shortcut, out);
                    break;
            }
        }
    }

    // Names: a prefix used once stands alone, else it is numbered (`conv1`, `conv2`).
    void assign(const std::vector<std::pair<std::string, bool>>& wanted) {
        std::map<std::string, int> uses, seen;
        for (const auto& [p, user] : wanted) ++uses[p];
        std::set<std::string> taken;
        for (const auto& [p, user] : wanted) {
            if (user && uses[p] == 1) taken.insert(p);
        }
        for (const auto& [p, user] : wanted) {
            std::string name;
            if (uses[p] == 1) {
                name = p;
            } else {
                const bool ends_in_digit = digit(p.back());
                do {
                    name = p + (ends_in_digit ? "_" : "") + std::to_string(++seen[p]);
                } while (taken.count(name));
            }
            taken.insert(name);
            names_.push_back(name);
        }
    }

    std::string next_name() { return names_.at(next_++); }

    // A temporary that no enclosing structure is still using.
    std::string acquire(const std::string& base) {
        std::string name = base;
        for (int k = 2; live_.count(name); ++k) name = base + (digit(base.back()) ? "_" : "") + std::to_string(k);
        live_.insert(name);
        return name;
    }
    void release(const std::vector<std::string>& names) {
        for (const auto& n : names) live_.erase(n);
    }

    void add(const std::string& name, const std::string& expr, Span hint, LayoutEntry entry) {
        init_.push_back({"self." + name + " = " + expr, hint});
        entry.path = name;
        layout_->entries.push_back(std::move(entry));
    }

    // Code computing `nodes` applied to `in`; returns the variable holding the result
    // (`want` unless the nodes do nothing to it).
    std::string seq(const std::vector<NodeRef>& nodes, const std::string& in, const std::string& want, bool frozen_here) {
        std::string cur = in;
        for (const auto& n : nodes) cur = node(*n, cur, want, frozen_here);
        return cur;
    }

    std::string node(const Node& n, const std::string& in, const std::string& want, bool frozen_here) {
        const bool freeze_module = frozen_here && !frozen_;
        const bool frozen_inside = frozen_ || frozen_here;
        switch (n.kind) {
            case NodeKind::layer: {
                const std::string name = next_name();
                Module m = e_.module_for_layer(*n.layer);
                std::string expr = m.expr;
                if (freeze_module || (!frozen_inside && !n.layer->trainable)) expr = freeze(expr);
                LayoutEntry entry;
                entry.layer = &n;
                add(name, expr, n.span, entry);
                forward_.push_back({want + " = self." + name + "(" + in + ")", {}});
                // a tie within this class is set here, once every module exists
                const Layer& l = *n.layer;
                if (!l.tie.empty() && l.weight_shared && named_.count(l.tie)) {
                    ties_.push_back({"self." + name + ".weight = self." + named_[l.tie] + ".weight", {}});
                    e_.tied_in_class_.insert(&l);
                }
                if (!l.name.empty()) named_[l.name] = name;
                return want;
            }
            case NodeKind::block: {
                const std::string name = next_name();
                auto r = e_.render_instance(e_.block_instance(n), n.children, frozen_inside, &n);
                inst_.children.push_back(r.id);
                std::string expr = e_.call_placeholder(r.id);
                if (freeze_module) expr = freeze(expr);
                LayoutEntry entry;
                entry.inner = r.layout;
                add(name, expr, n.span, entry);
                forward_.push_back({want + " = self." + name + "(" + in + ")", {}});
                return want;
            }
            case NodeKind::repeat: {
                const std::string name = next_name();
                LayoutEntry entry;
                // a loop that runs 0 times has no body to show: a wildcard, which takes the
                // element of another instance of the same class (or becomes nn.Sequential())
                std::string expr = n.children.empty() ? std::string("nn.Sequential(*[") + wildcard + " for _ in range(0)])"
                                                      : e_.loop_of(n, frozen_inside, owner_, anonymous_, entry);
                entry.is_loop = true;
                collect_children(expr);
                if (freeze_module) expr = freeze(expr);
                add(name, expr, n.span, entry);
                forward_.push_back({want + " = self." + name + "(" + in + ")", {}});
                return want;
            }
            case NodeKind::side: {
                const std::string name = next_name();
                LayoutRef inner;
                std::string expr = e_.module_of(n.children, frozen_inside, owner_, anonymous_side_, "Side", inner);
                collect_children(expr);
                if (freeze_module) expr = freeze(expr);
                LayoutEntry entry;
                entry.inner = inner;
                entry.side = &n;
                add(name, expr, n.span, entry);
                forward_.push_back({"# self." + name + " is a side path: it runs on its own input, and x passes on", {}});
                return in;
            }
            case NodeKind::sequence:
                return seq(n.children, in, want, frozen_here);
            case NodeKind::frozen:
                return seq(n.children, in, want, true);
            case NodeKind::residual: {
                const std::string h = acquire("h");
                const std::string body = seq(n.children, in, h, frozen_here);
                std::string shortcut = in;
                if (n.has_shortcut) {
                    const std::string s = acquire("s");
                    shortcut = seq(n.shortcut, in, s, frozen_here);
                    release({s});
                }
                release({h});
                const Shape& body_shape = n.children.empty() ? n.in : n.children[0]->out;
                const Shape& shortcut_shape = n.has_shortcut && !n.shortcut.empty() ? n.shortcut[0]->out : n.in;
                const size_t rank = rank_of({body_shape, shortcut_shape});
                forward_.push_back({want + " = " + aligned(shortcut, shortcut_shape, rank) + " + " + aligned(body, body_shape, rank), {}});
                return want;
            }
            case NodeKind::gate: {
                const std::string g = acquire("g");
                const std::string body = seq(n.children, in, g, frozen_here);
                release({g});
                const Shape& gate_shape = n.children.empty() ? n.in : n.children[0]->out;
                const size_t rank = rank_of({n.in, gate_shape});
                forward_.push_back({want + " = " + aligned(in, n.in, rank) + " * " + aligned(body, gate_shape, rank), {}});
                return want;
            }
            case NodeKind::concat:
            case NodeKind::add:
            case NodeKind::multiply: {
                std::vector<std::string> results, temps;
                for (size_t i = 0; i < n.children.size(); ++i) {
                    temps.push_back(acquire("b" + std::to_string(i + 1)));
                    results.push_back(seq(n.children[i]->children, in, temps.back(), frozen_here));
                }
                release(temps);
                std::string line = want + " = ";
                if (n.kind == NodeKind::concat) {
                    line += "torch.cat([";
                    for (size_t i = 0; i < results.size(); ++i) line += (i ? ", " : "") + results[i];
                    const int64_t d = n.dim >= 0 ? n.dim + 1 : -n.dim;
                    line += std::string("], dim=") + (n.dim < 0 ? "-" : "") + fixed_mark + std::to_string(d) + ")";
                } else {
                    std::vector<Shape> shapes;
                    for (const auto& b : n.children) shapes.push_back(b->out);
                    const size_t rank = rank_of(shapes);
                    for (size_t i = 0; i < results.size(); ++i) {
                        line += (i ? (n.kind == NodeKind::add ? " + " : " * ") : "") + aligned(results[i], shapes[i], rank);
                    }
                }
                forward_.push_back({line, {}});
                return want;
            }
        }
        return in;
    }

    // nnspec broadcasts shapes without the batch, aligned on the right; with the batch in
    // front, a lower-rank operand needs unit dims after it (`param 32` against 10x32).
    static std::string aligned(const std::string& var, const Shape& shape, size_t rank) {
        if (!shape.rank_known || shape.dims.size() >= rank) return var;
        std::string out = var + "[:";
        for (size_t i = shape.dims.size(); i < rank; ++i) out += ", None";
        return out + "]";
    }
    static size_t rank_of(const std::vector<Shape>& shapes) {
        size_t r = 0;
        for (const auto& s : shapes) {
            if (!s.rank_known) return 0;
            r = std::max(r, s.dims.size());
        }
        return r;
    }

    // Child instances called from an expression built by module_of/loop_of.
    void collect_children(const std::string& expr) {
        for (size_t i = 0; i < expr.size(); ++i) {
            if (expr[i] != call_open) continue;
            const size_t close = expr.find(call_close, i);
            inst_.children.push_back(static_cast<size_t>(std::stoull(expr.substr(i + 1, close - i - 1))));
        }
    }

    Emitter& e_;
    Instance& inst_;
    bool frozen_;
    Owner owner_;
    std::vector<std::string> names_;
    size_t next_ = 0;
    std::vector<Line> init_, forward_;
    Layout* layout_ = nullptr;
    int anonymous_ = 0, anonymous_side_ = 0;
    std::set<std::string> live_{"x"};
    std::map<std::string, std::string> named_;  // `as NAME` -> attribute, in this class
    std::vector<Line> ties_;
};

Module Emitter::module_for_layer(const Layer& l) {
    Module m = layer_module(l, used_helpers_);
    types_[&l] = m.type;
    return m;
}

Emitter::Rendered Emitter::render_instance(Instance inst, const std::vector<NodeRef>& body, bool frozen, const void* key) {
    std::string memo_key = fmt::format("{}|{}|{}|", key, frozen, inst.label);
    for (Wide a : inst.args) memo_key += nnspec::to_string((a)) + ",";
    if (auto it = memo_.find(memo_key); it != memo_.end()) return it->second;

    auto layout = std::make_shared<Layout>();
    BodyRenderer(*this, inst, frozen).render(body, *layout);
    // instances with the same text are one instance
    std::string text = inst.label + "|";
    for (size_t i = 0; i < inst.param_dsl.size(); ++i) text += inst.param_dsl[i] + "=" + nnspec::to_string((inst.args[i])) + ",";
    for (const auto& l : inst.init) text += l.text + "\n";
    text += "|";
    for (const auto& l : inst.forward) text += l.text + "\n";
    size_t id;
    if (auto it = dedupe_.find(text); it != dedupe_.end()) {
        id = it->second;
    } else {
        id = instances_.size();
        dedupe_.emplace(text, id);
        by_label_[inst.label].push_back(id);
        instances_.push_back(std::move(inst));
    }
    Rendered r{id, layout};
    memo_.emplace(memo_key, r);
    return r;
}

std::string Emitter::module_of(const std::vector<NodeRef>& nodes, bool frozen, const Owner& owner, int& anonymous,
                               std::string_view suffix, LayoutRef& layout) {
    std::vector<NodeRef> items;
    const std::function<void(const std::vector<NodeRef>&)> flatten = [&](const std::vector<NodeRef>& ns) {
        for (const auto& n : ns) {
            if (n->kind == NodeKind::sequence) flatten(n->children);
            else if (!(n->kind == NodeKind::repeat && n->children.empty())) items.push_back(n);
        }
    };
    flatten(nodes);
    const std::function<bool(const Node&)> sequential = [&](const Node& n) {
        if (n.kind == NodeKind::frozen || n.kind == NodeKind::sequence) {
            return std::all_of(n.children.begin(), n.children.end(), [&](const NodeRef& c) { return sequential(*c); });
        }
        return n.kind == NodeKind::layer || n.kind == NodeKind::block || n.kind == NodeKind::repeat;
    };
    const bool plain = std::all_of(items.begin(), items.end(), [&](const NodeRef& n) { return sequential(*n); });
    auto out = std::make_shared<Layout>();
    layout = out;
    if (plain && items.size() == 1) {
        const Node& n = *items[0];
        LayoutEntry entry;
        std::string expr;
        if (n.kind == NodeKind::layer) {
            expr = module_for_layer(*n.layer).expr;
            if (!frozen && !n.layer->trainable) expr = freeze(expr);
            entry.layer = &n;
        } else if (n.kind == NodeKind::block) {
            auto r = render_instance(block_instance(n), n.children, frozen, &n);
            expr = call_placeholder(r.id);
            entry.inner = r.layout;
        } else if (n.kind == NodeKind::repeat) {
            expr = loop_of(n, frozen, owner, anonymous, entry);
        } else {  // frozen
            LayoutRef inner;
            expr = module_of(n.children, true, owner, anonymous, suffix, inner);
            if (!frozen) expr = freeze(expr);
            entry = place("", inner);
        }
        out->entries.push_back(std::move(entry));
        return expr;
    }
    if (plain) {
        std::string expr = "nn.Sequential(";
        for (size_t i = 0; i < items.size(); ++i) {
            LayoutRef inner;
            expr += (i ? ", " : "") + module_of({items[i]}, frozen, owner, anonymous, suffix, inner);
            out->entries.push_back(place(std::to_string(i), inner));
        }
        return expr + ")";
    }
    // structure (residual, concat, side, ...) needs a forward of its own: an anonymous class
    // with the owner's parameters (those it does not use are dropped once it is named)
    Instance child;
    child.anonymous = true;
    child.param_dsl = owner.param_dsl;
    child.args = owner.args;
    ++anonymous;
    child.label = owner.label + std::string(suffix) + (anonymous > 1 ? std::to_string(anonymous) : "");
    child.what = suffix == "Side" ? "A side path of " + owner.label + ": it runs on an input of its own."
                                  : "The body of a loop in " + owner.label + ".";
    auto r = render_instance(std::move(child), items, frozen, items.empty() ? nullptr : items[0].get());
    out->entries.push_back(place("", r.layout));
    return call_placeholder(r.id);
}

// The choice among expressions for a slot: one the statement's text names (the next such
// name after the previous slot's, else any), else the simplest.
struct Chooser {
    const std::vector<HintToken>* hints = nullptr;
    size_t cursor = 0;

    std::optional<Candidate> choose(const std::vector<Candidate>& cs, const std::vector<ClassParam>& params) {
        if (cs.empty()) return std::nullopt;
        std::tuple<int, size_t, int> best{3, 0, 0};
        const Candidate* pick = nullptr;
        for (const auto& c : cs) {
            int klass = 2;
            size_t at = 0;
            const bool literals_written = std::all_of(c.literals.begin(), c.literals.end(), [&](Wide v) {
                return hints && std::any_of(hints->begin(), hints->end(), [&](const HintToken& h) { return h.integer && h.value == v; });
            });
            if (hints && literals_written) {
                const auto matches = [&](const HintToken& h) {
                    return c.first_param >= 0 ? !h.integer && h.name == params[static_cast<size_t>(c.first_param)].dsl
                                              : h.integer && h.value == c.constant;
                };
                for (size_t i = cursor; i < hints->size() && klass == 2; ++i) {
                    if (matches((*hints)[i])) klass = 0, at = i;
                }
                for (size_t i = 0; i < std::min(cursor, hints->size()) && klass == 2; ++i) {
                    if (matches((*hints)[i])) klass = 1, at = i;
                }
            }
            // a plain name or number the text holds beats a compound one it merely mentions
            const std::tuple<int, size_t, int> score{klass == 2 ? 2 * 2 : klass * 2 + (c.compound ? 1 : 0), klass == 2 ? 0 : at, c.rank};
            if (!pick || score < best) best = score, pick = &c;
        }
        if (std::get<0>(best) <= 1) cursor = std::get<1>(best) + 1;
        return *pick;
    }
};

// Writes a slot's expression where the literal stood, in parentheses next to an operator.
std::string fill(const Tokens& t, const std::vector<Candidate>& slots) {
    std::string out;
    for (size_t i = 0; i < slots.size(); ++i) {
        out += t.pieces[i];
        const Candidate& c = slots[i];
        bool safe = true;
        if (c.compound) {
            const std::string& before = t.pieces[i];
            const std::string& after = t.pieces[i + 1];
            size_t b = before.find_last_not_of(' ');
            size_t a = after.find_first_not_of(' ');
            const char cb = b == std::string::npos ? '(' : before[b];
            const char ca = a == std::string::npos ? ')' : after[a];
            safe = std::string_view("(,=[{\n").find(cb) != std::string_view::npos &&
                   std::string_view("),]}\n").find(ca) != std::string_view::npos;
        }
        out += safe ? c.text : "(" + c.text + ")";
    }
    return out + t.pieces.back();
}

std::string Emitter::loop_of(const Node& n, bool frozen, const Owner& owner, int& anonymous, LayoutEntry& entry) {
    entry.is_loop = true;
    std::vector<std::string> elements;
    uint64_t total = 0;
    bool singles = true;
    for (const auto& segment : n.children) {
        LayoutRef element;
        elements.push_back(module_of(segment->children, frozen, owner, anonymous, "Body", element));
        entry.loop.push_back({segment->times, element});
        total += segment->times;
        singles = singles && segment->times == 1;
    }
    // the loop variable: the repeat's own index name where the text has one
    std::string var = "_";
    const std::string header = hint_text(n.span).substr(0, hint_text(n.span).find('{'));
    if (const size_t as = header.find(" as "); as != std::string::npos) {
        size_t b = header.find_first_not_of(' ', as + 4), e = b;
        while (e < header.size() && ident_char(header[e])) ++e;
        if (b != std::string::npos && e > b) var = header.substr(b, e - b);
    }
    const auto uses_name = [&](const std::string& text, const std::string& name) {
        for (size_t i = text.find(name); i != std::string::npos; i = text.find(name, i + 1)) {
            const bool left = i == 0 || !ident_char(text[i - 1]);
            const bool right = i + name.size() >= text.size() || !ident_char(text[i + name.size()]);
            if (left && right) return true;
        }
        return false;
    };
    const bool same = std::all_of(elements.begin(), elements.end(), [&](const std::string& e) { return e == elements[0]; });
    if (same) return "nn.Sequential(*[" + elements[0] + " for _ in range(" + std::to_string(total) + ")])";

    // iterations that differ in numbers only: one expression in the index
    const bool has_calls = std::any_of(elements.begin(), elements.end(), [](const std::string& e) { return e.find(call_open) != std::string::npos; });
    if (singles && !has_calls && var != "_") {
        const std::string dsl = var;
        while (python_keywords().count(var) || std::find(owner.param_dsl.begin(), owner.param_dsl.end(), var) != owner.param_dsl.end() ||
               std::any_of(elements.begin(), elements.end(), [&](const std::string& e) { return uses_name(e, var); })) {
            var += "_";
        }
        std::vector<Tokens> tokens;
        for (const auto& e : elements) tokens.push_back(tokenize({{e, {}}}));
        bool ok = std::all_of(tokens.begin(), tokens.end(), [&](const Tokens& t) { return t.skeleton == tokens[0].skeleton; });
        std::vector<ClassParam> params{{dsl, var, {}}};
        for (size_t k = 0; k < elements.size(); ++k) params[0].values.push_back(static_cast<Wide>(k));
        std::vector<Candidate> slots;
        const auto hints = line_hints(hint_text(n.span));
        Chooser chooser{&hints, 0};
        for (size_t j = 0; ok && j < tokens[0].values.size(); ++j) {
            Values v;
            for (const auto& t : tokens) v.push_back(t.values[j]);
            auto c = chooser.choose(candidates(v, params), params);
            if (c) slots.push_back(*c);
            else ok = false;
        }
        if (ok) {
            std::string element = fill(tokens[0], slots);
            element.pop_back();  // the line end
            return "nn.Sequential(*[" + element + " for " + var + " in range(" + std::to_string(total) + ")])";
        }
    }
    std::string expr = "nn.Sequential(";
    for (size_t i = 0; i < elements.size(); ++i) {
        expr += i ? ", " : "";
        if (n.children[i]->times == 1) expr += elements[i];
        else expr += "*[" + elements[i] + " for _ in range(" + std::to_string(n.children[i]->times) + ")]";
    }
    return expr + ")";
}

std::string Emitter::hint_text(Span s) const {
    if (!options_.sources || !s.valid() || s.file >= options_.sources->size()) return {};
    return std::string(options_.sources->text(s));
}


const Stmt* find_block(const std::vector<const Program*>* programs, const std::string& name, const Program** owner = nullptr) {
    if (!programs) return nullptr;
    for (const Program* p : *programs) {
        for (const Stmt& s : p->statements) {
            if (s.kind == StmtKind::block && s.name == name) {
                if (owner) *owner = p;
                return &s;
            }
        }
    }
    return nullptr;
}

void expr_names(const Program& p, ExprId id, std::set<std::string>& out) {
    if (id == no_expr) return;
    const Expr& e = p.expr(id);
    if (e.kind == ExprKind::name) out.insert(std::string(e.text));
    expr_names(p, e.lhs, out);
    expr_names(p, e.rhs, out);
}

Instance Emitter::block_instance(const Node& n) const {
    Instance inst;
    inst.label = camel_case(n.label);
    inst.block = n.label;
    std::map<std::string, Wide> names = globals_;
    for (const auto& [p, v] : n.args) {
        inst.param_dsl.push_back(p);
        inst.args.push_back(v);
        names[p] = v;
    }
    // the block's own lets, as far as they evaluate (a let that does not is left a number)
    const Program* program = nullptr;
    if (const Stmt* block = find_block(options_.programs, n.label, &program)) {
        for (const Stmt& s : block->body) {
            if (s.kind != StmtKind::let) continue;
            auto v = evaluate(*program, s.value, names);
            if (!v) break;
            names[std::string(s.name)] = *v;
            inst.lets.push_back({std::string(s.name), *v, program, s.value});
        }
    }
    return inst;
}

std::optional<Wide> Emitter::evaluate(const Program& p, ExprId id, const std::map<std::string, Wide>& names) const {
    if (id == no_expr) return std::nullopt;
    const Expr& e = p.expr(id);
    const auto both = [&]() -> std::optional<std::pair<Wide, Wide>> {
        auto a = evaluate(p, e.lhs, names), b = evaluate(p, e.rhs, names);
        if (!a || !b) return std::nullopt;
        return std::make_pair(*a, *b);
    };
    switch (e.kind) {
        case ExprKind::integer:
            if (e.overflowed || e.value > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
            return static_cast<Wide>(e.value);
        case ExprKind::name: {
            auto it = names.find(std::string(e.text));
            if (it == names.end()) return std::nullopt;
            return it->second;
        }
        case ExprKind::negate: {
            auto a = evaluate(p, e.lhs, names);
            if (!a) return std::nullopt;
            return -*a;
        }
        case ExprKind::add: if (auto v = both()) return v->first + v->second; return std::nullopt;
        case ExprKind::subtract: if (auto v = both()) return v->first - v->second; return std::nullopt;
        case ExprKind::multiply: if (auto v = both()) return v->first * v->second; return std::nullopt;
        case ExprKind::divide:
            if (auto v = both(); v && v->second != 0 && v->first % v->second == 0) return v->first / v->second;
            return std::nullopt;
        case ExprKind::floor_divide:
            if (auto v = both(); v && v->second != 0) return floor_div(v->first, v->second);
            return std::nullopt;
        default: return std::nullopt;
    }
}

// A `let`'s expression in Python: `/` divides exactly, so `//` gives the same integer.
// `context`: 0 anywhere, 1 an operand of + or -, 2 of * or //, 3 a right operand of - (or
// of * and //, which do not associate with //).
std::optional<std::string> Emitter::python(const Program& p, ExprId id, const std::map<std::string, std::string>& names, int context) const {
    if (id == no_expr) return std::nullopt;
    const Expr& e = p.expr(id);
    const auto binary = [&](std::string_view op, int level, bool right_tight) -> std::optional<std::string> {
        auto a = python(p, e.lhs, names, level);
        auto b = python(p, e.rhs, names, right_tight ? level + 1 : level);
        if (!a || !b) return std::nullopt;
        std::string t = *a + " " + std::string(op) + " " + *b;
        return context > level ? "(" + t + ")" : t;
    };
    switch (e.kind) {
        case ExprKind::integer:
            if (e.overflowed) return std::nullopt;
            return std::to_string(e.value);
        case ExprKind::name: {
            auto it = names.find(std::string(e.text));
            if (it != names.end()) return it->second;
            auto g = globals_.find(std::string(e.text));
            if (g != globals_.end()) return nnspec::to_string(g->second);
            return std::nullopt;
        }
        case ExprKind::negate: {
            auto a = python(p, e.lhs, names, 3);
            if (!a) return std::nullopt;
            return "-" + *a;
        }
        case ExprKind::add: return binary("+", 1, false);
        case ExprKind::subtract: return binary("-", 1, true);
        case ExprKind::multiply: return binary("*", 2, true);
        case ExprKind::divide:
        case ExprKind::floor_divide: return binary("//", 2, true);
        default: return std::nullopt;
    }
}

std::optional<Wide> Emitter::default_of(const std::string& block, const std::string& param) const {
    const Stmt* s = find_block(options_.programs, block);
    if (!s) return std::nullopt;
    for (size_t i = 0; i < s->params.size(); ++i) {
        if (s->params[i].name != param || s->params[i].default_value == no_expr) continue;
        const Program* owner = nullptr;
        for (const Program* p : *options_.programs) {
            if (!p->statements.empty() && &p->statements.front() <= s && s <= &p->statements.back()) owner = p;
        }
        if (!owner) return std::nullopt;
        const Expr& e = owner->expr(s->params[i].default_value);
        if (e.kind == ExprKind::integer && !e.overflowed && e.value <= static_cast<uint64_t>(INT64_MAX)) return static_cast<Wide>(e.value);
    }
    return std::nullopt;
}

std::string Emitter::block_header(const std::string& block) const {
    const Stmt* s = find_block(options_.programs, block);
    if (!s) return "block " + block;
    std::string text = hint_text(s->span);
    text = text.substr(0, text.find('{'));
    std::string out;
    for (char c : text) {
        if (c == '\n' || c == '\t') c = ' ';
        if (c == ' ' && !out.empty() && out.back() == ' ') continue;
        out += c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out.empty() ? "block " + block : out;
}

std::string Emitter::resolve_calls(const std::string& text) const {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != call_open) {
            out += text[i];
            continue;
        }
        const size_t close = text.find(call_close, i);
        out += instances_.at(static_cast<size_t>(std::stoull(text.substr(i + 1, close - i - 1)))).call;
        i = close;
    }
    return out;
}

std::vector<Unified> Emitter::unify(const Group& group, const std::vector<Tokens>& tokens) {
    std::vector<Unified> out;
    const Instance& ref = instances_[group.ref];
    std::vector<std::vector<HintToken>> hints;  // per line of the reference
    std::vector<Line> lines = ref.init;
    lines.push_back({"", {}});
    lines.insert(lines.end(), ref.forward.begin(), ref.forward.end());
    for (const auto& l : lines) hints.push_back(line_hints(hint_text(l.hint)));
    const Tokens& t0 = tokens[group.ref];

    const std::function<void(const std::vector<size_t>&)> go = [&](const std::vector<size_t>& part) {
        std::vector<ClassParam> params;
        for (size_t p = 0; p < ref.param_dsl.size(); ++p) {
            ClassParam cp{ref.param_dsl[p], {}, {}};
            for (size_t k : part) cp.values.push_back(instances_[group.members[k]].args[p]);
            params.push_back(std::move(cp));
        }
        size_t lets = ref.lets.size();
        for (size_t k : part) lets = std::min(lets, instances_[group.members[k]].lets.size());
        for (size_t l = 0; l < lets; ++l) {
            ClassParam cp{ref.lets[l].name, {}, {}, true};
            for (size_t k : part) cp.values.push_back(instances_[group.members[k]].lets[l].value);
            params.push_back(std::move(cp));
        }
        std::set<std::string> taken = class_names_;
        for (auto& p : params) {
            p.py = pyname(p.dsl, taken);
            taken.insert(p.py);
        }
        std::vector<Candidate> slots;
        Chooser chooser;
        size_t line = SIZE_MAX;
        for (size_t j = 0; j < t0.values.size(); ++j) {
            if (t0.line_of[j] != line) {
                line = t0.line_of[j];
                chooser = Chooser{&hints[line], 0};
            }
            Values v;
            for (size_t k : part) v.push_back(group.values[k][j]);
            auto c = chooser.choose(candidates(v, params), params);
            if (!c) {
                // no expression fits every instance: split them by this number (an instance
                // without one goes with the first part)
                std::vector<Wide> order;
                std::map<Wide, std::vector<size_t>> parts;
                for (size_t i = 0; i < part.size(); ++i) {
                    if (!v[i]) continue;
                    if (!parts.count(*v[i])) order.push_back(*v[i]);
                    parts[*v[i]].push_back(part[i]);
                }
                for (size_t i = 0; i < part.size(); ++i) {
                    if (!v[i]) parts[order[0]].push_back(part[i]);
                }
                for (Wide value : order) {
                    std::sort(parts[value].begin(), parts[value].end());
                    go(parts[value]);
                }
                return;
            }
            slots.push_back(*c);
        }
        Unified u;
        for (size_t k : part) u.members.push_back(group.members[k]);
        u.slots = std::move(slots);
        u.ref = group.ref;
        for (const auto& p : params) u.py.push_back(p.py);
        std::sort(u.members.begin(), u.members.end());
        out.push_back(std::move(u));
    };
    std::vector<size_t> all(group.members.size());
    for (size_t k = 0; k < all.size(); ++k) all[k] = k;
    go(all);
    return out;
}

// Does an instance whose loop runs 0 times (`wild`) fit the class of `concrete`? Then the
// slots it has map onto the concrete one's; those inside the loop's element have no value.
std::optional<std::vector<std::optional<size_t>>> match_wild(const Tokens& wild, const Tokens& concrete) {
    const std::string& w = wild.skeleton;
    const std::string& c = concrete.skeleton;
    const size_t at = w.find(wildcard);
    if (at == std::string::npos || w.find(wildcard, at + 1) != std::string::npos) return std::nullopt;
    const std::string_view prefix = std::string_view(w).substr(0, at), suffix = std::string_view(w).substr(at + 1);
    if (c.size() < prefix.size() + suffix.size() || c.compare(0, prefix.size(), prefix) != 0 ||
        c.compare(c.size() - suffix.size(), suffix.size(), suffix) != 0) {
        return std::nullopt;
    }
    const std::string_view middle = std::string_view(c).substr(prefix.size(), c.size() - prefix.size() - suffix.size());
    if (middle.find('\n') != std::string_view::npos || middle.find(wildcard) != std::string_view::npos) return std::nullopt;
    const auto slots_in = [](std::string_view t) { return static_cast<size_t>(std::count(t.begin(), t.end(), '\x06')); };
    const size_t before = slots_in(prefix), after = slots_in(suffix), total = concrete.values.size();
    std::vector<std::optional<size_t>> map(total);
    for (size_t r = 0; r < total; ++r) {
        if (r < before) map[r] = r;
        else if (r >= total - after) map[r] = r - (total - after) + before;
    }
    return map;
}

std::string indent(const std::string& text, const std::string& prefix) {
    std::string out;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out += prefix + text.substr(start, end - start);
        out += '\n';
        start = end + 1;
    }
    return out;
}

void Emitter::name_classes(const std::string& label) {
    const std::vector<size_t>& ids = by_label_[label];
    std::vector<Tokens> tokens(instances_.size());
    std::vector<Group> groups;
    std::vector<size_t> wild;
    for (size_t id : ids) {
        Instance& inst = instances_[id];
        std::vector<Line> lines;
        for (const auto& l : inst.init) lines.push_back({resolve_calls(l.text), l.hint});
        lines.push_back({"\x07", {}});  // between __init__ and forward
        for (const auto& l : inst.forward) lines.push_back({resolve_calls(l.text), l.hint});
        tokens[id] = tokenize(lines);
        if (tokens[id].skeleton.find(wildcard) != std::string::npos) {
            wild.push_back(id);
            continue;
        }
        auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& x) { return tokens[x.ref].skeleton == tokens[id].skeleton; });
        if (g == groups.end()) groups.push_back({id, {}, {}}), g = groups.end() - 1;
        g->members.push_back(id);
        Values v;
        for (Wide x : tokens[id].values) v.push_back(x);
        g->values.push_back(std::move(v));
    }
    for (size_t id : wild) {
        bool placed = false;
        for (auto& g : groups) {
            if (tokens[g.ref].skeleton.find(wildcard) != std::string::npos) continue;
            auto map = match_wild(tokens[id], tokens[g.ref]);
            if (!map) continue;
            Values v;
            for (const auto& m : *map) v.push_back(m ? std::optional<Wide>(tokens[id].values[*m]) : std::nullopt);
            g.members.push_back(id);
            g.values.push_back(std::move(v));
            placed = true;
            break;
        }
        if (placed) continue;
        auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& x) { return tokens[x.ref].skeleton == tokens[id].skeleton; });
        if (g == groups.end()) groups.push_back({id, {}, {}}), g = groups.end() - 1;
        g->members.push_back(id);
        Values v;
        for (Wide x : tokens[id].values) v.push_back(x);
        g->values.push_back(std::move(v));
    }
    std::vector<Unified> classes;
    const auto wild_text = [&](size_t id) { return tokens[id].skeleton.find(wildcard) != std::string::npos; };
    for (const auto& g : groups) {
        for (auto& u : unify(g, tokens)) {
            if (wild_text(u.ref) || !std::all_of(u.members.begin(), u.members.end(), wild_text)) {
                classes.push_back(std::move(u));
                continue;
            }
            // split off from the instances that run their loops: their own text, not that of
            // a loop they never run
            std::vector<Group> own;
            for (size_t id : u.members) {
                auto o = std::find_if(own.begin(), own.end(), [&](const Group& x) { return tokens[x.ref].skeleton == tokens[id].skeleton; });
                if (o == own.end()) own.push_back({id, {}, {}}), o = own.end() - 1;
                o->members.push_back(id);
                Values v;
                for (Wide x : tokens[id].values) v.push_back(x);
                o->values.push_back(std::move(v));
            }
            for (const auto& o : own) {
                auto parts = unify(o, tokens);
                classes.insert(classes.end(), parts.begin(), parts.end());
            }
        }
    }
    std::sort(classes.begin(), classes.end(), [](const Unified& a, const Unified& b) { return a.members[0] < b.members[0]; });
    for (size_t g = 0; g < classes.size(); ++g) {
        const Instance& first = instances_[classes[g].ref];
        std::string name = first.label;
        if (label == network_class_) name = network_class_;
        for (int k = 2; class_names_.count(name) && label != network_class_; ++k) name = first.label + "_" + std::to_string(k);
        class_names_.insert(name);

        // parameters: a block keeps all of its own; an anonymous class only those it uses
        // (directly or through a let)
        const size_t params = first.param_dsl.size();
        std::vector<bool> used(classes[g].py.size(), false);
        for (size_t p = 0; p < params; ++p) used[p] = !first.anonymous;
        for (const auto& c : classes[g].slots) for (int p : c.uses) used[static_cast<size_t>(p)] = true;
        for (size_t l = classes[g].py.size(); l-- > params;) {
            if (!used[l]) continue;
            const auto& let = first.lets[l - params];
            std::set<std::string> refs;
            expr_names(*let.program, let.expr, refs);
            for (size_t q = 0; q < l; ++q) {
                const std::string& dsl = q < params ? first.param_dsl[q] : first.lets[q - params].name;
                if (refs.count(dsl)) used[q] = true;
            }
        }

        classes_.push_back(class_text(first, tokens[classes[g].ref], classes[g], name, used, g));
        for (size_t m : classes[g].members) {
            Instance& inst = instances_[m];
            std::string call = name + "(";
            bool any = false;
            for (size_t p = 0; p < params; ++p) {
                if (!used[p]) continue;
                call += (any ? ", " : "") + nnspec::to_string(inst.args[p]);
                any = true;
            }
            inst.call = call + ")";
        }
    }
}

// `Name(a, b, 1, 0)` -> `Name(a, b)` where the trailing arguments are the class's defaults.
std::string Emitter::drop_default_args(const std::string& text) const {
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
        if (!(ident_char(text[i]) && !digit(text[i]) && (i == 0 || (!ident_char(text[i - 1]) && text[i - 1] != '.')))) {
            out += text[i++];
            continue;
        }
        size_t j = i;
        while (j < text.size() && ident_char(text[j])) ++j;
        const std::string name = text.substr(i, j - i);
        out += name;
        i = j;
        auto it = defaults_.find(name);
        if (it == defaults_.end() || i >= text.size() || text[i] != '(') continue;
        // the arguments, split at the top-level commas
        std::vector<std::string> args;
        int depth = 0;
        size_t k = i + 1, start = k;
        for (; k < text.size(); ++k) {
            const char c = text[k];
            if (c == '(' || c == '[' || c == '{') ++depth;
            else if ((c == ')' || c == ']' || c == '}') && depth-- == 0) break;
            else if (c == ',' && depth == 0) args.push_back(text.substr(start, k - start)), start = k + 1;
        }
        if (k >= text.size()) continue;
        args.push_back(text.substr(start, k - start));
        for (auto& a : args) {
            a.erase(0, a.find_first_not_of(' '));
            a.erase(a.find_last_not_of(' ') + 1);
        }
        if (args.size() == 1 && args[0].empty()) args.clear();
        const auto& params = it->second;
        const auto is_default = [&](size_t a) {
            return a < params.size() && params[a].second && args[a] == nnspec::to_string(*params[a].second);
        };
        while (!args.empty() && is_default(args.size() - 1)) args.pop_back();
        // after a default left out in the middle, the rest by name
        size_t keywords = args.size();
        for (size_t a = 0; a < args.size(); ++a) {
            if (is_default(a)) {
                keywords = a;
                break;
            }
        }
        out += "(";
        bool first = true;
        for (size_t a = 0; a < args.size(); ++a) {
            if (a >= keywords && is_default(a)) continue;
            out += (first ? "" : ", ") + (a >= keywords ? params[a].first + "=" : std::string()) + drop_default_args(args[a]);
            first = false;
        }
        out += ")";
        i = k + 1;
    }
    return out;
}

// `nn.Sequential(*[<wildcard> for _ in range(...)])` -> `nn.Sequential()`: a loop of a class
// none of whose instances runs it.
std::string drop_wildcards(std::string text) {
    for (size_t at = text.find(wildcard); at != std::string::npos; at = text.find(wildcard)) {
        const std::string open = "nn.Sequential(*[";
        const size_t begin = text.rfind(open, at);
        const size_t end = text.find(")])", at);
        text.replace(begin, end + 3 - begin, "nn.Sequential()");
    }
    return text;
}

std::string Emitter::class_text(const Instance& first, const Tokens& tokens, const Unified& group, const std::string& name,
                                const std::vector<bool>& used, size_t group_index) {
    const std::vector<std::string>& param_py = group.py;
    const std::string body = drop_default_args(drop_wildcards(fill(tokens, group.slots)));
    const size_t split = body.find("\x07\n");
    std::string init;
    // the block's lets that the code uses, computed as the block computes them
    std::map<std::string, std::string> names;
    for (size_t p = 0; p < first.param_dsl.size(); ++p) names[first.param_dsl[p]] = param_py[p];
    for (size_t l = 0; first.param_dsl.size() + l < param_py.size(); ++l) {
        const auto& let = first.lets[l];
        const std::string& py = param_py[first.param_dsl.size() + l];
        names[let.name] = py;
        if (!used[first.param_dsl.size() + l]) continue;
        if (auto text = python(*let.program, let.expr, names)) init += py + " = " + *text + "\n";
    }
    init += body.substr(0, split);
    const std::string forward = body.substr(split + 2);

    std::string signature = "self";
    // literal defaults, for a trailing run of parameters only (Python's rule)
    std::vector<std::optional<Wide>> defaults(first.param_dsl.size());
    if (!first.anonymous) {
        for (size_t p = first.param_dsl.size(); p-- > 0;) {
            defaults[p] = default_of(first.block, first.param_dsl[p]);
            if (!defaults[p]) break;
        }
    }
    std::vector<std::pair<std::string, std::optional<Wide>>> call_params;
    for (size_t p = 0; p < first.param_dsl.size(); ++p) {
        if (!used[p]) continue;
        signature += ", " + param_py[p];
        if (defaults[p]) signature += "=" + nnspec::to_string(*defaults[p]);
        call_params.push_back({param_py[p], defaults[p]});
    }
    if (std::any_of(call_params.begin(), call_params.end(), [](const auto& d) { return d.second.has_value(); })) defaults_[name] = call_params;

    std::string doc;
    if (first.anonymous) {
        doc = first.what;
    } else if (!first.block.empty()) {
        doc = "`" + block_header(first.block) + "`";
        if (group_index > 0) {
            doc += ": the calls whose layers differ from the first class of the block,";
            for (size_t i = 0; i < group.members.size() && i < 4; ++i) {
                const Instance& m = instances_[group.members[i]];
                doc += (i ? ", " : " ") + first.block + "(";
                for (size_t p = 0; p < m.args.size(); ++p) doc += (p ? ", " : "") + nnspec::to_string(m.args[p]);
                doc += ")";
            }
            if (group.members.size() > 4) doc += ", ...";
            doc += ".";
        }
        doc += "";
    } else {
        doc = network_doc_;
    }
    std::string out = "class " + name + "(nn.Module):\n";
    out += "    \"\"\"" + doc + (doc.find('\n') != std::string::npos ? "\n    " : "") + "\"\"\"\n\n";
    out += "    def __init__(" + signature + "):\n";
    out += "        super().__init__()\n";
    out += indent(init, "        ");
    out += "\n    def forward(self, x):\n";
    out += indent(forward, "        ");
    return out;
}

}  // namespace
}  // namespace nnspec

namespace nnspec {
namespace {

// Visits the flat layers of a layout in order, with their module paths; and each side path
// before its layers.
struct LayoutWalker {
    std::function<void(const std::string& path, const Node& layer)> on_layer;
    std::function<void(const std::string& path, const Node& side)> on_side;
    std::function<void(const std::string& path)> on_side_end;

    void walk(const Layout& layout, const std::string& prefix) const {
        for (const auto& e : layout.entries) {
            const std::string path = join_path(prefix, e.path);
            if (e.layer) {
                on_layer(path, *e.layer);
            } else if (e.is_loop) {
                uint64_t index = 0;
                for (const auto& [times, element] : e.loop) {
                    for (uint64_t t = 0; t < times; ++t) walk(*element, join_path(path, std::to_string(index++)));
                }
            } else if (e.inner) {
                if (e.side && on_side) on_side(path, *e.side);
                walk(*e.inner, path);
                if (e.side && on_side_end) on_side_end(path);
            }
        }
    }
};

// `layers.3.attn` -> `self.layers[3].attn`
std::string attribute_path(const std::string& path) {
    std::string out = "self";
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find('.', start);
        if (end == std::string::npos) end = path.size();
        const std::string part = path.substr(start, end - start);
        if (!part.empty() && std::all_of(part.begin(), part.end(), digit)) out += "[" + part + "]";
        else out += "." + part;
        start = end + 1;
    }
    return out;
}

std::string shape_text(const Shape& s) {
    std::string t = "(batch";
    for (int64_t d : s.dims) t += ", " + (d == unknown_dim ? std::string("?") : std::to_string(d));
    return t + ")";
}

std::string thousands(uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

void check_layer_limit(const Network& network, uint64_t limit) {
    const Count n = flat_layer_count(*network.root);
    if (n.overflow() || n.value() > limit) {
        throw std::length_error("the flat layer list would have " + (n.overflow() ? std::string("more than 2^64") : std::to_string(n.value())) +
                                " layers, more than the limit of " + std::to_string(limit));
    }
}

// Every layer node of the IR once, repeats not expanded.
void for_each_node_layer(const Node& n, const std::function<void(const Layer&)>& visit) {
    if (n.kind == NodeKind::layer) visit(*n.layer);
    for (const auto& c : n.children) for_each_node_layer(*c, visit);
    for (const auto& c : n.shortcut) for_each_node_layer(*c, visit);
}

// Does the data first meet an embedding (so the input holds token ids)?
bool first_is_embedding(const std::vector<NodeRef>& nodes) {
    for (const auto& n : nodes) {
        if (n->kind == NodeKind::side) continue;
        if (n->kind == NodeKind::layer) return n->layer->kind->name == "embedding";
        if (n->kind == NodeKind::repeat && n->children.empty()) continue;
        return first_is_embedding(n->children);
    }
    return false;
}

void Emitter::run() {
    // the top-level lets, imported ones first, for the blocks' own lets
    if (options_.programs) {
        for (auto it = options_.programs->rbegin(); it != options_.programs->rend(); ++it) {
            for (const Stmt& st : (*it)->statements) {
                if (st.kind != StmtKind::let) continue;
                if (auto v = evaluate(**it, st.value, globals_)) globals_[std::string(st.name)] = *v;
            }
        }
    }
    for (const auto& h : helpers()) class_names_.insert(std::string(h.name));
    network_class_ = network_.name.empty() ? "Network" : camel_case(network_.name);
    while (class_names_.count(network_class_)) network_class_ += "_";
    class_names_.insert(network_class_);

    Instance net;
    net.label = network_class_;
    auto r = render_instance(std::move(net), network_.root->children, false, network_.root.get());
    network_id_ = r.id;
    root_layout_ = r.layout;

    // tied weights: the same nn.Parameter, set once every module exists
    bool any_tie = false;
    for_each_node_layer(*network_.root, [&](const Layer& l) { any_tie = any_tie || !l.tie.empty(); });
    if (any_tie) {
        check_layer_limit(network_, options_.max_layers);
        std::map<std::string, std::string> named;
        std::set<std::string> lines;
        Instance& root = instances_[network_id_];
        LayoutWalker w;
        w.on_layer = [&](const std::string& path, const Node& n) {
            const Layer& l = *n.layer;
            if (!l.tie.empty() && n.layer->weight_shared && !tied_in_class_.count(&l)) {
                auto it = named.find(l.tie);
                if (it != named.end()) {
                    std::string line = attribute_path(path) + ".weight = " + attribute_path(it->second) + ".weight";
                    if (lines.insert(line).second) root.init.push_back({line, {}});
                }
            }
            if (!l.name.empty()) named[l.name] = path;
        };
        w.walk(*root_layout_, "");
    }

    // the network's docstring
    std::string doc = "Network";
    if (!network_.name.empty()) doc += " `" + network_.name + "`";
    if (!options_.source_name.empty()) doc += " (" + options_.source_name + ")";
    const uint64_t params = network_.params.value(), trainable = network_.trainable.value();
    doc += ": " + thousands(params) + " parameters";
    doc += trainable == params ? ", all trainable." : ", " + thousands(trainable) + " trainable.";
    if (network_.has_input) {
        doc += "\n\n    Input " + shape_text(network_.input) + (first_is_embedding(network_.root->children) ? " token ids" : "") +
               ", output " + shape_text(network_.root->out) + ".";
    }
    network_doc_ = doc;

    // classes: a block's after the blocks it uses
    std::set<std::string> visited;
    const std::function<void(size_t)> visit = [&](size_t id) {
        const Instance& inst = instances_[id];
        if (visited.count(inst.label)) return;
        visited.insert(inst.label);
        for (size_t other : by_label_[inst.label]) {
            for (size_t c : instances_[other].children) visit(c);
        }
        label_order_.push_back(inst.label);
    };
    visit(network_id_);
    for (const auto& label : label_order_) name_classes(label);
}

std::string Emitter::code() const {
    std::string out = "\"\"\"" + network_class_ + ": generated by nnspec " + std::string(version()) + " (`nnspec emit pytorch`)";
    if (!options_.source_name.empty()) out += " from " + options_.source_name;
    out += ".\n\nSelf-contained: needs only PyTorch (1.13 or later). Shapes exclude the batch dimension in\n"
           "the .nn text; every module here takes and returns batch-first tensors.\n\"\"\"\n";
    out += "import torch\nfrom torch import nn\n";
    for (const auto& h : helpers()) {
        if (used_helpers_.count(std::string(h.name))) out += "\n\n" + std::string(h.code);
    }
    for (const auto& c : classes_) out += "\n\n" + c;
    return out;
}

}  // namespace

std::string emit_pytorch(const Network& network, const PytorchEmitOptions& options) {
    Emitter e(network, options);
    e.run();
    return e.code();
}

std::string emit_shapes(const Network& network, const PytorchEmitOptions& options) {
    check_layer_limit(network, options.max_layers);
    Emitter e(network, options);
    e.run();
    const auto shape_json = [](const Shape& s) -> std::string {
        if (!s.fully_known()) return "null";
        std::string t = "[";
        for (size_t i = 0; i < s.dims.size(); ++i) t += (i ? ", " : "") + std::to_string(s.dims[i]);
        return t + "]";
    };
    struct Input {
        std::string path;
        std::optional<Shape> shape;
        std::optional<int64_t> tokens;  // the fewest embeddings among its path's, when it starts with one
        bool first = true;
    };
    std::vector<Input> inputs{{"", network.has_input ? std::optional<Shape>(network.input) : std::nullopt, std::nullopt, true}};
    std::vector<size_t> stack{0};
    std::string layers;
    uint64_t index = 0;
    LayoutWalker w;
    w.on_side = [&](const std::string& path, const Node& side) {
        inputs.push_back({path, side.side_input, std::nullopt, true});
        stack.push_back(inputs.size() - 1);
    };
    w.on_side_end = [&](const std::string&) { stack.pop_back(); };
    w.on_layer = [&](const std::string& path, const Node& n) {
        const Layer& l = *n.layer;
        Input& in = inputs[stack.back()];
        if (l.kind->name == "embedding") {
            const int64_t count = l.size(0);
            if (in.first || in.tokens) in.tokens = in.tokens ? std::min(*in.tokens, count) : count;
        }
        in.first = false;
        const Count own = l.own_params();
        layers += index ? ",\n    " : "\n    ";
        layers += fmt::format("{{\"index\": {}, \"kind\": {}, \"module\": {}, \"type\": {}, \"in\": {}, \"out\": {}, \"params\": {}, \"trainable\": {}",
                              index++, json_quote(l.kind->name), json_quote(path), json_quote(e.types().at(&l)), shape_json(n.in),
                              shape_json(n.out), own.value(), l.trainable ? own.value() : 0);
        if (!l.name.empty()) layers += ", \"name\": " + json_quote(l.name);
        if (!l.tie.empty()) layers += ", \"tie\": " + json_quote(l.tie);
        layers += "}";
    };
    w.walk(e.layout(), "");
    std::string out = "{\"name\": " + json_quote(network.name) + ", \"class\": " + json_quote(e.network_class()) + ",\n";
    out += fmt::format(" \"params\": {}, \"trainable\": {}, \"output\": {},\n", network.params.value(), network.trainable.value(),
                       network.has_input ? shape_json(network.root->out) : "null");
    out += " \"inputs\": [";
    for (size_t i = 0; i < inputs.size(); ++i) {
        const Input& in = inputs[i];
        out += (i ? ",\n    " : "\n    ") + std::string("{\"module\": ") + json_quote(in.path) + ", \"shape\": " +
               (in.shape ? shape_json(*in.shape) : "null") + ", \"tokens\": " + (in.tokens ? std::to_string(*in.tokens) : "null") + "}";
    }
    out += "],\n \"layers\": [" + layers + (index ? "\n " : "") + "]}\n";
    return out;
}

}  // namespace nnspec
