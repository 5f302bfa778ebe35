// param SHAPE: a learnable tensor that is the layer's output (the helper module Param of
// scripts/kinds_oracle.py, checked with PyTorch 1.13), and the idioms of LANGUAGE.md.
#include "kinds_helpers.hpp"

using namespace nnspec::test;

BOOST_AUTO_TEST_SUITE(kinds_param)

BOOST_AUTO_TEST_CASE(agrees_with_pytorch) {
    check_cases({
        {"10", "param 1x768", 768, "1x768", "Param((1, 768))"},
        {"197x768", "param (197, 768)", 151296, "197x768", "Param((197, 768))"},
        {"3x8x8", "param 64", 64, "64", "Param((64,))"},
        {"64x8x8", "param (64, 1, 1)", 64, "64x1x1", "Param((64, 1, 1))"},
    });
}

BOOST_AUTO_TEST_CASE(idioms) {
    // ViT-B/16 stem: patch embedding, class token, position embedding (PyTorch: 768*3*256 + 768,
    // cls_token (1, 1, 768), pos_embedding (1, 197, 768))
    const Result r = compile(
        "input 3x224x224\n"
        "conv2d 768 kernel=16 stride=16\n"
        "reshape 768x196\n"
        "permute 1,0\n"
        "concat dim=0 { branch { param (1, 768) } branch { } }\n"
        "residual { param (197, 768) }\n"
        "expect shape = 197x768\n"
        "select 0\n"
        "expect shape = 768\n");
    BOOST_TEST_INFO(r.rendered);
    BOOST_TEST(!r.has_errors);
    BOOST_TEST(r.params == 590592u + 768u + 151296u);
    // layer scale (ConvNeXt): gamma of (C, 1, 1) multiplies the input
    BOOST_TEST(count("input 96x56x56\ngate { param (96, 1, 1) }\nexpect shape = 96x56x56\n") == 96u);
}

BOOST_AUTO_TEST_CASE(errors) {
    check_errors({
        {"param\n", "E0207"},
        {"param 0x4\n", "E0204"},
        {"input 10\nresidual { param 4 }\n", "E0401"},  // 4 is not 10
    });
}

BOOST_AUTO_TEST_SUITE_END()
