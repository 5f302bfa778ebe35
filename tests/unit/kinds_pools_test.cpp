// maxpool, avgpool (1d/2d/3d) and the adaptive pools: shapes and modules checked with
// PyTorch 1.13, including ceil mode's rule for a last window in the right padding.
#include "kinds_helpers.hpp"

using namespace nnspec::test;

BOOST_AUTO_TEST_SUITE(kinds_pools)

BOOST_AUTO_TEST_CASE(agrees_with_pytorch) {
    check_cases({
        {"64x55x55", "maxpool2d kernel=3 stride=2", 0, "64x27x27", "nn.MaxPool2d(3, stride=2)"},
        {"64x112x112", "maxpool2d kernel=3 stride=2 padding=1", 0, "64x56x56", "nn.MaxPool2d(3, stride=2, padding=1)"},
        // ceil: ceil((5 + 2 - 2) / 2) + 1 = 4 windows, but the 4th would start at 6 >= 5 + 1, in the padding
        {"3x5x5", "maxpool2d kernel=2 stride=2 padding=1 ceil", 0, "3x3x3", "nn.MaxPool2d(2, stride=2, padding=1, ceil_mode=True)"},
        {"3x8x8", "maxpool2d kernel=3 stride=2 ceil", 0, "3x4x4", "nn.MaxPool2d(3, stride=2, ceil_mode=True)"},
        {"3x8x8", "maxpool2d kernel=3 stride=2", 0, "3x3x3", "nn.MaxPool2d(3, stride=2)"},
        {"3x6x9", "maxpool2d kernel=(2, 3) stride=(1, 2) padding=(1, 1) ceil", 0, "3x7x5",
         "nn.MaxPool2d((2, 3), stride=(1, 2), padding=(1, 1), ceil_mode=True)"},
        {"6x28x28", "avgpool2d kernel=2", 0, "6x14x14", "nn.AvgPool2d(2)"},
        {"3x5x5", "avgpool2d kernel=2 stride=2 padding=1 ceil", 0, "3x3x3", "nn.AvgPool2d(2, stride=2, padding=1, ceil_mode=True)"},
        {"3x7x7", "avgpool2d kernel=3 stride=2 padding=1 ceil", 0, "3x4x4", "nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True)"},
        {"4x11", "maxpool1d kernel=3", 0, "4x3", "nn.MaxPool1d(3)"},
        {"4x11", "avgpool1d kernel=4 stride=3 ceil", 0, "4x4", "nn.AvgPool1d(4, stride=3, ceil_mode=True)"},
        {"2x9x9x9", "maxpool3d kernel=2 stride=2 ceil", 0, "2x5x5x5", "nn.MaxPool3d(2, stride=2, ceil_mode=True)"},
        {"2x9x10x11", "avgpool3d kernel=(3, 2, 2) padding=(1, 0, 1)", 0, "2x3x5x6", "nn.AvgPool3d((3, 2, 2), padding=(1, 0, 1))"},
        {"2048x7x7", "adaptiveavgpool 1", 0, "2048x1x1", "nn.AdaptiveAvgPool2d(1)"},
        {"256x13x13", "adaptiveavgpool 6x6", 0, "256x6x6", "nn.AdaptiveAvgPool2d((6, 6))"},
        {"256x13x13", "adaptivemaxpool (3, 4)", 0, "256x3x4", "nn.AdaptiveMaxPool2d((3, 4))"},
        {"8x20", "adaptivemaxpool 4", 0, "8x4", "nn.AdaptiveMaxPool1d(4)"},
        {"8x5x6x7", "adaptiveavgpool 2", 0, "8x2x2x2", "nn.AdaptiveAvgPool3d(2)"},
    });
}

BOOST_AUTO_TEST_CASE(rejects_what_pytorch_rejects) {
    check_errors({
        {"input 3x8x8\nmaxpool2d kernel=3 padding=2\n", "E0106"},  // pad should be at most half of kernel size
        {"input 3x8x8\navgpool2d kernel=4 padding=3\n", "E0106"},
        {"maxpool1d kernel=3 padding=2\n", "E0106"},              // without a shape too
        {"input 3x4x4\nmaxpool2d kernel=5\n", "E0402"},            // output size is too small
        {"input 3x8\nmaxpool2d kernel=2\n", "E0401"},              // a 2-d pool on (C, L)
        {"input 8\nadaptiveavgpool 1\n", "E0401"},                 // no spatial dims
        {"input 8x4x4\nadaptiveavgpool (1, 2, 3)\n", "E0401"},     // three sizes for two spatial dims
        {"maxpool2d stride=2\n", "E0207"},                         // kernel= is required
        {"adaptiveavgpool\n", "E0207"},
        {"maxpool2d kernel=(2, 2, 2)\n", "E0208"},
    });
}

BOOST_AUTO_TEST_CASE(layer_list_without_input) {
    // no shape: nothing to pool, but a following layer still gets what is known
    BOOST_TEST(count("maxpool2d kernel=2\navgpool1d kernel=3 ceil\nadaptiveavgpool 1\n") == 0u);
    BOOST_TEST(count("conv2d 3 -> 16 kernel=3\nadaptiveavgpool 1\nflatten\ndense 10\n") == 448u + 170u);
    BOOST_TEST(count(R"([{"type": "maxpool2d", "kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": true},
                         {"type": "adaptiveavgpool", "output_size": [6, 6]}])", "t.json") == 0u);
}

BOOST_AUTO_TEST_CASE(pool_module_follows_the_rank) {
    BOOST_TEST(last_torch_module(compile("adaptiveavgpool 6x6\n").network) == "nn.AdaptiveAvgPool2d((6, 6))");
    BOOST_TEST(last_torch_module(compile("adaptivemaxpool 1x2x3\n").network) == "nn.AdaptiveMaxPool3d((1, 2, 3))");
    BOOST_TEST(last_torch_module(compile("conv1d 3 -> 8 kernel=3\nadaptivemaxpool 1\n").network) == "nn.AdaptiveMaxPool1d(1)");
}

BOOST_AUTO_TEST_SUITE_END()
