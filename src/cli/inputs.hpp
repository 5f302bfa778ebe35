// The files a `check` or `count` run works on, and running it on them with every core.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace nnspec::cli {

// One input of a run: a path to compile, or, for a directory with no spec in it, the
// message that says so.
struct Input {
    std::string path;
    std::string error;
};

// Paths as given, except that a directory stands for every `.nn` and `.json` file below
// it, in path order, hidden files and directories (a leading `.`) left out. A path that
// is not a directory is kept as it is, so that reading it reports what is wrong with it.
// `any_directory` is set when a directory was expanded.
std::vector<Input> expand_directories(const std::vector<std::string>& paths, bool& any_directory);

// What one input printed and its exit status; printed in input order once all are done.
struct Outcome {
    std::string out, err;
    int status = 0;
};

// Runs `work` on every input, on as many threads as there are cores (one input: on this
// thread only). An exception from `work` becomes that input's internal error, exit 2. `work` must not touch shared state: each call has its own compiler.
std::vector<Outcome> run_each(const std::vector<Input>& inputs, const std::function<Outcome(const Input&)>& work);

}  // namespace nnspec::cli
