#pragma once
// Logging: spdlog to stderr (and to RUN_DIR/train.log while a run is open).
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace alloyml {

/// Sets up the console logger once; `quiet` keeps only warnings and errors.
void init_logging(bool quiet);

/// Marks every console line with `who` ("rank 1"); `quiet` keeps only warnings and errors.
void set_log_prefix(const std::string& who, bool quiet);

/// Adds a file sink (append) for the length of a run; returns a guard that removes it.
class FileLogGuard {
 public:
  explicit FileLogGuard(const std::string& path);
  ~FileLogGuard();
  FileLogGuard(const FileLogGuard&) = delete;
  FileLogGuard& operator=(const FileLogGuard&) = delete;

 private:
  std::shared_ptr<spdlog::sinks::sink> sink_;
};

/// True when stderr is a terminal (progress bars) rather than a file or a pipe (log lines).
bool stderr_is_terminal();

}  // namespace alloyml
