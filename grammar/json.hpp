// JSON (RFC 8259), the second front end's grammar. It is PEGTL's contrib/json.hpp made
// strict about where it fails: everything after an opening token is `must<>`, so an error
// points at the offending character, and arrays and objects pass through `nested<>`
// (nnspec.hpp), so depth is bounded.
#pragma once

#include <tao/pegtl.hpp>

#include "nnspec.hpp"

namespace nnspec::grammar::json {

using namespace tao::pegtl;  // NOLINT: rule names read as the RFC's

// ws = *( %x20 / %x09 / %x0A / %x0D )
struct ws : star<one<' ', '\t', '\n', '\r'>> {};

// literals
struct true_ : string<'t', 'r', 'u', 'e'> {};
struct false_ : string<'f', 'a', 'l', 's', 'e'> {};
struct null : string<'n', 'u', 'l', 'l'> {};

// number = [ "-" ] int [ frac ] [ exp ];  int = "0" / ( digit1-9 *DIGIT )
struct digits : plus<digit> {};
struct int_ : sor<one<'0'>, seq<range<'1', '9'>, star<digit>>> {};
struct frac : seq<one<'.'>, must<digits>> {};
struct exp : seq<one<'e', 'E'>, opt<one<'-', '+'>>, must<digits>> {};
struct number : seq<sor<seq<one<'-'>, must<int_>>, int_>, opt<frac>, opt<exp>> {};

// string = quotation-mark *char quotation-mark;  char = unescaped / "\" escape
struct unicode_escape : seq<one<'u'>, must<rep<4, xdigit>>> {};
struct escape : sor<one<'"', '\\', '/', 'b', 'f', 'n', 'r', 't'>, unicode_escape> {};
struct unescaped : utf8::range<0x20, 0x10FFFF> {};
struct char_ : if_then_else<one<'\\'>, must<escape>, unescaped> {};
struct string_content : until<at<one<'"'>>, must<char_>> {};
struct string : seq<one<'"'>, string_content, any> {};
struct key : string {};

struct value;
// array = "[" [ value *( "," value ) ] "]"
struct array_open : one<'['> {};
struct array_element : seq<value, ws> {};
struct array : nested<seq<array_open, ws, opt<array_element, star<one<','>, ws, must<array_element>>>, must<one<']'>>>> {};
// member = string ":" value;  object = "{" [ member *( "," member ) ] "}"
struct object_open : one<'{'> {};
struct member : seq<must<key>, ws, must<one<':'>>, ws, must<value>, ws> {};
struct object : nested<seq<object_open, ws, opt<at<one<'"'>>, member, star<one<','>, ws, must<member>>>, must<one<'}'>>>> {};
// value = false / null / true / object / array / number / string
struct value : sor<string, number, object, array, true_, false_, null> {};
// text = ws value ws
struct text : seq<ws, must<value>, ws, must<eof>> {};

}  // namespace nnspec::grammar::json
