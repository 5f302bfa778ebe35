// The message for each `must<>` that can fail, in the manner of PEGTL's json_errors.hpp.
// A rule without an entry falls back to a generic message; the grammar test checks that
// every rule used under `must<>` has one.
#pragma once

#include "nnspec.hpp"

namespace nnspec::grammar {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
template <> inline constexpr const char* error_message<expr> = "expected an expression (a number, a name or `(`)";
template <> inline constexpr const char* error_message<unary> = "expected a number, a name or `(`";
template <> inline constexpr const char* error_message<product> = "expected a number, a name or `(`";
template <> inline constexpr const char* error_message<shape> = "expected a shape (`3x224x224`, `(c, h, w)` or a size)";
template <> inline constexpr const char* error_message<xshape> = "expected a shape of integers joined by `x`, like `3x224x224`";
template <> inline constexpr const char* error_message<one<')'>> = "expected `,` or `)`";
template <> inline constexpr const char* error_message<one<'='>> = "expected `=`";
template <> inline constexpr const char* error_message<dims_out> = "expected a size after `->`";
template <> inline constexpr const char* error_message<item_value> = "expected a value after `=`";
template <> inline constexpr const char* error_message<as_name> = "expected a name after `as`";
template <> inline constexpr const char* error_message<arg> = "expected an argument";
template <> inline constexpr const char* error_message<param> = "expected a parameter name";
template <> inline constexpr const char* error_message<param_default> = "expected a default value after `=`";
template <> inline constexpr const char* error_message<params> = "expected `(` and the block's parameters, like `block name(a, b=2)`";
template <> inline constexpr const char* error_message<body> = "expected `{`";
template <> inline constexpr const char* error_message<branches> = "expected `{` and `branch { ... }` lines";
template <> inline constexpr const char* error_message<body_close> = "expected a statement or `}`";
template <> inline constexpr const char* error_message<network_name> = "expected the network's name";
template <> inline constexpr const char* error_message<let_name> = "expected a name after `let`";
template <> inline constexpr const char* error_message<block_name> = "expected the block's name";
template <> inline constexpr const char* error_message<repeat_count> = "expected the number of repetitions";
template <> inline constexpr const char* error_message<repeat_index> = "expected a loop variable name after `as`";
template <> inline constexpr const char* error_message<string_literal> = "expected a quoted path, like \"blocks.nn\"";
template <> inline constexpr const char* error_message<expect_subject> = "expected `params`, `trainable` or `shape`";
template <> inline constexpr const char* error_message<end_of_statement> = "expected the end of the statement (a new line or `;`)";
template <> inline constexpr const char* error_message<eof> = "expected a statement";
template <> inline constexpr const char* error_message<kw_branch> = "`branch` only appears inside `concat`, `add` or `multiply`";
template <> inline constexpr const char* error_message<kw_shortcut> = "`shortcut` must follow the `}` of a `residual`";
// clang-format on

}  // namespace nnspec::grammar
