// The grammar of `.nn` files, as PEGTL rules: one rule per line, its EBNF (or prose)
// above it. Actions that build the syntax tree are in src/parse.cpp; the messages for
// `must<>` failures are in grammar/errors.hpp.
//
// Design notes:
// - Statements end at a newline or `;`; inside a statement only blanks separate tokens.
// - Every alternative is decided by its first token (a keyword, a digit, `(`, ...), and
//   everything after the deciding token is `must<>`: no rule is tried twice over the same
//   text, so parse time is linear in the input. `at<>` is used where a short lookahead
//   decides (a name followed by `=`), and actions never run inside it.
// - The recursive rules (bodies in braces, parenthesised expressions, unary minus) pass
//   through `nested<>`, which counts depth and stops with an error at the limit, so a
//   million `(` cannot exhaust the stack.
#pragma once

#include <tao/pegtl.hpp>

namespace nnspec::grammar {

namespace pegtl = tao::pegtl;
using namespace pegtl;  // NOLINT: rule names read as the EBNF

// Depth guard for recursive rules. The limit lives in the parse state (see parse.cpp),
// whose `enter_nested`/`leave_nested` throw past the limit.
template <typename Rule>
struct nested : seq<Rule> {
    template <apply_mode A, rewind_mode M, template <typename...> class Action, template <typename...> class Control,
              typename Input, typename State>
    static bool match(Input& in, State& state) {
        state.enter_nested(in);
        const bool ok = Control<Rule>::template match<A, M, Action, Control>(in, state);
        state.leave_nested();
        return ok;
    }
};

// ---- lexical ---------------------------------------------------------------------------

// comment = "#" { any character but a line end }
struct comment : seq<one<'#'>, until<at<sor<eol, eof>>>> {};
// blank = " " | "\t"
struct blank : one<' ', '\t'> {};
// sp = { blank }                       (spacing inside a statement)
struct sp : star<blank> {};
// line_gap = { blank | line end | comment }   (between a `}` and a following `shortcut`)
struct line_gap : star<sor<blank, eol, comment>> {};
// gap = { blank | line end | ";" | comment }  (between statements)
struct gap : star<sor<blank, eol, one<';'>, comment>> {};
// end_of_statement = sp [comment] (line end | ";" | &"}" | end of file)
struct end_of_statement : seq<sp, opt<comment>, sor<eol, one<';'>, at<one<'}'>>, eof>> {};

// ident_first = "A".."Z" | "a".."z" | "_";  ident_other = ident_first | "0".."9"
struct identifier : pegtl::identifier {};
// A keyword is a word not followed by an identifier character.
template <typename Word>
struct keyword : seq<Word, not_at<identifier_other>> {};

struct kw_network : keyword<TAO_PEGTL_STRING("network")> {};
struct kw_input : keyword<TAO_PEGTL_STRING("input")> {};
struct kw_let : keyword<TAO_PEGTL_STRING("let")> {};
struct kw_import : keyword<TAO_PEGTL_STRING("import")> {};
struct kw_repeat : keyword<TAO_PEGTL_STRING("repeat")> {};
struct kw_block : keyword<TAO_PEGTL_STRING("block")> {};
struct kw_residual : keyword<TAO_PEGTL_STRING("residual")> {};
struct kw_shortcut : keyword<TAO_PEGTL_STRING("shortcut")> {};
struct kw_concat : keyword<TAO_PEGTL_STRING("concat")> {};
struct kw_branch : keyword<TAO_PEGTL_STRING("branch")> {};
struct kw_gate : keyword<TAO_PEGTL_STRING("gate")> {};
struct kw_add : keyword<TAO_PEGTL_STRING("add")> {};
struct kw_multiply : keyword<TAO_PEGTL_STRING("multiply")> {};
struct kw_side : keyword<TAO_PEGTL_STRING("side")> {};
struct kw_frozen : keyword<TAO_PEGTL_STRING("frozen")> {};
struct kw_expect : keyword<TAO_PEGTL_STRING("expect")> {};
struct kw_as : keyword<TAO_PEGTL_STRING("as")> {};

// digits = "0".."9" { ["_"] "0".."9" }         (`_` only between digits)
struct digits : seq<digit, star<opt<one<'_'>>, digit>> {};
// exponent = ("e" | "E") ["+" | "-"] digit { digit }
struct exponent : seq<one<'e', 'E'>, opt<one<'+', '-'>>, plus<digit>> {};
// fraction = "." digit { digit }
struct fraction : seq<one<'.'>, plus<digit>> {};
// decimal = digits (fraction [exponent] | exponent)       e.g. 0.1, 1e-5, 2.5E3
struct decimal : seq<digits, sor<seq<fraction, opt<exponent>>, exponent>> {};
// integer = digits, not followed by a letter, digit or "."
struct integer : seq<digits, not_at<sor<identifier_other, one<'.'>>>> {};
// xshape = digits "x" digits { "x" digits }      e.g. 3x224x224 (no spaces)
struct xshape_dim : digits {};
struct xshape : seq<xshape_dim, plus<one<'x'>, xshape_dim>, not_at<identifier_other>> {};
// number = xshape | decimal | integer            (decided by what follows the digits)
struct number : sor<seq<at<digits, one<'x'>, digit>, must<xshape>>, decimal, integer> {};

// string = '"' { any printable character but '"' and "\" } '"'
struct string_body : star<not_one<'"', '\\', '\r', '\n'>> {};
struct string_literal : seq<one<'"'>, string_body, one<'"'>> {};

// ---- expressions -----------------------------------------------------------------------

struct expr;
// name_ref = identifier
struct name_ref : identifier {};
// paren_open = "("
struct paren_open : one<'('> {};
// parens = "(" expr { "," expr } ")"            (one element: grouping; more: a tuple)
struct parens : nested<seq<paren_open, sp, must<expr>, sp, star<one<','>, sp, must<expr>, sp>, must<one<')'>>>> {};
// primary = number | name_ref | parens
struct primary : sor<number, name_ref, parens> {};
// negation = "-" unary
struct unary;
struct negation : nested<seq<one<'-'>, sp, must<unary>>> {};
// unary = negation | primary
struct unary : sor<negation, primary> {};
// mul_op = "//" | "*" | "/"
struct mul_op : sor<two<'/'>, one<'*'>, one<'/'>> {};
// product = unary { mul_op unary }
struct product_tail : seq<mul_op, sp, must<unary>> {};
struct product : seq<unary, star<sp, product_tail>> {};
// add_op = "+" | "-"                         ("-" not followed by ">", which is an arrow)
struct add_op : sor<one<'+'>, seq<one<'-'>, not_at<one<'>'>>>> {};
// sum = product { add_op product }
struct sum_tail : seq<add_op, sp, must<product>> {};
struct sum : seq<product, star<sp, sum_tail>> {};
// expr = sum
struct expr : sum {};
// shape = expr                                (an xshape, a tuple or one expression)
struct shape : expr {};

// ---- layers ----------------------------------------------------------------------------

// flag_word = "bias" | "nobias" | "frozen" | "affine" | "noaffine" | "bidirectional" | "ceil" | "as"
// These words after a layer kind are flags, never the start of its sizes.
struct flag_word : sor<keyword<TAO_PEGTL_STRING("bias")>, keyword<TAO_PEGTL_STRING("nobias")>,
                       keyword<TAO_PEGTL_STRING("frozen")>, keyword<TAO_PEGTL_STRING("affine")>,
                       keyword<TAO_PEGTL_STRING("noaffine")>, keyword<TAO_PEGTL_STRING("bidirectional")>,
                       keyword<TAO_PEGTL_STRING("ceil")>, kw_as> {};
// dim_list = shape { "," shape }              (`permute 1,2,0`)
struct dims_in : seq<shape, star<sp, one<','>, sp, must<shape>>> {};
struct dims_out : seq<shape, star<sp, one<','>, sp, must<shape>>> {};
// arrow = "->"
struct arrow : string<'-', '>'> {};
// dims = dim_list ["->" dim_list]             (not a flag, not `key=`)
struct dims : seq<not_at<flag_word>, not_at<identifier, sp, one<'='>>, dims_in, opt<sp, arrow, sp, must<dims_out>>> {};
// item_key = identifier;  item_value = shape
struct item_key : identifier {};
struct item_value : shape {};
// item = "as" identifier | item_key ["=" item_value]       (`as NAME`, `key=value` or a flag)
struct as_name : identifier {};
struct as_item : seq<kw_as, sp, must<as_name>> {};
struct option_item : seq<item_key, opt<sp, one<'='>, sp, must<item_value>>> {};
struct item : sor<as_item, option_item> {};
// layer = identifier [dims] { item }          (the identifier is the layer kind)
struct layer_rest : seq<sp, opt<dims>, star<sp, item>> {};

// ---- block calls and definitions -------------------------------------------------------

// arg = identifier "=" expr | expr
struct arg_name : identifier {};
struct named_arg : seq<at<identifier, sp, one<'='>>, arg_name, sp, one<'='>, sp, must<expr>> {};
struct positional_arg : expr {};
struct arg : sor<named_arg, positional_arg> {};
// call_args = "(" [arg {"," arg}] ")"
struct call_args : seq<one<'('>, sp, opt<arg, sp, star<one<','>, sp, must<arg>, sp>>, must<one<')'>>> {};
// param = identifier ["=" expr]
struct param_name : identifier {};
struct param_default : expr {};
struct param : seq<param_name, sp, opt<one<'='>, sp, must<param_default>>> {};
// params = "(" [param {"," param}] ")"
struct params : seq<one<'('>, sp, opt<param, sp, star<one<','>, sp, must<param>, sp>>, must<one<')'>>> {};

// ---- statements ------------------------------------------------------------------------

struct statement;
struct branch_statement;
// statements = gap { statement gap }
struct statements : seq<gap, star<statement, gap>> {};
// body = "{" statements "}"
struct body_open : one<'{'> {};
struct body_close : one<'}'> {};
struct body : nested<seq<body_open, statements, must<body_close>>> {};
// branches = "{" gap { branch_statement gap } "}"
struct branches : nested<seq<body_open, gap, star<branch_statement, gap>, must<body_close>>> {};

struct network_name : identifier {};
// network_statement = "network" identifier
struct network_statement : seq<kw_network, sp, must<network_name>> {};
// input_statement = "input" shape
struct input_statement : seq<kw_input, sp, must<shape>> {};
// let_statement = "let" identifier "=" expr
struct let_name : identifier {};
struct let_statement : seq<kw_let, sp, must<let_name>, sp, must<one<'='>>, sp, must<expr>> {};
// import_statement = "import" string
struct import_statement : seq<kw_import, sp, must<string_literal>> {};
// repeat_statement = "repeat" expr ["as" identifier] body
struct repeat_index : identifier {};
struct repeat_count : expr {};
struct repeat_statement : seq<kw_repeat, sp, must<repeat_count>, sp, opt<kw_as, sp, must<repeat_index>, sp>, must<body>> {};
// block_statement = "block" identifier params body
struct block_name : identifier {};
struct block_statement : seq<kw_block, sp, must<block_name>, sp, must<params>, sp, must<body>> {};
// residual_statement = "residual" body [line_gap "shortcut" body]
struct shortcut_keyword : kw_shortcut {};
struct residual_statement : seq<kw_residual, sp, must<body>, opt<at<line_gap, kw_shortcut>, line_gap, shortcut_keyword, sp, must<body>>> {};
// concat_statement = "concat" { item } branches
struct concat_statement : seq<kw_concat, sp, star<option_item, sp>, must<branches>> {};
// add_statement = "add" branches;  multiply_statement = "multiply" branches
struct add_statement : seq<kw_add, sp, must<branches>> {};
struct multiply_statement : seq<kw_multiply, sp, must<branches>> {};
// gate_statement = "gate" body;  frozen_statement = "frozen" body
struct gate_statement : seq<kw_gate, sp, must<body>> {};
struct frozen_statement : seq<kw_frozen, sp, must<body>> {};
// side_statement = "side" [shape] body
struct side_statement : seq<kw_side, sp, opt<shape, sp>, must<body>> {};
// expect_statement = "expect" ("params" | "trainable" | "shape") "=" shape
struct expect_subject : identifier {};
struct expect_statement : seq<kw_expect, sp, must<expect_subject>, sp, must<one<'='>>, sp, must<shape>> {};
// branch_statement = "branch" body              (branches may share a line: `branch { } branch { }`)
struct branch_statement : seq<kw_branch, sp, must<body>> {};
// named_statement = identifier (call_args | layer_rest)   (a block call or a layer)
struct statement_head : identifier {};
struct named_statement : seq<statement_head, sor<call_args, layer_rest>> {};
// stray_statement = "branch" | "shortcut"      (only inside concat/add/multiply, after residual)
struct stray_branch : seq<kw_branch, raise<kw_branch>> {};
struct stray_shortcut : seq<kw_shortcut, raise<kw_shortcut>> {};
// keyword_statement = network | input | let | import | repeat | block | residual | concat
//                   | add | multiply | gate | frozen | side | expect | stray_statement
struct keyword_statement : sor<network_statement, input_statement, let_statement, import_statement, repeat_statement,
                               block_statement, residual_statement, concat_statement, add_statement,
                               multiply_statement, gate_statement, frozen_statement, side_statement,
                               expect_statement, stray_branch, stray_shortcut> {};
// statement = (keyword_statement | named_statement) end_of_statement
struct statement_content : sor<keyword_statement, named_statement> {};
struct statement : seq<statement_content, must<end_of_statement>> {};

// file = statements end of file
struct file : seq<statements, must<eof>> {};

}  // namespace nnspec::grammar
