// Import resolution: `import "path.nn"` reads another file's lets and blocks. Paths are
// relative to the importing file (to the working directory for standard input). Every
// file is read once, even when imported from several places; a cycle is an error.
#pragma once

#include <memory>
#include <vector>

#include "ast.hpp"
#include "diagnostics.hpp"
#include "parse.hpp"

namespace nnspec {

struct ImportLimits {
    size_t max_depth = 32;          // import chains longer than this are an error
    uint64_t max_file_size = 1ull << 30;
};

// Loads the files that `program` imports, recursively. Returns them innermost first (a
// file before the files that import it), each parsed once. Their expressions are moved
// into `program`'s pool (the returned programs' statements refer to it), so the semantic
// passes see one pool.
std::vector<std::unique_ptr<Program>> load_imports(Program& program, SourceManager& sources, Diagnostics& diagnostics,
                                                   const ParseLimits& parse_limits, const ImportLimits& limits = {});

}  // namespace nnspec
