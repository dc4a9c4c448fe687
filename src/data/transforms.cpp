#include "alloyml/data/transforms.h"

#include "alloyml/core/error.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "alloyml/core/rng.h"
#include "alloyml/data/image_integrity.h"

namespace alloyml::data {

cv::Mat decode_image(const std::string& path, int channels, std::string* problem) {
  auto fail = [&](std::string why) {
    if (problem) *problem = std::move(why);
    return cv::Mat();
  };
  std::vector<std::uint8_t> bytes;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("cannot open the file");
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (bytes.empty()) return fail("empty file");
  if (std::string why = encoded_image_problem(bytes); !why.empty()) return fail(why);
  cv::Mat img;
  try {
    // One channel wanted: let the codec decode straight to grey (JPEG skips its colour stage).
    img = cv::imdecode(bytes, cv::IMREAD_ANYDEPTH | (channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_ANYCOLOR));
  } catch (const cv::Exception& e) {
    return fail(std::string("cannot decode (") + e.what() + ")");
  }
  if (img.empty()) return fail("not an image OpenCV can decode");
  if (img.depth() != CV_8U && img.depth() != CV_16U) {
    double lo = 0, hi = 0;
    cv::minMaxLoc(img.reshape(1), &lo, &hi);
    img.convertTo(img, CV_16U, hi > lo ? 65535.0 / (hi - lo) : 1.0, hi > lo ? -lo * 65535.0 / (hi - lo) : 0.0);
  }
  if (img.channels() == 4) cv::cvtColor(img, img, cv::COLOR_BGRA2BGR);
  if (channels == 1 && img.channels() == 3) cv::cvtColor(img, img, cv::COLOR_BGR2GRAY);
  if (channels == 3 && img.channels() == 1) cv::cvtColor(img, img, cv::COLOR_GRAY2BGR);
  if (channels == 3) cv::cvtColor(img, img, cv::COLOR_BGR2RGB);  // models expect RGB order
  return img;
}

cv::Mat resize_for_model(const cv::Mat& image, const TransformOptions& options) {
  cv::Mat out;
  if (image.cols == options.size && image.rows == options.size) return image;  // already the model's size
  if (options.resize <= 0) {
    if (image.cols == options.size && image.rows == options.size) return image;
    const int interp = image.cols > options.size ? cv::INTER_AREA : cv::INTER_LINEAR;
    cv::resize(image, out, cv::Size(options.size, options.size), 0, 0, interp);
    return out;
  }
  const double scale = static_cast<double>(options.resize) / std::min(image.cols, image.rows);
  const cv::Size target(std::max(options.size, static_cast<int>(std::lround(image.cols * scale))),
                        std::max(options.size, static_cast<int>(std::lround(image.rows * scale))));
  if (target == image.size()) return image;
  cv::resize(image, out, target, 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  return out;
}

cv::Mat resample_to_scale(const cv::Mat& image, double from_um_per_px, double to_um_per_px, int min_side,
                          double max_factor, bool* clamped) {
  if (!(from_um_per_px > 0) || !(to_um_per_px > 0) || !(max_factor >= 1))
    throw Error("resample_to_scale: scales must be positive and the largest factor at least 1");
  const double wanted = from_um_per_px / to_um_per_px;  // target pixels per source pixel
  const double f = std::clamp(wanted, 1.0 / max_factor, max_factor);
  if (clamped) *clamped = f != wanted;
  cv::Mat out = image;
  const cv::Size target(std::max(1, static_cast<int>(std::lround(image.cols * f))),
                        std::max(1, static_cast<int>(std::lround(image.rows * f))));
  if (target != image.size()) cv::resize(image, out, target, 0, 0, f < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  const int pad_x = std::max(0, min_side - out.cols), pad_y = std::max(0, min_side - out.rows);
  if (pad_x > 0 || pad_y > 0) {
    cv::Mat padded;
    // Reflection needs a side of at least 2 px; repeat the edge of thinner slivers.
    const int border = out.cols > 1 && out.rows > 1 ? cv::BORDER_REFLECT_101 : cv::BORDER_REPLICATE;
    cv::copyMakeBorder(out, padded, pad_y / 2, pad_y - pad_y / 2, pad_x / 2, pad_x - pad_x / 2, border);
    // copyMakeBorder reflects once: a side far below min_side is reflected again until it fits.
    while (padded.cols < min_side || padded.rows < min_side) {
      const int px = std::max(0, min_side - padded.cols), py = std::max(0, min_side - padded.rows);
      const int bx = std::min(px, padded.cols - 1), by = std::min(py, padded.rows - 1);
      cv::Mat more;
      cv::copyMakeBorder(padded, more, by / 2, by - by / 2, bx / 2, bx - bx / 2, border);
      padded = more;
    }
    out = padded;
  }
  return out;
}

bool scores_tiles(const std::string& test_time) { return test_time.rfind("tiles", 0) == 0; }

std::string crop_views(const std::string& test_time) {
  if (!scores_tiles(test_time)) return test_time;
  return test_time.size() > 6 ? test_time.substr(6) : "none";  // "tiles+flip" -> "flip"
}

std::vector<int> tile_origins(int length, int size) {
  if (length <= size) return {0};
  const int n = (length + size - 1) / size;
  std::vector<int> out;
  for (int i = 0; i < n; ++i)
    out.push_back(static_cast<int>(std::lround(static_cast<double>(i) * (length - size) / (n - 1))));
  return out;
}

cv::Mat scale_to_unit(const cv::Mat& image, const std::string& scaling) {
  cv::Mat f;
  if (scaling == "minmax") {
    // Luo et al. Eq. 19: x' = (x - min) / (max - min), per image.
    double lo = 0, hi = 0;
    cv::minMaxLoc(image.reshape(1), &lo, &hi);
    const double range = hi > lo ? hi - lo : 1.0;
    image.convertTo(f, CV_32F, 1.0 / range, -lo / range);
  } else {
    image.convertTo(f, CV_32F, image.depth() == CV_16U ? 1.0 / 65535.0 : 1.0 / 255.0);
  }
  return f;
}

cv::Mat random_resized_crop(const cv::Mat& image, int size, double min_area, std::mt19937_64& rng) {
  // torchvision's RandomResizedCrop: ten tries at an area fraction in [min_area, 1] and a
  // log-uniform aspect ratio in [3/4, 4/3] that fits; else the largest centred square.
  const double area = static_cast<double>(image.cols) * image.rows;
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double target = area * (min_area + (1.0 - min_area) * uniform01(rng));
    const double ratio = std::exp(std::log(3.0 / 4.0) + (std::log(4.0 / 3.0) - std::log(3.0 / 4.0)) * uniform01(rng));
    const int w = static_cast<int>(std::lround(std::sqrt(target * ratio)));
    const int h = static_cast<int>(std::lround(std::sqrt(target / ratio)));
    if (w < 1 || h < 1 || w > image.cols || h > image.rows) continue;
    const int x = static_cast<int>(rng() % static_cast<std::uint64_t>(image.cols - w + 1));
    const int y = static_cast<int>(rng() % static_cast<std::uint64_t>(image.rows - h + 1));
    cv::Mat out;
    cv::resize(image(cv::Rect(x, y, w, h)), out, {size, size}, 0, 0, w > size ? cv::INTER_AREA : cv::INTER_LINEAR);
    return out;
  }
  const int side = std::min(image.cols, image.rows);
  cv::Mat out;
  cv::resize(image(cv::Rect((image.cols - side) / 2, (image.rows - side) / 2, side, side)), out, {size, size}, 0, 0,
             side > size ? cv::INTER_AREA : cv::INTER_LINEAR);
  return out;
}

void to_model_input(const cv::Mat& image, const TransformOptions& o, bool train, std::mt19937_64& rng, float* out) {
  const auto& a = o.augment;
  const int s = o.size;
  // Crop to size x size.
  cv::Mat img;
  if (train && a.crop_area > 0) {
    img = random_resized_crop(image, s, a.crop_area, rng);
  } else {
    int x0 = (image.cols - s) / 2, y0 = (image.rows - s) / 2;
    if (train && a.random_crop) {
      x0 = static_cast<int>(rng() % static_cast<std::uint64_t>(image.cols - s + 1));
      y0 = static_cast<int>(rng() % static_cast<std::uint64_t>(image.rows - s + 1));
    }
    img = image(cv::Rect(x0, y0, s, s));
  }
  if (train) {
    // Draw every random number in a fixed order, whether or not its augmentation is on,
    // so switching one augmentation off does not change the draws of the others.
    const double u_h = uniform01(rng), u_v = uniform01(rng);
    const auto k90 = static_cast<int>(rng() % 4);
    const double u_rot = uniform01(rng) * 2 - 1, u_b = uniform01(rng) * 2 - 1, u_c = uniform01(rng) * 2 - 1;
    // Drawn after the others only when on, so runs without them keep their earlier draws.
    const double u_zoom = a.scale > 0 ? uniform01(rng) * 2 - 1 : 0.0;
    const double u_blur = a.blur > 0 ? uniform01(rng) : 0.0;
    cv::Mat t;
    if (u_h < a.hflip) { cv::flip(img, t, 1); img = t; t = cv::Mat(); }
    if (u_v < a.vflip) { cv::flip(img, t, 0); img = t; t = cv::Mat(); }
    if (a.rotate90 && k90 > 0) {
      static const cv::RotateFlags codes[] = {cv::ROTATE_90_CLOCKWISE, cv::ROTATE_180, cv::ROTATE_90_COUNTERCLOCKWISE};
      cv::rotate(img, t, codes[k90 - 1]);
      img = t;
      t = cv::Mat();
    }
    if (a.rotate_deg > 0 || a.scale > 0) {
      const cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(s / 2.0f, s / 2.0f), u_rot * a.rotate_deg, 1.0 + u_zoom * a.scale);
      cv::warpAffine(img, t, m, img.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
      img = t;
      t = cv::Mat();
    }
    if (const double sigma = u_blur * a.blur; sigma > 0.3) {  // below 0.3 px the kernel is the identity
      cv::GaussianBlur(img, t, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT_101);
      img = t;
    }
    cv::Mat f = scale_to_unit(img, o.scaling);
    if (a.contrast > 0 || a.brightness > 0) {
      const double gain = 1.0 + u_c * a.contrast;
      const double mean = cv::mean(f)[0];
      f.convertTo(f, CV_32F, gain, (1.0 - gain) * mean + u_b * a.brightness);
    }
    img = f;
  } else {
    img = scale_to_unit(img, o.scaling);
  }
  // Luo et al. Eq. 20: z = (x' - mean) / std, per channel; HWC -> CHW.
  const int c = img.channels();
  for (int y = 0; y < s; ++y) {
    const float* row = img.ptr<float>(y);
    for (int x = 0; x < s; ++x)
      for (int ch = 0; ch < c; ++ch) {
        const auto m = static_cast<float>(o.mean[static_cast<size_t>(ch)]);
        const auto sd = static_cast<float>(o.std[static_cast<size_t>(ch)]);
        out[(static_cast<size_t>(ch) * s + y) * s + x] = (row[x * c + ch] - m) / sd;
      }
  }
}

}  // namespace alloyml::data
