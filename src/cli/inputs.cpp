// Directory walking and the parallel runner of `check` and `count`. A linter in CI is
// handed a repository's spec folder; each file is compiled by a compiler of its own, so
// files are independent and the run uses every core, while output stays in path order
// whatever finishes first.
#include "inputs.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <system_error>
#include <thread>

namespace nnspec::cli {

namespace fs = std::filesystem;

namespace {

bool is_spec(const fs::path& p) { return p.extension() == ".nn" || p.extension() == ".json"; }

bool hidden(const fs::path& p) {
    const std::string name = p.filename().string();
    return !name.empty() && name[0] == '.';
}

// Every spec below `dir`; a subdirectory that cannot be read is passed over (its files
// are not the user's to lint, or they would be readable).
std::vector<std::string> specs_below(const fs::path& dir) {
    std::vector<std::string> found;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    while (!ec && it != end) {
        const fs::directory_entry& entry = *it;
        if (hidden(entry.path())) {
            if (entry.is_directory(ec)) it.disable_recursion_pending();
        } else if (entry.is_regular_file(ec) && is_spec(entry.path())) {
            found.push_back(entry.path().string());
        }
        it.increment(ec);
    }
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace

std::vector<Input> expand_directories(const std::vector<std::string>& paths, bool& any_directory) {
    std::vector<Input> inputs;
    for (const std::string& path : paths) {
        std::error_code ec;
        if (path == "-" || !fs::is_directory(path, ec)) {
            inputs.push_back({path, {}});
            continue;
        }
        any_directory = true;
        std::vector<std::string> found = specs_below(path);
        if (found.empty()) inputs.push_back({path, "`" + path + "` holds no `.nn` or `.json` file"});
        for (std::string& f : found) inputs.push_back({std::move(f), {}});
    }
    return inputs;
}

std::vector<Outcome> run_each(const std::vector<Input>& inputs, const std::function<Outcome(const Input&)>& work) {
    std::vector<Outcome> outcomes(inputs.size());
    const size_t threads = std::min<size_t>(inputs.size(), std::max(1u, std::thread::hardware_concurrency()));
    std::atomic<size_t> next{0};
    const auto worker = [&] {
        for (size_t i = next++; i < inputs.size(); i = next++) {
            try {
                outcomes[i] = work(inputs[i]);
            } catch (const std::exception& e) {  // main's handler cannot see another thread's, and the other files' output is kept
                outcomes[i] = Outcome{{}, std::string("nnspec: internal error: ") + e.what() + "\n", 2};
            }
        }
    };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();  // this thread is one of the workers: a single input needs no other
    for (std::thread& t : pool) t.join();
    return outcomes;
}

}  // namespace nnspec::cli
