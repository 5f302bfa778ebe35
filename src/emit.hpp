// Emitters: the network as a JSON layer list, as `.nn` text, and as PyTorch code.
#pragma once

#include <string>

#include "ast.hpp"
#include "ir.hpp"
#include "source.hpp"

namespace nnspec {

struct JsonEmitOptions {
    bool wrap = false;        // `{"name", "input", "layers"}` instead of a bare array
    bool structured = false;  // keep residual/concat/add/multiply/gate/side nested, and the input
};

// The flat JSON layer list, one layer object a line, keys in the kind's order.
std::string emit_json(const Network& network, const JsonEmitOptions& options = {});

// `.nn` text for the network: its name, its input (when the network has one) and its
// structured layer list; runs of identical statements become `repeat`.
std::string emit_nn(const Network& network);

// One layer as a JSON object / as a `.nn` statement.
std::string layer_json(const Layer& layer);
std::string layer_nn(const Layer& layer);

std::string json_quote(std::string_view text);

// PyTorch code (emit_pytorch.cpp; docs/pytorch.md). `sources` and `programs` are optional:
// with them a block class computes the block's lets, keeps its literal defaults, and writes
// a number as the text writes it where several expressions of the parameters would fit.
struct PytorchEmitOptions {
    const SourceManager* sources = nullptr;
    const std::vector<const Program*>* programs = nullptr;  // the file's program and its imports
    std::string source_name;                               // named in the module's docstring
    uint64_t max_layers = 10'000'000;                      // `emit shapes`: the flat list's limit
};

// One self-contained Python module (needs only torch) defining the network as nn.Modules.
std::string emit_pytorch(const Network& network, const PytorchEmitOptions& options = {});

// A JSON report of the flat layer list as the PyTorch module holds it: each layer's kind,
// module path, input and output shape, parameter counts; the inputs (main and `side`) with
// their shapes. For tests that check the generated module against nnspec.
std::string emit_shapes(const Network& network, const PytorchEmitOptions& options = {});

}  // namespace nnspec
