// The streaming path (`count`, `check`) and the full path must agree on every count and
// every diagnostic, including where streaming has to hand over to the full path.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers.hpp"
#include "json_scan.hpp"

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

bool same_value(const nnspec::JsonValue& a, const nnspec::JsonValue& b) {
    if (a.type != b.type || a.boolean != b.boolean || a.integral != b.integral || a.text != b.text ||
        a.span.begin != b.span.begin || a.span.end != b.span.end || a.keys != b.keys || a.items.size() != b.items.size() ||
        a.key_spans.size() != b.key_spans.size()) {
        return false;
    }
    for (size_t i = 0; i < a.key_spans.size(); ++i) {
        if (a.key_spans[i].begin != b.key_spans[i].begin || a.key_spans[i].end != b.key_spans[i].end) return false;
    }
    for (size_t i = 0; i < a.items.size(); ++i) {
        if (!same_value(a.items[i], b.items[i])) return false;
    }
    return true;
}

// What the fast reader makes of `text`: its verdict, and whether every element it gave
// is the one the PEGTL reader gives.
nnspec::ScanResult scan_and_compare(const std::string& text, bool& elements_agree) {
    nnspec::SourceManager sources;
    const nnspec::FileId file = sources.add("t.json", text);
    nnspec::Diagnostics diagnostics;
    std::vector<nnspec::JsonValue> reference;
    nnspec::parse_json_streaming(sources, file, diagnostics, {}, [&](const nnspec::JsonValue& v, size_t) {
        reference.push_back(v);
        return true;
    });
    elements_agree = true;
    return nnspec::scan_json_layer_list(sources.file(file).text(), file, {}, [&](const nnspec::JsonValue& v, size_t i) {
        elements_agree = elements_agree && i < reference.size() && same_value(v, reference[i]);
        return true;
    });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(streaming)

BOOST_AUTO_TEST_CASE(the_fast_json_reader_builds_what_the_grammar_builds) {
    using nnspec::ScanResult;
    struct Case {
        const char* text;
        ScanResult verdict;
    };
    const Case cases[] = {
        {R"([{"type": "dense", "input_size": 784, "output_size": 128, "use_bias": true}])", ScanResult::done},
        {" \r\n\t[ ]\n", ScanResult::done},
        {"[]", ScanResult::done},
        {R"([{"type":"conv2d","in_channels":3,"out_channels":32,"kernel_size":[3, 5],"use_bias":false}, {}])", ScanResult::done},
        {R"([{"type": "dropout", "p": 0.5e-3}, {"type": "elu", "alpha": -1E+2}, {"name": null, "x": [true, "s", -0]}])", ScanResult::done},
        {R"([{"type": "dense", "input_size": 01}])", ScanResult::unsupported},          // leading zero
        {R"([{"type": "dense", "input_size": 1.}])", ScanResult::unsupported},          // no fraction digits
        {R"([{"type": "dense", "input_size": -}])", ScanResult::unsupported},
        {R"([{"type": "dense",}])", ScanResult::unsupported},                           // trailing comma
        {R"([{"type": "dense"},])", ScanResult::unsupported},
        {R"([{"type": "dense"} {"type": "relu"}])", ScanResult::unsupported},
        {R"([{"type": "d\u0065nse"}])", ScanResult::unsupported},                      // an escape
        {"[{\"name\": \"t\xc3\xaate\"}]", ScanResult::unsupported},                   // non-ASCII
        {"[{\"name\": \"a\tb\"}]", ScanResult::unsupported},                           // a control character
        {R"([{"type": "dense", "type": "relu"}])", ScanResult::unsupported},             // a duplicate key
        {R"([{"type": "residual", "body": [{"type": "relu"}]}])", ScanResult::unsupported},  // nested layers
        {R"([{"a": [[1]]}])", ScanResult::unsupported},
        {R"([{"type": "relu"}] x)", ScanResult::unsupported},
        {R"([{"type": "relu"})", ScanResult::unsupported},
        {R"([{"type": tru}])", ScanResult::unsupported},
        {R"({"layers": []})", ScanResult::unsupported},
        {R"([1, 2])", ScanResult::unsupported},
    };
    for (const Case& c : cases) {
        bool agree = false;
        BOOST_TEST_INFO(c.text);
        BOOST_TEST((scan_and_compare(c.text, agree) == c.verdict));
        BOOST_TEST(agree);
        same("scan.json", c.text);
    }
}


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

BOOST_AUTO_TEST_CASE(a_failed_attempt_leaves_the_full_path_its_suggestions) {
    // found by fuzzing: 65,536 calls of an undefined block spend the budget for "did you
    // mean" before streaming hands over, and the full path then had none left to suggest
    std::string text;
    for (int i = 0; i < 16; ++i) text += "block b" + std::to_string(i) + "() { b" + std::to_string(i + 1) + "(); b" + std::to_string(i + 1) + "() }\n";
    text += "block b40() { dense 1 -> 1 }\nb0()\n";
    same("budget.nn", text);
    BOOST_TEST(run("budget.nn", text, true).diagnostics.find("did you mean") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
