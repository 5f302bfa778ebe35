#include "source.hpp"

#include <algorithm>

namespace nnspec {

uint32_t count_code_points(std::string_view bytes) {
    uint32_t n = 0;
    for (char c : bytes) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;  // every byte that does not continue a sequence
    }
    return n;
}

void SourceFile::index_lines() const {
    if (!line_starts_.empty()) return;
    line_starts_.push_back(0);
    for (uint32_t i = 0; i < text_.size(); ++i) {
        if (text_[i] == '\n') line_starts_.push_back(i + 1);
    }
}

uint32_t SourceFile::line_count() const {
    index_lines();
    return static_cast<uint32_t>(line_starts_.size());
}

Position SourceFile::position(uint32_t offset) const {
    index_lines();
    offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line = static_cast<uint32_t>(it - line_starts_.begin());
    uint32_t start = line_starts_[line - 1];
    uint32_t column = 1;
    if (last_position_.line == line && last_offset_ >= start && last_offset_ <= offset) {
        start = last_offset_;
        column = last_position_.column;
    }
    column += count_code_points(text_.substr(start, offset - start));
    last_offset_ = offset;
    last_position_ = {line, column};
    return last_position_;
}

std::string_view SourceFile::line_text(uint32_t line) const {
    index_lines();
    if (line == 0 || line > line_starts_.size()) return {};
    const uint32_t start = line_starts_[line - 1];
    uint32_t end = line < line_starts_.size() ? line_starts_[line] : static_cast<uint32_t>(text_.size());
    while (end > start && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
    return text_.substr(start, end - start);
}

SourceManager::SourceManager() { files_.push_back(nullptr); }

FileId SourceManager::add(std::string name, FileText text) {
    // A UTF-8 byte order mark carries nothing for a UTF-8 reader, and some Windows editors
    // write one: it is dropped, so positions count from the first character shown.
    if (text.view().substr(0, 3) == "\xEF\xBB\xBF") text.drop_prefix(3);
    files_.push_back(std::make_unique<SourceFile>(std::move(name), std::move(text)));
    return static_cast<FileId>(files_.size() - 1);
}

}  // namespace nnspec
