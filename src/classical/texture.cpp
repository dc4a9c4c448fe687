#include "alloyml/classical/texture.h"

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "alloyml/classical/glcm.h"
#include "alloyml/core/error.h"

namespace alloyml::classical {
namespace {

void require_gray8(const cv::Mat& img, const char* who) {
  if (img.type() != CV_8UC1) throw Error(std::string(who) + " expects an 8-bit grayscale image");
}

}  // namespace

// Huang et al. 2023 (Fig. 17) compare against Gabor features; the kernel is scikit-image's
// gabor_kernel: sigma = prefactor(b) / f, prefactor(b) = sqrt(ln 2 / 2) (2^b + 1) / (pi (2^b - 1)).
cv::Mat gabor_kernel(double frequency, double theta, double bandwidth, bool imaginary) {
  if (!(frequency > 0)) throw InputError("Gabor frequency must be positive");
  const double b = std::pow(2.0, bandwidth);
  const double sigma = std::sqrt(std::log(2.0) / 2.0) * (b + 1) / (M_PI * (b - 1)) / frequency;
  const double ct = std::cos(theta), st = std::sin(theta);
  const int x0 = static_cast<int>(std::ceil(std::max({std::abs(3 * sigma * ct), std::abs(3 * sigma * st), 1.0})));
  const int y0 = x0;  // sigma_x == sigma_y: the same bound on both axes
  cv::Mat k(2 * y0 + 1, 2 * x0 + 1, CV_64F);
  for (int y = -y0; y <= y0; ++y)
    for (int x = -x0; x <= x0; ++x) {
      const double rx = x * ct + y * st, ry = -x * st + y * ct;
      const double envelope = std::exp(-0.5 * (rx * rx + ry * ry) / (sigma * sigma)) / (2 * M_PI * sigma * sigma);
      const double phase = 2 * M_PI * frequency * rx;
      k.at<double>(y + y0, x + x0) = envelope * (imaginary ? std::sin(phase) : std::cos(phase));
    }
  return k;
}

std::vector<float> gabor_features(const cv::Mat& gray8, const GaborOptions& o) {
  require_gray8(gray8, "gabor_features");
  if (o.orientations < 1) throw InputError("Gabor orientations must be at least 1");
  cv::Mat img;
  gray8.convertTo(img, CV_32F, 1.0 / 255.0);
  std::vector<float> f;
  for (double freq : o.frequencies)
    for (int i = 0; i < o.orientations; ++i) {
      const double theta = M_PI * i / o.orientations;
      cv::Mat parts[2];
      for (int imag = 0; imag < 2; ++imag) {
        // scipy.ndimage.convolve (mode "reflect": d c b a | a b c d) is a correlation with the
        // kernel flipped on both axes.
        cv::Mat k;
        cv::flip(gabor_kernel(freq, theta, o.bandwidth, imag == 1), k, -1);
        k.convertTo(k, CV_32F);
        cv::filter2D(img, parts[imag], CV_32F, k, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
      }
      cv::Mat magnitude, mean, sd;
      cv::magnitude(parts[0], parts[1], magnitude);
      cv::meanStdDev(magnitude, mean, sd);  // population standard deviation, as numpy's std
      f.push_back(static_cast<float>(mean.at<double>(0)));
      f.push_back(static_cast<float>(sd.at<double>(0)));
    }
  return f;
}

// Ojala et al. 2002's uniform LBP, as scikit-image's _local_binary_pattern (method "U") computes it.
cv::Mat lbp_uniform(const cv::Mat& gray8, int points, double radius) {
  require_gray8(gray8, "lbp_uniform");
  if (points < 2 || !(radius > 0)) throw InputError("LBP needs at least 2 points and a positive radius");
  const int rows = gray8.rows, cols = gray8.cols;
  std::vector<double> rp(static_cast<size_t>(points)), cp(static_cast<size_t>(points));
  for (int i = 0; i < points; ++i) {  // numpy's round(x, 5): rint(x * 1e5) / 1e5
    rp[static_cast<size_t>(i)] = std::nearbyint(-radius * std::sin(2 * M_PI * i / points) * 1e5) / 1e5;
    cp[static_cast<size_t>(i)] = std::nearbyint(radius * std::cos(2 * M_PI * i / points) * 1e5) / 1e5;
  }
  auto pixel = [&](long r, long c) -> double {  // constant 0 outside, as skimage's mode "C"
    return r < 0 || c < 0 || r >= rows || c >= cols ? 0.0 : gray8.at<uchar>(static_cast<int>(r), static_cast<int>(c));
  };
  cv::Mat out(rows, cols, CV_32S);
  std::vector<char> bit(static_cast<size_t>(points));
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const double centre = gray8.at<uchar>(r, c);
      int ones = 0;
      for (int i = 0; i < points; ++i) {
        const double y = r + rp[static_cast<size_t>(i)], x = c + cp[static_cast<size_t>(i)];
        const long y0 = static_cast<long>(std::floor(y)), x0 = static_cast<long>(std::floor(x));
        const long y1 = static_cast<long>(std::ceil(y)), x1 = static_cast<long>(std::ceil(x));
        const double dy = y - static_cast<double>(y0), dx = x - static_cast<double>(x0);
        const double top = (1 - dx) * pixel(y0, x0) + dx * pixel(y0, x1);
        const double bottom = (1 - dx) * pixel(y1, x0) + dx * pixel(y1, x1);
        const double v = (1 - dy) * top + dy * bottom;
        bit[static_cast<size_t>(i)] = v - centre >= 0 ? 1 : 0;
        ones += bit[static_cast<size_t>(i)];
      }
      int changes = 0;
      for (int i = 0; i + 1 < points; ++i) changes += bit[static_cast<size_t>(i)] != bit[static_cast<size_t>(i + 1)];
      out.at<int>(r, c) = changes <= 2 ? ones : points + 1;
    }
  return out;
}

std::vector<float> lbp_features(const cv::Mat& gray8, const LbpOptions& o) {
  std::vector<float> f;
  for (const auto& [points, radius] : o.scales) {
    const cv::Mat codes = lbp_uniform(gray8, points, radius);
    std::vector<double> hist(static_cast<size_t>(points + 2), 0.0);
    for (int r = 0; r < codes.rows; ++r)
      for (int c = 0; c < codes.cols; ++c) hist[static_cast<size_t>(codes.at<int>(r, c))] += 1;
    const double n = static_cast<double>(codes.total());
    for (double h : hist) f.push_back(static_cast<float>(h / n));
  }
  return f;
}

// Dalal and Triggs 2005, as scikit-image's hog computes it (no smoothing, hard bins).
std::vector<float> hog_features(const cv::Mat& gray8, const HogOptions& o) {
  require_gray8(gray8, "hog_features");
  if (o.orientations < 1 || o.cell < 1 || o.block < 1) throw InputError("HOG orientations, cell and block must be positive");
  const int rows = gray8.rows, cols = gray8.cols;
  const int cells_r = rows / o.cell, cells_c = cols / o.cell;
  if (cells_r < o.block || cells_c < o.block)
    throw InputError("HOG: a " + std::to_string(cols) + "x" + std::to_string(rows) + " image has fewer cells of " +
                     std::to_string(o.cell) + " px than a block of " + std::to_string(o.block));
  cv::Mat img;
  gray8.convertTo(img, CV_64F);
  // Central differences, zero on the border rows and columns.
  cv::Mat magnitude(rows, cols, CV_64F, cv::Scalar(0)), angle(rows, cols, CV_64F, cv::Scalar(0));
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const double gr = r > 0 && r < rows - 1 ? img.at<double>(r + 1, c) - img.at<double>(r - 1, c) : 0.0;
      const double gc = c > 0 && c < cols - 1 ? img.at<double>(r, c + 1) - img.at<double>(r, c - 1) : 0.0;
      magnitude.at<double>(r, c) = std::hypot(gc, gr);
      double a = std::fmod(std::atan2(gr, gc) * 180.0 / M_PI, 180.0);  // numpy's % 180: into [0, 180)
      if (a < 0) a += 180.0;
      if (a >= 180.0) a -= 180.0;
      angle.at<double>(r, c) = a;
    }
  const double width = 180.0 / o.orientations;
  std::vector<double> hist(static_cast<size_t>(cells_r * cells_c * o.orientations), 0.0);
  for (int cr = 0; cr < cells_r; ++cr)
    for (int cc = 0; cc < cells_c; ++cc) {
      double* h = &hist[static_cast<size_t>((cr * cells_c + cc) * o.orientations)];
      for (int r = cr * o.cell; r < (cr + 1) * o.cell; ++r)
        for (int c = cc * o.cell; c < (cc + 1) * o.cell; ++c) {
          const double a = angle.at<double>(r, c);
          for (int i = 0; i < o.orientations; ++i)  // bin i holds [width i, width (i + 1))
            if (a >= width * i && a < width * (i + 1)) {
              h[i] += magnitude.at<double>(r, c);
              break;
            }
        }
      for (int i = 0; i < o.orientations; ++i) h[i] /= static_cast<double>(o.cell * o.cell);
    }
  std::vector<float> f;
  const double eps = 1e-5;
  std::vector<double> block;
  for (int br = 0; br + o.block <= cells_r; ++br)
    for (int bc = 0; bc + o.block <= cells_c; ++bc) {
      block.clear();
      for (int r = br; r < br + o.block; ++r)
        for (int c = bc; c < bc + o.block; ++c)
          for (int i = 0; i < o.orientations; ++i) block.push_back(hist[static_cast<size_t>((r * cells_c + c) * o.orientations + i)]);
      // L2-Hys: L2-normalise, clip at 0.2, L2-normalise again.
      double ss = 0;
      for (double v : block) ss += v * v;
      double norm = std::sqrt(ss + eps * eps);
      ss = 0;
      for (double& v : block) {
        v = std::min(v / norm, 0.2);
        ss += v * v;
      }
      norm = std::sqrt(ss + eps * eps);
      for (double v : block) f.push_back(static_cast<float>(v / norm));
    }
  return f;
}

const std::vector<std::string>& texture_feature_kinds() {
  static const std::vector<std::string> kinds{"glcm", "gabor", "lbp", "hog"};
  return kinds;
}

std::vector<float> texture_features(const std::string& kind, const cv::Mat& gray8) {
  if (kind == "glcm") return glcm_features(gray8, {});
  if (kind == "gabor") return gabor_features(gray8, {});
  if (kind == "lbp") return lbp_features(gray8, {});
  if (kind == "hog") return hog_features(gray8, {});
  throw InputError("unknown texture features '" + kind + "' (glcm, gabor, lbp or hog)");
}

}  // namespace alloyml::classical
