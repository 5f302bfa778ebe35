# Trainable parameter count of a flat nnspec JSON layer list (the task's three kinds).
# Usage: jq -f count.jq FILE.json
# jq numbers are doubles: exact while the total is below 2^53, which bench/gen.py ensures.
def bias(out): if .use_bias == false then 0 else out end;   # missing use_bias = true
def kernel: .kernel_size | if type == "array" then .[0] * .[1] else . * . end;
reduce .[] as $l (0;
  . + ($l |
    if   .type == "dense"     then .input_size * .output_size + bias(.output_size)
    elif .type == "conv2d"    then .out_channels * .in_channels * kernel + bias(.out_channels)
    elif .type == "embedding" then .num_embeddings * .embedding_dim
    else error("unknown layer type \(.type)") end))
