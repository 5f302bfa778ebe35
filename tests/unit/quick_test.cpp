// The quick counter against the reference pipeline: wherever it answers, the reference
// must report nothing at all and count the same. Each case also says whether the quick
// counter is expected to answer, so that a change which quietly hands everything to the
// reference (always correct, never quick) fails here too.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers.hpp"
#include "quick.hpp"

namespace {

struct Reference {
    uint64_t params, trainable;
    size_t diagnostics;
    std::string rendered;
};

Reference reference(const std::string& name, const std::string& text) {
    nnspec::CompileOptions options;
    options.streaming = true;
    options.quick = false;
    nnspec::Compiler compiler(options);
    const auto unit = compiler.compile_text(name, text);
    return {unit.network.params.value(), unit.network.trainable.value(), compiler.diagnostics().all().size(),
            nnspec::render_all(compiler.diagnostics(), compiler.sources(), nnspec::RenderOptions{})};
}

std::optional<nnspec::QuickCount> quick_answer(const std::string& name, const std::string& text, size_t min_piece = nnspec::quick_min_piece) {
    if (nnspec::looks_like_json(name, text)) return nnspec::quick_count_json(text, {}, 4, min_piece);
    return nnspec::quick_count_nn(text, {}, {});
}

// Checks the two agree; returns whether the quick counter answered.
bool agrees(const std::string& name, const std::string& text, size_t min_piece = nnspec::quick_min_piece) {
    const auto q = quick_answer(name, text, min_piece);
    if (!q) return false;
    const Reference r = reference(name, text);
    BOOST_TEST_INFO(name << ":\n" << text.substr(0, 400) << "\nreference says:\n" << r.rendered);
    BOOST_TEST(r.diagnostics == 0u);
    BOOST_TEST(q->params.value() == r.params);
    BOOST_TEST(q->trainable.value() == r.trainable);
    return true;
}

// A `.nn` text read by two threads, split however small it is, must count as it does read
// by one: with the threads as they come, and with the second reading every chunk of the
// first one's part that it can before the first starts.
void halves_agree(const std::string& text) {
    const auto one = nnspec::quick_count_nn(text, {}, {}, 1);
    for (const bool head_waits : {false, true}) {
        const auto two = nnspec::quick_count_nn(text, {}, {}, 2, 1, head_waits);
        BOOST_TEST_INFO(text.substr(0, 400) << (head_waits ? "\n(the first thread waits)" : ""));
        BOOST_TEST(one.has_value() == two.has_value());
        if (one && two) {
            BOOST_TEST(one->params.value() == two->params.value());
            BOOST_TEST(one->trainable.value() == two->trainable.value());
            BOOST_TEST(one->out.dims == two->out.dims);
        }
    }
}

// A block's calls run through the plan made of its body (quick_plan.hpp) where one could be
// made; every text must get the same answer with plans as it does read from the text at
// every call: counted alike, or given up on alike.
void plans_agree(const std::string& text) {
    const auto planned = nnspec::quick_count_nn(text, {}, {}, 1);
    const auto read = nnspec::quick_count_nn(text, {}, {}, 1, nnspec::quick_min_split, false, false);
    BOOST_TEST_INFO(text.substr(0, 400));
    BOOST_TEST(planned.has_value() == read.has_value());
    if (planned && read) {
        BOOST_TEST(planned->params.value() == read->params.value());
        BOOST_TEST(planned->trainable.value() == read->trainable.value());
        BOOST_TEST(planned->out.dims == read->out.dims);
        BOOST_TEST(read->planned_calls == 0u);
    }
}

std::string read(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(quick_counter)

// Every spec in the repository: examples, documentation, golden and malformed inputs.
BOOST_AUTO_TEST_CASE(agrees_with_the_reference_on_every_spec_in_the_repository) {
    namespace fs = std::filesystem;
    size_t files = 0, answered = 0;
    for (const char* dir : {"examples", "docs/examples", "tests", "bench/specs"}) {
        for (const auto& entry : fs::recursive_directory_iterator(fs::path(NNSPEC_SOURCE_DIR) / dir)) {
            const auto ext = entry.path().extension();
            if (!entry.is_regular_file() || (ext != ".nn" && ext != ".json")) continue;
            ++files;
            const std::string name = entry.path().filename().string();
            const std::string text = read(entry.path());
            if (agrees(name, text)) ++answered;
            if (nnspec::looks_like_json(name, text)) {
                agrees(name, text, 64);  // cut into pieces of 64 bytes
            } else {
                halves_agree(text);
                plans_agree(text);
            }
        }
    }
    BOOST_TEST_MESSAGE("quick counter answered for " << answered << " of " << files << " specs");
    BOOST_TEST(files > 300u);
    BOOST_TEST(answered >= 25u);
}

// Texts the quick counter must answer for, each with a point where it could go wrong.
BOOST_AUTO_TEST_CASE(answers_as_the_reference_does) {
    const char* const texts[] = {
        // the task's three networks
        "dense 784 -> 128 bias\ndense 128 -> 10 bias\n",
        "conv2d 3 -> 32 kernel=3\n",
        "embedding 1000 -> 64\ndense 64 -> 10 bias\n",
        R"([{"type": "dense", "input_size": 784, "output_size": 128, "use_bias": true},
            {"type": "dense", "input_size": 128, "output_size": 10, "use_bias": true}])",
        R"([{"type":"conv2d","in_channels":3,"out_channels":32,"kernel_size":3,"use_bias":true}])",
        R"([{"type":"embedding","num_embeddings":1000,"embedding_dim":64},{"type":"dense","input_size":64,"output_size":10}])",
        R"([{"use_bias": false, "type": "conv2d", "kernel_size": [3, 5], "out_channels": 8, "in_channels": 3}])",
        // expressions: precedence, floor division of negatives, exact division, unary minus
        "let a = 7\nlet b = -a // 2 + 10\nlet c = (a + 1) / 4 * 3 - -2\ndense b -> c\n",
        "let n = 2 * 3 + 4 * 5 - 6 // 4\ndense n -> n nobias  # a comment\n",
        "let x = 1_000\ndense x -> 10; dense 10 -> x\r\n",
        // sizes from the shape, a single size, options by name
        "dense 5 -> 7\ndense 3\ndense output_size=4 use_bias=false\n",
        "conv2d 3 -> 8 kernel=3x5 nobias\nconv2d in_channels=8 out_channels=4 kernel_size=(1, 3)\n",
        "conv1d 4 -> 4 kernel=3\nconv3d 2 -> 2 kernel=(1, 2, 3) frozen\n",
        "dense 10 -> 20 frozen\nembedding 20 -> 3\n",
        // a conv kernel shrinks a known width: dense then conv
        "conv2d 3 -> 4 kernel=1\ndense 9 -> 7\nconv2d 4 -> 4 kernel=3\ndense 5 -> 2\n",
        // blocks: defaults seeing earlier parameters, named arguments, block-local lets
        "block b(n, m = n * 2) {\n  let k = m + 1\n  dense n -> k\n  dense k -> n nobias\n}\nb(4)\nb(m = 3, n = 4)\n",
        "let width = 64\nblock c(k = 3) { conv2d width -> width kernel=k }\nc()\nc(k = 1)\nexpect params = 41088\n",
        "block inner(n) { dense n -> n }\nblock outer(n) {\n  inner(n)\n  inner(n)\n  expect params = 2 * (n * n + n)\n}\nouter(8)\n",
        // an `expect` in a repeat's body checks the whole network, once per evaluation
        "dense 2 -> 2\nrepeat 3 { dense 2 -> 2; expect params = 24 }\nexpect trainable = 24\n",
        "repeat 2 as i { dense 2 -> 2 + i; dense 2 + i -> 2; expect params = 29 + 0 * i }\n",
        // repeats: index use found through a nested body, repeat 0, cycles of shapes
        "repeat 3 as i {\n  repeat 2 { dense 4 -> 4 }\n  dense 4 -> 4 + i\n  dense 4 + i -> 4\n}\n",
        "repeat 1_000_000_000 { dense 8 -> 8 }\n",
        "let n = 4\nrepeat 0 { dense n -> 3 }\ndense n -> 2\n",
        "repeat 5 { embedding 10 -> 4 }\n",
        "dense 6 -> 6\nrepeat 7 { dense 6 -> 3; dense 3 -> 6 }\n",
        "repeat 2 as i { repeat 3 as j { dense 2 -> 2 } }\n",
        // an index seen in the first iteration, in a body it did not evaluate, after local
        // lets moved it, or not at all (the iterations then cycle over shapes)
        "repeat 3 as i {\n  repeat 0 { dense 4 -> i }\n  dense 4 -> 4\n}\n",
        "repeat 2 as i {\n  let a = 1; let b = 2; let c = 3; let d = 4; let e = 5\n  dense 4 -> 4 + i + a + b + c + d + e\n  dense 4 + i + a + b + c + d + e -> 4\n}\n",
        "dense 2 -> 6\nrepeat 5 as k { dense 4 }\n",
        "repeat 1_000_000_000 as i { dense 8 -> 8 }\n",  // unused: evaluated once, not a billion times
        "block t(n) { repeat n as j { dense 3 -> 3 + j; dense 3 + j -> 3 } }\nt(2)\nt(3)\n",
        // let names on both sides of the let table's limits (7 bytes packed, 16 inline),
        // and one read as the last bytes of the text, where no eight bytes follow it
        ("let abcdefg = 3\nlet abcdefgh = 4\nlet abcdefghijklmnop = 5\nlet abcdefghijklmnopq = 6\n"
         "dense abcdefg -> abcdefgh\ndense abcdefgh -> abcdefghijklmnop\ndense abcdefghijklmnop -> abcdefghijklmnopq\n"),
        "let n = 2\nlet abcdef = 3\ndense n -> abcdef",
        "let n = 2\nlet abcdefg = 3\ndense n -> abcdefg",
        // a name that starts with `_` may stay unused; `network` comes first
        "network tiny\nlet _spare = 3\ndense 1 -> 1\n",
        "# only a comment\n",
        "dense 2 -> 3\n\n\n;;\n",
    };
    for (const char* t : texts) {
        const std::string name = t[0] == '[' ? "case.json" : "case.nn";
        BOOST_TEST_INFO(t);
        BOOST_TEST(agrees(name, t));
        if (t[0] == '[') {
            BOOST_TEST(agrees(name, t, 16));
        } else {
            halves_agree(t);
            plans_agree(t);
        }
    }
}

