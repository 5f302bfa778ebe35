// lstm, gru, rnn: counts, shapes and modules checked with PyTorch 1.13.
#include "kinds_helpers.hpp"

using namespace nnspec::test;

BOOST_AUTO_TEST_SUITE(kinds_recurrent)

BOOST_AUTO_TEST_CASE(agrees_with_pytorch) {
    check_cases({
        {"20x128", "lstm 256", 395264, "20x256", "nn.LSTM(128, 256, batch_first=True)"},
        {"20x128", "lstm 128 -> 256 layers=2", 921600, "20x256", "nn.LSTM(128, 256, num_layers=2, batch_first=True)"},
        {"20x128", "lstm 256 layers=2 bidirectional", 2367488, "20x512",
         "nn.LSTM(128, 256, num_layers=2, batch_first=True, bidirectional=True)"},
        {"20x10", "lstm 10 -> 20 layers=3 nobias dropout=0.1", 8800, "20x20",
         "nn.LSTM(10, 20, num_layers=3, bias=False, batch_first=True, dropout=0.1)"},
        {"7x32", "gru 64", 18816, "7x64", "nn.GRU(32, 64, batch_first=True)"},
        {"7x32", "gru 64 layers=3 bidirectional", 186624, "7x128", "nn.GRU(32, 64, num_layers=3, batch_first=True, bidirectional=True)"},
        {"7x32", "gru 64 nobias bidirectional", 36864, "7x128", "nn.GRU(32, 64, bias=False, batch_first=True, bidirectional=True)"},
        {"5x3", "rnn 3 -> 4", 36, "5x4", "nn.RNN(3, 4, batch_first=True)"},
        {"5x3", "rnn 4 layers=2 bidirectional nobias", 152, "5x8",
         "nn.RNN(3, 4, num_layers=2, bias=False, batch_first=True, bidirectional=True)"},
    });
}

BOOST_AUTO_TEST_CASE(rejects_what_pytorch_rejects) {
    check_errors({
        {"input 20x128\nlstm 64 -> 256\n", "E0401"},  // input.size(-1) must be equal to input_size
        {"input 128\nlstm 256\n", "E0401"},           // (sequence, features) expected
        {"input 2x20x128\ngru 256\n", "E0401"},
        {"lstm 256\n", "E0207"},                      // no IN and no shape
        {"lstm 128 -> 256 layers=0\n", "E0204"},
        {"rnn 3 -> 4 dropout=0.1 dropout=0.2\n", "E0105"},
    });
}

BOOST_AUTO_TEST_CASE(layer_list_without_input) {
    // the task's LSTM classifier layer (examples/lstm_classifier.nn), nn.LSTM(128, 256, 2)
    BOOST_TEST(count("lstm 128 -> 256 layers=2\n") == 921600u);
    BOOST_TEST(count("embedding 100 -> 32\ngru 64\n") == 3200u + 18816u);  // IN from the embedding
    BOOST_TEST(count(R"([{"type": "lstm", "input_size": 128, "hidden_size": 256, "num_layers": 2, "bidirectional": true}])", "t.json") ==
               2367488u);
    BOOST_TEST(count(R"([{"type": "rnn", "input_size": 3, "hidden_size": 4, "use_bias": false}])", "t.json") == 28u);
}

BOOST_AUTO_TEST_SUITE_END()
