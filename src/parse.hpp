// The `.nn` front end: text -> syntax tree (ast.hpp), with syntax errors as diagnostics.
#pragma once

#include <functional>
#include <optional>

#include "ast.hpp"
#include "diagnostics.hpp"

namespace nnspec {

// Limits that keep every input's cost bounded (docs/limits.md). Each is an error with a
// position when exceeded, never a crash.
struct ParseLimits {
    size_t max_depth = 200;           // nesting of braces, brackets, parentheses and operators together
    size_t max_name_length = 256;     // identifiers
    size_t max_string_length = 4096;  // quoted strings (import paths, JSON strings), in bytes
};

// Parses the text of `file` (already in `sources`). A syntax error stops the parse: the
// program holds what came before it, and the error is in `diagnostics`.
Program parse_nn(const SourceManager& sources, FileId file, Diagnostics& diagnostics, const ParseLimits& limits = {});

// Streaming: each complete top-level statement goes to `sink` instead of into
// `program.statements`; the program keeps the expression pool, trimmed after every
// statement that is not a block definition. The sink returns false to stop the parse.
// Returns false if the sink stopped it.
using StatementSink = std::function<bool(Stmt&&)>;
bool parse_nn_streaming(const SourceManager& sources, FileId file, Diagnostics& diagnostics, const ParseLimits& limits,
                        Program& program, const StatementSink& sink);

// Parses one integer literal's text (`50_257`); nullopt if it does not fit in 64 bits.
std::optional<uint64_t> parse_integer_literal(std::string_view digits);

}  // namespace nnspec
