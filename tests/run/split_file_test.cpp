// split.csv: one format written, the current and the three older formats read.
#include <gtest/gtest.h>

#include "alloyml/core/error.h"
#include "alloyml/run/split_file.h"
#include "test_util.h"

using namespace alloyml;
using alloyml::testing::TempDir;
using alloyml::testing::write_file;

TEST(SplitFile, RoundTripKeepsOrderAndFields) {
  TempDir dir;
  const std::vector<run::SplitEntry> written{{"/data/a.png", 0, "", "crazing", "train", ""},
                                             {"/data/t.csv", 7, "Zr50Cu50", "", "test", ""},
                                             {"nowhere.png", 0, "", "x", "", ""},
                                             {"/data/b,c.png", 0, "", "pitted", "val", ""},
                                             {"/data/cut.png", 0, "", "pitted", "skipped", ""}};
  run::write_split_file(dir / "split.csv", written);
  const auto read = run::read_split_file(dir / "split.csv");
  ASSERT_EQ(read.size(), 4u);  // an entry in no part is left out
  EXPECT_EQ(read[0].source, "/data/a.png");
  EXPECT_EQ(read[0].row, 0);
  EXPECT_EQ(read[0].label, "crazing");
  EXPECT_EQ(read[1].row, 7);
  EXPECT_EQ(read[1].item, "Zr50Cu50");
  EXPECT_EQ(read[1].split, "test");
  EXPECT_EQ(read[2].source, "/data/b,c.png");  // quoted and read back
  EXPECT_EQ(read[2].split, "val");
  EXPECT_EQ(read[3].split, run::kSkippedSplit);  // unreadable while training: kept in order, in no part
}

TEST(SplitFile, ReadsTheOlderFormats) {
  TempDir dir;
  write_file(dir / "images.csv", "path,label,split\n/x/a.png,crazing,train\n/x/b.png,patches,test\n");
  write_file(dir / "springback.csv", "source,row,split\n/d/s.csv,3,val\n");
  write_file(dir / "gfa.csv", "row,formula,split\n12,Cu50Zr50,test\n");
  const auto images = run::read_split_file(dir / "images.csv");
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images[1].source, "/x/b.png");
  EXPECT_EQ(images[1].label, "patches");
  const auto spring = run::read_split_file(dir / "springback.csv");
  ASSERT_EQ(spring.size(), 1u);
  EXPECT_EQ(spring[0].source, "/d/s.csv");
  EXPECT_EQ(spring[0].row, 3);
  const auto gfa = run::read_split_file(dir / "gfa.csv");
  ASSERT_EQ(gfa.size(), 1u);
  EXPECT_EQ(gfa[0].row, 12);
  EXPECT_EQ(gfa[0].item, "Cu50Zr50");
  EXPECT_TRUE(gfa[0].source.empty());
}

TEST(SplitFile, ErrorsNameTheFileAndLine) {
  TempDir dir;
  write_file(dir / "bad.csv", "source,row,item,label,split\na.png,,,c,train\nb.png,,,c,holdout\n");
  try {
    run::read_split_file(dir / "bad.csv");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:3: unknown split 'holdout'"), std::string::npos) << e.what();
  }
  write_file(dir / "row.csv", "source,row,item,label,split\nt.csv,x1,,,train\n");
  EXPECT_THROW(run::read_split_file(dir / "row.csv"), InputError);
  write_file(dir / "nosplit.csv", "path,label\na.png,c\n");
  EXPECT_THROW(run::read_split_file(dir / "nosplit.csv"), InputError);
}
