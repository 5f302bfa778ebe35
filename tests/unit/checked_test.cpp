// Checked arithmetic at its boundaries: 2^63 and 2^64-1 are fine, one more is an error.
#include "checked.hpp"
#include "helpers.hpp"

using nnspec::test::first_code;

BOOST_AUTO_TEST_SUITE(checked_arithmetic)

BOOST_AUTO_TEST_CASE(count_overflow_is_sticky) {
    using nnspec::Count;
    const Count max = UINT64_MAX;
    BOOST_TEST(!(max + Count(0)).overflow());
    BOOST_TEST((max + Count(1)).overflow());
    BOOST_TEST((Count(1ull << 32) * Count(1ull << 32)).overflow());
    BOOST_TEST(!(Count(1ull << 32) * Count((1ull << 32) - 1)).overflow());
    BOOST_TEST(((max + Count(1)) - Count(5)).overflow());
    BOOST_TEST((Count(0) - Count(1)).overflow());
}

BOOST_AUTO_TEST_CASE(expression_values_fit_in_64_bits) {
    BOOST_TEST(nnspec::int_add(nnspec::int_limit, 0).has_value());
    BOOST_TEST(!nnspec::int_add(nnspec::int_limit, 1).has_value());
    BOOST_TEST(!nnspec::int_mul(nnspec::int_limit, 2).has_value());
    BOOST_TEST(nnspec::to_string(nnspec::int_limit) == "18446744073709551615");
    BOOST_TEST(nnspec::to_string(-nnspec::int_limit) == "-18446744073709551615");
}

BOOST_AUTO_TEST_CASE(literals_at_the_boundary) {
    BOOST_TEST(first_code("let a = 18446744073709551615\nexpect params = a - a\n") == "none");
    BOOST_TEST(first_code("let a = 18446744073709551616\n") == "E0201");
    BOOST_TEST(first_code("let a = 9223372036854775808 * 2\n") == "E0201");
    BOOST_TEST(first_code("let a = 9223372036854775808 * 2 - 1\n") == "E0201");  // the product already overflows
    BOOST_TEST(first_code("let a = 9223372036854775807 * 2 + 1\nexpect params = a - a\n") == "none");  // 2^64-1 exactly
}

BOOST_AUTO_TEST_CASE(sizes_past_2_63_are_errors) {
    BOOST_TEST(first_code("dense 9223372036854775808 -> 1\n") == "E0201");
    BOOST_TEST(first_code("embedding 9223372036854775807 -> 3\n") == "E0301");  // the count overflows
    BOOST_TEST(nnspec::test::count("embedding 9223372036854775807 -> 1\n") == 9223372036854775807ull);
}

BOOST_AUTO_TEST_CASE(total_overflow_is_an_error) {
    BOOST_TEST(first_code("embedding 4294967296 -> 4294967295\nembedding 4294967296 -> 4294967295\n") == "E0301");
}

BOOST_AUTO_TEST_SUITE_END()
