// The driver: reads a file once into the source manager, picks the front end, and runs
// the semantic passes. Every failure becomes a diagnostic; nothing here throws to the
// caller.
#include <cerrno>
#include <cstring>
#include <iostream>
#include <iterator>
#include <sstream>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <thread>

#include "imports.hpp"
#include "json_front.hpp"
#include "nnspec.hpp"
#include "quick.hpp"

namespace nnspec {

std::string_view version() { return "0.1.0"; }

bool looks_like_json(std::string_view name, std::string_view text) {
    if (name.size() >= 5 && name.substr(name.size() - 5) == ".json") return true;
    if (name.size() >= 3 && name.substr(name.size() - 3) == ".nn") return false;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
        return c == '[' || c == '{';
    }
    return false;
}

namespace {

// Reads a whole file or standard input, stopping as soon as it passes `limit`: neither
// `/dev/zero` nor a 100 GB file is read to the end. On failure, `code` says which.
std::optional<FileText> read_all(const std::string& path, uint64_t limit, std::string& error, Code& code) {
    code = Code::too_large;
    if (path == "-") {
        std::string text;
        char buffer[1 << 16];
        while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
            text.append(buffer, static_cast<size_t>(std::cin.gcount()));
            if (text.size() > limit) {
                error = "standard input is larger than the limit of " + std::to_string(limit) + " bytes";
                return std::nullopt;
            }
        }
        return FileText(std::move(text));
    }
    code = Code::io_error;
    struct stat info {};
    if (stat(path.c_str(), &info) != 0) {
        error = "cannot read `" + path + "`: " + std::strerror(errno);
        return std::nullopt;
    }
    if (S_ISDIR(info.st_mode)) {
        error = "`" + path + "` is a directory";
        return std::nullopt;
    }
    if (S_ISREG(info.st_mode) && static_cast<uint64_t>(info.st_size) > limit) {
        code = Code::too_large;
        error = "`" + path + "` is " + std::to_string(info.st_size) + " bytes, larger than the limit of " + std::to_string(limit);
        return std::nullopt;
    }
    // A large regular file is mapped (file_text.hpp); anything else is read, one read(2) per
    // chunk straight into the text.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = "cannot read `" + path + "`: " + std::strerror(errno);
        return std::nullopt;
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    if (S_ISREG(info.st_mode)) {
        if (auto mapped = FileText::map(fd, static_cast<uint64_t>(info.st_size))) return mapped;
    }
    std::string text;
    size_t size = 0;
    text.resize(S_ISREG(info.st_mode) ? static_cast<size_t>(info.st_size) + 1 : size_t{1} << 16);
    for (;;) {
        if (size == text.size()) {
            // a file that grew, a pipe, a device: room for one byte past the limit at most
            text.resize(static_cast<size_t>(std::min<uint64_t>(uint64_t{text.size()} * 2, limit + 1)));
        }
        const ssize_t n = ::read(fd, text.data() + size, text.size() - size);
        if (n < 0) {
            if (errno == EINTR) continue;
            error = "cannot read `" + path + "`: " + std::strerror(errno);
            return std::nullopt;
        }
        if (n == 0) break;
        size += static_cast<size_t>(n);
        if (size > limit) {
            code = Code::too_large;
            error = "`" + path + "` is larger than the limit of " + std::to_string(limit) + " bytes";
            return std::nullopt;
        }
    }
    text.resize(size);
    return FileText(std::move(text));
}

}  // namespace

Unit Compiler::compile_file(const std::string& path) {
    std::string error;
    Code code = Code::io_error;
    auto text = read_all(path, std::min<uint64_t>(options_.max_file_size, UINT32_MAX - 1), error, code);
    if (!text) {
        auto& d = diagnostics_.error(code, Span{}, error);
        if (code == Code::too_large) d.hint("raise the limit with `--max-file-size`");
        return Unit{};
    }
    return compile_loaded(sources_.add(path == "-" ? "<stdin>" : path, std::move(*text)));
}

