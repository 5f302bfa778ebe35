// The `.nn` front end: text -> syntax tree (ast.hpp), with syntax errors as diagnostics.
#pragma once

#include <optional>

#include "ast.hpp"
#include "diagnostics.hpp"

namespace nnspec {

struct ParseLimits {
    size_t max_depth = 200;       // nesting of braces, parentheses and unary minus together
    size_t max_name_length = 256;  // identifiers
};

// Parses the text of `file` (already in `sources`). A syntax error stops the parse: the
// program holds what came before it, and the error is in `diagnostics`.
Program parse_nn(const SourceManager& sources, FileId file, Diagnostics& diagnostics, const ParseLimits& limits = {});

// Parses one integer literal's text (`50_257`); nullopt if it does not fit in 64 bits.
std::optional<uint64_t> parse_integer_literal(std::string_view digits);

}  // namespace nnspec
