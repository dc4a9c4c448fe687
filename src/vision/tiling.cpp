#include "alloyml/vision/tiling.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "alloyml/core/error.h"

namespace alloyml::vision {
namespace {

// The image as 8-bit grey (16-bit scaled down, colour converted).
cv::Mat gray8(const cv::Mat& image) {
  cv::Mat g = image;
  if (g.channels() == 3) cv::cvtColor(g, g, cv::COLOR_BGR2GRAY);
  else if (g.channels() == 4) cv::cvtColor(g, g, cv::COLOR_BGRA2GRAY);
  if (g.depth() == CV_16U) g.convertTo(g, CV_8U, 255.0 / 65535.0);
  else if (g.depth() != CV_8U) g.convertTo(g, CV_8U, 255.0);
  return g;
}

bool bar_like(const uchar* row, int width) {
  int hist[256] = {0};
  for (int x = 0; x < width; ++x) ++hist[row[x]];
  const int mode = static_cast<int>(std::max_element(hist, hist + 256) - hist);
  int near = 0;
  for (int v = std::max(0, mode - 10); v <= std::min(255, mode + 10); ++v) near += hist[v];
  return near >= 0.6 * width;
}

}  // namespace

std::string screen_tile(const cv::Mat& tile, const TileScreen& s) {
  const cv::Mat g = gray8(tile);
  cv::Scalar mean, sd;
  cv::meanStdDev(g, mean, sd);
  if (sd[0] < s.blank_std) return "blank";
  const double extreme = cv::countNonZero(g <= 0) + cv::countNonZero(g >= 255);
  if (extreme > s.saturated_fraction * static_cast<double>(g.total())) return "saturated";
  if (s.focus > 0) {
    cv::Mat lap;
    cv::Laplacian(g, lap, CV_64F);
    cv::meanStdDev(lap, mean, sd);
    if (sd[0] * sd[0] < s.focus) return "blurred";
  }
  return "keep";
}

int detect_info_bar(const cv::Mat& image) {
  const cv::Mat g = gray8(image);
  const int limit = g.rows * 2 / 5;
  int run = 0;
  while (run < limit && bar_like(g.ptr<uchar>(g.rows - 1 - run), g.cols)) ++run;
  return run >= 8 ? run : 0;
}

std::vector<cv::Point> tile_origins(int width, int height, int size, int stride) {
  if (size < 1 || stride < 1) throw InputError("tile size and stride must be at least 1");
  std::vector<cv::Point> out;
  for (int y = 0; y + size <= height; y += stride)
    for (int x = 0; x + size <= width; x += stride) out.emplace_back(x, y);
  return out;
}

}  // namespace alloyml::vision
