// Shared by the kinds_*_test.cpp files: one layer after an `input` shape, checked for its
// count, its output shape and its PyTorch module. The numbers in the tables come from
// PyTorch 1.13 (scripts/kinds_oracle.py runs the same cases through torch.nn).
#pragma once

#include <vector>

#include "flatten.hpp"
#include "helpers.hpp"

namespace nnspec::test {

struct LayerCase {
    const char* input;   // the `input` shape
    const char* layer;   // one layer statement
    uint64_t params;     // sum(p.numel() for p in module.parameters())
    const char* shape;   // the output shape without the batch
    const char* torch;   // the module nnspec names (KindInfo::torch_module)
};

// The PyTorch module of the last layer of a compiled network.
inline std::string last_torch_module(const Network& network) {
    const Layer* last = nullptr;
    for_each_layer(*network.root, [&](const Layer& l) { last = &l; });
    return last && last->kind->torch_module ? last->kind->torch_module(*last) : std::string("(no layer)");
}

inline void check_cases(const std::vector<LayerCase>& cases) {
    for (const LayerCase& c : cases) {
        BOOST_TEST_CONTEXT("input " << c.input << "; " << c.layer) {
            const Result r = compile(std::string("input ") + c.input + "\n" + c.layer + "\n");
            BOOST_TEST_INFO("diagnostics:\n" << r.rendered);
            BOOST_TEST(!r.has_errors);
            BOOST_TEST(r.codes.empty());
            BOOST_TEST(r.params == c.params);
            BOOST_TEST(to_string(r.network.root->out) == c.shape);
            BOOST_TEST(last_torch_module(r.network) == c.torch);
        }
    }
}

struct ErrorCase {
    const char* text;  // a whole file
    const char* code;  // its first diagnostic
};

inline void check_errors(const std::vector<ErrorCase>& cases) {
    for (const ErrorCase& c : cases) {
        BOOST_TEST_CONTEXT(c.text) {
            BOOST_TEST(first_code(c.text) == c.code);
        }
    }
}

}  // namespace nnspec::test
