#include "alloyml/data/mosaic.h"

#include <opencv2/imgproc.hpp>

#include "alloyml/core/error.h"

namespace alloyml::data {

cv::Mat stitch_mosaic(const std::array<cv::Mat, 4>& images, int seam) {
  const cv::Size size = images[0].size();
  for (const auto& im : images)
    if (im.empty() || im.type() != images[0].type()) throw Error("mosaic: four non-empty images of one type are needed");
  std::array<cv::Mat, 4> tiles;
  for (size_t i = 0; i < 4; ++i) {
    if (images[i].size() == size) tiles[i] = images[i];
    else cv::resize(images[i], tiles[i], size, 0, 0, cv::INTER_AREA);
  }
  cv::Mat top, bottom, out;
  cv::hconcat(tiles[0], tiles[1], top);
  cv::hconcat(tiles[2], tiles[3], bottom);
  cv::vconcat(top, bottom, out);
  if (seam > 0) {  // median-blur the bands around the seams (5 x 5: 8- or 16-bit, float)
    cv::Mat blurred;
    cv::medianBlur(out, blurred, 5);
    const int w = size.width, h = size.height;
    const cv::Rect vertical(std::max(0, w - seam), 0, std::min(2 * seam, 2 * w), 2 * h);
    const cv::Rect horizontal(0, std::max(0, h - seam), 2 * w, std::min(2 * seam, 2 * h));
    blurred(vertical).copyTo(out(vertical));
    blurred(horizontal).copyTo(out(horizontal));
  }
  return out;
}

cv::Mat mosaic(const std::array<cv::Mat, 4>& images, int seam) {
  cv::Mat out;
  cv::resize(stitch_mosaic(images, seam), out, images[0].size(), 0, 0, cv::INTER_AREA);
  return out;
}

cv::Mat fuse(const cv::Mat& a, const cv::Mat& b, double weight) {
  cv::Mat bb;
  if (b.size() == a.size()) bb = b;
  else cv::resize(b, bb, a.size(), 0, 0, cv::INTER_AREA);
  if (bb.type() != a.type()) throw Error("fusion: the two images differ in type");
  cv::Mat out;
  cv::addWeighted(a, 1.0 - weight, bb, weight, 0.0, out);
  return out;
}

}  // namespace alloyml::data
