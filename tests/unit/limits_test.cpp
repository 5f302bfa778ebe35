// The limits of docs/limits.md, and the fuzzing findings that led to some of them: each is
// an error with a code and a position, and costs no more than the text it is given.
#include <chrono>

#include "flatten.hpp"
#include "structure.hpp"
#include "helpers.hpp"

using nnspec::test::compile;
using nnspec::test::count;
using nnspec::test::first_code;

namespace {

std::string repeated(const std::string& unit, size_t n) {
    std::string out;
    out.reserve(unit.size() * n);
    for (size_t i = 0; i < n; ++i) out += unit;
    return out;
}

std::string chain(const char* op, size_t operators) {
    std::string out = "1";
    for (size_t i = 0; i < operators; ++i) out += std::string(op) + "1";
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(limits)

BOOST_AUTO_TEST_CASE(operators_nest_like_parentheses) {
    // a chain of a million `+` once crashed every pass after the parser (stack overflow)
    BOOST_TEST(first_code("let _a = " + chain("+", 150) + "\n") == "none");
    BOOST_TEST(first_code("let a = " + chain("+", 1'000'000) + "\n") == "E0003");
    BOOST_TEST(first_code("dense 4 -> " + chain("*", 1'000'000) + "\n") == "E0003");
    BOOST_TEST(first_code("let a = " + repeated("-", 1'000'000) + "1\n") == "E0003");
    BOOST_TEST(first_code("let a = " + repeated("(", 1'000'000) + "\n") == "E0003");
    const auto r = compile("let a = " + chain("+", 1000) + "\n");
    BOOST_TEST(r.rendered.find("test.nn:1:409: error[E0003]") != std::string::npos, r.rendered);
}

BOOST_AUTO_TEST_CASE(nesting_counts_through_block_calls) {
    // bodies 150 deep in each of 63 nested calls once exhausted the stack
    std::string text;
    for (int i = 0; i < 63; ++i) {
        text += "block b" + std::to_string(i) + "() { " + repeated("residual { ", 150) + "b" + std::to_string(i + 1) + "()" +
                repeated(" }", 150) + " }\n";
    }
    text += "block b63() { dense 1 -> 1 }\nb0()\n";
    BOOST_TEST(first_code(text) == "E0003");
    BOOST_TEST(count("input 4\n" + repeated("residual { ", 190) + "dense 4 -> 4" + repeated(" }", 190) + "\n") == 20u);
}

BOOST_AUTO_TEST_CASE(json_nesting_strings_and_numbers) {
    BOOST_TEST(first_code(repeated("[", 1'000'000), "t.json") == "E0003");
    BOOST_TEST(first_code(repeated("{\"a\":", 1'000'000), "t.json") == "E0003");
    BOOST_TEST(first_code("[{\"type\": \"" + std::string(5000, 's') + "\"}]", "t.json") == "E0005");
    BOOST_TEST(first_code("[{\"" + std::string(5000, 'k') + "\": 1}]", "t.json") == "E0005");
    BOOST_TEST(first_code("[{\"type\": \"dense\", \"input_size\": " + std::string(5000, '9') + ", \"output_size\": 1}]", "t.json") ==
               "E0005");
    BOOST_TEST(first_code("import \"" + std::string(5000, 'p') + "\"\n") == "E0005");
    BOOST_TEST(first_code(std::string(300, 'a') + "\n") == "E0005");
}

BOOST_AUTO_TEST_CASE(counts_at_two_to_the_64) {
    // (2^32 + 1)(2^32 - 1) = 2^64 - 1: the largest count there is, then one more
    BOOST_TEST(count("embedding 4294967297 -> 4294967295\nexpect params = 18446744073709551615\n") == UINT64_MAX);
    BOOST_TEST(first_code("embedding 4294967297 -> 4294967295\nembedding 1 -> 1\n") == "E0301");
    BOOST_TEST(count("embedding 9223372036854775807 -> 2\nembedding 1 -> 1\n") == UINT64_MAX);
    BOOST_TEST(first_code("repeat 18446744073709551615 { prelu }\nexpect params = 18446744073709551615\n") == "none");
    BOOST_TEST(first_code("repeat 18446744073709551615 { prelu }\nprelu\n") == "E0301");
}

BOOST_AUTO_TEST_CASE(shapes_have_at_most_64_dims) {
    // a repeat of a layer that adds a dim once grew one shape per iteration until memory ran out
    BOOST_TEST(first_code("repeat 18446744073709551615 { embedding 1 -> 1 }\n") == "E0402");
    BOOST_TEST(first_code("input 2\nrepeat 63 { embedding 2 -> 2 }\n") == "none");
    BOOST_TEST(first_code("input 2\nrepeat 64 { embedding 2 -> 2 }\n") == "E0402");
    std::string input = "input 1";
    for (int i = 1; i < 64; ++i) input += "x1";
    BOOST_TEST(first_code(input + "\n") == "none");
    BOOST_TEST(first_code(input + "x1\n") == "E0402");
}

BOOST_AUTO_TEST_CASE(evaluations_are_bounded_and_configurable) {
    // a shape that never settles is evaluated once per iteration, up to the budget
    const std::string growing = "input 5x5\nrepeat 1000000000 { convtranspose1d 5 -> 5 kernel=2 }\n";
    BOOST_TEST(first_code(growing) == "E0303");
    nnspec::CompileOptions few;
    few.evaluate.max_evaluations = 10;
    nnspec::Compiler compiler(few);
    const std::string text = "repeat 1000 as i { dense i + 1 -> i + 2 }\n";
    compiler.compile_text("t.nn", text);
    BOOST_TEST(compiler.diagnostics().errors() == 1u);
    BOOST_TEST(nnspec::render_all(compiler.diagnostics(), compiler.sources(), {}).find(
                   "after " + std::to_string(10 + text.size()) + " distinct") != std::string::npos);
    nnspec::CompileOptions unbounded;
    unbounded.evaluate.max_evaluations = UINT64_MAX;  // saturates, never wraps to a small limit
    nnspec::Compiler all(unbounded);
    all.compile_text("t.nn", text);
    BOOST_TEST(!all.diagnostics().has_errors());
}

BOOST_AUTO_TEST_CASE(sizes_at_two_to_the_63_in_json) {
    const auto json = [](const std::string& n) {
        return "[{\"type\": \"embedding\", \"num_embeddings\": " + n + ", \"embedding_dim\": 1}]";
    };
    BOOST_TEST(count(json("9223372036854775807"), "t.json") == 9223372036854775807ull);
    BOOST_TEST(first_code(json("9223372036854775808"), "t.json") == "E0201");
    BOOST_TEST(first_code(json("18446744073709551615"), "t.json") == "E0201");
    BOOST_TEST(first_code(json("18446744073709551616"), "t.json") == "E0201");
    BOOST_TEST(first_code(json("-9223372036854775808"), "t.json") == "E0204");
}

BOOST_AUTO_TEST_CASE(byte_order_mark_is_skipped) {
    BOOST_TEST(count("\xEF\xBB\xBF" "dense 4 -> 2\n") == 10u);
    BOOST_TEST(count("\xEF\xBB\xBF[{\"type\": \"dense\", \"input_size\": 4, \"output_size\": 2}]", "t.json") == 10u);
    const auto r = compile("\xEF\xBB\xBF" "dense 4 ->\n");
    BOOST_TEST(r.rendered.find("test.nn:1:11:") != std::string::npos, r.rendered);  // columns start after it
    BOOST_TEST(first_code("dense 4 -> 2\n\xEF\xBB\xBF" "dense 2 -> 1\n") == "E0002");  // only at the start
}

BOOST_AUTO_TEST_CASE(diagnostics_are_capped_and_counted) {
    nnspec::Compiler compiler;
    compiler.compile_text("t.nn", repeated("dens\n", 150));
    const auto& d = compiler.diagnostics();
    BOOST_TEST(d.errors() == 150u);
    BOOST_TEST(d.all().size() == nnspec::Diagnostics::default_limit);
    BOOST_TEST(d.dropped() == 50u);
    const std::string text = nnspec::render_all(d, compiler.sources(), {});
    BOOST_TEST(text.find("50 more diagnostics not shown") != std::string::npos);
    BOOST_TEST(text.find("did you mean") != std::string::npos);  // the shown ones keep their suggestions

    nnspec::CompileOptions all;
    all.max_diagnostics = 0;
    nnspec::Compiler unlimited(all);
    unlimited.compile_text("t.nn", repeated("dens\n", 150));
    BOOST_TEST(unlimited.diagnostics().all().size() == 150u);
}

BOOST_AUTO_TEST_CASE(errors_on_a_10_mb_line_stay_cheap) {
    // 870,000 unknown kinds on one line: once quadratic (each caret line decoded the whole
    // line; each suggestion allocated a table), now a second or two
    const auto start = std::chrono::steady_clock::now();
    nnspec::Compiler compiler;
    compiler.compile_text("t.nn", repeated("nosuchkind; ", 10'000'000 / 12) + "\n");
    const std::string text = nnspec::render_all(compiler.diagnostics(), compiler.sources(), {});
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST(compiler.diagnostics().errors() == 10'000'000u / 12);
    BOOST_TEST(text.size() < 100'000u);
    BOOST_TEST(seconds < 30.0);
    const size_t last = text.rfind("t.nn:1:");
    BOOST_TEST(text.substr(last, 12) == "t.nn:1:1189:");  // the 100th, counted on from the 99th
}

BOOST_AUTO_TEST_CASE(flattening_skips_what_has_no_layers) {
    // `repeat 10^9 { repeat 10^9 { } }` once walked 10^18 empty iterations in `nnspec json`
    const auto r = compile("repeat 1000000000 { repeat 1000000000 { } }\ndense 4 -> 2\n");
    BOOST_TEST(!r.has_errors);
    BOOST_TEST(nnspec::flat_layer_count(*r.network.root).value() == 1u);
    BOOST_TEST(nnspec::emit_json(r.network) == "[\n  {\"type\": \"dense\", \"input_size\": 4, \"output_size\": 2, \"use_bias\": true}\n]\n");
    const auto big = compile("repeat 1000000000 { repeat 1000000000 { dense 1 -> 1 } }\n");
    BOOST_TEST(nnspec::flat_layer_count(*big.network.root).value() == 1'000'000'000'000'000'000ull);
}

BOOST_AUTO_TEST_CASE(the_structure_skips_what_is_empty_and_counts_what_is_not) {
    // fuzzing found `repeat 10^12 { residual { } }` and repeats of nothing taking forever in
    // the structured JSON and `.nn` writers, which did not skip empty subtrees and were
    // gated by the layer count (0) rather than by the size of what they write
    const auto empty = compile("input 4\nrepeat 1000000000000 { repeat 1000000 { } }\ndense 4 -> 2\n");
    BOOST_TEST(!empty.has_errors);
    BOOST_TEST(nnspec::structure_size(*empty.network.root).value() == 1u);
    BOOST_TEST(nnspec::structure_of(*empty.network.root).size() == 1u);
    BOOST_TEST(nnspec::emit_nn(empty.network) == "input 4\ndense 4 -> 2\n");

    const auto residuals = compile("input 4\nrepeat 1000000000000 { residual { } }\n");
    BOOST_TEST(!residuals.has_errors);
    BOOST_TEST(nnspec::flat_layer_count(*residuals.network.root).value() == 0u);
    BOOST_TEST(nnspec::structure_size(*residuals.network.root).value() == 1'000'000'000'000ull);

    const auto nested = compile("input 4\nrepeat 3 { residual { dense 4 -> 4; residual { relu } } }\nconcat { branch { relu } branch { relu } }\n");
    BOOST_TEST(!nested.has_errors);
    BOOST_TEST(nnspec::structure_size(*nested.network.root).value() == 3u * 4u + 3u);
    BOOST_TEST(nnspec::structure_of(*nested.network.root).size() == 4u);
}

BOOST_AUTO_TEST_SUITE_END()
