// The activations, dropout, droppath and prelu: counts, shapes and modules checked with
// PyTorch 1.13 (DropPath: the helper module of scripts/kinds_oracle.py).
#include "kinds_helpers.hpp"

using namespace nnspec::test;

BOOST_AUTO_TEST_SUITE(kinds_activations)

BOOST_AUTO_TEST_CASE(agrees_with_pytorch) {
    check_cases({
        {"64x8x8", "prelu", 1, "64x8x8", "nn.PReLU()"},
        {"64x8x8", "prelu 64", 64, "64x8x8", "nn.PReLU(64)"},
        {"64x8x8", "prelu 64 init=0.1", 64, "64x8x8", "nn.PReLU(64, init=0.1)"},
        {"4x10", "relu", 0, "4x10", "nn.ReLU()"},
        {"4x10", "relu6", 0, "4x10", "nn.ReLU6()"},
        {"4x10", "leakyrelu", 0, "4x10", "nn.LeakyReLU()"},
        {"4x10", "leakyrelu negative_slope=0.2", 0, "4x10", "nn.LeakyReLU(negative_slope=0.2)"},
        {"4x10", "elu alpha=0.5", 0, "4x10", "nn.ELU(alpha=0.5)"},
        {"4x10", "gelu", 0, "4x10", "nn.GELU()"},
        {"4x10", "gelu approximate=tanh", 0, "4x10", "nn.GELU(approximate='tanh')"},
        {"4x10", "silu", 0, "4x10", "nn.SiLU()"},
        {"4x10", "mish", 0, "4x10", "nn.Mish()"},
        {"4x10", "softplus beta=2 threshold=10", 0, "4x10", "nn.Softplus(beta=2, threshold=10)"},
        {"4x10", "hardswish", 0, "4x10", "nn.Hardswish()"},
        {"4x10", "hardsigmoid", 0, "4x10", "nn.Hardsigmoid()"},
        {"4x10", "tanh", 0, "4x10", "nn.Tanh()"},
        {"4x10", "sigmoid", 0, "4x10", "nn.Sigmoid()"},
        {"4x10", "softmax", 0, "4x10", "nn.Softmax(dim=-1)"},
        {"4x10", "softmax dim=0", 0, "4x10", "nn.Softmax(dim=1)"},  // dims count without the batch
        {"4x10", "logsoftmax dim=-2", 0, "4x10", "nn.LogSoftmax(dim=-2)"},
        {"4x10", "identity", 0, "4x10", "nn.Identity()"},
        {"4x10", "dropout", 0, "4x10", "nn.Dropout()"},
        {"4x10", "dropout p=0.1", 0, "4x10", "nn.Dropout(p=0.1)"},
        {"4x10", "droppath p=0.1", 0, "4x10", "DropPath(p=0.1)"},
    });
}

BOOST_AUTO_TEST_CASE(rejects_what_pytorch_rejects) {
    check_errors({
        {"input 4x10\nprelu 10\n", "E0401"},           // one slope per channel, and the channels are dim 0
        {"input 10\nmean\nprelu 3\n", "E0401"},       // a (batch) tensor has one channel
        {"input 4x10\nsoftmax dim=2\n", "E0401"},      // dimension out of range
        {"input 4x10\nlogsoftmax dim=-3\n", "E0401"},
        {"dropout p=1.5\n", "E0206"},                  // a probability
        {"droppath p=2\n", "E0206"},
        {"gelu approximate=fast\n", "E0206"},          // 'none' or 'tanh'
        {"relu 4\n", "E0206"},                         // takes no size
        {"leakyrelu slope=0.2\n", "E0104"},
        {"dropout p=x\n", "E0206"},                    // a number, not a name
    });
}

BOOST_AUTO_TEST_CASE(decimals_are_kept_as_written) {
    const Result r = compile("input 10\ndropout p=1e-1\nleakyrelu negative_slope=0.010\n");
    BOOST_TEST(!r.has_errors);
    BOOST_TEST(last_torch_module(r.network) == "nn.LeakyReLU(negative_slope=0.010)");
    BOOST_TEST(count("dropout p=1\ndropout p=0\n") == 0u);  // integers are decimals too
}

BOOST_AUTO_TEST_CASE(layer_list_without_input) {
    BOOST_TEST(count("prelu 64\nrelu\nsoftmax dim=3\n") == 64u);  // no shape: nothing to check the dim against
    BOOST_TEST(count(R"([{"type": "prelu", "num_parameters": 3}, {"type": "leakyrelu", "negative_slope": 0.2},
                         {"type": "dropout", "p": 0.5}, {"type": "softmax", "dim": -1}, {"type": "gelu", "approximate": "tanh"}])",
                     "t.json") == 3u);
}

BOOST_AUTO_TEST_CASE(prelu_weight_can_be_tied) {
    BOOST_TEST(count("prelu 8 as a\nprelu 8 tie=a\n") == 8u);
    BOOST_TEST(first_code("prelu 8 as a\nprelu 4 tie=a\n") == "E0403");
}

BOOST_AUTO_TEST_CASE(decimals_are_written_as_json_and_python_numbers) {
    // fuzzing found `threshold=09` written to JSON as `09`, which no JSON reader accepts;
    // `1_000` and `00.5` are `.nn` too, and `09` is not Python
    check_cases({
        {"4x10", "softplus beta=1_000 threshold=09", 0, "4x10", "nn.Softplus(beta=1000, threshold=9)"},
        {"4x10", "dropout p=00.25", 0, "4x10", "nn.Dropout(p=0.25)"},
        {"4x10", "elu alpha=0_0.5", 0, "4x10", "nn.ELU(alpha=0.5)"},
        {"4x10", "elu alpha=1_0e-05", 0, "4x10", "nn.ELU(alpha=10e-05)"},
        {"4x10", "elu alpha=000", 0, "4x10", "nn.ELU(alpha=0)"},
    });
    const auto r = nnspec::test::compile("softplus beta=1_000 threshold=09\nelu alpha=00.5\n");
    BOOST_TEST(!r.has_errors, r.rendered);
    const std::string json = nnspec::emit_json(r.network);
    BOOST_TEST(json == "[\n  {\"type\": \"softplus\", \"beta\": 1000, \"threshold\": 9},\n  {\"type\": \"elu\", \"alpha\": 0.5}\n]\n", json);
    nnspec::Compiler again;
    again.compile_text("again.json", json);
    BOOST_TEST(!again.diagnostics().has_errors());
}

BOOST_AUTO_TEST_SUITE_END()
