// The compiler's stages alone, without process start-up or file reading: Google Benchmark
// (Debian's libbenchmark-dev). Build with -DNNSPEC_BENCH=ON; run build/bench/nnspec_micro.
//
// The inputs are made here, so the numbers do not depend on bench/out: a 1 MB `.nn` layer
// list with lets and expressions (what a generated spec looks like), its flat JSON, and the
// zoo's GPT-2 (blocks and repeats, the hand-written case). Each benchmark reports bytes/s.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "nnspec.hpp"

namespace {

using namespace nnspec;

// The widths of the generated chain: layer i maps width(i - 1) to width(i).
int64_t width(int i) { return i < 0 ? 64 : 64 + (i * 37) % 960; }

// About `bytes` of `.nn`: a chain of dense layers whose output sizes are lets and
// expressions, every let used, no warnings.
std::string layer_list(size_t bytes) {
    std::string text = "network generated\nlet base = 64\n";
    for (int i = 0; text.size() < bytes; ++i) {
        text += "let w" + std::to_string(i) + " = base + " + std::to_string(width(i) - 64) + "\n";
        text += "dense " + std::to_string(width(i - 1)) + " -> w" + std::to_string(i) + (i % 3 ? " bias" : " nobias") + "\n";
    }
    return text;
}

// The same kind of list as the task's flat JSON.
std::string json_list(size_t bytes) {
    std::string text = "[\n";
    for (int i = 0; text.size() < bytes; ++i) {
        if (i) text += ",\n";
        text += "  {\"type\": \"dense\", \"input_size\": " + std::to_string(width(i - 1)) + ", \"output_size\": " +
                std::to_string(width(i)) + ", \"use_bias\": " + (i % 3 ? "true" : "false") + "}";
    }
    return text + "\n]\n";
}

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const std::string& nn_1mb() {
    static const std::string text = layer_list(1'000'000);
    return text;
}
const std::string& json_1mb() {
    static const std::string text = json_list(1'000'000);
    return text;
}
const std::string& gpt2() {
    static const std::string text = read(NNSPEC_SOURCE_DIR "/examples/gpt2_small.nn");
    return text;
}

// Fails the benchmark (rather than timing an error path) when the text does not compile.
// `streaming` and `quick` as `count` sets them (quick.hpp); without `quick`, the reference
// pipeline streams; without either, it keeps the whole tree.
void compile(benchmark::State& state, const std::string& name, const std::string& text, bool streaming, bool quick = true) {
    CompileOptions options;
    options.streaming = streaming;
    options.quick = quick;
    for (auto _ : state) {
        Compiler compiler(options);
        const Unit unit = compiler.compile_text(name, text);
        if (compiler.diagnostics().has_errors() || compiler.diagnostics().warnings()) {
            state.SkipWithError("the benchmark input does not compile cleanly");
            break;
        }
        benchmark::DoNotOptimize(unit.network.params.value());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

// The grammar and the AST alone.
void parse_nn_1mb(benchmark::State& state) {
    SourceManager sources;
    const FileId file = sources.add("bench.nn", nn_1mb());
    for (auto _ : state) {
        Diagnostics diagnostics;
        Program program = parse_nn(sources, file, diagnostics);
        benchmark::DoNotOptimize(program.statements.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * nn_1mb().size()));
}

void count_nn_1mb(benchmark::State& state) { compile(state, "bench.nn", nn_1mb(), true); }
void count_nn_1mb_reference(benchmark::State& state) { compile(state, "bench.nn", nn_1mb(), true, false); }
void compile_nn_1mb_full(benchmark::State& state) { compile(state, "bench.nn", nn_1mb(), false); }
void count_json_1mb(benchmark::State& state) { compile(state, "bench.json", json_1mb(), true); }
void count_json_1mb_reference(benchmark::State& state) { compile(state, "bench.json", json_1mb(), true, false); }
void compile_json_1mb_full(benchmark::State& state) { compile(state, "bench.json", json_1mb(), false); }
void count_gpt2(benchmark::State& state) { compile(state, "gpt2_small.nn", gpt2(), true); }
void compile_gpt2_full(benchmark::State& state) { compile(state, "gpt2_small.nn", gpt2(), false); }

// Writing: the flat JSON of the 1 MB list, from its compiled network.
void emit_json_1mb(benchmark::State& state) {
    Compiler compiler;
    const Unit unit = compiler.compile_text("bench.nn", nn_1mb());
    size_t bytes = 0;
    for (auto _ : state) {
        const std::string json = emit_json(unit.network);
        bytes += json.size();
        benchmark::DoNotOptimize(json.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

}  // namespace

BENCHMARK(parse_nn_1mb)->Unit(benchmark::kMillisecond);
BENCHMARK(count_nn_1mb)->Unit(benchmark::kMillisecond);
BENCHMARK(count_nn_1mb_reference)->Unit(benchmark::kMillisecond);
BENCHMARK(compile_nn_1mb_full)->Unit(benchmark::kMillisecond);
BENCHMARK(count_json_1mb)->Unit(benchmark::kMillisecond);
BENCHMARK(count_json_1mb_reference)->Unit(benchmark::kMillisecond);
BENCHMARK(compile_json_1mb_full)->Unit(benchmark::kMillisecond);
BENCHMARK(emit_json_1mb)->Unit(benchmark::kMillisecond);
BENCHMARK(count_gpt2)->Unit(benchmark::kMicrosecond);
BENCHMARK(compile_gpt2_full)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
