#include "alloyml/vision/preprocess.h"

#include <opencv2/imgproc.hpp>

#include "alloyml/core/error.h"

namespace alloyml::vision {

cv::Mat bilateral(const cv::Mat& gray, int diameter, double sigma_color, double sigma_space) {
  cv::Mat out;
  cv::bilateralFilter(gray, out, diameter, sigma_color, sigma_space);
  return out;
}

cv::Mat contrast_stretch(const cv::Mat& gray, double clip_percent) {
  if (gray.type() != CV_8UC1) throw Error("contrast_stretch expects an 8-bit grayscale image");
  int hist[256] = {0};
  for (int y = 0; y < gray.rows; ++y) {
    const uchar* row = gray.ptr<uchar>(y);
    for (int x = 0; x < gray.cols; ++x) ++hist[row[x]];
  }
  const double total = static_cast<double>(gray.total());
  const double clip = total * clip_percent / 100.0;
  int lo = 0, hi = 255;
  for (double acc = 0; lo < 255 && (acc += hist[lo]) <= clip;) ++lo;
  for (double acc = 0; hi > 0 && (acc += hist[hi]) <= clip;) --hi;
  if (hi <= lo) return gray.clone();
  cv::Mat out;
  gray.convertTo(out, CV_8U, 255.0 / (hi - lo), -255.0 * lo / (hi - lo));
  return out;
}

cv::Mat otsu_mask(const cv::Mat& gray) {
  cv::Mat mask;
  cv::threshold(gray, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  // Defects are the minority phase: make them white.
  if (cv::countNonZero(mask) > static_cast<int>(mask.total() / 2)) cv::bitwise_not(mask, mask);
  return mask;
}

}  // namespace alloyml::vision
