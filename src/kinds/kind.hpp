// A layer kind is data: its options (with types, defaults and JSON keys), how its written
// sizes map onto those options, its parameter formula, its weight shape (for `tie`) and
// its shape rule. Each kind lives in one small file under kinds/ and registers itself in
// registry.cpp; nothing else in the compiler branches on a kind's name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../checked.hpp"
#include "../diagnostics.hpp"
#include "../shape.hpp"

namespace nnspec {

enum class FieldType : uint8_t {
    size,      // a positive integer
    count,     // a non-negative integer
    sizes,     // a positive integer or tuple, one per spatial dim (`kernel=3`, `kernel=3x5`)
    counts,    // the same, non-negative, or one of the field's words (`padding=same`)
    boolean,   // a flag pair (`bias`/`nobias`) or `key=true|false`
    decimal,   // a number PyTorch takes as a float; kept as written
    word,      // a name PyTorch takes as a string
    integer,   // any integer, negative allowed (`dim=-1`)
    integers,  // a list of integers (`permute 1,2,0`)
    shape,     // a shape (`layernorm 768`, `param (c, 1, 1)`)
};

struct FieldSpec {
    std::string_view name;      // the DSL option name, e.g. "kernel"
    std::string_view json_key;  // the JSON key (PyTorch's argument name), e.g. "kernel_size"
    FieldType type;
    std::string_view flag_on = {}, flag_off = {};  // for booleans: "bias", "nobias"
    bool required = false;
    int64_t default_int = 0;          // size/count/integer, and each dim of sizes/counts
    bool default_bool = false;
    std::string_view default_text = {};  // decimal and word defaults, as PyTorch writes them
    std::vector<std::string_view> words = {};  // words a `counts` field accepts besides numbers
    bool json_always = true;  // written to JSON even when default (false: only when set)
};

struct FieldValue {
    bool set = false;              // written by the user (or in JSON); otherwise the default
    Dims ints;     // one for size/count/integer; several for sizes/counts/integers/shape
    bool flag = false;             // boolean
    std::string text;              // decimal and word values as written
    Span span;
};

struct KindInfo;

struct Layer {
    const KindInfo* kind = nullptr;
    Span span;
    std::vector<FieldValue> fields;  // aligned with kind->fields
    std::string name;                // `as NAME`
    std::string tie;                 // `tie=NAME`
    Span tie_span;
    bool trainable = true;           // `frozen` flag or inside a `frozen` block
    Count weight, bias;              // filled by the kind's formula
    bool weight_shared = false;      // tied: its weight is another layer's and is not counted again
    int input_rank = -1;             // rank of the incoming shape, if known: picks BatchNorm1d/2d/3d and the like

    const FieldValue& field(size_t i) const { return fields[i]; }
    int64_t size(size_t i) const { return fields[i].ints.empty() ? 0 : fields[i].ints[0]; }
    bool flag(size_t i) const { return fields[i].flag; }
    Count own_params() const { return (weight_shared ? Count(0) : weight) + bias; }
};

// What a kind's shape rule sees and reports to.
struct ShapeContext {
    Layer& layer;
    const Shape& in;
    Shape out;
    bool strict;  // an `input` shape was declared: disagreements are errors, not warnings
    Diagnostics& diagnostics;

    // A size written in the layer disagrees with the incoming shape.
    void mismatch(Span at, std::string message, std::string label);
    // A size the layer needs comes neither from the text nor from the shape.
    void missing(std::string message, std::string help);
    void error(Code code, Span at, std::string message, std::string label = {});
    // A problem found on known sizes: an error with `code` under an `input` shape; in a layer
    // list (whose shapes may be wrong after flattening) a W0001 warning, like `mismatch`.
    void problem(Code code, Span at, std::string message, std::string label = {});
};

struct Params {
    Count weight, bias;
};

struct KindInfo {
    std::string_view name;        // DSL and JSON "type"
    std::string_view torch_name;  // e.g. "nn.Linear"
    std::string_view summary;
    std::vector<FieldSpec> fields;
    int in_field = -1;      // IN of `IN -> OUT`
    int out_field = -1;     // OUT of `IN -> OUT`
    int single_field = -1;  // the field a single written size sets (may equal out_field)
    int spatial_rank = 0;   // 1, 2, 3 for conv/pool kinds: how many dims a `sizes` field has

    // Fills sizes taken from the incoming shape, checks it, and sets ctx.out.
    void (*infer)(ShapeContext& ctx) = nullptr;
    // Checks between options that do not depend on the shape (groups divide channels, ...).
    void (*validate)(const Layer& layer, Diagnostics& diagnostics) = nullptr;
    Params (*params)(const Layer& layer) = nullptr;
    Dims (*weight_shape)(const Layer& layer) = nullptr;  // nullptr: no weight
    // The PyTorch module that this layer is, as a Python expression with every argument
    // that differs from PyTorch's default (`nn.Linear(784, 128)`, `nn.Conv2d(3, 32, 3, bias=False)`).
    std::string (*torch_module)(const Layer& layer) = nullptr;

    int field_index(std::string_view key) const;  // by DSL name or JSON key; -1 if none
};

const KindInfo* find_kind(std::string_view name);
const std::vector<const KindInfo*>& all_kinds();

// Helpers shared by the kinds' files.
Count product(const Dims& dims);

}  // namespace nnspec
