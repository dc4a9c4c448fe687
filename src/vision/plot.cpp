#include "alloyml/vision/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "alloyml/core/error.h"

namespace alloyml::vision {
namespace {

const cv::Scalar kPalette[] = {{180, 119, 31}, {14, 127, 255}, {44, 160, 44}, {40, 39, 214}, {189, 103, 148}, {75, 86, 140}};
const int kFont = cv::FONT_HERSHEY_SIMPLEX;

void put_text(cv::Mat& img, const std::string& text, cv::Point org, double scale, cv::Scalar color = {40, 40, 40},
              int thickness = 1) {
  cv::putText(img, text, org, kFont, scale, color, thickness, cv::LINE_AA);
}

cv::Size text_size(const std::string& text, double scale) {
  int base = 0;
  return cv::getTextSize(text, kFont, scale, 1, &base);
}

std::string tick_label(double v) {
  char buf[32];
  if (std::abs(v) >= 1000 || (std::abs(v) < 0.01 && v != 0))
    std::snprintf(buf, sizeof(buf), "%.1e", v);
  else
    std::snprintf(buf, sizeof(buf), "%.3g", v);
  return buf;
}

// "Nice" tick step (1, 2 or 5 times a power of ten) for about `count` ticks over [lo, hi].
double nice_step(double lo, double hi, int count) {
  const double raw = (hi - lo) / std::max(1, count);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

}  // namespace

cv::Mat line_chart(const std::vector<Series>& series, const std::string& title, const std::string& xlabel,
                   const std::string& ylabel, int width, int height) {
  cv::Mat img(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (const auto& s : series)
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i]) || !std::isfinite(s.x[i])) continue;
      x0 = std::min(x0, s.x[i]);
      x1 = std::max(x1, s.x[i]);
      y0 = std::min(y0, s.y[i]);
      y1 = std::max(y1, s.y[i]);
    }
  if (!std::isfinite(x0)) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }
  if (x1 - x0 < 1e-12) { x0 -= 0.5; x1 += 0.5; }
  if (y1 - y0 < 1e-12) { y0 -= 0.5; y1 += 0.5; }
  const double pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  const int left = 70, right = 20, top = 40, bottom = 55;
  const cv::Rect area(left, top, width - left - right, height - top - bottom);
  auto px = [&](double x) { return area.x + static_cast<int>((x - x0) / (x1 - x0) * area.width); };
  auto py = [&](double y) { return area.y + area.height - static_cast<int>((y - y0) / (y1 - y0) * area.height); };

  const double ys = nice_step(y0, y1, 6);
  for (double v = std::ceil(y0 / ys) * ys; v <= y1; v += ys) {
    cv::line(img, {area.x, py(v)}, {area.x + area.width, py(v)}, {235, 235, 235});
    const std::string t = tick_label(v);
    put_text(img, t, {area.x - 8 - text_size(t, 0.4).width, py(v) + 4}, 0.4);
  }
  const double xs = nice_step(x0, x1, 8);
  for (double v = std::ceil(x0 / xs) * xs; v <= x1 + 1e-9; v += xs) {
    cv::line(img, {px(v), area.y + area.height}, {px(v), area.y + area.height + 4}, {80, 80, 80});
    const std::string t = tick_label(v);
    put_text(img, t, {px(v) - text_size(t, 0.4).width / 2, area.y + area.height + 18}, 0.4);
  }
  cv::rectangle(img, area, {80, 80, 80});
  // Legend box (drawn after the lines, so it stays readable over them).
  int legend_w = 0;
  for (const auto& s : series) legend_w = std::max(legend_w, text_size(s.label, 0.45).width);
  const cv::Rect legend_box(area.x + area.width - legend_w - 44, area.y + 6, legend_w + 38,
                            18 * static_cast<int>(series.size()) + 6);
  for (size_t si = 0; si < series.size(); ++si) {
    const auto& s = series[si];
    const cv::Scalar color = kPalette[si % 6];
    cv::Point prev(-1, -1);
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i])) { prev = {-1, -1}; continue; }
      const cv::Point p(px(s.x[i]), py(s.y[i]));
      if (prev.x >= 0) cv::line(img, prev, p, color, 2, cv::LINE_AA);
      if (s.x.size() <= 60) cv::circle(img, p, 3, color, -1, cv::LINE_AA);
      prev = p;
    }
  }
  if (!series.empty()) {
    cv::rectangle(img, legend_box, {255, 255, 255}, -1);
    cv::rectangle(img, legend_box, {200, 200, 200});
  }
  for (size_t si = 0; si < series.size(); ++si) {
    const cv::Point legend(legend_box.x + 6, legend_box.y + 16 + 18 * static_cast<int>(si));
    cv::line(img, legend + cv::Point(0, -4), legend + cv::Point(20, -4), kPalette[si % 6], 2);
    put_text(img, series[si].label, legend + cv::Point(26, 0), 0.45);
  }
  put_text(img, title, {left, 26}, 0.6, {0, 0, 0}, 1);
  put_text(img, xlabel, {area.x + area.width / 2 - text_size(xlabel, 0.45).width / 2, height - 12}, 0.45);
  cv::Mat ylab(24, text_size(ylabel, 0.45).width + 4, CV_8UC3, cv::Scalar(255, 255, 255));
  put_text(ylab, ylabel, {2, 17}, 0.45);
  cv::rotate(ylab, ylab, cv::ROTATE_90_COUNTERCLOCKWISE);
  const int yl_top = std::max(0, area.y + area.height / 2 - ylab.rows / 2);
  if (yl_top + ylab.rows <= height) ylab.copyTo(img(cv::Rect(4, yl_top, ylab.cols, ylab.rows)));
  return img;
}

