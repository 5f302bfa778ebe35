// batchnorm, layernorm, rmsnorm, groupnorm, instancenorm: counts, shapes and modules
// checked with PyTorch 1.13 (RMSNorm and LayerNormNoBias: the helper modules of
// scripts/kinds_oracle.py).
#include "kinds_helpers.hpp"

using namespace nnspec::test;

BOOST_AUTO_TEST_SUITE(kinds_norms)

BOOST_AUTO_TEST_CASE(agrees_with_pytorch) {
    check_cases({
        {"64", "batchnorm", 128, "64", "nn.BatchNorm1d(64)"},
        {"64x10", "batchnorm 64", 128, "64x10", "nn.BatchNorm1d(64)"},
        {"32x8x8", "batchnorm noaffine", 0, "32x8x8", "nn.BatchNorm2d(32, affine=False)"},
        {"8x4x4x4", "batchnorm 8 eps=1e-3", 16, "8x4x4x4", "nn.BatchNorm3d(8, eps=1e-3)"},
        {"10x768", "layernorm", 1536, "10x768", "nn.LayerNorm(768)"},
        {"10x768", "layernorm 768 eps=1e-6", 1536, "10x768", "nn.LayerNorm(768, eps=1e-6)"},
        {"10x16x16", "layernorm (16, 16)", 512, "10x16x16", "nn.LayerNorm((16, 16))"},
        {"10x768", "layernorm 768 nobias", 768, "10x768", "LayerNormNoBias(768)"},
        {"10x768", "layernorm noaffine", 0, "10x768", "nn.LayerNorm(768, elementwise_affine=False)"},
        {"10x4096", "rmsnorm", 4096, "10x4096", "RMSNorm(4096)"},
        {"3x4x8", "rmsnorm 4x8 eps=1e-6", 32, "3x4x8", "RMSNorm((4, 8), eps=1e-6)"},
        {"10x64", "rmsnorm noaffine", 0, "10x64", "RMSNorm(64, elementwise_affine=False)"},
        {"32x8x8", "groupnorm groups=8", 64, "32x8x8", "nn.GroupNorm(8, 32)"},
        {"32x8", "groupnorm 32 groups=4 noaffine", 0, "32x8", "nn.GroupNorm(4, 32, affine=False)"},
        {"16x10", "instancenorm", 0, "16x10", "nn.InstanceNorm1d(16)"},
        {"16x8x8", "instancenorm 16 affine", 32, "16x8x8", "nn.InstanceNorm2d(16, affine=True)"},
        {"4x3x5x6", "instancenorm affine", 8, "4x3x5x6", "nn.InstanceNorm3d(4, affine=True)"},
    });
}

BOOST_AUTO_TEST_CASE(rejects_what_pytorch_rejects) {
    check_errors({
        {"input 32x8x8\nbatchnorm 16\n", "E0401"},        // running_mean should contain 32 elements
        {"input 10x768\nlayernorm 512\n", "E0401"},       // normalized_shape must be the trailing dims
        {"input 10x768\nlayernorm 10x768x1\n", "E0401"},  // more dims than the shape has
        {"input 30x8x8\ngroupnorm groups=8\n", "E0209"},  // num_channels must be divisible by num_groups
        {"input 16\ninstancenorm\n", "E0401"},            // (C) is not an instance-norm input
        {"input 1x2x3x4x5\nbatchnorm\n", "E0401"},
        {"input 10x768\nrmsnorm 768 bias\n", "E0104"},    // RMSNorm has no bias
        {"batchnorm\n", "E0207"},                         // no C and no shape
        {"layernorm\n", "E0207"},
        {"groupnorm 32\n", "E0207"},                      // groups= is required
        {"layernorm 768 nobias bias\n", "E0106"},
        {"batchnorm 64 affine noaffine\n", "E0106"},
    });
}

BOOST_AUTO_TEST_CASE(layer_list_without_input) {
    BOOST_TEST(count("batchnorm 64\n") == 128u);
    BOOST_TEST(count("conv2d 3 -> 16 kernel=3\nbatchnorm\n") == 448u + 32u);  // C from conv2d's (16, ?, ?)
    BOOST_TEST(count("dense 10 -> 768\nlayernorm\n") == 8448u + 1536u);      // the last dim
    BOOST_TEST(count("layernorm 768 nobias\nrmsnorm 768\n") == 1536u);
    BOOST_TEST(count("groupnorm 64 groups=32 noaffine\ninstancenorm 64 affine\n") == 128u);
    BOOST_TEST(count(R"([{"type": "batchnorm", "num_features": 64, "affine": false},
                         {"type": "layernorm", "normalized_shape": [4, 8], "eps": 1e-6, "use_bias": false},
                         {"type": "rmsnorm", "normalized_shape": 8, "elementwise_affine": true},
                         {"type": "groupnorm", "num_groups": 2, "num_channels": 6},
                         {"type": "instancenorm", "num_features": 6, "affine": true}])", "t.json") == 32u + 8u + 12u + 12u);
}

BOOST_AUTO_TEST_CASE(batchnorm_module_follows_the_rank) {
    BOOST_TEST(last_torch_module(compile("input 3x32x32\nconv2d 3 -> 16 kernel=3\nbatchnorm\n").network) == "nn.BatchNorm2d(16)");
    BOOST_TEST(last_torch_module(compile("input 784\ndense 64\nbatchnorm\n").network) == "nn.BatchNorm1d(64)");
    BOOST_TEST(last_torch_module(compile("conv3d 3 -> 8 kernel=3\nbatchnorm\n").network) == "nn.BatchNorm3d(8)");
}

BOOST_AUTO_TEST_SUITE_END()
