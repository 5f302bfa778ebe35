#include "imports.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace nnspec {
namespace {

namespace fs = std::filesystem;

class Loader {
public:
    Loader(SourceManager& sources, Diagnostics& diagnostics, const ParseLimits& parse_limits, const ImportLimits& limits)
        : sources_(sources), diagnostics_(diagnostics), parse_limits_(parse_limits), limits_(limits) {}

    void load(const Program& program, const fs::path& directory, std::vector<fs::path>& chain) {
        for (const Stmt& s : program.statements) {
            if (s.kind != StmtKind::import) continue;
            const fs::path path = (directory / s.import_path).lexically_normal();
            std::error_code ec;
            const fs::path key = fs::weakly_canonical(path, ec);
            const fs::path id = ec ? path : key;
            if (std::find(chain.begin(), chain.end(), id) != chain.end()) {
                std::string cycle;
                for (const auto& p : chain) cycle += p.filename().string() + " -> ";
                diagnostics_.error(Code::bad_import, s.name_span, "import cycle: `" + s.import_path + "` imports this file again",
                                   "imported again here")
                    .note("the chain: " + cycle + id.filename().string());
                continue;
            }
            if (loaded_.count(id)) continue;  // read once
            if (chain.size() >= limits_.max_depth) {
                diagnostics_.error(Code::too_deep, s.name_span, "imports nested deeper than " + std::to_string(limits_.max_depth));
                continue;
            }
            std::string text;
            if (!read(path, s, text)) continue;
            const FileId file = sources_.add(path.string(), std::move(text));
            auto imported = std::make_unique<Program>(parse_nn(sources_, file, diagnostics_, parse_limits_));
            loaded_.emplace(id, true);
            chain.push_back(id);
            load(*imported, path.parent_path(), chain);
            chain.pop_back();
            result.push_back(std::move(imported));
        }
    }

    std::vector<std::unique_ptr<Program>> result;

private:
    bool read(const fs::path& path, const Stmt& s, std::string& text) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            diagnostics_.error(Code::bad_import, s.name_span, "cannot import `" + s.import_path + "`: it is a directory");
            return false;
        }
        const auto size = fs::file_size(path, ec);
        if (ec) {
            diagnostics_.error(Code::bad_import, s.name_span, "cannot import `" + s.import_path + "`: " + ec.message(), "no such file")
                .note("import paths are relative to the importing file");
            return false;
        }
        if (size > limits_.max_file_size) {
            diagnostics_.error(Code::too_large, s.name_span, "`" + s.import_path + "` is larger than the file size limit");
            return false;
        }
        std::ifstream in(path, std::ios::binary);
        std::ostringstream buffer;
        buffer << in.rdbuf();
        if (!in) {
            diagnostics_.error(Code::bad_import, s.name_span, "cannot read `" + s.import_path + "`");
            return false;
        }
        text = buffer.str();
        return true;
    }

    SourceManager& sources_;
    Diagnostics& diagnostics_;
    const ParseLimits& parse_limits_;
    const ImportLimits& limits_;
    std::map<fs::path, bool> loaded_;
};

// Moves `from`'s expressions into `into`'s pool and renumbers every reference to them.
void merge_pool(Program& into, Program& from) {
    const auto offset = static_cast<ExprId>(into.exprs.size());
    const auto list_offset = static_cast<uint32_t>(into.expr_lists.size());
    const auto shift = [&](ExprId& id) {
        if (id != no_expr) id += offset;
    };
    for (Expr e : from.exprs) {
        shift(e.lhs);
        shift(e.rhs);
        if (e.kind == ExprKind::tuple || e.kind == ExprKind::xshape) e.list_begin += list_offset;
        into.exprs.push_back(e);
    }
    for (ExprId id : from.expr_lists) into.expr_lists.push_back(id + offset);
    const auto walk = [&](auto& self, std::vector<Stmt>& list) -> void {
        for (Stmt& s : list) {
            shift(s.value);
            shift(s.dims_in);
            shift(s.dims_out);
            for (auto& i : s.items) shift(i.value);
            for (auto& p : s.params) shift(p.default_value);
            for (auto& a : s.args) shift(a.value);
            self(self, s.body);
            self(self, s.shortcut);
        }
    };
    walk(walk, from.statements);
    from.exprs.clear();
    from.expr_lists.clear();
}

}  // namespace

std::vector<std::unique_ptr<Program>> load_imports(Program& program, SourceManager& sources, Diagnostics& diagnostics,
                                                   const ParseLimits& parse_limits, const ImportLimits& limits) {
    Loader loader(sources, diagnostics, parse_limits, limits);
    const std::string& name = sources.file(program.file).name();
    const fs::path directory = name == "<stdin>" ? fs::path(".") : fs::path(name).parent_path();
    std::vector<fs::path> chain;
    std::error_code ec;
    const fs::path self = fs::weakly_canonical(fs::path(name), ec);
    if (!ec && name != "<stdin>") chain.push_back(self);
    loader.load(program, directory.empty() ? fs::path(".") : directory, chain);
    for (auto& imported : loader.result) merge_pool(program, *imported);
    return std::move(loader.result);
}

}  // namespace nnspec
