#pragma once
// What every alloyml executable shares: the common flags, the version, and main's
// error handling (library errors carry their exit code; bad usage exits 2).
#include <exception>
#include <functional>
#include <iostream>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "alloyml/tasks/commands.h"

#ifndef ALLOYML_VERSION
#define ALLOYML_VERSION "unknown"
#endif

namespace alloyml::apps {

inline void add_common_flags(CLI::App& app, tasks::CommonFlags& f) {
  app.set_version_flag("--version", std::string("alloyml ") + ALLOYML_VERSION);
  // These three default to the run's config (runtime section), else auto / auto / all cores.
  app.add_option("--device", f.device, "auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->default_str("config, else auto");
  app.add_option("--precision", f.precision, "auto, fp32 or bf16")
      ->check(CLI::IsMember({"auto", "fp32", "bf16"}))
      ->default_str("config, else auto");
  app.add_option("--threads", f.threads, "compute threads; 0 = OMP_NUM_THREADS when set, else all cores")
      ->check(CLI::Range(0, 1024))
      ->default_str("config, else 0");
  app.add_flag("--quiet,-q", f.quiet, "only warnings and errors");
}

/// Options declared by the library (OptionSpec), added to a CLI11 command and read back after parsing.
class SpecOptions {
 public:
  /// Adds every spec to `app`; `extra` is applied to each option made (e.g. ->needs(run)).
  void add(CLI::App& app, const std::vector<tasks::OptionSpec>& specs,
           const std::function<void(CLI::Option*, const tasks::OptionSpec&)>& extra = nullptr) {
    for (const auto& spec : specs) {
      CLI::Option* o = spec.kind == tasks::OptionSpec::Kind::Flag ? app.add_flag(spec.names, spec.help)
                                                                  : app.add_option(spec.names, spec.help);
      if (spec.kind != tasks::OptionSpec::Kind::Flag) {
        if (spec.is_repeatable) o->expected(1, CLI::detail::expected_max_vector_size)->allow_extra_args()->take_all();
        if (!spec.default_value.empty()) o->default_str(spec.default_value);
        const bool integer = spec.kind == tasks::OptionSpec::Kind::Integer;
        if (integer || spec.kind == tasks::OptionSpec::Kind::Number) {
          o->type_name(integer ? "INT" : "NUMBER");
          if (spec.min && *spec.min == 0 && !spec.max)
            o->check(CLI::NonNegativeNumber);
          else if (spec.min || spec.max)
            o->check(integer ? CLI::Range(static_cast<long>(spec.min.value_or(std::numeric_limits<long>::min())),
                                          static_cast<long>(spec.max.value_or(std::numeric_limits<long>::max())))
                             : CLI::Range(spec.min.value_or(-std::numeric_limits<double>::max()),
                                          spec.max.value_or(std::numeric_limits<double>::max())));
          else if (!spec.is_positive)
            o->check(CLI::Number);
        }
        if (spec.is_positive) o->check(CLI::PositiveNumber);
        if (!spec.choices.empty()) o->check(CLI::IsMember(spec.choices));
        switch (spec.exists) {
          case tasks::OptionSpec::Exists::File: o->check(CLI::ExistingFile); break;
          case tasks::OptionSpec::Exists::Directory: o->check(CLI::ExistingDirectory); break;
          case tasks::OptionSpec::Exists::Path: o->check(CLI::ExistingPath); break;
          case tasks::OptionSpec::Exists::Any: break;
        }
      }
      if (spec.is_required) o->required();
      if (extra) extra(o, spec);
      added_.emplace_back(spec, o);
    }
  }

  /// What the user gave, with the defaults of the rest.
  tasks::OptionValues values() const {
    tasks::OptionValues v;
    for (const auto& [spec, o] : added_) {
      const std::string name = tasks::option_name(spec.names);
      if (o->count() > 0)
        v.set(name, spec.kind == tasks::OptionSpec::Kind::Flag ? std::vector<std::string>{"1"} : o->results());
      if (!spec.default_value.empty()) v.set_default(name, spec.default_value);
    }
    return v;
  }

 private:
  std::vector<std::pair<tasks::OptionSpec, CLI::Option*>> added_;
};

/// Parses, then runs `body`; maps every failure to its exit code with one clear message.
inline int run_app(CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  return tasks::run_guarded(body);
}

}  // namespace alloyml::apps