// Texts it must leave to the reference: each would draw a diagnostic, or holds what the
// quick counter does not handle.
BOOST_AUTO_TEST_CASE(leaves_the_rest_to_the_reference) {
    const char* const texts[] = {
        "dense 784 -> 128\ndense 64 -> 10\n",         // a size mismatch: a warning
        "let unused = 3\ndense 1 -> 1\n",              // an unused let: a warning
        "dense 3 -> 4 bias nobias\n",                  // contradicting flags
        "let a = 7 / 2\ndense a -> 1\n",               // inexact division
        "dense 1 -> 2 / 0\n",                          // division by zero
        "dense 18446744073709551616 -> 1\n",           // a literal too large
        "dense 3 -> 4\ndense x -> 1\n",                // undefined name
        "b(3)\nblock b(n) { dense n -> n }\n",         // a call before its block
        "block b(n) { b(n) }\nb(1)\n",                 // recursion
        "block b(n) { dense n -> n }\nblock b(m) { dense m -> m }\nb(2)\n",  // a block defined twice
        "input 3x32x32\nconv2d 3 -> 8 kernel=3\n",     // `input` is the reference's
        "dense 3 -> 4 as first\n",                     // named layers
        "residual { dense 4 -> 4 }\n",                 // structures
        "layernorm 64\n",                              // other kinds
        "conv2d 3 -> 8 kernel=3 stride=2\n",           // other options
        "conv2d 3 -> 8 kernel=(1, 2, 3)\n",            // a kernel of the wrong rank
        "dense 3 -> 4\nconv2d 3 -> 4 kernel=5\nrepeat 2 { dense 1 -> 1 }\ndense 9 -> 1\n",  // a mismatch further on
        "repeat 2 { let a = 1; let a = 2; dense a -> 1 }\n",  // defined twice
        "expect params = 3\ndense 1 -> 1\n",           // a failed expect
        "repeat 2 { dense 1 -> 1; expect params = 2 + 1 }\n",  // in a repeat
        "repeat 2 as i { dense 1 -> 1; expect params = 4 * i }\n",  // one iteration's value fails
        "dense 1 -> 1\nnetwork late\n",                // `network` not first
        "dense 3 -> 4 \r dense 4 -> 4\n",              // a lone carriage return
        "dense 1.5 -> 2\n",                            // a decimal as a size
        "repeat 2 { block b() { } }\n",                // a nested block
        R"([{"type": "dense", "input_size": 3, "output_size": 4, "trainable": false}])",
        R"([{"type": "dense", "input_size": 3, "output_size": 4}, {"type": "dense", "input_size": 5, "output_size": 4}])",
        R"([{"type": "dense", "input_size": 3.0, "output_size": 4}])",
        R"([{"type": "dense", "input_size": 3, "input_size": 3, "output_size": 4}])",
        R"([{"type": "dense", "output_size": 4}])",
        R"({"layers": [{"type": "dense", "input_size": 3, "output_size": 4}]})",
        R"([])",
    };
    for (const char* t : texts) {
        const std::string name = t[0] == '[' || t[0] == '{' ? "case.json" : "case.nn";
        BOOST_TEST_INFO(t);
        BOOST_TEST(!quick_answer(name, t).has_value());
        if (name == "case.nn") {
            BOOST_TEST(!nnspec::quick_count_nn(t, {}, {}, 2, 1).has_value());
            plans_agree(t);
        }
    }
}

