#pragma once
// The hand-crafted texture features of Huang et al. 2023's classical baselines (Fig. 17), each
// computed exactly as scikit-image computes it, so a Python peer can check every number:
// a Gabor filter bank (skimage.filters.gabor), uniform local binary patterns
// (skimage.feature.local_binary_pattern) and histograms of oriented gradients
// (skimage.feature.hog), beside the GLCM properties of glcm.h.
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

namespace alloyml::classical {

struct GaborOptions {
  /// Spatial frequencies in cycles per pixel. Default {0.1, 0.2, 0.3, 0.4}.
  std::vector<double> frequencies{0.1, 0.2, 0.3, 0.4};
  /// Orientations, evenly spaced over 180 degrees. Default 4 (0, 45, 90, 135).
  int orientations = 4;
  /// Half-magnitude bandwidth in octaves (sets sigma = prefactor(b) / frequency). Default 1.
  double bandwidth = 1.0;
};

/// skimage.filters.gabor_kernel(frequency, theta, bandwidth) with n_stds 3 and offset 0: its real
/// or imaginary part, CV_64F, rows along y.
cv::Mat gabor_kernel(double frequency, double theta, double bandwidth, bool imaginary);

/// Per filter (frequency-major, then orientation): the mean and the standard deviation of the
/// magnitude of the complex response, on the image scaled to [0, 1] with reflected borders.
std::vector<float> gabor_features(const cv::Mat& gray8, const GaborOptions& options);

struct LbpOptions {
  /// (points P, radius R) of each scale. Default (8, 1), (16, 2), (24, 3).
  std::vector<std::pair<int, double>> scales{{8, 1.0}, {16, 2.0}, {24, 3.0}};
};

/// skimage's local_binary_pattern(image, P, R, method="uniform"): per pixel, P + 1 for a pattern
/// with more than two 0/1 changes (counted along the circle without wrapping, as skimage does),
/// else its number of neighbours at or above the centre. CV_32S.
cv::Mat lbp_uniform(const cv::Mat& gray8, int points, double radius);

/// Per scale, the normalised histogram of the uniform codes (P + 2 bins).
std::vector<float> lbp_features(const cv::Mat& gray8, const LbpOptions& options);

struct HogOptions {
  /// Orientation bins over [0, 180) degrees. Default 9.
  int orientations = 9;
  /// Cell side in pixels. Default 16.
  int cell = 16;
  /// Block side in cells (blocks overlap by all but one cell). Default 2.
  int block = 2;
};

/// skimage.feature.hog(image, orientations, (cell, cell), (block, block), "L2-Hys"): central
/// differences, hard orientation bins averaged per cell, L2-Hys per block, flattened as
/// (block row, block column, cell row, cell column, orientation).
std::vector<float> hog_features(const cv::Mat& gray8, const HogOptions& options);

/// The feature kinds a classical model can use: glcm, gabor, lbp, hog.
const std::vector<std::string>& texture_feature_kinds();

/// One image's feature vector of `kind` with the default options.
std::vector<float> texture_features(const std::string& kind, const cv::Mat& gray8);

}  // namespace alloyml::classical
