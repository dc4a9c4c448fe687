#include "alloyml/data/synthetic.h"

#include <cmath>
#include <filesystem>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "alloyml/core/error.h"
#include "alloyml/core/rng.h"
#include "alloyml/data/image_write.h"

namespace alloyml::data {
namespace {

// Rolled steel background: mid-grey with low-frequency shading and fine grain along the rolling direction.
cv::Mat steel_background(int size, std::mt19937_64& rng) {
  cv::Mat base(size, size, CV_32F);
  cv::RNG cvrng(rng());
  cvrng.fill(base, cv::RNG::NORMAL, 0.0, 1.0);
  cv::Mat grain;
  cv::GaussianBlur(base, grain, cv::Size(0, 0), 0.6, 3.0);
  cv::Mat low(4, 4, CV_32F);
  cvrng.fill(low, cv::RNG::NORMAL, 0.0, 1.0);
  cv::resize(low, low, cv::Size(size, size), 0, 0, cv::INTER_CUBIC);
  cv::Mat img = 128.0f + 6.0f * grain + 8.0f * low;
  return img;
}

cv::Point random_point(int size, std::mt19937_64& rng) {
  return {static_cast<int>(rng() % static_cast<unsigned>(size)), static_cast<int>(rng() % static_cast<unsigned>(size))};
}

double u(std::mt19937_64& rng, double lo, double hi) { return lo + (hi - lo) * uniform01(rng); }

void draw_crazing(cv::Mat& img, std::mt19937_64& rng) {
  // A network of short, branching dark cracks.
  const int s = img.cols;
  const int walks = 8 + static_cast<int>(rng() % 8);
  for (int w = 0; w < walks; ++w) {
    cv::Point2d p = random_point(s, rng);
    double angle = u(rng, 0, 2 * M_PI);
    for (int k = 0; k < 12; ++k) {
      angle += u(rng, -0.9, 0.9);
      const cv::Point2d q = p + cv::Point2d(std::cos(angle), std::sin(angle)) * (s / 20.0);
      cv::line(img, p, q, cv::Scalar(u(rng, 70, 100)), 1, cv::LINE_AA);
      p = q;
    }
  }
}

void draw_inclusion(cv::Mat& img, std::mt19937_64& rng) {
  // A few dark elongated inclusions along the rolling direction.
  const int s = img.cols;
  const int n = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < n; ++i) {
    const cv::Point c = random_point(s, rng);
    const cv::Size axes(std::max(2, static_cast<int>(u(rng, 0.02, 0.06) * s)), std::max(4, static_cast<int>(u(rng, 0.1, 0.3) * s)));
    cv::ellipse(img, c, axes, u(rng, -15, 15), 0, 360, cv::Scalar(u(rng, 40, 80)), -1, cv::LINE_AA);
  }
}

void draw_patches(cv::Mat& img, std::mt19937_64& rng) {
  // Large irregular bright or dark regions.
  const int s = img.cols;
  cv::Mat mask = cv::Mat::zeros(img.size(), CV_32F);
  const int n = 2 + static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i)
    cv::circle(mask, random_point(s, rng), static_cast<int>(u(rng, 0.1, 0.25) * s), cv::Scalar(1.0), -1);
  cv::GaussianBlur(mask, mask, cv::Size(0, 0), s / 25.0);
  img += mask * (rng() % 2 ? 60.0f : -55.0f);
}

void draw_pitted(cv::Mat& img, std::mt19937_64& rng) {
  // Many small dark pits.
  const int s = img.cols;
  const int n = 25 + static_cast<int>(rng() % 40);
  for (int i = 0; i < n; ++i)
    cv::circle(img, random_point(s, rng), 1 + static_cast<int>(rng() % std::max(2, s / 40)), cv::Scalar(u(rng, 50, 90)), -1,
               cv::LINE_AA);
}

void draw_rolled_in_scale(cv::Mat& img, std::mt19937_64& rng) {
  // Scattered flaky bright-dark scale pressed into the surface.
  const int s = img.cols;
  const int n = 10 + static_cast<int>(rng() % 15);
  for (int i = 0; i < n; ++i) {
    const cv::Point c = random_point(s, rng);
    std::vector<cv::Point> poly;
    const int corners = 4 + static_cast<int>(rng() % 4);
    for (int k = 0; k < corners; ++k) {
      const double a = 2 * M_PI * k / corners, r = u(rng, 0.015, 0.05) * s;
      poly.emplace_back(c.x + static_cast<int>(r * std::cos(a)), c.y + static_cast<int>(r * 0.6 * std::sin(a)));
    }
    cv::fillConvexPoly(img, poly, cv::Scalar(rng() % 2 ? u(rng, 170, 210) : u(rng, 60, 90)), cv::LINE_AA);
  }
}

void draw_scratches(cv::Mat& img, std::mt19937_64& rng) {
  // Long, nearly straight, thin scratches.
  const int s = img.cols;
  const int n = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i) {
    const cv::Point a = random_point(s, rng);
    const double angle = u(rng, -0.4, 0.4) + (rng() % 2 ? M_PI / 2 : 0);
    const cv::Point2d d(std::cos(angle) * s, std::sin(angle) * s);
    cv::line(img, cv::Point2d(a) - d, cv::Point2d(a) + d, cv::Scalar(u(rng, 175, 215)), 1 + static_cast<int>(rng() % 2),
             cv::LINE_AA);
  }
}

}  // namespace

const std::vector<std::string>& surface_defect_classes() {
  static const std::vector<std::string> names{"crazing", "inclusion", "patches", "pitted_surface", "rolled-in_scale",
                                              "scratches"};
  return names;
}

int write_surface_defects(const std::string& folder, int per_class, int size, std::uint64_t seed) {
  if (per_class < 1) throw InputError("synthetic set: per_class must be at least 1");
  if (size < 16) throw InputError("synthetic set: size must be at least 16 px");
  std::filesystem::create_directories(folder);
  using Draw = void (*)(cv::Mat&, std::mt19937_64&);
  static const Draw draws[] = {draw_crazing, draw_inclusion, draw_patches, draw_pitted, draw_rolled_in_scale,
                               draw_scratches};
  int written = 0;
  const auto& names = surface_defect_classes();
  for (size_t c = 0; c < names.size(); ++c) {
    for (int i = 1; i <= per_class; ++i) {
      std::mt19937_64 rng(derive_seed(seed, 0x5F17, c, static_cast<std::uint64_t>(i)));
      cv::Mat img = steel_background(size, rng);
      draws[c](img, rng);
      cv::Mat out;
      img.convertTo(out, CV_8U);
      const std::string path = folder + "/" + names[c] + "_" + std::to_string(i) + ".png";
      data::write_image(path, out);
      ++written;
    }
  }
  return written;
}

}  // namespace alloyml::data
