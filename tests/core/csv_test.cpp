#include <gtest/gtest.h>

#include "alloyml/core/csv.h"
#include "alloyml/core/error.h"
#include "test_util.h"

TEST(Csv, QuotesCrlfAndLineNumbers) {
  alloyml::testing::TempDir dir;
  alloyml::testing::write_file(dir / "a.csv", "path,label\r\n\"a, b.png\",x\r\n\r\nc.png,\"y \"\"z\"\"\"\r\n");
  const auto t = alloyml::read_csv(dir / "a.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0][0], "a, b.png");
  EXPECT_EQ(t.rows[1][1], "y \"z\"");
  EXPECT_EQ(t.line_numbers[1], 4u);
  EXPECT_EQ(t.column("label"), 1u);
}

TEST(Csv, MissingColumnNamesTheColumnsPresent) {
  alloyml::testing::TempDir dir;
  alloyml::testing::write_file(dir / "a.csv", "file,class\nx,y\n");
  const auto t = alloyml::read_csv(dir / "a.csv");
  try {
    t.column("path");
    FAIL();
  } catch (const alloyml::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("columns: file, class"), std::string::npos) << e.what();
  }
}

TEST(Csv, UnterminatedQuoteIsAnError) {
  alloyml::testing::TempDir dir;
  alloyml::testing::write_file(dir / "a.csv", "path,label\n\"x,y\n");
  EXPECT_THROW(alloyml::read_csv(dir / "a.csv"), alloyml::InputError);
}

TEST(Csv, AColumnNamedTwiceIsAnError) {
  alloyml::testing::TempDir dir;
  alloyml::testing::write_file(dir / "a.csv", "path,label, path\nx,y,z\n");
  try {
    alloyml::read_csv(dir / "a.csv");
    FAIL();
  } catch (const alloyml::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("a.csv:1: column 'path' is named twice in the header (columns 1 and 3)"),
              std::string::npos)
        << e.what();
  }
}

TEST(Csv, EscapeQuotesWhenNeeded) {
  EXPECT_EQ(alloyml::csv_escape("plain"), "plain");
  EXPECT_EQ(alloyml::csv_escape("a,b"), "\"a,b\"");
  EXPECT_EQ(alloyml::csv_escape("say \"hi\""), "\"say \"\"hi\"\"\"");
}
