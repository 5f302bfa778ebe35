// The grammars have no problems PEGTL's analyzer can find (no rule that can loop without
// consuming input, no left recursion).
#include <tao/pegtl/contrib/analyze.hpp>

#include "../../grammar/json.hpp"
#include "../../grammar/nnspec.hpp"
#include "helpers.hpp"

BOOST_AUTO_TEST_SUITE(grammar)

BOOST_AUTO_TEST_CASE(nn_grammar_has_no_problems) {
    BOOST_TEST(tao::pegtl::analyze<nnspec::grammar::file>(-1) == 0u);
}

BOOST_AUTO_TEST_CASE(json_grammar_has_no_problems) {
    BOOST_TEST(tao::pegtl::analyze<nnspec::grammar::json::text>(-1) == 0u);
}

BOOST_AUTO_TEST_CASE(statements_end_at_newline_or_semicolon) {
    using nnspec::test::count;
    BOOST_TEST(count("dense 4 -> 2; dense 2 -> 1\n") == 10u + 3u);
    BOOST_TEST(count("\n\n  dense 4 -> 2   # a comment\n\n\n dense 2 -> 1\n") == 13u);
    BOOST_TEST(count("dense 4 -> 2") == 10u);  // no final newline
    BOOST_TEST(count("dense 4 -> 2\r\ndense 2 -> 1\r\n") == 13u);  // CRLF
}

BOOST_AUTO_TEST_CASE(comments_are_kept_with_their_statements) {
    nnspec::Compiler compiler;
    const auto unit = compiler.compile_text("c.nn", "# leading\ndense 4 -> 2  # trailing\n# before the second\ndense 2 -> 1\n");
    const auto& statements = unit.program.statements;
    BOOST_REQUIRE(statements.size() == 2u);
    BOOST_TEST(statements[0].leading_comments.size() == 1u);
    BOOST_TEST(statements[0].trailing_comment == 1);
    BOOST_TEST(statements[1].leading_comments.size() == 1u);
}

BOOST_AUTO_TEST_CASE(arrow_needs_no_spaces) {
    BOOST_TEST(nnspec::test::count("dense 784->128 bias\n") == 100480u);
    BOOST_TEST(nnspec::test::count("let d = 4\ndense d->d-1\n") == 15u);
}

BOOST_AUTO_TEST_SUITE_END()
