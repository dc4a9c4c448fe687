// The synthetic alloys of the gfa task: deterministic, long-tailed, parsable.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <set>

#include <gtest/gtest.h>

#include "alloyml/core/fs.h"
#include "alloyml/data/composition.h"
#include "alloyml/data/gfa_synthetic.h"
#include "test_util.h"

using namespace alloyml;

TEST(GfaSynthetic, DeterministicLongTailedAndParsable) {
  const auto a = data::synthetic_alloys(300, 1);
  EXPECT_EQ(a.size(), 300u);
  int zeros = 0;
  double mx = 0;
  for (const auto& x : a) {
    const auto c = data::parse_formula(x.formula);
    EXPECT_GE(c.fractions.size(), 2u);
    EXPECT_NEAR(data::synthetic_dmax(c.fractions), x.dmax_mm, 0.11) << x.formula;
    zeros += x.dmax_mm == 0;
    mx = std::max(mx, x.dmax_mm);
  }
  EXPECT_GT(zeros, 60);  // many poor glass formers
  EXPECT_GT(mx, 15);     // and a long tail
  EXPECT_EQ(data::synthetic_alloys(300, 1)[17].formula, a[17].formula);
  EXPECT_NE(data::synthetic_alloys(300, 2)[17].formula, a[17].formula);
}

TEST(GfaSynthetic, ShippedFileIsTheGeneratorsOutput) {
  // data/gfa/synthetic.csv is `alloyml-augment gfa -n 400 --seed 0` (data/gfa/README.md says so).
  alloyml::testing::TempDir dir;
  data::write_synthetic_alloys(dir / "s.csv", 400, 0);
  EXPECT_EQ(read_text_file(dir / "s.csv"), read_text_file(alloyml::testing::source_dir() + "/data/gfa/synthetic.csv"));
}
