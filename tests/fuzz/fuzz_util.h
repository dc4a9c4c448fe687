#pragma once
// Shared by the libFuzzer harnesses and their replay driver: a scratch file per process for the
// readers that take a path. Bad input may raise alloyml::InputError (exit 2 in the apps); any
// other exception escaping a harness is a finding, like a crash or a sanitizer report.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace alloyml::fuzz {

/// This process's scratch folder (under /dev/shm where writable).
inline const std::string& scratch_dir() {
  static const std::string dir = [] {
    const std::string base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    const std::string d = base + "/alloyml-fuzz-" + std::to_string(getpid());
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

/// Writes `size` bytes to scratch_dir()/`name` and returns its path.
inline std::string scratch_file(const std::string& name, const uint8_t* data, size_t size) {
  const std::string path = scratch_dir() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                  static_cast<std::streamsize>(size));
  return path;
}

}  // namespace alloyml::fuzz
