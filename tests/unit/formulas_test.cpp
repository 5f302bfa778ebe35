// One test per parameter formula and option of the core kinds, checked against numbers
// worked out by hand from the torch.nn module definitions.
#include "helpers.hpp"

using nnspec::test::count;

BOOST_AUTO_TEST_SUITE(formulas)

BOOST_AUTO_TEST_CASE(task_examples) {
    BOOST_TEST(count("dense 784 -> 128 bias\ndense 128 -> 10 bias\n") == 101770u);
    BOOST_TEST(count("conv2d 3 -> 32 kernel=3 bias\n") == 896u);
    BOOST_TEST(count("embedding 1000 -> 64\ndense 64 -> 10 bias\n") == 64650u);
}

BOOST_AUTO_TEST_CASE(dense_weight_and_bias) {
    BOOST_TEST(count("dense 784 -> 128\n") == 784u * 128u + 128u);  // bias on by default
    BOOST_TEST(count("dense 128 -> 10 nobias\n") == 1280u);
    BOOST_TEST(count("dense 1 -> 1\n") == 2u);
    BOOST_TEST(count("dense input_size=784 output_size=128 use_bias=true\n") == 100480u);
    BOOST_TEST(count("dense input_size=784 output_size=128 use_bias=false\n") == 100352u);
}

BOOST_AUTO_TEST_CASE(dense_takes_its_input_from_the_previous_layer) {
    BOOST_TEST(count("dense 784 -> 128\ndense 10\n") == 100480u + 1290u);
}

BOOST_AUTO_TEST_CASE(conv2d_kernels) {
    BOOST_TEST(count("conv2d 3 -> 32 kernel=3\n") == 32u * 3u * 9u + 32u);
    BOOST_TEST(count("conv2d 3 -> 32 kernel=3x5\n") == 32u * 3u * 15u + 32u);
    BOOST_TEST(count("let k = 3\nconv2d 3 -> 32 kernel=(k, k+2)\n") == 32u * 3u * 15u + 32u);
    BOOST_TEST(count("conv2d 3 -> 32 kernel=3 nobias\n") == 864u);
    BOOST_TEST(count("conv2d 64 -> 64 kernel=3x5 stride=2 padding=1 dilation=1 groups=1 nobias\n") == 64u * 64u * 15u);
}

BOOST_AUTO_TEST_CASE(conv2d_groups) {
    BOOST_TEST(count("conv2d 32 -> 32 kernel=3 groups=32\n") == 32u * 1u * 9u + 32u);  // depthwise
    BOOST_TEST(count("conv2d 32 -> 64 kernel=1 groups=4\n") == 64u * 8u + 64u);
}

BOOST_AUTO_TEST_CASE(conv1d_and_conv3d) {
    BOOST_TEST(count("conv1d 16 -> 33 kernel=3\n") == 33u * 16u * 3u + 33u);
    BOOST_TEST(count("conv3d 16 -> 33 kernel=(3, 5, 2)\n") == 33u * 16u * 30u + 33u);
}

BOOST_AUTO_TEST_CASE(embedding_has_no_bias) {
    BOOST_TEST(count("embedding 1000 -> 64\n") == 64000u);
    BOOST_TEST(count("embedding num_embeddings=50257 embedding_dim=768\n") == 50257u * 768u);
}

BOOST_AUTO_TEST_CASE(expressions_and_literals) {
    BOOST_TEST(count("let d = 768\ndense d -> 4*d\n") == 768u * 3072u + 3072u);
    BOOST_TEST(count("embedding 50_257 -> 1\n") == 50257u);
    BOOST_TEST(count("let h = 12\ndense 768 -> 768/h\n") == 768u * 64u + 64u);
    BOOST_TEST(count("dense 10 -> (7 + 6) // 3\n") == 44u);    // floor division: 4
    BOOST_TEST(count("dense 10 -> -(-2) * (1 + 1)\n") == 44u);  // unary minus, parentheses
    BOOST_TEST(count("dense 10 -> 9 - 2 - 3\n") == 44u);        // left-associative
}

BOOST_AUTO_TEST_CASE(json_input_counts_the_same) {
    BOOST_TEST(count(R"([{"type": "dense", "input_size": 784, "output_size": 128, "use_bias": true},
                        {"type": "dense", "input_size": 128, "output_size": 10, "use_bias": true}])", "t.json") == 101770u);
    BOOST_TEST(count(R"([{"type": "conv2d", "in_channels": 3, "out_channels": 32, "kernel_size": 3, "use_bias": true}])", "t.json") == 896u);
    BOOST_TEST(count(R"([{"type": "conv2d", "in_channels": 3, "out_channels": 32, "kernel_size": [3, 5]}])", "t.json") == 32u * 45u + 32u);
    BOOST_TEST(count(R"({"name": "text", "layers": [{"type": "embedding", "num_embeddings": 1000, "embedding_dim": 64},
                        {"type": "dense", "input_size": 64, "output_size": 10}]})", "t.json") == 64650u);
}

BOOST_AUTO_TEST_SUITE_END()
