// CSV files (manifests, tables) and a run's split.csv, read from a file as the tasks read them.
#include <cstdint>
#include <string>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "alloyml/run/split_file.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = alloyml::fuzz::scratch_file("input.csv", data, size);
  try {
    const auto table = alloyml::read_csv(path);
    for (const char* column : {"path", "label", "formula"}) try {
        const size_t c = table.column(column);
        for (const auto& row : table.rows)
          if (row.size() > c) (void)row[c];
      } catch (const alloyml::InputError&) {
      }
  } catch (const alloyml::InputError&) {
  }
  try {
    (void)alloyml::run::read_split_file(path);
  } catch (const alloyml::InputError&) {
  }
  return 0;
}
