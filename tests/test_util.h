#pragma once
// Helpers shared by the tests: temporary folders, paths from the environment, synthetic data.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace alloyml::testing {

/// A fresh temporary folder, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("alloyml-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string str() const { return path_.string(); }
  std::string operator/(const std::string& rel) const { return (path_ / rel).string(); }

 private:
  std::filesystem::path path_;
};

inline std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

inline std::string source_dir() { return env_or("ALLOYML_SOURCE_DIR", "."); }
inline std::string shared_dir() { return env_or("ALLOYML_SHARED_DIR", source_dir() + "/../shared"); }

inline void write_file(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace alloyml::testing