// A list cut into pieces at every line must count as it does whole, whatever the cut.
BOOST_AUTO_TEST_CASE(json_pieces_join_at_any_line) {
    std::string text = "[\n";
    for (int i = 0; i < 200; ++i) {
        text += i == 100  ? "{\"type\": \"embedding\", \"num_embeddings\": 5, \"embedding_dim\": 6}"
                : i % 3 == 2 ? "{\"type\": \"conv2d\", \"in_channels\": 6, \"out_channels\": 6, \"kernel_size\": [1, 1]}"
                             : "{\"type\": \"dense\", \"input_size\": 6, \"output_size\": 6, \"use_bias\": " +
                                 std::string(i % 2 ? "true" : "false") + "}";
        text += i % 7 == 0 ? "\n," : ",\n";
    }
    text += "{\"type\": \"dense\", \"input_size\": 6, \"output_size\": 1}\n]\n";
    const auto whole = nnspec::quick_count_json(text, {}, 1);
    BOOST_TEST_REQUIRE(whole.has_value());
    for (size_t piece : {size_t{1}, size_t{50}, size_t{333}, size_t{1000}}) {
        const auto cut = nnspec::quick_count_json(text, {}, 8, piece);
        BOOST_TEST_INFO("pieces of " << piece);
        BOOST_TEST_REQUIRE(cut.has_value());
        BOOST_TEST(cut->params.value() == whole->params.value());
        BOOST_TEST(cut->trainable.value() == whole->trainable.value());
    }
    BOOST_TEST(agrees("pieces.json", text, 100));
}

