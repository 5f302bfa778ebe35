// Messages for the JSON grammar's `must<>` failures.
#pragma once

#include "json.hpp"

namespace nnspec::grammar::json {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
template <> inline constexpr const char* error_message<value> = "expected a JSON value";
template <> inline constexpr const char* error_message<array_element> = "expected a JSON value after `,`";
template <> inline constexpr const char* error_message<member> = "expected a `\"key\": value` member after `,`";
template <> inline constexpr const char* error_message<key> = "expected a quoted key";
template <> inline constexpr const char* error_message<one<':'>> = "expected `:` after the key";
template <> inline constexpr const char* error_message<one<']'>> = "expected `,` or `]`";
template <> inline constexpr const char* error_message<one<'}'>> = "expected `,` or `}`";
template <> inline constexpr const char* error_message<int_> = "expected digits after `-`";
template <> inline constexpr const char* error_message<digits> = "expected digits";
template <> inline constexpr const char* error_message<escape> = "invalid escape in a string";
template <> inline constexpr const char* error_message<rep<4, xdigit>> = "expected four hex digits after `\\u`";
template <> inline constexpr const char* error_message<char_> = "unterminated string, or a control character or invalid UTF-8 in it";
template <> inline constexpr const char* error_message<eof> = "unexpected text after the JSON value";
// clang-format on

}  // namespace nnspec::grammar::json