cv::Mat confusion_image(const std::vector<std::vector<int64_t>>& confusion, const std::vector<std::string>& names) {
  const int k = static_cast<int>(confusion.size());
  const int cell = std::max(36, std::min(80, 560 / std::max(1, k)));
  int label_w = 0;
  for (const auto& n : names) label_w = std::max(label_w, text_size(n, 0.45).width);
  const int left = label_w + 20, top = label_w + 30;
  cv::Mat img(top + k * cell + 40, left + k * cell + 20, CV_8UC3, cv::Scalar(255, 255, 255));
  for (int r = 0; r < k; ++r) {
    int64_t row_sum = 0;
    for (int c = 0; c < k; ++c) row_sum += confusion[static_cast<size_t>(r)][static_cast<size_t>(c)];
    for (int c = 0; c < k; ++c) {
      const int64_t v = confusion[static_cast<size_t>(r)][static_cast<size_t>(c)];
      const double f = row_sum > 0 ? static_cast<double>(v) / row_sum : 0.0;
      const cv::Scalar color(255 - 150 * f, 255 - 110 * f, 255 - 225 * f);  // white -> blue
      const cv::Rect box(left + c * cell, top + r * cell, cell, cell);
      cv::rectangle(img, box, color, -1);
      cv::rectangle(img, box, {200, 200, 200});
      const std::string t = std::to_string(v);
      const cv::Size ts = text_size(t, 0.5);
      put_text(img, t, {box.x + (cell - ts.width) / 2, box.y + (cell + ts.height) / 2}, 0.5,
               f > 0.6 ? cv::Scalar(255, 255, 255) : cv::Scalar(30, 30, 30));
    }
    const std::string& n = names[static_cast<size_t>(r)];
    put_text(img, n, {left - 8 - text_size(n, 0.45).width, top + r * cell + cell / 2 + 5}, 0.45);
  }
  // Column labels, rotated.
  for (int c = 0; c < k; ++c) {
    const std::string& n = names[static_cast<size_t>(c)];
    cv::Mat lab(20, text_size(n, 0.45).width + 4, CV_8UC3, cv::Scalar(255, 255, 255));
    put_text(lab, n, {2, 15}, 0.45);
    cv::rotate(lab, lab, cv::ROTATE_90_COUNTERCLOCKWISE);
    const int x = left + c * cell + cell / 2 - lab.cols / 2;
    lab.copyTo(img(cv::Rect(x, top - 6 - lab.rows, lab.cols, lab.rows)));
  }
  put_text(img, "true (rows) vs predicted (columns)", {left, top + k * cell + 26}, 0.45);
  return img;
}

void write_png(const std::string& path, const cv::Mat& image) {
  if (!cv::imwrite(path, image)) throw Error("cannot write " + path);
}

}  // namespace alloyml::vision
