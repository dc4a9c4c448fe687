// A run directory's readers: config.json and model.json (open_run), metrics.jsonl lines (as
// read_metric_series parses them). The input is split at its first two 0x00 bytes into the three
// files.
#include <cstdint>
#include <sstream>
#include <string>

#include "alloyml/core/config.h"
#include "alloyml/core/error.h"
#include "alloyml/run/run_dir.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const size_t a = text.find('\0'), b = a == std::string::npos ? a : text.find('\0', a + 1);
  const std::string model = text.substr(0, a);
  const std::string config = a == std::string::npos ? "{}" : text.substr(a + 1, b == std::string::npos ? b : b - a - 1);
  const std::string metrics = b == std::string::npos ? "" : text.substr(b + 1);
  alloyml::fuzz::scratch_file("model.json", reinterpret_cast<const uint8_t*>(model.data()), model.size());
  alloyml::fuzz::scratch_file("config.json", reinterpret_cast<const uint8_t*>(config.data()), config.size());
  try {
    const auto run = alloyml::run::open_run(alloyml::fuzz::scratch_dir());
    (void)run.task();
  } catch (const alloyml::InputError&) {
  }
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    const auto j = alloyml::config::try_parse_json(line);
    if (j.is_discarded() || !j.is_object() || !j.contains("epoch")) continue;
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.value().is_number() && j["epoch"].is_number()) (void)(j["epoch"].get<double>() + it.value().get<double>());
  }
  return 0;
}
