// The hash for tables keyed by a name (lets, blocks, layer kinds). Names are short, and
// every size in a file is looked up by name: FNV-1a inlines to a few instructions a
// character, where std::hash<std::string_view> is a call into the library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nnspec {

// One character at a time, for a reader that hashes a name as it reads it (quick_nn.cpp).
constexpr uint64_t name_hash_seed = 14695981039346656037ull;
inline uint64_t name_hash_step(uint64_t h, char c) { return (h ^ static_cast<unsigned char>(c)) * 1099511628211ull; }

struct NameHash {
    size_t operator()(std::string_view name) const noexcept {
        uint64_t h = name_hash_seed;
        for (const char c : name) h = name_hash_step(h, c);
        return static_cast<size_t>(h);
    }
};

}  // namespace nnspec
