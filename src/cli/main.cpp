// The command line: parses arguments, calls the library, chooses a renderer, sets the
// exit code (0 clean, 1 the input has errors or, with --werror, warnings, 2 usage, I/O or
// internal error). Nothing about the language is decided here.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

#include "../flatten.hpp"
#include "../structure.hpp"
#include "../nnspec.hpp"
#include "inputs.hpp"

namespace {

using namespace nnspec;

enum Exit { clean = 0, input_errors = 1, failure = 2 };

struct Settings {
    std::string color = "auto";
    std::string diagnostic_format = "human";
    bool werror = false;
    uint64_t max_layers = 10'000'000;
    size_t max_depth = 200;
    size_t max_call_depth = 64;
    uint64_t max_evaluations = EvaluateOptions{}.max_evaluations;
    size_t max_name_length = 256;
    size_t max_diagnostics = Diagnostics::default_limit;
    uint64_t max_file_size = 1ull << 30;
    std::string format = "auto";
    bool reference = false;  // `count`/`check` without the quick counter
};

bool use_color(const std::string& setting) {
    if (setting == "always") return true;
    if (setting == "never") return false;
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    const char* term = std::getenv("TERM");
    if (term && std::string_view(term) == "dumb") return false;
    return isatty(STDERR_FILENO) != 0;
}

CompileOptions compile_options(const Settings& s) {
    CompileOptions o;
    o.parse.max_depth = s.max_depth;
    o.parse.max_name_length = s.max_name_length;
    o.evaluate.max_nesting = s.max_depth;
    o.evaluate.max_call_depth = s.max_call_depth;
    o.evaluate.max_evaluations = s.max_evaluations;
    o.max_file_size = s.max_file_size;
    o.max_diagnostics = s.max_diagnostics;
    o.format = s.format == "json" ? InputFormat::json : s.format == "nn" ? InputFormat::nn : InputFormat::automatic;
    return o;
}

// Renders the diagnostics into `text` and returns the file's exit status.
int render_report(const Compiler& compiler, const Settings& s, std::string& text) {
    RenderOptions r;
    r.color = use_color(s.color);
    r.format = s.diagnostic_format == "short" ? RenderFormat::short_ : s.diagnostic_format == "json" ? RenderFormat::json : RenderFormat::human;
    const Diagnostics& d = compiler.diagnostics();
    text += render_all(d, compiler.sources(), r);
    if (r.format == RenderFormat::human && (d.errors() || d.warnings())) {
        text += fmt::format("{} error{}, {} warning{}\n", d.errors(), d.errors() == 1 ? "" : "s", d.warnings(), d.warnings() == 1 ? "" : "s");
    }
    for (const auto& diag : d.all()) {
        if (diag.code == Code::io_error || diag.code == Code::too_large) return failure;
    }
    if (d.has_errors() || (s.werror && d.warnings())) return input_errors;
    return clean;
}

// Prints the diagnostics and returns the file's exit status.
int report(const Compiler& compiler, const Settings& s) {
    std::string text;
    const int status = render_report(compiler, s, text);
    std::fputs(text.c_str(), stderr);
    return status;
}

// `count` and `check`: every file (directories expanded) compiled on its own, on every
// core, printed in order. `count` prints the bare number for a single file, else
// `COUNT  FILE` lines.
int run_files(const std::vector<std::string>& paths, const Settings& s, bool counting, bool all_params) {
    bool any_directory = false;
    const std::vector<cli::Input> inputs = cli::expand_directories(paths, any_directory);
    const bool bare = inputs.size() == 1 && !any_directory;
    CompileOptions options = compile_options(s);
    options.streaming = true;
    options.quick = !s.reference;
    const auto outcomes = cli::run_each(inputs, [&](const cli::Input& input) {
        cli::Outcome o;
        Compiler compiler(options);
        Unit unit;
        if (input.error.empty()) unit = compiler.compile_file(input.path);
        else compiler.diagnostics().error(Code::io_error, Span{}, input.error);
        o.status = render_report(compiler, s, o.err);
        if (counting && !compiler.diagnostics().has_errors() && unit.read_ok) {
            const uint64_t n = all_params ? unit.network.params.value() : unit.network.trainable.value();
            o.out = std::to_string(n) + (bare ? "" : "  " + input.path) + "\n";
        }
        return o;
    });
    int status = clean;
    for (const cli::Outcome& o : outcomes) {
        std::cout << o.out << std::flush;
        std::fputs(o.err.c_str(), stderr);
        status = std::max(status, o.status);
    }
    return status;
}

// The flat list holds layers only; the structured forms (`--structured`, `.nn` text) also
// hold an entry per residual, concat, add, multiply, gate and side, so `repeat 10^12 {
// residual { } }` is as large to write as 10^12 layers.
bool within_layer_limit(Compiler& compiler, const Unit& unit, const Settings& s, bool structured) {
    const Node& root = *unit.network.root;
    const Count n = structured ? structure_size(root) : flat_layer_count(root);
    if (!n.overflow() && n.value() <= s.max_layers) return true;
    const std::string size = n.overflow() ? std::string("more than 2^64") : std::to_string(n.value());
    compiler.diagnostics().error(Code::too_many_layers, Span{unit.file, 0, 0},
                                 structured ? "the structured output would have " + size + " layers and structures, more than the limit of " +
                                                  std::to_string(s.max_layers)
                                            : "the flat layer list would have " + size + " layers, more than the limit of " + std::to_string(s.max_layers))
        .hint("raise the limit with `--max-layers`, or keep the structure with `nnspec count`");
    return false;
}

int run_emit(const std::string& path, const Settings& s, bool to_json, bool wrap, bool structured) {
    Compiler compiler(compile_options(s));
    const Unit unit = compiler.compile_file(path);
    if (!compiler.diagnostics().has_errors() && unit.read_ok && within_layer_limit(compiler, unit, s, structured || !to_json)) {
        const int status = report(compiler, s);
        if (status == failure || (status == input_errors && compiler.diagnostics().has_errors())) return status;
        JsonEmitOptions o;
        o.wrap = wrap;
        o.structured = structured;
        std::cout << (to_json ? emit_json(unit.network, o) : emit_nn(unit.network));
        return status;
    }
    return std::max<int>(report(compiler, s), input_errors);
}

// `emit pytorch|shapes FILE`: the Python module, or the per-layer report that tests it.
int run_emit_target(const std::string& target, const std::string& path, const Settings& s) {
    Compiler compiler(compile_options(s));
    const Unit unit = compiler.compile_file(path);
    const int status = report(compiler, s);
    if (compiler.diagnostics().has_errors() || !unit.read_ok) return std::max<int>(status, input_errors);
    if (status != clean) return status;
    std::vector<const Program*> programs{&unit.program};
    for (const auto& p : unit.imports) programs.push_back(p.get());
    PytorchEmitOptions o;
    o.sources = &compiler.sources();
    o.programs = &programs;
    o.source_name = path == "-" ? "<stdin>" : path.substr(path.find_last_of('/') + 1);
    o.max_layers = s.max_layers;
    try {
        std::cout << (target == "pytorch" ? emit_pytorch(unit.network, o) : emit_shapes(unit.network, o));
    } catch (const std::length_error& e) {
        std::fprintf(stderr, "nnspec: %s (raise it with `--max-layers`)\n", e.what());
        return input_errors;
    }
    return status;
}

// The options every command takes, before the command or after it. Defaults are shown
// once, in the top-level help.
void add_common_options(CLI::App& app, Settings& s, bool show_defaults) {
    const auto add = [&](const char* name, auto& value, const char* what) {
        auto* o = app.add_option(name, value, what);
        if (show_defaults) o->capture_default_str();
        return o;
    };
    add("--color", s.color, "colour in diagnostics")->check(CLI::IsMember({"auto", "always", "never"}));
    add("--diagnostics", s.diagnostic_format, "how diagnostics are printed")->check(CLI::IsMember({"human", "short", "json"}));
    app.add_flag("--werror", s.werror, "treat warnings as errors (exit code 1)");
    add("--input-format", s.format, "input format (auto: JSON for .json files or text starting with [ or {)")
        ->check(CLI::IsMember({"auto", "nn", "json"}));
    add("--max-depth", s.max_depth, "deepest nesting of braces, brackets and parentheses");
    add("--max-file-size", s.max_file_size, "largest input file, in bytes");
    add("--max-call-depth", s.max_call_depth, "deepest nesting of block calls");
    add("--max-name-length", s.max_name_length, "longest identifier");
    add("--max-evaluations", s.max_evaluations, "distinct block and repeat evaluations, beyond one per byte of text");
    add("--max-diagnostics", s.max_diagnostics, "diagnostics shown; the rest are counted (0: all)");
}

// A mapped input file (file_text.hpp) that another process truncates while it is read
// raises SIGBUS at the first page that is gone: an I/O error, reported as one.
extern "C" void on_bus_error(int) {
    static constexpr char message[] = "error[E0901]: an input file was truncated while nnspec read it\n";
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGBUS, on_bus_error);
    try {
        CLI::App app{"nnspec: check neural-network specs and count their parameters exactly as PyTorch does"};
        app.set_version_flag("--version", std::string(nnspec::version()));
        app.require_subcommand(1);
        Settings s;
        add_common_options(app, s, true);

        std::vector<std::string> files;
        bool all_params = false;
        auto* count = app.add_subcommand("count", "print the trainable parameter count (one file: the bare number)");
        count->add_option("files", files, "`.nn` or `.json` files or directories of them; `-` reads standard input")->required();
        count->add_flag("--all", all_params, "count every parameter, trainable or not");

        auto* check = app.add_subcommand("check", "report problems only; exit 1 if there are errors");
        check->add_option("files", files, "`.nn` or `.json` files or directories of them; `-` reads standard input")->required();
        for (auto* sub : {count, check}) {
            sub->add_flag("--reference", s.reference,
                          "skip the quick counter and run the reference pipeline alone (they agree; this compares them)");
        }

        std::string file;
        bool wrap = false;
        bool structured = false;
        auto* json = app.add_subcommand("json", "print the network as a flat JSON layer list");
        json->add_option("file", file, "a `.nn` or `.json` file; `-` reads standard input")->required();
        json->add_option("--max-layers", s.max_layers, "refuse to write more layers than this")->capture_default_str();
        json->add_flag("--wrap", wrap, "write {\"name\", \"input\", \"layers\"} instead of a bare array");
        json->add_flag("--structured", structured,
                       "keep residual, concat, add, multiply, gate and side nested, and the input shape");

        auto* from_json = app.add_subcommand("from-json", "print a JSON layer list as `.nn` text");
        from_json->add_option("file", file, "a `.json` file; `-` reads standard input")->required();
        from_json->add_option("--max-layers", s.max_layers, "refuse to write more layers than this")->capture_default_str();

        std::string target;
        auto* emit = app.add_subcommand("emit", "print the network as PyTorch code (`pytorch`) or a per-layer JSON report of it (`shapes`)");
        emit->add_option("target", target, "what to write")->required()->check(CLI::IsMember({"pytorch", "shapes"}));
        emit->add_option("file", file, "a `.nn` or `.json` file; `-` reads standard input")->required();
        emit->add_option("--max-layers", s.max_layers, "`shapes`: refuse to list more layers than this")->capture_default_str();

        for (auto* sub : {count, check, json, from_json, emit}) add_common_options(*sub, s, false);

        try {
            app.parse(argc, argv);
        } catch (const CLI::CallForHelp& e) {
            return app.exit(e);
        } catch (const CLI::CallForAllHelp& e) {
            return app.exit(e);
        } catch (const CLI::CallForVersion& e) {
            return app.exit(e);
        } catch (const CLI::ParseError& e) {
            app.exit(e);
            return failure;
        }
        if (from_json->parsed() && s.format == "auto") s.format = "json";
        if (count->parsed()) return run_files(files, s, true, all_params);
        if (check->parsed()) return run_files(files, s, false, false);
        if (json->parsed()) return run_emit(file, s, true, wrap, structured);
        if (from_json->parsed()) return run_emit(file, s, false, false, false);
        if (emit->parsed()) return run_emit_target(target, file, s);
        return failure;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nnspec: internal error: %s\n", e.what());
        return failure;
    }
}
