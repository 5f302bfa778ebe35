// The quick counter's let table (src/quick_lets.hpp) on its own: names on both sides of
// the packed form's limit of 7 bytes and the inline limit of 16, a name read at the very
// end of a text (where its eight bytes may not be read), the marks that `finish` reads,
// and growth far past the room made.
#include <map>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "quick_lets.hpp"

namespace {

using nnspec::quick::LetTable;

// Every length from 1 to 24, and names that differ from each other only in their last
// byte or in their length.
std::vector<std::string> names_of_every_length() {
    std::vector<std::string> names;
    for (size_t n = 1; n <= 24; ++n) {
        std::string a;
        for (size_t i = 0; i < n; ++i) a += static_cast<char>('a' + i % 26);
        names.push_back(a);
        a.back() = 'Z';
        names.push_back(a);
    }
    return names;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(quick_lets)

BOOST_AUTO_TEST_CASE(finds_each_name_it_holds_and_no_other) {
    const std::vector<std::string> names = names_of_every_length();
    LetTable table;
    for (size_t i = 0; i < names.size(); i += 2) {
        BOOST_TEST_INFO(names[i]);
        BOOST_TEST(table.insert(LetTable::key(names[i], false), static_cast<int64_t>(i) - 7, i % 4 == 0));
    }
    for (size_t i = 0; i < names.size(); ++i) {
        BOOST_TEST_INFO(names[i]);
        // the name followed by more text, so that its eight bytes may be read, and alone
        const std::string padded = names[i] + "_tail_of_the_text";
        const LetTable::Key loaded = LetTable::key(std::string_view(padded).substr(0, names[i].size()), true);
        const LetTable::Key copied = LetTable::key(names[i], false);
        BOOST_TEST(loaded.packed == copied.packed);
        BOOST_TEST(loaded.hash == copied.hash);
        const int64_t* value = table.use(loaded);
        if (i % 2 == 0) {
            BOOST_TEST_REQUIRE(value != nullptr);
            BOOST_TEST(*value == static_cast<int64_t>(i) - 7);
        } else {
            BOOST_TEST(value == nullptr);
        }
    }
    // defined twice
    BOOST_TEST(!table.insert(LetTable::key("abcdefg", false), 1, false));
    BOOST_TEST(!table.insert(LetTable::key("abcdefgh", false), 1, false));
    BOOST_TEST(!table.insert(LetTable::key("abcdefghijklmnopqr", false), 1, false));
}

BOOST_AUTO_TEST_CASE(keeps_each_lets_name_and_marks) {
    const std::vector<std::string> names = names_of_every_length();
    LetTable table;
    std::map<std::string, std::pair<bool, bool>> expected;  // used, declared early
    for (size_t i = 0; i < names.size(); ++i) {
        const bool early = i % 3 == 0, used = i % 2 == 0;
        BOOST_TEST_REQUIRE(table.insert(LetTable::key(names[i], false), 1, early));
        if (used) BOOST_TEST(table.use(LetTable::key(names[i], false)) != nullptr);
        expected[names[i]] = {used, early};
    }
    std::map<std::string, std::pair<bool, bool>> seen;
    table.each([&](std::string_view name, bool used, bool early) { seen[std::string(name)] = {used, early}; });
    BOOST_TEST((seen == expected));
    for (const std::string& n : names) {
        BOOST_TEST_INFO(n);
        BOOST_TEST(table.used(n) == expected[n].first);
    }
    BOOST_TEST(!table.used("not_there"));
    BOOST_TEST(!table.used("nope"));
}

BOOST_AUTO_TEST_CASE(grows_far_past_the_room_made) {
    LetTable table;
    table.reserve(2000);
    std::vector<std::string> names;
    for (int i = 0; i < 200000; ++i) names.push_back((i % 2 ? "w" : "a_long_name_") + std::to_string(i));
    for (size_t i = 0; i < names.size(); ++i) {
        BOOST_TEST_REQUIRE(table.insert(LetTable::key(names[i], false), static_cast<int64_t>(i * 3), false));
    }
    size_t found = 0;
    for (size_t i = 0; i < names.size(); ++i) {
        const int64_t* v = table.use(LetTable::key(names[i], false));
        if (v && *v == static_cast<int64_t>(i * 3)) ++found;
    }
    BOOST_TEST(found == names.size());
    size_t each = 0;
    table.each([&](std::string_view, bool used, bool) { each += used; });
    BOOST_TEST(each == names.size());
}

BOOST_AUTO_TEST_SUITE_END()
