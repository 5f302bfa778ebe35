// The bytes of one source: a string of its own, or a read-only mapping of the file. A large
// spec is mapped rather than read: the kernel's page cache is then the text, so a 100 MB
// file costs no allocation and no copy (reading it costs a zeroed 100 MB buffer and a copy,
// about 70 ms here; mapping it, about 5 ms).
//
// Either way a NUL byte follows the text, as it follows a std::string's characters: the
// readers look one or two bytes ahead without a bound check. A mapping has room for it in
// the rest of its last page, so a file whose size is a whole number of pages is read
// instead. The kernel fills that rest with zeros, but only while the file does not grow: so
// the NUL is written there, which gives the mapping a private copy of that one page, and a
// file that grows while it is read cannot take the NUL away.
//
// A mapped file that another process truncates while it is read makes the reader touch a
// page that is gone, and the kernel sends SIGBUS. The command line turns that signal into
// an I/O error (cli/main.cpp); a program that links the library and maps files may want to
// do the same.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nnspec {

class FileText {
public:
    FileText() = default;
    explicit FileText(std::string text) : owned_(std::move(text)) {}
    // Maps `size` bytes of the regular file open as `fd`; nothing where that does not pay or
    // cannot be done (a small file, one of whole pages, a failed mmap): then read it.
    static std::optional<FileText> map(int fd, uint64_t size);

    FileText(FileText&& other) noexcept { *this = std::move(other); }
    FileText& operator=(FileText&& other) noexcept;
    FileText(const FileText&) = delete;
    FileText& operator=(const FileText&) = delete;
    ~FileText();

    std::string_view view() const {
        return mapping_ ? std::string_view(static_cast<const char*>(mapping_) + skip_, mapped_size_ - skip_)
                        : std::string_view(owned_).substr(skip_);
    }
    // Drops the first `n` bytes (a byte order mark) without moving the rest.
    void drop_prefix(size_t n) { skip_ += n; }
    bool mapped() const { return mapping_ != nullptr; }

    // Below this a read(2) is as quick as a mapping, and a small file is the common case.
    static constexpr uint64_t min_mapped_size = uint64_t{1} << 16;

private:
    void release();
    std::string owned_;
    void* mapping_ = nullptr;
    size_t mapped_size_ = 0;
    size_t skip_ = 0;
};

}  // namespace nnspec
