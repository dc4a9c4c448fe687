#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include <opencv2/imgcodecs.hpp>

#include "alloyml/data/image_integrity.h"
#include "alloyml/data/transforms.h"
#include "test_util.h"

using alloyml::data::decode_image;
using alloyml::data::encoded_image_problem;
using Bytes = std::vector<std::uint8_t>;

namespace {
// A textured 200 x 200 image (like a NEU tile), so its JPEG is tens of kilobytes.
cv::Mat texture() {
  cv::Mat img(200, 200, CV_8UC1);
  cv::randu(img, 0, 255);
  return img;
}

Bytes encode(const std::string& ext) {
  Bytes out;
  cv::imencode(ext, texture(), out);
  return out;
}

void write_bytes(const std::string& path, const Bytes& b) {
  alloyml::testing::write_file(path, std::string(b.begin(), b.end()));
}
}  // namespace

TEST(ImageIntegrity, IntactJpegAndPngPass) {
  EXPECT_EQ(encoded_image_problem(encode(".jpg")), "");
  EXPECT_EQ(encoded_image_problem(encode(".png")), "");
}

TEST(ImageIntegrity, JpegCutShortIsDamaged) {
  Bytes jpg = encode(".jpg");
  ASSERT_GT(jpg.size(), 5000u);
  jpg.resize(700);  // the header and the start of the scan
  EXPECT_NE(encoded_image_problem(jpg).find("damaged JPEG data"), std::string::npos) << encoded_image_problem(jpg);
}

TEST(ImageIntegrity, JpegWithoutEndMarkerIsDamaged) {
  Bytes jpg = encode(".jpg");
  jpg.resize(jpg.size() - 2);  // every pixel is there, the end-of-image marker is not
  EXPECT_NE(encoded_image_problem(jpg), "");
}

TEST(ImageIntegrity, JpegWithCorruptScanIsDamaged) {
  Bytes jpg = encode(".jpg");
  for (size_t i = jpg.size() / 2; i < jpg.size() / 2 + 64; ++i) jpg[i] = 0xFF;  // fill bytes where data belongs
  EXPECT_NE(encoded_image_problem(jpg), "");
}

TEST(ImageIntegrity, PngCrcErrorAndTruncationAreFound) {
  Bytes png = encode(".png");
  Bytes flipped = png;
  flipped[png.size() / 2] ^= 0x01;
  EXPECT_NE(encoded_image_problem(flipped).find("CRC error in chunk IDAT"), std::string::npos);
  Bytes cut(png.begin(), png.begin() + static_cast<long>(png.size() / 2));
  EXPECT_NE(encoded_image_problem(cut).find("truncated PNG"), std::string::npos);
  Bytes no_end(png.begin(), png.end() - 12);  // without the IEND chunk
  EXPECT_EQ(encoded_image_problem(no_end), "truncated PNG (no IEND chunk)");
}

TEST(ImageIntegrity, OtherFormatsAreLeftToTheirDecoder) {
  EXPECT_EQ(encoded_image_problem(Bytes{'B', 'M', 1, 2, 3}), "");
}

TEST(ImageIntegrity, DecodeImageRefusesDamagedFilesAndSaysWhy) {
  alloyml::testing::TempDir dir;
  Bytes jpg = encode(".jpg");
  write_bytes(dir / "good.jpg", jpg);
  jpg.resize(700);
  write_bytes(dir / "cut.jpg", jpg);
  write_bytes(dir / "empty.jpg", {});
  std::string why;
  EXPECT_FALSE(decode_image(dir / "good.jpg", 1, &why).empty());
  EXPECT_TRUE(decode_image(dir / "cut.jpg", 3, &why).empty());
  EXPECT_NE(why.find("damaged JPEG data"), std::string::npos) << why;
  EXPECT_TRUE(decode_image(dir / "empty.jpg", 1, &why).empty());
  EXPECT_EQ(why, "empty file");
}

TEST(ImageIntegrity, NoFalseAlarmOnTheRealNeuImages) {
  const std::string dir = alloyml::testing::shared_dir() + "/data/neu-det-dev/IMAGES";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << dir << " is absent";
  int checked = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    const Bytes b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(encoded_image_problem(b), "") << e.path();
    ++checked;
  }
  EXPECT_EQ(checked, 1200);
}