// The two halves of a long text: lets and blocks from the first half used in the second,
// a let used only across the split, a shape that the second half starts without, and
// an `expect` over the whole.
BOOST_AUTO_TEST_CASE(two_threads_join_where_the_shapes_meet) {
    std::string text = "network halves\nlet width = 32\nlet _spare = 1\nblock pair(n, m = n + 1) {\n  dense n -> m\n  dense m -> n nobias\n}\n";
    for (int i = 0; i < 300; ++i) {
        text += "let w" + std::to_string(i) + " = width + " + std::to_string(i % 7) + "\n";
        text += "dense width -> w" + std::to_string(i) + "; dense w" + std::to_string(i) + " -> width\n";
        if (i % 10 == 0) text += "pair(width)\nrepeat 3 as k { dense width -> width + k; dense width + k -> width }\n";
        if (i % 25 == 0) text += "conv2d width -> width kernel=1  # a comment with a brace {\n";
    }
    text += "let late = w3 + w290\nembedding late -> width\n";
    const Reference r = reference("halves.nn", text);
    BOOST_TEST_REQUIRE(r.diagnostics == 0u, r.rendered);
    text += "expect params = " + std::to_string(r.params) + "\n";
    // the split falls at a fixed fraction of the text: a comment in front moves it over the statements
    for (size_t pad = 0; pad < 400; pad += 37) {
        const auto two = nnspec::quick_count_nn("#" + std::string(pad, '-') + "\n" + text, {}, {}, 2, 1);
        BOOST_TEST_INFO("padded by " << pad);
        BOOST_TEST_REQUIRE(two.has_value());
        BOOST_TEST(two->params.value() == r.params);
        BOOST_TEST(two->trainable.value() == r.trainable);
    }
    // a let of the first half that only the second half uses is used; one nobody uses is not
    BOOST_TEST(!nnspec::quick_count_nn(text + "let nobody = 1\n", {}, {}, 2, 1).has_value());
    BOOST_TEST(!nnspec::quick_count_nn("let nobody = 1\n" + text, {}, {}, 2, 1).has_value());
}

