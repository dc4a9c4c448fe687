#pragma once
// Image pre-processing of Huang et al. 2023 (section 3.1.1): bilateral filtering against
// noise, a histogram-based contrast stretch, and OTSU thresholding of the defect.
#include <opencv2/core.hpp>

namespace alloyml::vision {

/// Edge-preserving smoothing (cv::bilateralFilter).
cv::Mat bilateral(const cv::Mat& gray, int diameter, double sigma_color, double sigma_space);

/// Linear stretch of the intensities between the `clip_percent` and 100 - `clip_percent`
/// percentiles of the histogram onto [0, 255].
cv::Mat contrast_stretch(const cv::Mat& gray, double clip_percent);

/// Binary mask by OTSU's threshold (defect pixels 255).
cv::Mat otsu_mask(const cv::Mat& gray);

}  // namespace alloyml::vision
