#pragma once
// Grey-level co-occurrence texture features (Haralick et al. 1973), the hand-crafted baseline
// Luo et al. compare their CNNs against. Properties as scikit-image's graycoprops defines them.
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace alloyml::classical {

struct GlcmOptions {
  /// Pixel distances of the co-occurring pairs. Default {1, 2, 3}.
  std::vector<int> distances{1, 2, 3};
  /// Angles in degrees (0, 45, 90, 135). Default all four.
  std::vector<int> angles{0, 45, 90, 135};
  /// Grey levels after quantisation (the matrix is levels x levels). Default 64.
  int levels = 64;
  /// Count (i, j) and (j, i) alike, as graycomatrix(symmetric=True). Default true.
  bool symmetric = true;
};

/// The six properties, in this order, for every (distance, angle).
const std::vector<std::string>& glcm_property_names();

/// Normalised co-occurrence matrix (levels x levels, CV_64F) of an 8-bit grayscale image
/// already quantised to [0, levels).
cv::Mat cooccurrence(const cv::Mat& quantised, int levels, int distance, int angle_deg, bool symmetric);

/// contrast, dissimilarity, homogeneity, energy, correlation, ASM of a normalised matrix.
std::vector<double> glcm_properties(const cv::Mat& p);

/// The feature vector of an image: properties x distances x angles (distance-major).
std::vector<float> glcm_features(const cv::Mat& gray8, const GlcmOptions& options);

}  // namespace alloyml::classical
