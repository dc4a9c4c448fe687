#include <gtest/gtest.h>

#include <filesystem>

#include <opencv2/imgcodecs.hpp>

#include "alloyml/core/error.h"
#include "alloyml/data/image_set.h"
#include "alloyml/data/synthetic.h"
#include "test_util.h"

using alloyml::InputError;
using alloyml::data::DataOptions;
using alloyml::data::discover_images;
using alloyml::testing::TempDir;

namespace {
void write_image(const std::string& path, int value = 128) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  cv::imwrite(path, cv::Mat(8, 8, CV_8UC1, cv::Scalar(value)));
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(ImageSet, FlatFolderTakesLabelBeforeLastUnderscore) {
  TempDir dir;
  alloyml::data::write_surface_defects(dir.str(), 2, 32, 0);
  const auto set = discover_images(dir.str(), DataOptions{});
  EXPECT_EQ(set.class_names, alloyml::data::surface_defect_classes());
  ASSERT_EQ(set.samples.size(), 12u);
  for (const auto& s : set.samples) {
    const std::string name = std::filesystem::path(s.path).filename().string();
    EXPECT_EQ(name.rfind(set.class_names[static_cast<size_t>(s.label)] + "_", 0), 0u) << name;
  }
}

TEST(ImageSet, ClassSubfoldersAreDetected) {
  TempDir dir;
  write_image(dir / "ferrite/a.png");
  write_image(dir / "ferrite/b.png");
  write_image(dir / "martensite/deeper/c.tif");
  const auto set = discover_images(dir.str(), DataOptions{});
  EXPECT_EQ(set.class_names, (std::vector<std::string>{"ferrite", "martensite"}));
  EXPECT_EQ(set.samples.size(), 3u);
}

TEST(ImageSet, EmptyClassFolderIsAnErrorNamingIt) {
  TempDir dir;
  write_image(dir / "ferrite/a.png");
  std::filesystem::create_directories(dir / "bainite");
  EXPECT_NE(error_of([&] { discover_images(dir.str(), DataOptions{}); }).find("bainite"), std::string::npos);
}

TEST(ImageSet, FolderWithoutImagesIsAnError) {
  TempDir dir;
  alloyml::testing::write_file(dir / "notes.txt", "x");
  EXPECT_NE(error_of([&] { discover_images(dir.str(), DataOptions{}); }).find("no images"), std::string::npos);
}

TEST(ImageSet, ManifestRowWithMissingFileNamesTheRow) {
  TempDir dir;
  write_image(dir / "a.png");
  alloyml::testing::write_file(dir / "m.csv", "path,label\na.png,x\nmissing.png,y\n");
  const std::string msg = error_of([&] { discover_images(dir / "m.csv", DataOptions{}); });
  EXPECT_NE(msg.find("m.csv:3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("missing.png"), std::string::npos) << msg;
}

TEST(ImageSet, ManifestPathsAreRelativeToTheCsv) {
  TempDir dir;
  write_image(dir / "img/a.png");
  write_image(dir / "img/b.png");
  alloyml::testing::write_file(dir / "m.csv", "path,label\nimg/a.png,x\nimg/b.png,y\n");
  const auto set = discover_images(dir / "m.csv", DataOptions{});
  EXPECT_EQ(set.samples.size(), 2u);
  EXPECT_EQ(set.class_names, (std::vector<std::string>{"x", "y"}));
}

TEST(ImageSet, KnownClassesKeepTheirIndicesAndRejectOthers) {
  TempDir dir;
  write_image(dir / "b_1.png");
  const auto set = discover_images(dir.str(), DataOptions{}, {"a", "b"});
  ASSERT_EQ(set.samples.size(), 1u);
  EXPECT_EQ(set.samples[0].label, 1);
  EXPECT_NE(error_of([&] { discover_images(dir.str(), DataOptions{}, {"a", "c"}); }).find("'b'"), std::string::npos);
}

TEST(ImageSet, ConfigurableLabelPattern) {
  TempDir dir;
  write_image(dir / "x-0001-ferrite.png");
  write_image(dir / "x-0002-pearlite.png");
  DataOptions o;
  o.label_pattern = "^x-\\d+-(\\w+)$";
  const auto set = discover_images(dir.str(), o);
  EXPECT_EQ(set.class_names, (std::vector<std::string>{"ferrite", "pearlite"}));
}

// data.scale_column (issue 36): each image's micrometres per pixel from its manifest row; a row
// without one, or with a value that is no positive number, is an error naming the line.
TEST(ImageSet, ScaleColumnGivesEachImageItsScale) {
  TempDir dir;
  write_image(dir / "a/1.png");
  write_image(dir / "b/2.png");
  alloyml::testing::write_file(dir / "m.csv", "path,label,um_per_px\na/1.png,a,0.25\nb/2.png,b,1.5\n");
  DataOptions o;
  o.scale_column = "um_per_px";
  const auto set = discover_images(dir / "m.csv", o);
  ASSERT_EQ(set.samples.size(), 2u);
  EXPECT_DOUBLE_EQ(set.samples[0].um_per_px, 0.25);
  EXPECT_DOUBLE_EQ(set.samples[1].um_per_px, 1.5);
  alloyml::testing::write_file(dir / "gap.csv", "path,label,um_per_px\na/1.png,a,0.25\nb/2.png,b,\n");
  try {
    discover_images(dir / "gap.csv", o);
    FAIL() << "a row without a scale was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("gap.csv:3"), std::string::npos) << e.what();
  }
  alloyml::testing::write_file(dir / "bad.csv", "path,label,um_per_px\na/1.png,a,-2\nb/2.png,b,1\n");
  EXPECT_THROW(discover_images(dir / "bad.csv", o), InputError);
  o.scale_column = "scale";
  EXPECT_THROW(discover_images(dir / "m.csv", o), InputError);  // no such column
  EXPECT_THROW(discover_images(dir.str(), o), InputError);       // a folder has no scale column
}
