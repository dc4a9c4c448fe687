#pragma once
// What every alloyml executable shares: the common flags, the version, and main's
// error handling (library errors carry their exit code; bad usage exits 2).
#include <exception>
#include <functional>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/log.h"
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
  app.add_option("--threads", f.threads, "compute threads; 0 = all cores")
      ->check(CLI::Range(0, 1024))
      ->default_str("config, else 0");
  app.add_flag("--quiet,-q", f.quiet, "only warnings and errors");
}

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
  try {
    return body();
  } catch (const Interrupted& e) {
    init_logging(false);
    spdlog::warn("{}", e.what());
    return e.exit_code();
  } catch (const Error& e) {
    init_logging(false);
    spdlog::error("{}", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    init_logging(false);
    spdlog::error("{}", e.what());
    return 1;
  }
}

}  // namespace alloyml::apps
