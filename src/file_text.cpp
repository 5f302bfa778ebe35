#include "file_text.hpp"

#include <sys/mman.h>
#include <unistd.h>

namespace nnspec {

std::optional<FileText> FileText::map(int fd, uint64_t size) {
    const long page = sysconf(_SC_PAGESIZE);
    if (size < min_mapped_size || page <= 0 || size % static_cast<uint64_t>(page) == 0 || size > SIZE_MAX) return std::nullopt;
    const auto length = static_cast<size_t>(size);
    // MAP_POPULATE: the pages are in the page cache already for a file just written, and
    // entering them all at once costs less than a fault per page as the readers go. The
    // mapping is read-only: populating a writable private one would copy every page.
    void* p = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED) return std::nullopt;
    FileText text;
    text.mapping_ = p;
    text.mapped_size_ = length;
    // the NUL after the text, in a private copy of the last page (see the header)
    char* last_page = static_cast<char*>(p) + length / static_cast<size_t>(page) * static_cast<size_t>(page);
    if (::mprotect(last_page, static_cast<size_t>(page), PROT_READ | PROT_WRITE) != 0) return std::nullopt;  // unmapped by `text`
    static_cast<char*>(p)[length] = '\0';
    ::mprotect(last_page, static_cast<size_t>(page), PROT_READ);
    return text;
}

FileText& FileText::operator=(FileText&& other) noexcept {
    if (this == &other) return *this;
    release();
    owned_ = std::move(other.owned_);
    mapping_ = other.mapping_;
    mapped_size_ = other.mapped_size_;
    skip_ = other.skip_;
    other.mapping_ = nullptr;
    other.mapped_size_ = 0;
    other.skip_ = 0;
    return *this;
}

FileText::~FileText() { release(); }

void FileText::release() {
    if (mapping_) ::munmap(mapping_, mapped_size_);
    mapping_ = nullptr;
    mapped_size_ = 0;
}

}  // namespace nnspec
