// The streaming path (`count`, `check`) and the full path must agree on every count and
// every diagnostic, including where streaming has to hand over to the full path.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers.hpp"

namespace {

struct Outcome {
    uint64_t params, trainable;
    std::string diagnostics;
};

Outcome run(const std::string& name, const std::string& text, bool streaming) {
    nnspec::CompileOptions options;
    options.streaming = streaming;
    nnspec::Compiler compiler(options);
    const auto unit = compiler.compile_text(name, text);
    return {unit.network.params.value(), unit.network.trainable.value(),
            nnspec::render_all(compiler.diagnostics(), compiler.sources(), nnspec::RenderOptions{})};
}

void same(const std::string& name, const std::string& text) {
    const Outcome full = run(name, text, false), streamed = run(name, text, true);
    BOOST_TEST_INFO(name);
    BOOST_TEST(full.params == streamed.params);
    BOOST_TEST(full.trainable == streamed.trainable);
    BOOST_TEST(full.diagnostics == streamed.diagnostics);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(streaming)

BOOST_AUTO_TEST_CASE(agrees_with_the_full_path_on_every_example) {
    size_t seen = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(NNSPEC_SOURCE_DIR) + "/examples")) {
        const auto ext = entry.path().extension();
        if (ext != ".nn" && ext != ".json") continue;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        same(entry.path().filename().string(), text.str());
        ++seen;
    }
    BOOST_TEST(seen >= 10u);
}

BOOST_AUTO_TEST_CASE(hands_over_where_it_cannot_decide_alone) {
    same("forward.nn", "mlp(4)\nblock mlp(d) { dense d -> d }\n");        // a block called before its definition
    same("errors.nn", "dense 4 -> 0\nlet d = 3\ndense d -> q\n");           // errors: the full path reports them
    same("late.nn", "dense 4 -> d\nlet d = 3\n");                           // a let used before it stands
    same("warn.nn", "dense 4 -> 8\ndense 9 -> 2\nlet unused = 1\n");         // warnings come out the same
    same("bad.json", R"([{"type": "dense", "input_size": "4", "output_size": 2}])");
    same("object.json", R"({"name": "n", "layers": [{"type": "dense", "input_size": 4, "output_size": 2}]})");
    BOOST_TEST(run("forward.nn", "mlp(4)\nblock mlp(d) { dense d -> d }\n", true).params == 20u);
}

BOOST_AUTO_TEST_SUITE_END()
