// alloyml-augment <subcommand> ...: the subcommands every task brings (preprocess, synth, springback,
// springback-saturation, gfa, composition, ...), declared by the library and parsed here.
#include <deque>

#include "app_common.h"

int main(int argc, char** argv) {
  CLI::App app{"Image pre-processing and data generation."};
  app.option_defaults()->always_capture_default();
  app.require_subcommand(1);
  app.fallthrough();  // common flags may follow the subcommand
  alloyml::tasks::CommonFlags common;
  alloyml::apps::add_common_flags(app, common);

  const auto commands = alloyml::tasks::augment_commands();
  std::deque<alloyml::apps::SpecOptions> options(commands.size());
  std::vector<CLI::App*> subcommands;
  for (size_t i = 0; i < commands.size(); ++i) {
    CLI::App* sub = app.add_subcommand(commands[i].name, commands[i].help);
    options[i].add(*sub, commands[i].options);
    subcommands.push_back(sub);
  }
  return alloyml::apps::run_app(app, argc, argv, [&] {
    for (size_t i = 0; i < commands.size(); ++i)
      if (*subcommands[i]) return commands[i].run(options[i].values(), common);
    alloyml::tasks::usage_error("a subcommand is required");
  });
}
