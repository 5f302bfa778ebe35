// The JSON front end and the semantic passes on arbitrary bytes; a clean JSON input must
// also survive being written back as JSON (`nnspec json`) and as `.nn` (`nnspec
// from-json`) with the same counts.
#include "common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace nnspec;
    const CompileOptions options = fuzz::options(InputFormat::json);
    Compiler compiler(options);
    const std::string text(reinterpret_cast<const char*>(data), size);
    const Unit unit = fuzz::compile_checked(compiler, "fuzz.json", text);
    fuzz::check_streaming_agrees(InputFormat::json, "fuzz.json", text, compiler, unit);
    fuzz::check_quick_agrees(InputFormat::json, text, compiler, unit);
    if (compiler.diagnostics().has_errors() || !fuzz::small_enough_to_emit(unit)) return 0;
    const std::string json = emit_json(unit.network);
    Compiler again(options);
    const Unit back = fuzz::compile_checked(again, "again.json", json);
    if (again.diagnostics().has_errors()) {
        fuzz::fail("emitted JSON does not compile", json + "\n" + render_all(again.diagnostics(), again.sources(), {}));
    }
    if (!(back.network.params == unit.network.params) || !(back.network.trainable == unit.network.trainable)) {
        fuzz::fail("emitted JSON counts differently", json);
    }
    const std::string nn = emit_nn(unit.network);
    Compiler from_nn(fuzz::options(InputFormat::nn));
    const Unit written = fuzz::compile_checked(from_nn, "again.nn", nn);
    if (from_nn.diagnostics().has_errors()) {
        fuzz::fail("the .nn written from JSON does not compile", nn + "\n" + render_all(from_nn.diagnostics(), from_nn.sources(), {}));
    }
    if (!(written.network.params == unit.network.params) || !(written.network.trainable == unit.network.trainable)) {
        fuzz::fail("the .nn written from JSON counts differently", nn);
    }
    return 0;
}
