// The fast JSON reader for the common case (see json_scan.cpp): a flat list of layer
// objects, read without a grammar engine. Whatever it does not read, the PEGTL reader does.
#pragma once

#include <string_view>

#include "json_value.hpp"

namespace nnspec {

enum class ScanResult {
    done,         // every element went to the sink
    stopped,      // the sink returned false
    unsupported,  // not a document this reader takes: nothing is reported; the elements
                  // before the one it stopped at went to the sink
};

ScanResult scan_json_layer_list(std::string_view text, FileId file, const ParseLimits& limits, const JsonElementSink& sink);

}  // namespace nnspec
