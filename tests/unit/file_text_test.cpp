// FileText (file_text.hpp): which files are mapped, and that a mapped text is the file's
// bytes with a NUL after them, however it is moved.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fcntl.h>
#include <string>
#include <unistd.h>

#include "file_text.hpp"
#include "source.hpp"

using nnspec::FileText;

namespace {

// A temporary file of `bytes`, open for reading; removed with the object.
struct TempFile {
    explicit TempFile(const std::string& bytes) {
        char name[] = "/tmp/nnspec-file-text-XXXXXX";
        const int w = ::mkstemp(name);
        BOOST_REQUIRE(w >= 0);
        path = name;
        BOOST_REQUIRE(::write(w, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
        ::close(w);
        fd = ::open(path.c_str(), O_RDONLY);
        BOOST_REQUIRE(fd >= 0);
    }
    ~TempFile() {
        ::close(fd);
        ::unlink(path.c_str());
    }
    std::string path;
    int fd = -1;
};

std::string bytes_of(size_t n) {
    std::string s(n, 'a');
    for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i % 26);
    return s;
}

size_t page() { return static_cast<size_t>(::sysconf(_SC_PAGESIZE)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(file_text)

BOOST_AUTO_TEST_CASE(a_large_file_is_mapped_with_a_nul_after_it) {
    const std::string bytes = bytes_of(FileText::min_mapped_size * 3 + 17);
    TempFile file(bytes);
    auto text = FileText::map(file.fd, bytes.size());
    BOOST_REQUIRE(text);
    BOOST_TEST(text->mapped());
    BOOST_TEST(text->view() == bytes);
    BOOST_TEST(text->view().data()[bytes.size()] == '\0');

    FileText moved = std::move(*text);  // the mapping moves; the text stays where it is
    BOOST_TEST(moved.view() == bytes);
    BOOST_TEST(text->view().empty());
    moved.drop_prefix(5);
    BOOST_TEST(moved.view() == bytes.substr(5));
}

BOOST_AUTO_TEST_CASE(small_files_and_whole_pages_are_read) {
    const std::string small = bytes_of(FileText::min_mapped_size - 1);
    TempFile a(small);
    BOOST_TEST(!FileText::map(a.fd, small.size()));

    const std::string pages = bytes_of(page() * (FileText::min_mapped_size / page() + 2));  // no room for the NUL
    TempFile b(pages);
    BOOST_TEST(!FileText::map(b.fd, pages.size()));

    TempFile c(pages + "x");
    BOOST_TEST(FileText::map(c.fd, pages.size() + 1).has_value());
}

BOOST_AUTO_TEST_CASE(a_string_moves_with_its_text) {
    FileText short_text(std::string("dense 3 -> 4"));  // in the string's own bytes (SSO)
    FileText moved = std::move(short_text);
    BOOST_TEST(moved.view() == "dense 3 -> 4");
    BOOST_TEST(!moved.mapped());
}

BOOST_AUTO_TEST_CASE(the_source_manager_drops_a_byte_order_mark_of_a_mapped_file) {
    const std::string bytes = "\xEF\xBB\xBF" + bytes_of(FileText::min_mapped_size + 100);
    TempFile file(bytes);
    auto text = FileText::map(file.fd, bytes.size());
    BOOST_REQUIRE(text);
    nnspec::SourceManager sources;
    const auto id = sources.add("big.nn", std::move(*text));
    BOOST_TEST(sources.file(id).text() == bytes.substr(3));
    BOOST_TEST(sources.file(id).position(0).column == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
