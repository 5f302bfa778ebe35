// The `.nn` front end and the semantic passes on arbitrary bytes.
#include "common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace nnspec;
    Compiler compiler(fuzz::options(InputFormat::nn));
    const std::string text(reinterpret_cast<const char*>(data), size);
    const Unit unit = fuzz::compile_checked(compiler, "fuzz.nn", text);
    fuzz::check_streaming_agrees(InputFormat::nn, "fuzz.nn", text, compiler, unit);
    fuzz::check_quick_agrees(InputFormat::nn, text, compiler, unit);
    if (!compiler.diagnostics().has_errors() && fuzz::small_enough_to_emit(unit)) {
        (void)emit_json(unit.network, JsonEmitOptions{true});
        (void)emit_nn(unit.network);
    }
    return 0;
}
