// convtranspose1d/2d/3d: counts, shapes and modules checked with PyTorch 1.13.
#include "kinds_helpers.hpp"

using namespace nnspec::test;

BOOST_AUTO_TEST_SUITE(kinds_convtranspose)

BOOST_AUTO_TEST_CASE(agrees_with_pytorch) {
    check_cases({
        {"16x10", "convtranspose1d 16 -> 33 kernel=3 stride=2", 1617, "33x21", "nn.ConvTranspose1d(16, 33, 3, stride=2)"},
        {"16x12x10", "convtranspose2d 33 kernel=(3, 5) stride=2 padding=(4, 2)", 7953, "33x17x19",
         "nn.ConvTranspose2d(16, 33, (3, 5), stride=2, padding=(4, 2))"},
        {"16x16x16", "convtranspose2d 16 -> 8 kernel=3 stride=2 padding=1 output_padding=1", 1160, "8x32x32",
         "nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)"},
        {"16x7x9", "convtranspose2d 16 -> 32 kernel=3 groups=4 dilation=2 nobias", 1152, "32x11x13",
         "nn.ConvTranspose2d(16, 32, 3, groups=4, bias=False, dilation=2)"},
        {"3x8x8", "convtranspose2d 3 -> 4 kernel=3 dilation=3 output_padding=2", 112, "4x16x16",
         "nn.ConvTranspose2d(3, 4, 3, output_padding=2, dilation=3)"},
        {"16x10x25x25", "convtranspose3d 16 -> 33 kernel=(3, 5, 2) stride=(2, 1, 1) padding=(0, 4, 2)", 15873, "33x21x21x22",
         "nn.ConvTranspose3d(16, 33, (3, 5, 2), stride=(2, 1, 1), padding=(0, 4, 2))"},
        {"8x4x4", "convtranspose2d 8 -> 8 kernel=4 stride=2 padding=1 nobias", 1024, "8x8x8",
         "nn.ConvTranspose2d(8, 8, 4, stride=2, padding=1, bias=False)"},
    });
}

BOOST_AUTO_TEST_CASE(rejects_what_pytorch_rejects) {
    check_errors({
        {"input 16x16x16\nconvtranspose2d 16 -> 8 kernel=3 stride=2 output_padding=2\n", "E0106"},  // not below stride or dilation
        {"input 3x1x1\nconvtranspose2d 3 -> 4 kernel=1 padding=1\n", "E0402"},                      // output size -1
        {"input 3x8x8\nconvtranspose2d 3 -> 4 kernel=3 padding=same\n", "E0206"},
        {"convtranspose1d 3 -> 4 kernel=3 padding=valid\n", "E0206"},
        {"input 6x8x8\nconvtranspose2d 6 -> 4 kernel=3 groups=4\n", "E0209"},
        {"input 6x8x8\nconvtranspose2d 4 -> 4 kernel=3\n", "E0401"},
        {"input 6x8\nconvtranspose2d 4 kernel=3\n", "E0401"},  // a 2-d layer on (C, L)
        {"convtranspose2d 4 kernel=3\n", "E0207"},            // no IN and no shape to take it from
        {"convtranspose2d 3 -> 4 kernel=(3, 3, 3)\n", "E0208"},
    });
}

BOOST_AUTO_TEST_CASE(layer_list_without_input) {
    // PyTorch: ConvTranspose2d(16, 8, 3) has 16*8*9 + 8 parameters
    BOOST_TEST(count("convtranspose2d 16 -> 8 kernel=3\n") == 1160u);
    BOOST_TEST(count("conv2d 3 -> 16 kernel=3\nconvtranspose2d 8 kernel=2 stride=2\n") == 448u + 520u);  // IN from conv2d
    BOOST_TEST(count(R"([{"type": "convtranspose3d", "in_channels": 4, "out_channels": 6, "kernel_size": [1, 2, 3],
                         "output_padding": [0, 1, 0], "stride": 2, "groups": 2, "use_bias": false}])", "t.json") == 72u);
}

BOOST_AUTO_TEST_CASE(tie_uses_the_transposed_weight_shape) {
    // weight (IN, OUT/groups, k...): ConvTranspose2d(16, 8, 3) holds a (16, 8, 3, 3) weight,
    // the shape of Conv2d(8, 16, 3)'s, as in an autoencoder with tied weights
    const Result r = compile("conv2d 8 -> 16 kernel=3 as down\nconvtranspose2d 16 -> 8 kernel=3 tie=down\n");
    BOOST_TEST(!r.has_errors);
    BOOST_TEST(r.params == 1168u + 8u);
    // Conv2d(16, 8, 3) has (8, 16, 3, 3): as many elements, another shape
    const Result bad = compile("conv2d 16 -> 8 kernel=3 as down\nconvtranspose2d 16 -> 8 kernel=3 tie=down\n");
    BOOST_TEST(bad.codes == std::vector<std::string>({"W0001", "E0403"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
