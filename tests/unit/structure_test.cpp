// Every structural construct: its count, its shape, and its errors. Counts are worked out
// by hand from the layer formulas (dense IN -> OUT: IN*OUT + OUT).
#include <algorithm>

#include "helpers.hpp"

using nnspec::test::compile;
using nnspec::test::count;
using nnspec::test::first_code;

namespace {
std::string out_shape(const std::string& text) { return nnspec::to_string(compile(text).network.root->out); }
size_t error_count(const std::string& text) {
    const auto codes = compile(text).codes;
    return static_cast<size_t>(std::count_if(codes.begin(), codes.end(), [](const std::string& c) { return c.front() == 'E'; }));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(structure)

BOOST_AUTO_TEST_CASE(repeat_multiplies_its_body) {
    BOOST_TEST(count("repeat 3 { dense 8 -> 8 }\n") == 3u * 72u);
    BOOST_TEST(count("dense 4 -> 8\nrepeat 0 { dense 8 -> 8 }\n") == 40u);  // zero repetitions are allowed
    BOOST_TEST(count("repeat 2 { repeat 3 { dense 8 -> 8 } }\n") == 6u * 72u);
    BOOST_TEST(first_code("repeat 0 - 1 { dense 8 -> 8 }\n") == "E0204");
}

BOOST_AUTO_TEST_CASE(repeat_index_is_evaluated_per_iteration) {
    // dense 1 -> 2, 2 -> 3, 3 -> 4: 4 + 9 + 16
    BOOST_TEST(count("repeat 3 as i { dense i + 1 -> i + 2 }\n") == 29u);
}

BOOST_AUTO_TEST_CASE(a_billion_layer_repeat_counts_at_once) {
    // evaluated once per distinct input shape: one body, multiplied
    BOOST_TEST(count("input 4096\nrepeat 1_000_000_000 { dense 4096 -> 4096 }\n") == 1'000'000'000ull * 16'781'312ull);
    BOOST_TEST(first_code("input 4096\nrepeat 10_000_000_000_000 { dense 4096 -> 4096 }\n") == "E0301");
}

BOOST_AUTO_TEST_CASE(repeat_with_cycling_shapes) {
    // permute 1,0 swaps the two dims each time: two distinct shapes alternate
    BOOST_TEST(out_shape("input 3x5\nrepeat 1_000_001 { permute 1,0 }\n") == "5x3");
    BOOST_TEST(out_shape("input 3x5\nrepeat 1_000_000 { permute 1,0 }\n") == "3x5");
}

BOOST_AUTO_TEST_CASE(blocks_with_defaults_and_named_arguments) {
    const std::string block = "block mlp(d, h=4) { dense d -> h*d; dense h*d -> d }\n";
    BOOST_TEST(count(block + "mlp(8)\n") == (8u * 32u + 32u) + (32u * 8u + 8u));
    BOOST_TEST(count(block + "mlp(8, h=1)\n") == 2u * 72u);
    BOOST_TEST(count(block + "mlp(h=1, d=8)\n") == 2u * 72u);
    BOOST_TEST(first_code(block + "mlp()\n") == "E0108");           // missing argument
    BOOST_TEST(first_code(block + "mlp(8, 1, 2)\n") == "E0108");    // too many
    BOOST_TEST(first_code(block + "mlp(8, w=2)\n") == "E0108");     // unknown name
    BOOST_TEST(first_code(block + "mlp(8, d=2)\n") == "E0108");     // given twice
    BOOST_TEST(first_code("mpl(8)\n" + block) == "E0101");          // undefined block
}

BOOST_AUTO_TEST_CASE(blocks_may_call_each_other_in_any_order_but_not_recursively) {
    BOOST_TEST(count("block a(d) { b(d); b(d) }\nblock b(d) { dense d -> d }\na(4)\n") == 40u);
    BOOST_TEST(first_code("block a(d) { b(d) }\nblock b(d) { a(d) }\na(4)\n") == "E0109");
    BOOST_TEST(first_code("block a(d) { a(d) }\na(4)\n") == "E0109");
}

BOOST_AUTO_TEST_CASE(block_lets_and_expects) {
    BOOST_TEST(count("block b(d) { let w = 2*d; dense d -> w; expect params = 2*d*d + 2*d }\nb(3)\n") == 24u);
    BOOST_TEST(first_code("block b(d) { dense d -> d; expect params = 1 }\nb(3)\n") == "E0302");
}

// What a block's body draws depends on the call's arguments, so each report from a body
// points at the call too: through nested calls at the two innermost and the outermost.
BOOST_AUTO_TEST_CASE(reports_from_a_block_body_point_at_the_call) {
    const auto calls = [](const std::string& rendered) {
        size_t n = 0;
        for (size_t at = rendered.find("in this call"); at != std::string::npos; at = rendered.find("in this call", at + 1)) ++n;
        return n;
    };
    const std::string block = "block b(d) { dense d -> d; expect params = 12 }\n";
    const auto two = compile(block + "b(3)\nb(4)\n");
    BOOST_TEST(two.codes == (std::vector<std::string>{"W0001", "E0302"}), boost::test_tools::per_element());
    BOOST_TEST(calls(two.rendered) == 2u);  // the warning and the error, each at `b(4)`
    BOOST_TEST(two.rendered.find(" 2 | b(3)") == std::string::npos);  // its count holds
    BOOST_TEST(two.rendered.find(" 3 | b(4)") != std::string::npos);

    const std::string chain = "block a(d) { c(d) }\nblock c(d) { e(d) }\nblock e(d) { f(d) }\nblock f(d) { b(d) }\n";
    const auto deep = compile(block + chain + "a(4)\n");  // a -> c -> e -> f -> b
    BOOST_TEST(deep.codes == (std::vector<std::string>{"E0302"}), boost::test_tools::per_element());
    BOOST_TEST(calls(deep.rendered) == 3u);
    BOOST_TEST(deep.rendered.find("the calls between these are left out") != std::string::npos);
    BOOST_TEST(deep.rendered.find(" 6 | a(4)") != std::string::npos);  // the outermost

    BOOST_TEST(calls(compile("block a(d) { b(d) }\nblock b(d) { a(d) }\na(4)\n").rendered) == 0u);  // the note lists them
    BOOST_TEST(calls(compile(block + "b(1 / 0)\n").rendered) == 0u);  // drawn by the call itself, not its body
}

// An `expect params|trainable` checks the network or block around it from any body inside
// it, as it does where it stands at the top: a body that repeats it checks it each time.
BOOST_AUTO_TEST_CASE(expects_inside_bodies_check_the_enclosing_scope) {
    BOOST_TEST(first_code("dense 2 -> 2\nrepeat 3 { dense 2 -> 2; expect params = 24 }\n") == "none");
    BOOST_TEST(first_code("dense 2 -> 2\nrepeat 3 { dense 2 -> 2; expect params = 6 }\n") == "E0302");
    BOOST_TEST(first_code("repeat 3 as i { dense 2 -> 2; expect params = 6 * (i + 1) }\n") == "E0302");
    BOOST_TEST(first_code("dense 2 -> 2\nfrozen { dense 2 -> 2; expect trainable = 6 }\n") == "none");
    BOOST_TEST(first_code("dense 2 -> 2\nfrozen { dense 2 -> 2; expect trainable = 12 }\n") == "E0302");
    BOOST_TEST(first_code("input 2\nresidual { dense 2 -> 2; expect params = 12 } shortcut { dense 2 -> 2; expect params = 12 }\n") == "none");
    BOOST_TEST(first_code("input 2\nresidual { dense 2 -> 2 } shortcut { expect params = 6 }\n") == "none");
    BOOST_TEST(first_code("input 2\nresidual { dense 2 -> 2 } shortcut { expect params = 7 }\n") == "E0302");
    BOOST_TEST(first_code("input 2\nadd { branch { dense 2 -> 2 } branch { expect params = 5 } }\n") == "E0302");
    BOOST_TEST(first_code("input 2\ngate { dense 2 -> 2; expect trainable = 5 }\n") == "E0302");
    BOOST_TEST(first_code("input 2\nside 3 { dense 3 -> 3; expect params = 11 }\n") == "E0302");
    BOOST_TEST(first_code("block b(d) { repeat 2 { dense d -> d; expect params = 2 * (d*d + d) } }\nb(3)\nb(3)\n") == "none");
    BOOST_TEST(first_code("block b(d) { repeat 2 { dense d -> d; expect params = d*d + d } }\nb(3)\n") == "E0302");
    BOOST_TEST(first_code("repeat 0 { expect params = 1 }\n") == "none");  // a body never evaluated
}

// An `expect` evaluated many times, with one value or many, is reported once.
BOOST_AUTO_TEST_CASE(an_expect_in_a_repeat_is_reported_once) {
    BOOST_TEST(error_count("repeat 5 { dense 2 -> 2; expect params = 1 }\n") == 1u);
    BOOST_TEST(error_count("repeat 5 as i { dense 2 -> 2 + i; dense 2 + i -> 2; expect params = i }\n") == 1u);
    BOOST_TEST(error_count("repeat 5 { expect params = 1; expect trainable = 1 }\ndense 1 -> 1\n") == 2u);
}

BOOST_AUTO_TEST_CASE(residual_and_shortcut) {
    BOOST_TEST(count("input 8\nresidual { dense 8 -> 8 }\n") == 72u);
    BOOST_TEST(count("input 8\nresidual { dense 8 -> 16 } shortcut { dense 8 -> 16 nobias }\n") == 144u + 128u);
    BOOST_TEST(count("input 8\nresidual { dense 8 -> 16 }\nshortcut { dense 8 -> 16 nobias }\n") == 272u);  // next line
    BOOST_TEST(first_code("input 8\nresidual { dense 8 -> 16 }\n") == "E0401");
    BOOST_TEST(out_shape("input 8\nresidual { dense 8 -> 16 } shortcut { dense 8 -> 16 }\n") == "16");
}

BOOST_AUTO_TEST_CASE(concat_add_multiply) {
    BOOST_TEST(out_shape("input 4x6x6\nconcat { branch { conv2d 4 -> 2 kernel=1 } branch { } }\n") == "6x6x6");
    BOOST_TEST(out_shape("input 4x6x6\nconcat dim=-1 { branch { } branch { } }\n") == "4x6x12");
    BOOST_TEST(out_shape("input 8\nconcat dim=0 { branch { dense 8 -> 3 } branch { dense 8 -> 5 } }\n") == "8");
    BOOST_TEST(first_code("input 4x6x6\nconcat dim=1 { branch { conv2d 4 -> 2 kernel=1 } branch { } }\n") == "E0401");
    BOOST_TEST(count("input 8\nadd { branch { dense 8 -> 4 } branch { dense 8 -> 4 nobias } }\n") == 36u + 32u);
    BOOST_TEST(count("input 8\nmultiply { branch { dense 8 -> 4 nobias; silu } branch { dense 8 -> 4 nobias } }\ndense 4 -> 8 nobias\n") == 96u);
    BOOST_TEST(first_code("input 8\nadd { branch { dense 8 -> 4 } branch { dense 8 -> 3 } }\n") == "E0401");
}

BOOST_AUTO_TEST_CASE(gate_broadcasts_to_its_input) {
    BOOST_TEST(out_shape("input 16x7x7\ngate { adaptiveavgpool 1; conv2d 16 -> 16 kernel=1; sigmoid }\n") == "16x7x7");
    BOOST_TEST(count("input 16x7x7\ngate { param (16, 1, 1) }\n") == 16u);
    BOOST_TEST(first_code("input 16x7x7\ngate { param (3, 1, 1) }\n") == "E0401");
}

BOOST_AUTO_TEST_CASE(side_paths_count_but_leave_the_data_alone) {
    BOOST_TEST(count("input 10x8\nside 10 { embedding 2 -> 8 }\ndense 8 -> 8\n") == 16u + 72u);
    BOOST_TEST(out_shape("input 10x8\nside 10 { embedding 2 -> 8 }\n") == "10x8");
}

BOOST_AUTO_TEST_CASE(frozen_blocks_and_flags) {
    const auto r = compile("dense 4 -> 4 frozen\nfrozen { dense 4 -> 4 }\ndense 4 -> 4\n");
    BOOST_TEST(r.params == 60u);
    BOOST_TEST(r.trainable == 20u);
    BOOST_TEST(first_code("dense 4 -> 4 frozen\nexpect trainable = 20\n") == "E0302");
}

BOOST_AUTO_TEST_CASE(tie_counts_a_shared_weight_once) {
    // embedding 10x4 = 40; dense 4 -> 10 nobias shares it: 0 more
    BOOST_TEST(count("embedding 10 -> 4 as wte\ndense 4 -> 10 nobias tie=wte\n") == 40u);
    BOOST_TEST(count("embedding 10 -> 4 as wte\ndense 4 -> 10 tie=wte\n") == 50u);  // its bias is its own
    BOOST_TEST(first_code("embedding 10 -> 4 as wte\ndense 4 -> 9 tie=wte\n") == "E0403");
    BOOST_TEST(first_code("dense 4 -> 10 tie=nothing\n") == "E0403");
}

BOOST_AUTO_TEST_CASE(expect_shape) {
    BOOST_TEST(first_code("input 3x32x32\nconv2d 16 kernel=3\nexpect shape = 16x30x30\n") == "none");
    BOOST_TEST(first_code("input 3x32x32\nconv2d 16 kernel=3\nexpect shape = 16x32x32\n") == "E0302");
}

BOOST_AUTO_TEST_CASE(input_makes_shapes_errors) {
    BOOST_TEST(first_code("dense 784 -> 128\ndense 100 -> 10\n") == "W0001");
    BOOST_TEST(first_code("input 784\ndense 784 -> 128\ndense 100 -> 10\n") == "E0401");
    BOOST_TEST(count("input 784\ndense 128\ndense 10\n") == 100480u + 1290u);  // sizes from the shape
}

BOOST_AUTO_TEST_SUITE_END()
