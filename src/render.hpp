// Renderers turn diagnostics into text. `human` is the rustc/clang layout:
//
//   net.nn:3:1: error[E0103]: unknown layer kind `dens`
//     3 | dens 784 -> 128
//       | ^^^^ not a layer kind
//       = help: did you mean `dense`?
//
// `short` is the first line only (for editors and grep); `json` is one object per
// diagnostic, for tools.
#pragma once

#include <string>
#include <vector>

#include "diagnostics.hpp"

namespace nnspec {

enum class RenderFormat { human, short_, json };

struct RenderOptions {
    RenderFormat format = RenderFormat::human;
    bool color = false;
};

std::string render(const Diagnostic& d, const SourceManager& sources, const RenderOptions& options);
std::string render_all(const Diagnostics& ds, const SourceManager& sources, const RenderOptions& options);
std::string location(Span s, const SourceManager& sources);  // "file:line:col"

}  // namespace nnspec
