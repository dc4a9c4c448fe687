#pragma once
// Errors the library throws. The library never exits: the apps catch, log and return
// the exit code carried here (2 for bad usage or bad input, 1 otherwise).
#include <stdexcept>
#include <string>

namespace alloyml {

/// Something went wrong that is not the user's input: exit code 1.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what, int exit_code = 1)
      : std::runtime_error(what), exit_code_(exit_code) {}
  int exit_code() const noexcept { return exit_code_; }

 private:
  int exit_code_;
};

/// Bad usage or bad input (a config key, a file, a CSV row): exit code 2.
class InputError : public Error {
 public:
  explicit InputError(const std::string& what) : Error(what, 2) {}
};

/// The run was stopped by SIGINT/SIGTERM after writing a checkpoint: exit code 130.
class Interrupted : public Error {
 public:
  explicit Interrupted(const std::string& what) : Error(what, 130) {}
};

}  // namespace alloyml
