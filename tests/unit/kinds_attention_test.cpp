// attention: nn.MultiheadAttention (and grouped-query attention, a helper module with
// separate q/k/v/o projections): counts, shapes and modules checked with PyTorch 1.13.
#include "kinds_helpers.hpp"

using namespace nnspec::test;

BOOST_AUTO_TEST_SUITE(kinds_attention)

BOOST_AUTO_TEST_CASE(agrees_with_pytorch) {
    check_cases({
        {"10x768", "attention heads=12", 2362368, "10x768", "nn.MultiheadAttention(768, 12, batch_first=True)"},
        {"10x512", "attention 512 heads=8 nobias", 1048576, "10x512", "nn.MultiheadAttention(512, 8, bias=False, batch_first=True)"},
        {"10x8", "attention heads=2 kdim=3 vdim=5", 224, "10x8", "nn.MultiheadAttention(8, 2, kdim=3, vdim=5, batch_first=True)"},
        {"10x8", "attention heads=2 kdim=3 vdim=5 nobias", 192, "10x8",
         "nn.MultiheadAttention(8, 2, bias=False, kdim=3, vdim=5, batch_first=True)"},
        {"10x64", "attention heads=4 dropout=0.1", 16640, "10x64", "nn.MultiheadAttention(64, 4, dropout=0.1, batch_first=True)"},
        {"10x64", "attention heads=8 kv_heads=8", 16640, "10x64", "nn.MultiheadAttention(64, 8, batch_first=True)"},
        {"10x64", "attention heads=8 kv_heads=2", 10400, "10x64", "GroupedQueryAttention(64, 8, 2)"},
        {"10x64", "attention heads=8 kv_heads=2 nobias", 10240, "10x64", "GroupedQueryAttention(64, 8, 2, bias=False)"},
        {"10x64", "attention heads=8 kv_heads=1 kdim=16 vdim=24", 8656, "10x64", "GroupedQueryAttention(64, 8, 1, kdim=16, vdim=24)"},
    });
}

BOOST_AUTO_TEST_CASE(formulas_of_the_design) {
    // LANGUAGE.md: 4E^2 + 4E; with kdim/vdim E*(E + kdim + vdim) + 3E + E^2 + E;
    // with kv_heads 2E^2 + 2E*(K*E/N) plus biases on all four projections
    BOOST_TEST(count("attention 768 heads=12\n") == 4u * 768u * 768u + 4u * 768u);
    BOOST_TEST(count("attention 8 heads=2 kdim=3 vdim=5\n") == 8u * (8u + 3u + 5u) + 3u * 8u + 64u + 8u);
    const uint64_t e = 8192, kv = 8 * 8192 / 64;  // Llama-2-70B
    BOOST_TEST(count("attention 8192 heads=64 kv_heads=8 nobias\n") == 2u * e * e + 2u * e * kv);
    BOOST_TEST(count("attention 8192 heads=64 kv_heads=8\n") == 2u * e * e + 2u * e * kv + 2u * e + 2u * kv);
}

BOOST_AUTO_TEST_CASE(rejects_what_pytorch_rejects) {
    check_errors({
        {"input 10x768\nattention heads=7\n", "E0209"},              // embed_dim must be divisible by num_heads
        {"input 10x64\nattention heads=8 kv_heads=3\n", "E0209"},    // heads must be divisible by kv_heads
        {"input 10x64\nattention heads=8 kv_heads=16\n", "E0209"},
        {"input 10x64\nattention 32 heads=8\n", "E0401"},
        {"input 64\nattention heads=8\n", "E0401"},                  // (sequence, features) expected
        {"attention heads=8\n", "E0207"},                            // no E and no shape
        {"attention 64\n", "E0207"},                                 // heads= is required
    });
}

BOOST_AUTO_TEST_CASE(json_keys) {
    BOOST_TEST(count(R"([{"type": "attention", "embed_dim": 64, "num_heads": 8, "kv_heads": 2, "use_bias": false}])", "t.json") == 10240u);
    BOOST_TEST(count(R"([{"type": "attention", "embed_dim": 8, "num_heads": 2, "kdim": 3, "vdim": 5}])", "t.json") == 224u);
}

BOOST_AUTO_TEST_SUITE_END()
