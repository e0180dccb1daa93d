// `sweep keys`: the row keys a spec may set, with type, default, range and meaning, printed from
// the one table in sweep/spec/row_keys.cc. `--markdown` prints README.md's "Row keys" table.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "sweep/commands.h"
#include "sweep/spec/row_keys.h"

namespace sweep {
namespace {

struct KeysOptions {
  bool markdown = false;
};

int RunKeys(const KeysOptions& o) {
  const std::string out = o.markdown ? RowKeysMarkdown() : RowKeysText();
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace

void AddKeysCommand(CLI::App& app, int* exit_code) {
  auto opts = std::make_shared<KeysOptions>();
  CLI::App* keys = app.add_subcommand("keys", "List the row keys: type, default, range, meaning");
  keys->add_flag("--markdown", opts->markdown, "Print README.md's Markdown table");
  keys->callback([opts, exit_code] { *exit_code = RunKeys(*opts); });
}

}  // namespace sweep
