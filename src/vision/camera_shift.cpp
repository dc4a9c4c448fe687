#include "alloyml/vision/camera_shift.h"

#include <cmath>
#include <random>

#include <opencv2/imgproc.hpp>

#include "alloyml/core/error.h"

namespace alloyml::vision {

cv::Mat camera_shift(const cv::Mat& image, const CameraShift& s, std::uint64_t seed) {
  if (image.empty()) throw Error("camera_shift: empty image");
  const double full = image.depth() == CV_16U ? 65535.0 : image.depth() == CV_8U ? 255.0 : 1.0;
  cv::Mat x;
  image.convertTo(x, CV_MAKETYPE(CV_32F, image.channels()), 1.0 / full);
  if (s.blur > 0) cv::GaussianBlur(x, x, cv::Size(), s.blur, s.blur, cv::BORDER_REFLECT101);
  // The illumination ramp: the projection of each pixel on the direction, scaled to [-1, 1].
  const double a = s.angle_deg * M_PI / 180.0, ca = std::cos(a), sa = std::sin(a);
  const double cx = (x.cols - 1) / 2.0, cy = (x.rows - 1) / 2.0;
  const double reach = std::max(1e-9, std::abs(ca) * cx + std::abs(sa) * cy);
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> noise(0.0f, static_cast<float>(s.noise));
  const int c = x.channels();
  for (int r = 0; r < x.rows; ++r) {
    float* p = x.ptr<float>(r);
    for (int col = 0; col < x.cols; ++col) {
      const double t = ((col - cx) * ca + (r - cy) * sa) / reach;
      const double gain = 1.0 + s.gradient * t;
      for (int k = 0; k < c; ++k) {
        double v = std::clamp(p[col * c + k] * gain, 0.0, 1.0);
        v = std::pow(v, s.gamma);
        v = 0.5 + s.contrast * (v - 0.5);
        if (s.noise > 0) v += noise(rng);
        p[col * c + k] = static_cast<float>(std::clamp(v, 0.0, 1.0));
      }
    }
  }
  cv::Mat out;
  x.convertTo(out, image.type(), full);
  return out;
}

}  // namespace alloyml::vision
