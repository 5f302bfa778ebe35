// Names as keys of tables (lets, blocks, layer kinds, scopes): their hash and their
// comparison. Names are short, and every size in a file is looked up by name: FNV-1a
// inlines to a few instructions a character, where std::hash<std::string_view> is a call
// into the library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nnspec {

struct NameHash {
    size_t operator()(std::string_view name) const noexcept {
        uint64_t h = 14695981039346656037ull;
        for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        return static_cast<size_t>(h);
    }
};

// Most names are a letter or a few (block parameters, repeat indices, lets): compared byte
// by byte, the first byte settles nearly every comparison, with no call to memcmp.
inline bool same_name(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i] != b[i]) return false;
    }
    return true;
}

}  // namespace nnspec
