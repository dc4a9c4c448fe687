// Numeric CSV tables, min-max scaling and the synthetic straightening generator.
#include <cmath>

#include <gtest/gtest.h>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/data/springback.h"
#include "alloyml/data/tabular.h"
#include "test_util.h"

using namespace alloyml::data;
using alloyml::InputError;

namespace {

std::string error_of(const std::string& path, const std::vector<std::string>& features, const std::string& target) {
  try {
    read_numeric_table(path, features, target);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(Tabular, ReadsNamedColumnsInAnyOrder) {
  alloyml::testing::TempDir dir;
  alloyml::testing::write_file(dir / "t.csv", "b,y,a\n1,10,2\n3, 30 ,4\r\n");
  const auto t = read_numeric_table(dir / "t.csv", {"a", "b"}, "y");
  ASSERT_EQ(t.samples.rows(), 2u);
  EXPECT_EQ(t.samples.row(1)[0], 4);
  EXPECT_EQ(t.samples.row(1)[1], 3);
  EXPECT_EQ(t.samples.y[1], 30);
  EXPECT_EQ(t.rows, (std::vector<size_t>{1, 2}));
}

TEST(Tabular, ErrorsNameTheFileRowAndColumn) {
  alloyml::testing::TempDir dir;
  alloyml::testing::write_file(dir / "bad.csv", "a,b,y\n1,2,3\n1,abc,3\n");
  alloyml::testing::write_file(dir / "nan.csv", "a,b,y\n1,2,nan\n");
  alloyml::testing::write_file(dir / "empty_cell.csv", "a,b,y\n1,,3\n");
  alloyml::testing::write_file(dir / "header_only.csv", "a,b,y\n");
  EXPECT_NE(error_of(dir / "bad.csv", {"a", "b"}, "y").find("bad.csv: row 2 (line 3), column 'b': 'abc' is not a number"),
            std::string::npos);
  EXPECT_NE(error_of(dir / "nan.csv", {"a", "b"}, "y").find("row 1 (line 2), column 'y': 'nan' is not a finite number"),
            std::string::npos);
  EXPECT_NE(error_of(dir / "empty_cell.csv", {"a", "b"}, "y").find("column 'b' is empty"), std::string::npos);
  EXPECT_NE(error_of(dir / "bad.csv", {"a", "c"}, "y").find("no column 'c'"), std::string::npos);
  EXPECT_NE(error_of(dir / "header_only.csv", {"a"}, "y").find("no rows"), std::string::npos);
}

TEST(Tabular, MinMaxScalingRoundTrips) {
  alloyml::data::Samples s;
  s.add({1, 10}, 0.5);
  s.add({3, 10}, 2.5);
  s.add({2, 10}, 1.0);
  const auto m = MinMaxScaler::fit(s);
  const auto scaled = m.apply(s);
  EXPECT_EQ(scaled.row(0)[0], -1);
  EXPECT_EQ(scaled.row(1)[0], 1);
  EXPECT_EQ(scaled.row(2)[0], 0);
  EXPECT_EQ(scaled.row(0)[1], 0);  // constant column
  EXPECT_EQ(scaled.y[0], -1);
  EXPECT_EQ(scaled.y[1], 1);
  for (double y : {0.5, 1.7, 2.5, -3.0}) EXPECT_NEAR(m.unscale_target(m.scale_target(y)), y, 1e-12);
}

TEST(SpringbackSynth, FollowsTheKelvinModel) {
  const double span = 570, dy = yield_stroke_mm(span);
  // Continuous at the elastic limit; instantaneous springback is the whole stroke below it.
  const auto at = simulate_straightening(dy, 1.0, span), below = simulate_straightening(0.9 * dy, 1.0, span);
  EXPECT_NEAR(below.instant_springback_mm, 0.9 * dy, 1e-9);
  EXPECT_NEAR(at.instant_springback_mm, dy, 1e-9);
  // Beyond it a permanent set remains; the delayed springback grows with time towards saturation.
  const auto plastic = simulate_straightening(2.5 * dy, 1.0, span);
  EXPECT_LT(plastic.instant_springback_mm, 2.5 * dy);
  double last = 0;
  for (double dwell : {0.0, 1.0, 2.0, 4.0, 8.0, 30.0}) {
    const double s = simulate_straightening(2.5 * dy, dwell, span).springback_mm;
    EXPECT_GT(s, last);
    last = s;
  }
  EXPECT_NEAR(simulate_straightening(2.5 * dy, 60.0, span).springback_mm, last, 1e-6);
  // Longer spans: softer, more springback for the same relative stroke.
  EXPECT_GT(simulate_straightening(2 * yield_stroke_mm(760), 2, 760).instant_springback_mm,
            simulate_straightening(2 * yield_stroke_mm(475), 2, 475).instant_springback_mm);
}

TEST(SpringbackSynth, SameSeedSameFileAndTheEmbeddedSetIsItsOutput) {
  alloyml::testing::TempDir dir;
  SpringbackSynthOptions o;
  write_springback_csv(dir / "a.csv", o);
  write_springback_csv(dir / "b.csv", o);
  EXPECT_EQ(alloyml::read_text_file(dir / "a.csv"), alloyml::read_text_file(dir / "b.csv"));
  const auto t = read_numeric_table(dir / "a.csv", {"stroke_mm", "force_kN", "time_s", "fulcrum_mm", "instant_springback_mm"},
                                    "springback_mm");
  EXPECT_EQ(t.samples.rows(), 240u);
  // data/springback/synthetic.csv is this generator's output with the defaults (README says how).
  EXPECT_EQ(alloyml::read_text_file(dir / "a.csv"),
            alloyml::read_text_file(alloyml::testing::source_dir() + "/data/springback/synthetic.csv"));
  o.seed = 1;
  o.rows = 120;
  o.straightness = true;
  write_springback_csv(dir / "s.csv", o);
  EXPECT_EQ(alloyml::read_text_file(dir / "s.csv"),
            alloyml::read_text_file(alloyml::testing::source_dir() + "/data/springback/straightness.csv"));
}
