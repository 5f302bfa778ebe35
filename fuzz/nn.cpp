// The `.nn` front end and the semantic passes on arbitrary bytes.
#include "common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace nnspec;
    Compiler compiler(fuzz::options(InputFormat::nn));
    const Unit unit = fuzz::compile_checked(compiler, "fuzz.nn", std::string(reinterpret_cast<const char*>(data), size));
    if (!compiler.diagnostics().has_errors() && fuzz::small_enough_to_emit(unit)) {
        (void)emit_json(unit.network, JsonEmitOptions{true});
        (void)emit_nn(unit.network);
    }
    return 0;
}
