// Composition tables and ternary grids of the glass-forming-ability task.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <set>

#include <gtest/gtest.h>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/tasks/gfa/table.h"
#include "alloyml/tasks/gfa/ternary.h"
#include "test_util.h"

using namespace alloyml;

TEST(GfaTable, ReadsSkipsAndNamesRows) {
  alloyml::testing::TempDir dir;
  const std::string path = dir / "alloys.csv";
  std::ofstream(path) << "bmg_alloy,paper,actual_d_max\r\nZr50Cu50,x,2\r\nCu4Q,x,1\r\n(Fe50Ni50)83B17,x,0.5\r\n";
  const auto t = tasks::read_gfa_table(path, "auto", "auto");
  EXPECT_EQ(t.formula_column, "bmg_alloy");
  EXPECT_EQ(t.target_column, "actual_d_max");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1].row, 3u);
  EXPECT_DOUBLE_EQ(t.rows[1].target, 0.5);
  ASSERT_EQ(t.skipped.size(), 1u);
  EXPECT_NE(t.skipped[0].find("alloys.csv: row 2 (line 3): formula 'Cu4Q'"), std::string::npos) << t.skipped[0];
  // A bad or negative target names file, row and column.
  std::ofstream(path) << "formula,dmax\nZr50Cu50,2\nCuZr,-1\n";
  try {
    tasks::read_gfa_table(path, "auto", "auto");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("row 2 (line 3), column 'dmax': a negative value"), std::string::npos) << e.what();
  }
  std::ofstream(path) << "formula,dmax\nZr50Cu50,big\n";
  EXPECT_THROW(tasks::read_gfa_table(path, "auto", "auto"), InputError);
  EXPECT_THROW(tasks::read_gfa_table(path, "alloy", "auto"), InputError);  // no such column
  std::ofstream(path) << "name,value\nZr50Cu50,1\n";
  EXPECT_THROW(tasks::read_gfa_table(path, "auto", "auto"), InputError);  // no formula column to find
}

TEST(Ternary, GridCountsAndErrors) {
  const auto g = tasks::ternary_grid("La-Co-Al", 10);
  EXPECT_EQ(g.size(), 66u);  // (n + 1)(n + 2) / 2 with n = 10
  for (const auto& p : g) EXPECT_NEAR(p.fractions[0] + p.fractions[1] + p.fractions[2], 1.0, 1e-12);
  EXPECT_EQ(g.front().formula, "La100");
  EXPECT_EQ(g[1].formula, "La90Co10");
  EXPECT_EQ(g.back().formula, "Al100");
  EXPECT_EQ(tasks::ternary_grid("Zr-Cu-Al", 2.5).size(), 861u);
  EXPECT_THROW(tasks::ternary_grid("La-Co", 1), InputError);
  EXPECT_THROW(tasks::ternary_grid("La-Co-Xx", 1), InputError);
  EXPECT_THROW(tasks::ternary_grid("La-La-Al", 1), InputError);
  EXPECT_THROW(tasks::ternary_grid("La-Co-Al", 3), InputError);
}
