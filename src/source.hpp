// The source manager: every text the compiler reads (the command line's file, stdin, each
// import) is held here once, so that any span can be turned into `file:line:col` and its
// source line for a diagnostic.
//
// Spans are byte offsets into a file's text. Lines are found lazily, on the first request
// for a position, because a clean run never needs one. Columns are 1-based and count
// Unicode code points (UTF-8), so a caret lands under the right character in a terminal;
// a byte that is not valid UTF-8 counts as one column.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "file_text.hpp"

namespace nnspec {

using FileId = uint32_t;

struct Span {
    FileId file = 0;
    uint32_t begin = 0;  // byte offset of the first byte
    uint32_t end = 0;    // byte offset one past the last byte
    bool valid() const { return file != 0; }
    static Span join(Span a, Span b) { return {a.file, a.begin, b.end}; }
};

struct Position {
    uint32_t line = 0;    // 1-based
    uint32_t column = 0;  // 1-based, in code points
};

class SourceFile {
public:
    SourceFile(std::string name, FileText text) : name_(std::move(name)), storage_(std::move(text)), text_(storage_.view()) {}
    SourceFile(const SourceFile&) = delete;  // `text_` points into `storage_`
    SourceFile& operator=(const SourceFile&) = delete;
    const std::string& name() const { return name_; }
    std::string_view text() const { return text_; }
    Position position(uint32_t offset) const;
    std::string_view line_text(uint32_t line) const;  // without its line end
    uint32_t line_count() const;

private:
    void index_lines() const;
    std::string name_;
    FileText storage_;
    std::string_view text_;  // followed by a NUL (file_text.hpp)
    mutable std::vector<uint32_t> line_starts_;  // filled on first use
    // The last position found: diagnostics come mostly in text order, so counting columns
    // on from it keeps many positions on one 10 MB line linear rather than quadratic.
    mutable uint32_t last_offset_ = 0;
    mutable Position last_position_{1, 1};
};

class SourceManager {
public:
    SourceManager();
    // Adds a text and returns its id (never 0: 0 marks "no span"). A leading UTF-8 byte
    // order mark is dropped.
    FileId add(std::string name, std::string text) { return add(std::move(name), FileText(std::move(text))); }
    FileId add(std::string name, FileText text);
    const SourceFile& file(FileId id) const { return *files_.at(id); }
    std::string_view text(Span s) const { return file(s.file).text().substr(s.begin, s.end - s.begin); }
    size_t size() const { return files_.size(); }

private:
    std::vector<std::unique_ptr<SourceFile>> files_;  // stable addresses: ASTs point into texts
};

// Counts code points in a UTF-8 byte range (invalid bytes count one each).
uint32_t count_code_points(std::string_view bytes);

}  // namespace nnspec
