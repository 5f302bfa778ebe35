// flatten, reshape, permute, select, mean: shapes and modules checked with PyTorch 1.13
// (Permute, Select and Mean: the helper modules of scripts/kinds_oracle.py).
#include "kinds_helpers.hpp"

using namespace nnspec::test;

BOOST_AUTO_TEST_SUITE(kinds_reshape)

BOOST_AUTO_TEST_CASE(agrees_with_pytorch) {
    check_cases({
        {"16x5x5", "flatten", 0, "400", "nn.Flatten()"},
        {"400", "flatten", 0, "400", "nn.Flatten()"},
        {"400", "reshape 4x100", 0, "4x100", "nn.Unflatten(1, (4, 100))"},
        {"4x100", "reshape (20, 20)", 0, "20x20", "nn.Sequential(nn.Flatten(), nn.Unflatten(1, (20, 20)))"},
        {"4x100", "reshape 400", 0, "400", "nn.Flatten()"},
        {"3x4x5", "permute 1,2,0", 0, "4x5x3", "Permute(0, 2, 3, 1)"},
        {"3x4x5", "permute 2,0,1", 0, "5x3x4", "Permute(0, 3, 1, 2)"},
        {"3x4x5", "permute 0,-1,1", 0, "3x5x4", "Permute(0, 1, 3, 2)"},
        {"11x768", "select 0", 0, "768", "Select(1, 0)"},
        {"11x768", "select -1 dim=1", 0, "11", "Select(2, -1)"},
        {"11x768", "select 10", 0, "768", "Select(1, 10)"},
        {"2x3x4", "select 2 dim=-1", 0, "2x3", "Select(3, 2)"},
        {"200x256", "mean dim=0", 0, "256", "Mean(1)"},
        {"200x256", "mean", 0, "256", "Mean(1)"},
        {"3x4x5", "mean dim=-1", 0, "3x4", "Mean(3)"},
    });
}

BOOST_AUTO_TEST_CASE(rejects_what_pytorch_rejects) {
    check_errors({
        {"input 4x100\nreshape 3x100\n", "E0401"},  // the element count changes
        {"input 3x4x5\npermute 1,0\n", "E0401"},    // one index per dim
        {"input 3x4x5\npermute 0,1,3\n", "E0401"},  // out of range
        {"input 3x4x5\npermute 0,-3,1\n", "E0401"}, // -3 is dim 0 again
        {"permute 0,1,1\n", "E0206"},               // a dim twice, whatever the shape
        {"input 3x4x5\npermute 0,1,1\n", "E0206"},
        {"input 11x768\nselect 11\n", "E0401"},     // index out of range
        {"input 11x768\nselect -12\n", "E0401"},
        {"input 11x768\nselect 0 dim=2\n", "E0401"},
        {"input 200x256\nmean dim=2\n", "E0401"},
        {"input 200x256\nmean dim=-3\n", "E0401"},
        {"select\n", "E0207"},
        {"reshape 0x4\n", "E0204"},
        {"input 10\nmean\nflatten\n", "E0401"},   // nothing left after the batch to flatten
    });
}

BOOST_AUTO_TEST_CASE(layer_list_without_input) {
    // without a shape the rank is unknown; what the known trailing dims say is still used
    BOOST_TEST(count("dense 10 -> 768\nselect 0 dim=-1\n") == 8448u);
    BOOST_TEST(first_code("param 4x768\nmean dim=-1\ndense 768 -> 2\n") == "W0001");  // the mean dropped the 768
    BOOST_TEST(count("dense 10 -> 768\npermute 1,0\ndense 5 -> 3\n") == 8448u + 18u);  // (?, 768) -> (768, ?)
    BOOST_TEST(first_code("dense 10 -> 768\npermute 0,1\ndense 5 -> 3\n") == "W0001");
    BOOST_TEST(count("conv2d 3 -> 16 kernel=3\nflatten\nreshape 4x100\nmean dim=-1\n") == 448u);
    BOOST_TEST(count(R"([{"type": "flatten"}, {"type": "reshape", "shape": [4, 100]}, {"type": "permute", "dims": [1, 0]},
                         {"type": "select", "index": 0, "dim": -1}, {"type": "mean", "dim": 0}])", "t.json") == 0u);
}

BOOST_AUTO_TEST_CASE(modules_without_a_known_rank) {
    // dims move by one for the batch; a negative one stays negative when the rank is unknown
    BOOST_TEST(last_torch_module(compile("permute 1,-1,0\n").network) == "Permute(0, 2, 3, 1)");  // three dims: -1 is 2
    BOOST_TEST(last_torch_module(compile("select 3 dim=-2\n").network) == "Select(-2, 3)");
    BOOST_TEST(last_torch_module(compile("mean dim=-1\n").network) == "Mean(-1)");
    BOOST_TEST(last_torch_module(compile("mean dim=0\n").network) == "Mean(1)");
    BOOST_TEST(last_torch_module(compile("reshape 4x100\n").network) == "nn.Sequential(nn.Flatten(), nn.Unflatten(1, (4, 100)))");
}

BOOST_AUTO_TEST_SUITE_END()
