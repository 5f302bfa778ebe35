// nnspec's public interface: compile a `.nn` or JSON text to a checked network with its
// diagnostics, count it, and write it as JSON or `.nn` text.
//
//   nnspec::Compiler compiler;
//   auto unit = compiler.compile_file("net.nn");
//   if (!compiler.diagnostics().has_errors()) std::cout << unit.network.trainable.value();
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "ast.hpp"
#include "diagnostics.hpp"
#include "emit.hpp"
#include "ir.hpp"
#include "parse.hpp"
#include "render.hpp"
#include "sema/sema.hpp"
#include "source.hpp"

namespace nnspec {

std::string_view version();

enum class InputFormat { automatic, nn, json };

struct CompileOptions {
    InputFormat format = InputFormat::automatic;
    ParseLimits parse;
    EvaluateOptions evaluate;
    uint64_t max_file_size = 1ull << 30;  // 1 GiB: offsets are 32-bit
    // Count without keeping the tree (`count`, `check`): the network's totals and its
    // diagnostics are the same, but `Unit::program` is empty and the IR has no children.
    bool streaming = false;
    // With `streaming`: first try the quick counter (quick.hpp), which answers for a clean
    // file of the common kinds at the speed of reading it, and otherwise leaves it to the
    // reference pipeline. Off: the reference pipeline alone (to compare the two).
    bool quick = true;
    size_t max_diagnostics = Diagnostics::default_limit;  // kept and shown; 0: all
};

struct Unit {
    FileId file = 0;
    bool json = false;
    Program program;
    std::vector<std::unique_ptr<Program>> imports;  // what `program` imports, innermost first
    Network network;
    bool read_ok = false;  // false: the file could not be read (an I/O error, exit code 2)
};

class Compiler {
public:
    explicit Compiler(CompileOptions options = {}) : options_(std::move(options)) {
        diagnostics_.set_limit(options_.max_diagnostics);
    }

    // Reads a file (`-` is standard input) and compiles it.
    Unit compile_file(const std::string& path);
    // Compiles a text held in memory; `name` is used in messages and picks the format.
    Unit compile_text(const std::string& name, std::string text);

    const SourceManager& sources() const { return sources_; }
    Diagnostics& diagnostics() { return diagnostics_; }
    const Diagnostics& diagnostics() const { return diagnostics_; }

private:
    Unit compile_loaded(FileId file);
    bool compile_streaming(Unit& unit);
    bool compile_quick(Unit& unit);
    CompileOptions options_;
    SourceManager sources_;
    Diagnostics diagnostics_;
};

// Is this text JSON? By the name (`.json`), else by its first non-blank byte (`[` or `{`).
bool looks_like_json(std::string_view name, std::string_view text);

}  // namespace nnspec
