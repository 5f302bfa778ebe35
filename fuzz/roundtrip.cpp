// .nn -> JSON -> .nn -> JSON: for every `.nn` text that compiles cleanly, the JSON, the
// `.nn` written from it and the JSON written from that compile cleanly, count the same,
// and the two JSON texts are identical.
#include "common.hpp"

namespace {

using namespace nnspec;

struct Step {
    Unit unit;
    std::string diagnostics;
    bool clean = false;
};

Step compile(const std::string& name, const std::string& text, InputFormat format) {
    Compiler compiler(fuzz::options(format));
    Step s{fuzz::compile_checked(compiler, name, text), {}, false};
    s.clean = !compiler.diagnostics().has_errors();
    s.diagnostics = render_all(compiler.diagnostics(), compiler.sources(), {});
    return s;
}

void same_counts(const Unit& a, const Unit& b, const char* what, const std::string& text) {
    if (!(a.network.params == b.network.params) || !(a.network.trainable == b.network.trainable)) {
        fuzz::fail(what, text + "\nparams " + std::to_string(a.network.params.value()) + " vs " +
                             std::to_string(b.network.params.value()) + ", trainable " +
                             std::to_string(a.network.trainable.value()) + " vs " + std::to_string(b.network.trainable.value()));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const Step source = compile("fuzz.nn", std::string(reinterpret_cast<const char*>(data), size), InputFormat::nn);
    if (!source.clean || !fuzz::small_enough_to_emit(source.unit)) return 0;

    const std::string json1 = emit_json(source.unit.network);
    const Step from_json = compile("1.json", json1, InputFormat::json);
    if (!from_json.clean) fuzz::fail("the emitted JSON does not compile", json1 + "\n" + from_json.diagnostics);
    same_counts(source.unit, from_json.unit, "the emitted JSON counts differently", json1);

    const std::string nn = emit_nn(from_json.unit.network);
    const Step from_nn = compile("2.nn", nn, InputFormat::nn);
    if (!from_nn.clean) fuzz::fail("the .nn written from JSON does not compile", json1 + "\n" + nn + "\n" + from_nn.diagnostics);
    same_counts(source.unit, from_nn.unit, "the .nn written from JSON counts differently", nn);

    const std::string json2 = emit_json(from_nn.unit.network);
    if (json1 != json2) fuzz::fail("JSON differs after the round trip", json1 + "\n---\n" + json2);
    return 0;
}