Unit Compiler::compile_text(const std::string& name, std::string text) {
    if (text.size() > std::min<uint64_t>(options_.max_file_size, UINT32_MAX - 1)) {
        diagnostics_.error(Code::too_large, Span{}, "`" + name + "` is larger than the limit of " + std::to_string(options_.max_file_size) + " bytes");
        return Unit{};
    }
    return compile_loaded(sources_.add(name, std::move(text)));
}

// The fast path: parse and evaluate statement by statement. It succeeds only for a program
// without errors that it can evaluate alone (see sema.hpp); otherwise nothing it found is
// kept and the caller runs the full path, so the two never disagree.
bool Compiler::compile_streaming(Unit& unit) {
    Diagnostics found;
    Program pool;
    pool.file = unit.file;
    Evaluator evaluator(pool, sources_, found, options_.evaluate);
    evaluator.stream_begin();
    const auto feed = [&](Stmt&& s) { return evaluator.stream_feed(std::move(s)); };
    const bool finished = unit.json ? parse_json_streaming_program(sources_, unit.file, found, options_.parse, pool, feed)
                                    : parse_nn_streaming(sources_, unit.file, found, options_.parse, pool, feed);
    if (!finished || found.has_errors()) return false;
    unit.network = evaluator.stream_finish();
    if (found.has_errors()) return false;
    diagnostics_.append(found);
    return true;
}

// The quickest path: no tree and no diagnostics; it answers only for a clean file.
bool Compiler::compile_quick(Unit& unit) {
    const std::string_view text = sources_.file(unit.file).text();
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const auto counted = unit.json ? quick_count_json(text, options_.parse, cores) : quick_count_nn(text, options_.parse, options_.evaluate, cores);
    if (!counted) return false;
    auto root = new_node();
    root->kind = NodeKind::sequence;
    root->out = counted->out;
    root->params = counted->params;
    root->trainable = counted->trainable;
    unit.network.root = root;
    unit.network.params = counted->params;
    unit.network.trainable = counted->trainable;
    return true;
}

Unit Compiler::compile_loaded(FileId file) {
    // enough for every diagnostic shown to have its suggestion, with room to spare
    constexpr uint64_t suggestion_cells = uint64_t{1} << 26;
    SuggestionBudget suggestions(suggestion_cells);
    Unit unit;
    unit.file = file;
    unit.read_ok = true;
    const SourceFile& source = sources_.file(file);
    unit.json = options_.format == InputFormat::json ||
                (options_.format == InputFormat::automatic && looks_like_json(source.name(), source.text()));
    const size_t errors_before = diagnostics_.errors();
    if (options_.streaming && options_.quick && compile_quick(unit)) return unit;
    if (options_.streaming) {
        // a budget of its own: what a failed attempt spent must not cost the full path's
        // messages their suggestions, or the two paths would word an error differently
        SuggestionBudget attempt(suggestion_cells);
        if (compile_streaming(unit)) return unit;
    }
    unit.program = unit.json ? parse_json_program(sources_, file, diagnostics_, options_.parse)
                             : parse_nn(sources_, file, diagnostics_, options_.parse);
    if (diagnostics_.errors() != errors_before && !unit.json) {
        // a syntax error leaves a partial tree: its counts would mislead, so stop here
        unit.network.root = std::make_shared<Node>();
        return unit;
    }
    std::vector<const Program*> imported;
    if (!unit.json) {
        ImportLimits import_limits;
        import_limits.max_file_size = options_.max_file_size;
        unit.imports = load_imports(unit.program, sources_, diagnostics_, options_.parse, import_limits);
        for (const auto& p : unit.imports) imported.push_back(p.get());
        if (diagnostics_.errors() != errors_before) {
            unit.network.root = std::make_shared<Node>();
            return unit;
        }
    }
    unit.network = evaluate(unit.program, sources_, diagnostics_, options_.evaluate, imported);
    return unit;
}

}  // namespace nnspec
