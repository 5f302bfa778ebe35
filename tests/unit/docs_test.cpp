// The documentation stays true to the compiler:
// - every diagnostic code has its section in docs/diagnostics.md, and no section is stale;
// - every diagnostic output shown in docs/*.md and README.md (a ```text block starting with
//   `$ nnspec check NAME` right after the block holding NAME's text) is what the compiler
//   prints for that text;
// - every `.nn` example of docs/language.md is (part of) a file under docs/examples/, which
//   the `docs-examples` test checks with `nnspec check --werror`.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path source_dir = NNSPEC_SOURCE_DIR;

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    BOOST_TEST_REQUIRE(in.good(), "cannot read " << path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// A fenced code block of a Markdown file.
struct Block {
    std::string language;  // the word after the opening fence
    std::string text;      // the lines inside, each ending with "\n"
    size_t line = 0;       // of the opening fence, 1-based
};

std::vector<Block> blocks(const std::string& markdown) {
    std::vector<Block> out;
    const auto lines = lines_of(markdown);
    for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].rfind("```", 0) != 0) continue;
        Block b;
        b.language = lines[i].substr(3);
        b.line = i + 1;
        for (++i; i < lines.size() && lines[i].rfind("```", 0) != 0; ++i) b.text += lines[i] + "\n";
        out.push_back(std::move(b));
    }
    return out;
}

const std::string check_prompt = "$ nnspec check ";

// The file name of a checked output block (`$ nnspec check example.nn`), or empty.
std::string checked_name(const Block& b) {
    if (b.language != "text" || b.text.rfind(check_prompt, 0) != 0) return {};
    const std::string name = b.text.substr(check_prompt.size(), b.text.find('\n') - check_prompt.size());
    if (name.find(' ') != std::string::npos) return {};  // options: not checked here
    return name;
}

// What `nnspec check NAME` prints on standard error for `text` (without colour). `check`
// evaluates as it parses (streaming), so this does too.
std::string check_output(const std::string& name, const std::string& text) {
    nnspec::CompileOptions options;
    options.streaming = true;
    nnspec::Compiler compiler(options);
    compiler.compile_text(name, text);
    const auto& d = compiler.diagnostics();
    std::string out = nnspec::render_all(d, compiler.sources(), nnspec::RenderOptions{});
    if (d.errors() || d.warnings()) {
        out += std::to_string(d.errors()) + (d.errors() == 1 ? " error, " : " errors, ") + std::to_string(d.warnings()) +
               (d.warnings() == 1 ? " warning\n" : " warnings\n");
    }
    return out;
}

std::vector<fs::path> documents() {
    std::vector<fs::path> docs = {source_dir / "README.md"};
    for (const auto& entry : fs::directory_iterator(source_dir / "docs")) {
        if (entry.path().extension() == ".md") docs.push_back(entry.path());
    }
    return docs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(docs)

BOOST_AUTO_TEST_CASE(every_code_has_a_section_in_diagnostics_md) {
    const auto lines = lines_of(read(source_dir / "docs" / "diagnostics.md"));
    for (const auto& info : nnspec::all_codes()) {
        const std::string heading = "## " + std::string(info.code) + ": " + std::string(info.summary);
        const bool found = std::find(lines.begin(), lines.end(), heading) != lines.end();
        BOOST_TEST(found, "docs/diagnostics.md has no line `" << heading << "`");
    }
}

BOOST_AUTO_TEST_CASE(diagnostics_md_documents_no_other_code) {
    for (const auto& line : lines_of(read(source_dir / "docs" / "diagnostics.md"))) {
        if (line.size() < 8 || line.rfind("## ", 0) != 0 || (line[3] != 'E' && line[3] != 'W')) continue;
        const std::string code = line.substr(3, 5);
        bool known = false;
        for (const auto& info : nnspec::all_codes()) known = known || info.code == code;
        BOOST_TEST(known, "docs/diagnostics.md documents `" << code << "`, which src/codes.def does not define");
    }
}

BOOST_AUTO_TEST_CASE(documented_outputs_are_what_the_compiler_prints) {
    size_t checked = 0;
    for (const auto& path : documents()) {
        const auto list = blocks(read(path));
        for (size_t i = 1; i < list.size(); ++i) {
            const std::string name = checked_name(list[i]);
            if (name.empty()) continue;
            const std::string expected = list[i].text.substr(list[i].text.find('\n') + 1);
            BOOST_TEST_CONTEXT(path.filename().string() << ":" << list[i].line << ": `nnspec check " << name << "`") {
                BOOST_TEST(check_output(name, list[i - 1].text) == expected);
            }
            ++checked;
        }
    }
    BOOST_TEST(checked >= 30u, "only " << checked << " documented outputs were found");
}

BOOST_AUTO_TEST_CASE(language_examples_are_files_under_docs_examples) {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(source_dir / "docs" / "examples")) {
        if (entry.path().extension() == ".nn") files.push_back(read(entry.path()));
    }
    const auto list = blocks(read(source_dir / "docs" / "language.md"));
    for (size_t i = 0; i < list.size(); ++i) {
        if (list[i].language != "nn") continue;
        if (i + 1 < list.size() && !checked_name(list[i + 1]).empty()) continue;  // an error example, checked above
        const bool found = std::any_of(files.begin(), files.end(), [&](const std::string& f) { return f.find(list[i].text) != std::string::npos; });
        BOOST_TEST(found, "docs/language.md:" << list[i].line << ": the example is in no file under docs/examples/");
    }
}

BOOST_AUTO_TEST_SUITE_END()
