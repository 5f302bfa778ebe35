// Shared helpers for the unit tests: compile a text and look at the result.
#pragma once

#include <boost/test/unit_test.hpp>

#include <string>

#include "nnspec.hpp"

namespace nnspec::test {

struct Result {
    uint64_t params = 0;
    uint64_t trainable = 0;
    std::vector<std::string> codes;  // diagnostic codes, in order
    std::string rendered;            // the diagnostics as the CLI prints them (no colour)
    Network network;
    bool has_errors = false;
};

inline Result compile(const std::string& text, const std::string& name = "test.nn") {
    Compiler compiler;
    Unit unit = compiler.compile_text(name, text);
    Result r;
    r.params = unit.network.params.value();
    r.trainable = unit.network.trainable.value();
    for (const auto& d : compiler.diagnostics().all()) r.codes.push_back(std::string(code_info(d.code).code));
    r.rendered = render_all(compiler.diagnostics(), compiler.sources(), RenderOptions{});
    r.network = std::move(unit.network);
    r.has_errors = compiler.diagnostics().has_errors();
    return r;
}

// The trainable count of a text that must compile without errors.
inline uint64_t count(const std::string& text, const std::string& name = "test.nn") {
    const Result r = compile(text, name);
    BOOST_TEST_INFO("diagnostics:\n" << r.rendered);
    BOOST_TEST(!r.has_errors);
    return r.trainable;
}

// The first diagnostic code of a text expected to fail.
inline std::string first_code(const std::string& text, const std::string& name = "test.nn") {
    const Result r = compile(text, name);
    return r.codes.empty() ? std::string("none") : r.codes.front();
}

}  // namespace nnspec::test
