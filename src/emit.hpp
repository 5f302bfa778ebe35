// Emitters: the network as a JSON layer list, and as `.nn` text.
#pragma once

#include <string>

#include "ir.hpp"

namespace nnspec {

struct JsonEmitOptions {
    bool wrap = false;  // `{"name", "input", "layers"}` instead of a bare array
};

// The flat JSON layer list, one layer object a line, keys in the kind's order.
std::string emit_json(const Network& network, const JsonEmitOptions& options = {});

// `.nn` text for the network's flat layer list; runs of identical layers become `repeat`.
std::string emit_nn(const Network& network);

// One layer as a JSON object / as a `.nn` statement.
std::string layer_json(const Layer& layer);
std::string layer_nn(const Layer& layer);

std::string json_quote(std::string_view text);

}  // namespace nnspec
