#include "alloyml/core/log.h"

#include <unistd.h>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace alloyml {

void init_logging(bool quiet) {
  static bool done = false;
  if (!done) {
    auto logger = spdlog::stderr_color_mt("alloyml");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("[%H:%M:%S] %^%l%$ %v");
    done = true;
  }
  spdlog::set_level(quiet ? spdlog::level::warn : spdlog::level::info);
}

void set_log_prefix(const std::string& who, bool quiet) {
  init_logging(quiet);
  spdlog::set_pattern("[%H:%M:%S] [" + who + "] %^%l%$ %v");
}

FileLogGuard::FileLogGuard(const std::string& path) {
  sink_ = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, false);
  sink_->set_pattern("[%Y-%m-%d %H:%M:%S] %l %v");
  sink_->set_level(spdlog::level::info);
  spdlog::default_logger()->sinks().push_back(sink_);
  // The file keeps info lines even when the console is quiet.
  if (spdlog::default_logger()->level() > spdlog::level::info) {
    for (auto& s : spdlog::default_logger()->sinks())
      if (s != sink_) s->set_level(spdlog::default_logger()->level());
    spdlog::default_logger()->set_level(spdlog::level::info);
  }
}

FileLogGuard::~FileLogGuard() {
  auto& sinks = spdlog::default_logger()->sinks();
  sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace alloyml
