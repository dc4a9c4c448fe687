#pragma once
// Mosaic and fusion of defect images (Huang et al. 2023, Section 3.1.2): new samples of a class
// from several of its images.
#include <array>

#include <opencv2/core.hpp>

namespace alloyml::data {

/// Four images of one class stitched 2 x 2 (each resized to the first one's size), the band of
/// `seam` pixels either side of the two seams median-blurred (5 x 5), at twice the size.
cv::Mat stitch_mosaic(const std::array<cv::Mat, 4>& images, int seam = 3);

/// stitch_mosaic resized back to the first image's size (area interpolation).
cv::Mat mosaic(const std::array<cv::Mat, 4>& images, int seam = 3);

/// Fusion: `a` blended with `b` (resized to `a`) as (1 - weight) a + weight b.
cv::Mat fuse(const cv::Mat& a, const cv::Mat& b, double weight = 0.5);

}  // namespace alloyml::data
