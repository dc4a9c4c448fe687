#include "alloyml/classical/glcm.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "alloyml/core/error.h"

namespace alloyml::classical {

const std::vector<std::string>& glcm_property_names() {
  static const std::vector<std::string> names{"contrast", "dissimilarity", "homogeneity", "energy", "correlation", "ASM"};
  return names;
}

cv::Mat cooccurrence(const cv::Mat& q, int levels, int distance, int angle_deg, bool symmetric) {
  if (q.type() != CV_8UC1) throw Error("cooccurrence expects an 8-bit single-channel image");
  // scikit-image's offsets: row offset d*sin(angle), column offset d*cos(angle), rounded.
  const double a = angle_deg * M_PI / 180.0;
  const int dr = static_cast<int>(std::lround(distance * std::sin(a)));
  const int dc = static_cast<int>(std::lround(distance * std::cos(a)));
  // Integer counts in a flat table (the hot loop: one increment per pixel pair), then as doubles.
  // Integer counts in a flat table (the hot loop: one increment per pixel pair), then as doubles.
  std::vector<uint32_t> table(static_cast<size_t>(levels * levels), 0);
  uint32_t* t = table.data();
  const int c0 = std::max(0, -dc), c1 = q.cols - std::max(0, dc);
  for (int r = std::max(0, -dr); r < q.rows - std::max(0, dr); ++r) {
    const uchar* a_row = q.ptr<uchar>(r);
    const uchar* b_row = q.ptr<uchar>(r + dr) + dc;
    for (int c = c0; c < c1; ++c) ++t[a_row[c] * levels + b_row[c]];
  }
  cv::Mat counts(levels, levels, CV_64F);
  for (int i = 0; i < levels; ++i) {
    double* row = counts.ptr<double>(i);
    for (int j = 0; j < levels; ++j) row[j] = t[i * levels + j];
  }
  if (symmetric) counts += counts.t();
  const double total = cv::sum(counts)[0];
  if (total > 0) counts /= total;
  return counts;
}

std::vector<double> glcm_properties(const cv::Mat& p) {
  // One pass: the sums, and the raw moments for the correlation (var = E[i^2] - E[i]^2); the
  // weights that depend on |i - j| only come from a table.
  const int n = p.rows;
  std::vector<double> sq(static_cast<size_t>(n)), inv(static_cast<size_t>(n));
  for (int d = 0; d < n; ++d) {
    sq[static_cast<size_t>(d)] = static_cast<double>(d) * d;
    inv[static_cast<size_t>(d)] = 1.0 / (1.0 + static_cast<double>(d) * d);
  }
  double contrast = 0, dissimilarity = 0, homogeneity = 0, asm_ = 0, mean_i = 0, mean_j = 0;
  double ii = 0, jj = 0, ij = 0;
  for (int i = 0; i < n; ++i) {
    const double* row = p.ptr<double>(i);
    double row_sum = 0, row_j = 0, row_jj = 0;
    for (int j = 0; j < n; ++j) {
      const double v = row[j];
      const size_t d = static_cast<size_t>(i > j ? i - j : j - i);
      contrast += v * sq[d];
      dissimilarity += v * static_cast<double>(d);
      homogeneity += v * inv[d];
      asm_ += v * v;
      row_sum += v;
      row_j += v * j;
      row_jj += v * j * j;
    }
    mean_i += i * row_sum;
    ii += static_cast<double>(i) * i * row_sum;
    mean_j += row_j;
    jj += row_jj;
    ij += i * row_j;
  }
  const double var_i = ii - mean_i * mean_i, var_j = jj - mean_j * mean_j, cov = ij - mean_i * mean_j;
  // scikit-image: correlation is 1 where either standard deviation is (near) zero.
  const double correlation = var_i < 1e-15 || var_j < 1e-15 ? 1.0 : cov / std::sqrt(var_i * var_j);
  return {contrast, dissimilarity, homogeneity, std::sqrt(asm_), correlation, asm_};
}

std::vector<float> glcm_features(const cv::Mat& gray8, const GlcmOptions& o) {
  if (o.levels < 2 || o.levels > 256) throw InputError("GLCM levels must be in [2, 256]");
  if (gray8.type() != CV_8UC1) throw Error("glcm_features expects an 8-bit grayscale image");
  cv::Mat lut(1, 256, CV_8U), q;
  for (int v = 0; v < 256; ++v) lut.at<uchar>(v) = static_cast<uchar>(v * o.levels / 256);  // equal-width bins
  cv::LUT(gray8, lut, q);
  std::vector<float> f;
  for (int d : o.distances)
    for (int a : o.angles)
      for (double v : glcm_properties(cooccurrence(q, o.levels, d, a, o.symmetric))) f.push_back(static_cast<float>(v));
  return f;
}

}  // namespace alloyml::classical
