// metrics.jsonl: one writer, atomic replacement, resumed runs drop the epochs they redo.
#include <fstream>

#include <gtest/gtest.h>

#include "alloyml/core/fs.h"
#include "alloyml/run/metrics_log.h"
#include "test_util.h"

using namespace alloyml;
using alloyml::testing::TempDir;

namespace {

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST(MetricsFile, AppendsKeepsOrderAndDropsEpochsAfterACheckpoint) {
  TempDir dir;
  const run::MetricsFile file(dir / "metrics.jsonl");
  for (int e = 1; e <= 4; ++e) file.append(config::OrderedJson{{"epoch", e}, {"val_loss", 1.0 / e}});
  ASSERT_EQ(lines_of(file.path()).size(), 4u);
  EXPECT_EQ(lines_of(file.path())[0].rfind("{\"epoch\":1,", 0), 0u);  // keys in the order written
  file.keep_through_epoch(2);
  const auto kept = lines_of(file.path());
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_NE(kept[1].find("\"epoch\":2"), std::string::npos);
  const auto series = run::read_metric_series(file.path());
  ASSERT_EQ(series.count("val_loss"), 1u);
  EXPECT_EQ(series.at("val_loss").y.size(), 2u);
  EXPECT_DOUBLE_EQ(series.at("val_loss").y[1], 0.5);
}

TEST(MetricsFile, WriteReplacesTheWholeFile) {
  TempDir dir;
  const run::MetricsFile file(dir / "metrics.jsonl");
  file.write({config::OrderedJson{{"epoch", 1}}, config::OrderedJson{{"epoch", 2}}});
  file.write({config::OrderedJson{{"epoch", 1}, {"val_accuracy", 0.9}}});
  const auto lines = lines_of(file.path());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "{\"epoch\":1,\"val_accuracy\":0.9}");
}
