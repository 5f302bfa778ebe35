// The JSON front end: a JSON layer list (or `{"name", "input", "layers"}`, or the
// structured form) -> the same syntax tree the `.nn` parser builds, so both inputs get the
// same checks, diagnostics and counts. Type errors are reported here with the JSON path
// (`$[1].output_size`); everything else is left to the semantic passes.
#pragma once

#include "ast.hpp"
#include "json_value.hpp"

namespace nnspec {

Program parse_json_program(const SourceManager& sources, FileId file, Diagnostics& diagnostics, const ParseLimits& limits = {});

}  // namespace nnspec
