// The quick counter's plans (quick_nn.cpp): a block's body as the reader found it when it
// scanned the text once, so that each call runs through a few arrays instead of reading
// the text again. The generated benchmark calls each block some twenty times.
//
// A plan holds the structure of the text and none of its values: expressions as postfix
// code whose names are resolved to a frame slot (a block parameter, a local let, a repeat
// index: where a name stands decides which, so that is settled when the text is read) or
// to a top-level let, looked up when the plan runs, as the text reader looks it up (a name
// that is no let there, a word, gives up as the text reader does). A plan is made only of
// what it can say exactly; anything else (an option it does not hold, a list where a size
// goes, a size given twice) leaves the body to the text reader, which decides at each
// call, as before.
//
// Plans are made by one reader and run by it alone. The arrays of one store only grow
// while plans are in use (a block that the second thread passed over gets its plan at its
// first call, perhaps while another plan runs): whoever runs a plan holds indices into
// them, never references, across a call.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "quick_layer.hpp"
#include "quick_lets.hpp"

namespace nnspec::quick::plan {

// An operator is the byte the reader's `apply_operator` takes for it (`f` for `//`).
enum class Op : uint8_t { constant, slot, global, negate, add = '+', subtract = '-', multiply = '*', divide = '/', floor_divide = 'f' };

struct Code {
    Op op;
    uint32_t index = 0;  // a slot, or a global in Store::globals
    int64_t value = 0;   // a constant
};

// A range of `Store::code`: one expression, its operands before their operator.
struct Expr {
    uint32_t begin = 0, end = 0;
    bool single() const { return end - begin == 1; }
};

// A top-level let as a plan names it. Its value, once found, is kept: a let never changes,
// and the first lookup marked it used. (Not while the reader reads a chunk: there a let
// that stands after the statement being read must not be seen, so it looks each one up.)
struct Global {
    LetTable::Key key;
    int64_t value = 0;
    bool known = false;
};

struct Layer {
    Expr in, out;
    Expr kernel[3];
    Kind kind = Kind::dense;
    bool has_in = false, has_out = false;
    bool bias = true, trainable = true;
    uint8_t kernel_count = 0;
};

struct Let {
    uint32_t slot;
    Expr value;
};

// A range of `Store::statements`.
struct Body {
    uint32_t first = 0, count = 0;
};

struct Repeat {
    Expr count;
    Body body;
    uint32_t index_slot = 0;
    bool has_index = false;
    bool uses_index = false;  // the index is named in the body (as the text reader's scan finds it)
};

struct Arg {
    std::string_view name;  // empty: positional
    Expr value;
};

struct Call {
    std::string_view name;
    uint32_t first_arg = 0, arg_count = 0;
    void* block = nullptr;  // the block, once found (quick_nn.cpp's Block; blocks never move)
};

struct Expect {
    Expr value;
    bool params;  // else trainable
};

struct Statement {
    enum class Type : uint8_t { layer, let, repeat, call, expect } type;
    uint32_t index;  // into the store's array of that type
};

struct Store {
    std::vector<Code> code;
    std::vector<Global> globals;
    std::vector<Statement> statements;
    std::vector<Layer> layers;
    std::vector<Let> lets;
    std::vector<Repeat> repeats;
    std::vector<Call> calls;
    std::vector<Arg> args;
    std::vector<Expect> expects;
    std::vector<Expr> defaults;  // a block's parameter defaults, in order; empty: none

    // How much each array holds, to go back to (a plan refused halfway).
    struct Sizes {
        size_t code, globals, statements, layers, lets, repeats, calls, args, expects, defaults;
    };
    Sizes sizes() const {
        return {code.size(), globals.size(), statements.size(), layers.size(), lets.size(),
                repeats.size(), calls.size(), args.size(), expects.size(), defaults.size()};
    }
    void truncate(const Sizes& s) {
        code.resize(s.code);
        globals.resize(s.globals);
        statements.resize(s.statements);
        layers.resize(s.layers);
        lets.resize(s.lets);
        repeats.resize(s.repeats);
        calls.resize(s.calls);
        args.resize(s.args);
        expects.resize(s.expects);
        defaults.resize(s.defaults);
    }
};

// One body's plan: for a block, its parameters take the first slots, and `defaults` gives
// where their default expressions are (one entry a parameter).
struct Plan {
    Body body;
    uint32_t slots = 0;       // the frame it runs in
    uint32_t first_default = 0;
};

}  // namespace nnspec::quick::plan