// The second thread declares the lets and blocks of the first part by passing over the
// statements that cannot be either: a let after `;`, an indented one, one after a comment
// that holds braces, must all be found; a let inside a body, and one in a comment, must not
// be taken for a top-level one.
BOOST_AUTO_TEST_CASE(the_second_thread_finds_every_top_level_let_of_the_first_part) {
    const std::string first_part =
        "dense 4 -> 4; let a = 4\n"
        "  let b = 4\n"
        "\tlet c = 4\n"
        "# a comment { with braces } and let d = 99\n"
        "dense 4 -> 4;block twice(n) {\n  let k = n\n  dense n -> k\n  dense k -> n\n}\n"
        "repeat 2 { dense 4 -> 4 }  # let e = 1\n"
        "dense 4 -> 4 ;  let f = 4\n";
    std::string filler;
    for (int i = 0; i < 200; ++i) filler += i % 9 == 0 ? "repeat 2 {\n  dense 4 -> 4\n}\n" : "dense 4 -> 4\n";
    const std::string uses = "dense a -> b\ndense c -> f\ntwice(4)\n";
    const std::string text = first_part + filler + uses;
    BOOST_TEST(agrees("declared.nn", text));
    halves_agree(text);
    const auto two = nnspec::quick_count_nn(text, {}, {}, 2, 1);
    BOOST_TEST_REQUIRE(two.has_value());
    BOOST_TEST(two->joined);  // the second thread found them all: its part counts
    // `k` is the block's own, and `d` and `e` are in comments: none is a top-level let
    for (const char* name : {"k", "d", "e"}) {
        const std::string wrong = first_part + filler + "dense 4 -> " + name + "\n" + uses;
        BOOST_TEST_INFO(name);
        BOOST_TEST(!nnspec::quick_count_nn(wrong, {}, {}, 2, 1).has_value());
        BOOST_TEST(!nnspec::quick_count_nn(wrong, {}, {}, 1).has_value());
    }
}

// A large text's let table is made for a let every few hundred bytes; one with a let every
// few bytes outgrows it many times over, on both sides of the split, and still counts.
// The second thread, done with its part, reads chunks of the first one's, back from the
// split: each sees only the lets and blocks defined before it, though its table holds the
// later ones, and the first thread meets the nearest complete one. Here the first thread
// waits, so the second reads every chunk it can, and the chunks' joins are what count.
BOOST_AUTO_TEST_CASE(the_second_thread_reads_chunks_of_the_first_part) {
    std::string filler;
    for (int i = 0; i < 40; ++i) {
        filler += "let f" + std::to_string(i) + " = 6 + " + std::to_string(i % 3) + "\n";
        filler += "dense 6 -> f" + std::to_string(i) + "; dense f" + std::to_string(i) + " -> 6\n";
        if (i % 7 == 0) filler += "repeat 2 as r { dense 6 -> 6 + r; dense 6 + r -> 6 }\nconv2d 6 -> 6 kernel=1\n";
        if (i % 3 == 0) filler += "embedding 6 -> 6\n";  // a shape as the chunks' from an unknown one: they meet here
    }
    const auto part = [&](const std::string& tag) {
        std::string p = filler;
        for (size_t at = p.find("let f"); at != std::string::npos; at = p.find("let f", at + 1)) p.insert(at + 5, tag);
        for (size_t at = p.find(" f"); at != std::string::npos; at = p.find(" f", at + 1)) {
            if (p.compare(at + 2, tag.size(), tag) != 0) p.insert(at + 2, tag);
        }
        return p;
    };
    // `pair` calls a block defined after it (and before `pair` is called)
    const std::string start =
        "network chunks\nlet six = 6\nblock pair(n) {\n  dense n -> 2*n\n  dense 2*n -> n nobias\n  one(n)\n}\n"
        "block one(n) { dense n -> n }\npair(six)\n";
    const std::string text = start + part("a") + "pair(six)\n" + part("b") + "let mid = six\ndense six -> mid\n" + part("c") +
                             "pair(mid)\n" + part("d") + part("e") + "embedding mid -> 6\n";
    BOOST_TEST(agrees("chunks.nn", text));
    halves_agree(text);
    const auto waited = nnspec::quick_count_nn(text, {}, {}, 2, 1, true);
    BOOST_TEST_REQUIRE(waited.has_value());
    BOOST_TEST(waited->joined);
    BOOST_TEST(waited->chunks > 20u);  // a 128th of the text each, from 70% back to 20%

    // Used before it is defined, in what a chunk reads: a let, a block. One thread gives up
    // at the use, and so must two, though the second's table holds them by then.
    const std::string later_let = start + part("a") + part("b") + "dense 6 -> late; dense late -> 6\n" + part("c") + "let late = 6\n" + part("d") + part("e");
    const std::string later_block = start + part("a") + part("b") + "later(6)\n" + part("c") + "block later(n) { dense n -> n }\n" + part("d") + part("e");
    // A let that nobody uses, in a chunk, and one of its own that only a chunk uses.
    const std::string unused = start + part("a") + part("b") + "let nobody = 1\n" + part("c") + part("d") + part("e");
    const std::string used = start + part("a") + part("b") + "let somebody = six\ndense 6 -> somebody\n" + part("c") + part("d") + part("e");
    // (each is clean where the misplaced statement is put right)
    BOOST_TEST(agrees("in_order.nn", start + part("a") + part("b") + "let late = 6\ndense 6 -> late; dense late -> 6\n" + part("c") + part("d") + part("e")));
    BOOST_TEST(agrees("in_order.nn", start + part("a") + part("b") + "block later(n) { dense n -> n }\nlater(6)\n" + part("c") + part("d") + part("e")));
    // the same through a block's plan: the second thread's first run finds `late` and keeps
    // it, where a chunk before its definition must not see it
    const std::string block_start = start + "block uses_late(n) { dense n -> late; dense late -> n }\n";
    const std::string later_let_in_block =
        block_start + part("a") + part("b") + "uses_late(6)\n" + part("c") + "let late = 6\n" + part("d") + "uses_late(6)\n" + part("e");
    BOOST_TEST(agrees("in_order.nn", block_start + part("a") + part("b") + "let late = 6\nuses_late(6)\n" + part("c") + part("d") + "uses_late(6)\n" + part("e")));
    // and a block that a block's plan calls, defined after the call
    const std::string calls_start = start + "block calls_later(n) { later(n) }\n";
    const std::string later_block_in_block =
        calls_start + part("a") + part("b") + "calls_later(6)\n" + part("c") + "block later(n) { dense n -> n }\n" + part("d") + "calls_later(6)\n" + part("e");
    BOOST_TEST(agrees("in_order.nn", calls_start + part("a") + part("b") + "block later(n) { dense n -> n }\ncalls_later(6)\n" + part("c") + part("d") + "calls_later(6)\n" + part("e")));
    for (const std::string* t : {&later_let, &later_block, &unused, &later_let_in_block, &later_block_in_block}) {
        BOOST_TEST(!nnspec::quick_count_nn(*t, {}, {}, 1).has_value());
        BOOST_TEST(!nnspec::quick_count_nn(*t, {}, {}, 2, 1, true).has_value());
        BOOST_TEST(!nnspec::quick_count_nn(*t, {}, {}, 2, 1).has_value());
    }
    BOOST_TEST(agrees("used.nn", used));
    halves_agree(used);
}

