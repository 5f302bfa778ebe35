// The hash for tables keyed by a name (lets, blocks, layer kinds). Names are short, and
// every size in a file is looked up by name: FNV-1a inlines to a few instructions a
// character, where std::hash<std::string_view> is a call into the library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nnspec {

struct NameHash {
    size_t operator()(std::string_view name) const noexcept {
        uint64_t h = 14695981039346656037ull;
        for (const char c : name) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ull;
        }
        return static_cast<size_t>(h);
    }
};

}  // namespace nnspec
