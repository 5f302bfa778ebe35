// The JSON front end: a JSON layer list (or `{"name", "input", "layers"}`, or the
// structured form) -> the same syntax tree the `.nn` parser builds, so both inputs get the
// same checks, diagnostics and counts. Type errors are reported here with the JSON path
// (`$[1].output_size`); everything else is left to the semantic passes.
#pragma once

#include "ast.hpp"
#include "json_value.hpp"

namespace nnspec {

Program parse_json_program(const SourceManager& sources, FileId file, Diagnostics& diagnostics, const ParseLimits& limits = {});

// Streaming, for a bare array of layers: each layer goes to `sink` as soon as it is read.
// Returns false (having fed part of the file, perhaps) when the document is not a bare
// array, a layer has an error, or the sink stopped: the caller then reads it whole.
bool parse_json_streaming_program(const SourceManager& sources, FileId file, Diagnostics& diagnostics,
                                  const ParseLimits& limits, Program& pool, const StatementSink& sink);

}  // namespace nnspec