// Block calls through plans. Each text has a point where a plan could go wrong: a default
// that sees the parameters before it, a top-level let defined after the block (or after
// the call), a parameter that hides a let, an index hidden by an inner one or named only
// in a `repeat 0`, kernels of every form, `expect`s checked and not, arguments wrong in
// every way, locals defined twice, values that overflow or do not divide, an expression
// too deep for a plan's stack, long names, calls of blocks defined later, limits on
// evaluations and recursion. Where the reference reports nothing, the quick counter must
// answer, and where `planned` says so, through plans; everywhere it must answer as it
// does without them, and as the reference does.
BOOST_AUTO_TEST_CASE(block_calls_run_plans_as_the_text_reads) {
    struct Case {
        const char* text;
        bool answers;
        bool planned;  // some call runs through a plan
    };
    const Case cases[] = {
        {"let w = 8\nblock b(n, m = n * 2) {\n  let k = m + w\n  dense n -> k\n  dense k -> n nobias\n}\nb(4)\nb(m = 3, n = 4)\nb(n = 4)\n", true, true},
        {"block b(n) { dense n -> late; dense late -> n }\nlet late = 5\nb(3)\n", true, true},
        {"block b(n) { dense n -> late; dense late -> n }\nb(3)\nlet late = 5\n", false, true},
        {"let n = 3\nblock b(n) { let x = n + 1; dense n -> x; dense x -> n }\nb(n)\nb(n + 0)\n", true, true},
        {"block t(n) {\n  repeat 2 as i {\n    repeat 2 as i { dense n -> n + i; dense n + i -> n }\n  }\n}\nt(3)\n", true, true},
        {"block t(n) {\n  repeat 3 as i {\n    repeat 0 { dense n -> i }\n    dense n -> n\n  }\n}\nt(4)\n", true, true},
        // named only where an inner index hides it, the outer index still counts as named (as
        // the text reader's scan finds it): every iteration is evaluated, past the budget
        {"block t(n) {\n  repeat 200_000 as i {\n    repeat 1 as i { dense n -> n + i }\n  }\n}\nt(3)\n", false, true},
        {"block t(n) {\n  repeat 1_000_000 as i { dense n -> n }\n  repeat 4 { embedding n -> n }\n}\nt(4)\n", true, true},
        {"block t(n) {\n  repeat 1_000_000 as i { dense n -> n + i - i }\n}\nt(4)\n", false, true},
        {"block c(ch, k = 3) {\n  conv2d ch -> 2*ch kernel=k\n  conv2d 2*ch -> ch kernel=(k, 1) nobias\n  conv2d ch -> ch kernel=1x3 frozen\n"
         "  conv2d in_channels=ch out_channels=ch kernel_size=(1, k)\n}\nc(4)\nc(4, k = 5)\nc(k = 1, ch = 4)\n", true, true},
        {"block e(n) {\n  dense n -> n\n  expect params = n*n + n\n  expect trainable = n*n + n\n  repeat 2 { expect params = n*n + n }\n}\ne(4)\ne(4)\n", true, true},
        {"block e(n) {\n  dense n -> n\n  repeat 2 { expect params = 1 }\n}\ne(4)\ne(4)\n", false, true},
        {"block e(n) {\n  repeat 3 as i { dense n -> n; expect params = 3 * (n*n + n) + i - i }\n}\ne(4)\n", true, true},
        {"block e(n) {\n  repeat 3 as i { dense n -> n; expect params = (i + 1) * (n*n + n) }\n}\ne(4)\n", false, true},
        {"block e(n) {\n  dense n -> n\n  expect params = n*n\n}\ne(4)\n", false, true},
        {"block e(n) {\n  dense n -> n frozen\n  expect trainable = n*n + n\n}\ne(4)\n", false, true},
        {"block b(n) { dense n -> nothing }\nb(3)\n", false, true},
        {"block b(n) { dense n -> nothing }\ndense 3 -> 3\n", true, false},
        {"block b(n) { dense n -> n use_bias=false; dense input_size=n output_size=n use_bias=true }\nb(3)\nb(3)\n", true, false},
        {"block b(n) { embedding n }\ndense 2 -> 3\nb(3)\n", false, false},
        {"block a(n) { b(n) }\nblock b(n) { a(n) }\na(2)\n", false, true},
        {"block one(n) { dense n -> n }\nblock two(n) { one(n); one(n) }\nblock four(n) { two(n); two(n = n) }\nfour(3)\nfour(3)\n", true, true},
        {"block pair(n) { dense n -> 2*n; back(2*n, n) }\nblock back(a, b) { dense a -> b nobias }\npair(5)\npair(5)\n", true, true},
        {"block m(a, b) {\n  dense a -> a*b - -b // 3 + (a + b) / 2\n  dense a*b - -b // 3 + (a + b) / 2 -> a\n}\nm(4, 6)\nm(4, 2)\n", true, true},
        {"block m(a) { dense a -> a * 4_611_686_018_427_387_904 }\nm(4)\n", false, true},
        {"block m(a) { dense a -> a / 3 }\nm(4)\n", false, true},
        {"block m(a) { dense a -> a // (a - a) }\nm(4)\n", false, true},
        {"block m(a) { dense a -> a - 10 }\nm(4)\n", false, true},
        {"block m(a) { dense a -> -(a - 5); dense -(a - 5) -> a }\nm(4)\nm(4)\n", true, true},
        {"block d(a) { dense a -> a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + "
         "(a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + (a + 1))))))))))))))))))))))))))))))))) }\nd(1)\n", true, false},
        {"let a_rather_long_name = 6\nlet abcdefg = 2\nblock b(parameter_with_long_name) { dense parameter_with_long_name -> a_rather_long_name * abcdefg;"
         " dense a_rather_long_name * abcdefg -> parameter_with_long_name }\nb(3)\nb(3)\n", true, true},
        {"block b(n, m) { dense n -> m }\nb(3)\n", false, true},
        {"block b(n) { dense n -> n }\nb(3, n = 3)\n", false, false},
        {"block b(n) { dense n -> n }\nb(k = 3)\n", false, false},
        {"block b(n) { dense n -> n }\nb(3, 4)\n", false, false},
        {"block b(n) { let k = n; let k = n; dense n -> k }\nb(3)\n", false, false},
        {"block b(n) { let n = 3; dense n -> n }\nb(3)\n", false, false},
        {"block b(n) { repeat 2 { let n = 3; dense n -> n } }\nb(3)\n", true, true},
        {"block b(n) { conv2d n -> n kernel=(1, 2) + 1 }\nb(3)\n", false, false},
        {"block b(n) { conv2d n -> n kernel=(1, 2, 3) }\nb(3)\n", false, true},
        {"block b(n) { dense n -> n bias nobias }\nb(3)\n", false, false},
        {"block b(n) { dense n -> n frozen frozen }\nb(3)\n", false, false},
        {"block b(n) { dense (n, n) -> n }\nb(3)\n", false, false},
        {"block b(n) { dense n -> n - n }\nb(3)\n", false, true},
        {"let only = 3\nblock b(n) { dense n -> only }\nb(4)\n", true, true},
        {"let only = 3\nblock b(n) { dense n -> only }\ndense 4 -> 4\n", false, false},
        {"block r(n, c) { repeat c { dense n -> n } ; repeat c - c { dense n -> 1 } }\nr(3, 5)\nr(3, 0)\n", true, true},
        {"block r(n, c) { repeat c { dense n -> n } }\nr(3, 0 - 2)\n", false, true},
        {"block s(n) { repeat 5 { dense n -> n + 1; dense n + 1 -> n } ; repeat 3 { embedding n -> n } }\ns(2)\n", true, true},
        {"block s(n) {  # a block\n  dense n -> n ; dense n -> n  # two\n\n  ;\n  dense n -> n\r\n}\ns(2); s(2)\n", true, true},
        {"block one(n) { dense n -> n }\nblock t(n) { repeat 3 as i { one(n + i - i); one(n = n * (i + 1) // (i + 1)) } }\nt(3)\n", true, true},
        {"let g = 7\nblock b(n = g) { dense n -> n }\nb()\nb(7)\n", true, true},
        {"block b(n = m, m = 2) { dense n -> m }\nb()\n", false, true},
        // a kernel shrinks a known width at each call, until it is too wide for it
        {"block k(c) { conv2d c -> c kernel=3 }\nconv2d 3 -> 4 kernel=1\ndense 9 -> 7\nk(4)\nk(4)\nk(4)\n", true, true},
        {"block k(c) { conv2d c -> c kernel=3 }\nconv2d 3 -> 4 kernel=1\ndense 9 -> 7\nk(4)\nk(4)\nk(4)\nk(4)\n", false, true},
    };
    for (const Case& c : cases) {
        BOOST_TEST_INFO(c.text);
        const auto planned = nnspec::quick_count_nn(c.text, {}, {}, 1);
        BOOST_TEST(agrees("plans.nn", c.text) == c.answers);
        plans_agree(c.text);
        halves_agree(c.text);
        if (planned) BOOST_TEST((planned->planned_calls > 0) == c.planned);
    }
    // A block the second thread only declared (it passes over bodies before its part) gets
    // its plan at its first call there.
    std::string text = "block b(n) { dense n -> 2*n; dense 2*n -> n nobias }\n";
    for (int i = 0; i < 400; ++i) text += "dense 6 -> 6\n";
    for (int i = 0; i < 100; ++i) text += "b(6)\n";
    const auto two = nnspec::quick_count_nn(text, {}, {}, 2, 1, true);
    BOOST_TEST_REQUIRE(two.has_value());
    BOOST_TEST(two->joined);
    BOOST_TEST(two->planned_calls == 100u);
    BOOST_TEST(agrees("declared.nn", text));
}

BOOST_AUTO_TEST_CASE(lets_far_denser_than_the_table_was_made_for) {
    std::string text = "let a0 = 3\n";
    const int lets = 60000;
    for (int i = 1; i < lets; ++i) text += "let a" + std::to_string(i) + " = a" + std::to_string(i - 1) + "\n";
    text += "dense a" + std::to_string(lets - 1) + " -> 2\n";
    BOOST_TEST_REQUIRE(text.size() > size_t{1} << 20);  // read by two threads
    BOOST_TEST(agrees("dense_lets.nn", text));
    const auto two = nnspec::quick_count_nn(text, {}, {}, 2, 1);
    BOOST_TEST_REQUIRE(two.has_value());
    BOOST_TEST(two->params.value() == 8u);
}

BOOST_AUTO_TEST_SUITE_END()
