#include "alloyml/vision/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "alloyml/core/error.h"
#include "alloyml/data/image_write.h"

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

namespace {

// Axes over [x0, x1] x [y0, y1] inside an image, with grid, ticks, title and axis labels.
struct Frame {
  cv::Rect area;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  int px(double x) const { return area.x + static_cast<int>((x - x0) / (x1 - x0) * area.width); }
  int py(double y) const { return area.y + area.height - static_cast<int>((y - y0) / (y1 - y0) * area.height); }
};

// Data limits of the series (finite points only), padded; a degenerate range is widened.
void limits(const std::vector<Series>& series, double& x0, double& x1, double& y0, double& y1) {
  x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
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
}

Frame draw_frame(cv::Mat& img, double x0, double x1, double y0, double y1, const std::string& title,
                 const std::string& xlabel, const std::string& ylabel, bool x_ticks = true) {
  const int left = 70, right = 20, top = 40, bottom = 55;
  Frame f;
  f.area = cv::Rect(left, top, img.cols - left - right, img.rows - top - bottom);
  f.x0 = x0, f.x1 = x1, f.y0 = y0, f.y1 = y1;
  const double ys = nice_step(y0, y1, 6);
  for (double v = std::ceil(y0 / ys) * ys; v <= y1; v += ys) {
    cv::line(img, {f.area.x, f.py(v)}, {f.area.x + f.area.width, f.py(v)}, {235, 235, 235});
    const std::string t = tick_label(std::abs(v) < ys * 1e-9 ? 0.0 : v);
    put_text(img, t, {f.area.x - 8 - text_size(t, 0.4).width, f.py(v) + 4}, 0.4);
  }
  if (x_ticks) {
    const double xs = nice_step(x0, x1, 8);
    for (double v = std::ceil(x0 / xs) * xs; v <= x1 + 1e-9; v += xs) {
      cv::line(img, {f.px(v), f.area.y + f.area.height}, {f.px(v), f.area.y + f.area.height + 4}, {80, 80, 80});
      const std::string t = tick_label(std::abs(v) < xs * 1e-9 ? 0.0 : v);
      put_text(img, t, {f.px(v) - text_size(t, 0.4).width / 2, f.area.y + f.area.height + 18}, 0.4);
    }
  }
  cv::rectangle(img, f.area, {80, 80, 80});
  put_text(img, title, {left, 26}, 0.6, {0, 0, 0}, 1);
  put_text(img, xlabel, {f.area.x + f.area.width / 2 - text_size(xlabel, 0.45).width / 2, img.rows - 12}, 0.45);
  cv::Mat ylab(24, text_size(ylabel, 0.45).width + 4, CV_8UC3, cv::Scalar(255, 255, 255));
  put_text(ylab, ylabel, {2, 17}, 0.45);
  cv::rotate(ylab, ylab, cv::ROTATE_90_COUNTERCLOCKWISE);
  const int yl_top = std::max(0, f.area.y + f.area.height / 2 - ylab.rows / 2);
  if (yl_top + ylab.rows <= img.rows) ylab.copyTo(img(cv::Rect(4, yl_top, ylab.cols, ylab.rows)));
  return f;
}

// A legend box in the top-left (`left`) or top-right corner of the plot area.
void draw_legend(cv::Mat& img, const Frame& f, const std::vector<Series>& series, bool left = false) {
  if (series.empty()) return;
  int legend_w = 0;
  for (const auto& s : series) legend_w = std::max(legend_w, text_size(s.label, 0.45).width);
  const int x = left ? f.area.x + 6 : f.area.x + f.area.width - legend_w - 44;
  const cv::Rect box(x, f.area.y + 6, legend_w + 38, 18 * static_cast<int>(series.size()) + 6);
  cv::rectangle(img, box, {255, 255, 255}, -1);
  cv::rectangle(img, box, {200, 200, 200});
  for (size_t si = 0; si < series.size(); ++si) {
    const cv::Point at(box.x + 6, box.y + 16 + 18 * static_cast<int>(si));
    cv::line(img, at + cv::Point(0, -4), at + cv::Point(20, -4), kPalette[si % 6], 2);
    put_text(img, series[si].label, at + cv::Point(26, 0), 0.45);
  }
}

}  // namespace

cv::Mat line_chart(const std::vector<Series>& series, const std::string& title, const std::string& xlabel,
                   const std::string& ylabel, int width, int height) {
  cv::Mat img(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
  double x0, x1, y0, y1;
  limits(series, x0, x1, y0, y1);
  const double pad = (y1 - y0) * 0.05;
  const Frame f = draw_frame(img, x0, x1, y0 - pad, y1 + pad, title, xlabel, ylabel);
  for (size_t si = 0; si < series.size(); ++si) {
    const auto& s = series[si];
    const cv::Scalar color = kPalette[si % 6];
    cv::Point prev(-1, -1);
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i])) { prev = {-1, -1}; continue; }
      const cv::Point p(f.px(s.x[i]), f.py(s.y[i]));
      if (prev.x >= 0) cv::line(img, prev, p, color, 2, cv::LINE_AA);
      if (s.x.size() <= 60) cv::circle(img, p, 3, color, -1, cv::LINE_AA);
      prev = p;
    }
  }
  draw_legend(img, f, series);
  return img;
}

cv::Mat scatter_chart(const std::vector<Series>& series, const std::string& title, const std::string& xlabel,
                      const std::string& ylabel, bool diagonal, int width, int height) {
  cv::Mat img(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
  double x0, x1, y0, y1;
  limits(series, x0, x1, y0, y1);
  if (diagonal) x0 = y0 = std::min(x0, y0), x1 = y1 = std::max(x1, y1);
  const double px_pad = (x1 - x0) * 0.05, py_pad = (y1 - y0) * 0.05;
  const Frame f = draw_frame(img, x0 - px_pad, x1 + px_pad, y0 - py_pad, y1 + py_pad, title, xlabel, ylabel);
  if (diagonal) cv::line(img, {f.px(x0), f.py(x0)}, {f.px(x1), f.py(x1)}, {150, 150, 150}, 1, cv::LINE_AA);
  for (size_t si = 0; si < series.size(); ++si) {
    const auto& s = series[si];
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i)
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]))
        cv::circle(img, {f.px(s.x[i]), f.py(s.y[i])}, 3, kPalette[si % 6], 1, cv::LINE_AA);
  }
  draw_legend(img, f, series, true);
  return img;
}

cv::Mat bar_chart(const std::vector<std::string>& categories, const std::vector<Series>& groups, const std::string& title,
                  const std::string& ylabel, int width, int height) {
  cv::Mat img(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
  double y0 = 0, y1 = 0;
  for (const auto& g : groups)
    for (double v : g.y)
      if (std::isfinite(v)) y0 = std::min(y0, v), y1 = std::max(y1, v);
  if (y1 - y0 < 1e-12) y1 = y0 + 1;
  const double pad = (y1 - y0) * 0.08;
  const double n = static_cast<double>(std::max<size_t>(1, categories.size()));
  const Frame f = draw_frame(img, 0, n, y0 < 0 ? y0 - pad : 0.0, y1 > 0 ? y1 + pad : 0.0, title, "", ylabel, false);
  const int slot = f.area.width / static_cast<int>(n);
  const int bar = std::max(1, static_cast<int>(slot * 0.8) / static_cast<int>(std::max<size_t>(1, groups.size())));
  cv::line(img, {f.area.x, f.py(0)}, {f.area.x + f.area.width, f.py(0)}, {80, 80, 80});
  for (size_t c = 0; c < categories.size(); ++c) {
    const int x = f.area.x + static_cast<int>(c) * slot + slot / 10;
    for (size_t g = 0; g < groups.size(); ++g) {
      if (c >= groups[g].y.size() || !std::isfinite(groups[g].y[c])) continue;
      const int top = f.py(std::max(0.0, groups[g].y[c])), bottom = f.py(std::min(0.0, groups[g].y[c]));
      cv::rectangle(img, cv::Rect(x + static_cast<int>(g) * bar, top, std::max(1, bar - 1), std::max(1, bottom - top)),
                    kPalette[g % 6], -1);
    }
    std::string label = categories[c];
    while (label.size() > 3 && text_size(label, 0.4).width > slot - 2) label.pop_back();
    put_text(img, label, {f.area.x + static_cast<int>(c) * slot + (slot - text_size(label, 0.4).width) / 2,
                          f.area.y + f.area.height + 18}, 0.4);
  }
  if (groups.size() > 1) draw_legend(img, f, groups);
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

namespace {

cv::Vec3b viridis(double t) {
  cv::Mat v(1, 1, CV_8UC1, cv::Scalar(static_cast<int>(std::lround(255 * std::clamp(t, 0.0, 1.0)))));
  cv::Mat c;
  cv::applyColorMap(v, c, cv::COLORMAP_VIRIDIS);
  return c.at<cv::Vec3b>(0, 0);
}

// A vertical colour bar from lo (bottom) to hi (top) at `box`, ticks on its right.
void colour_bar(cv::Mat& img, cv::Rect box, double lo, double hi, const std::string& label) {
  for (int y = 0; y < box.height; ++y) {
    const cv::Vec3b c = viridis(1.0 - static_cast<double>(y) / std::max(1, box.height - 1));
    cv::line(img, {box.x, box.y + y}, {box.x + box.width, box.y + y}, cv::Scalar(c[0], c[1], c[2]));
  }
  cv::rectangle(img, box, {120, 120, 120});
  put_text(img, tick_label(hi), {box.x + box.width + 6, box.y + 10}, 0.42);
  put_text(img, tick_label(lo), {box.x + box.width + 6, box.y + box.height}, 0.42);
  put_text(img, label, {box.x - 10, box.y - 10}, 0.45);
}

}  // namespace

cv::Mat ternary_map(const std::vector<std::array<double, 3>>& points, const std::vector<double>& values,
                    const std::array<std::string, 3>& corners, const std::string& title, const std::string& value_label,
                    int size) {
  cv::Mat img(size, size + 120, CV_8UC3, cv::Scalar(255, 255, 255));
  put_text(img, title, {20, 28}, 0.6);
  double lo = 1e300, hi = -1e300;
  for (double v : values)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (!(hi >= lo)) lo = 0, hi = 1;
  if (hi - lo < 1e-12) hi = lo + 1;
  // Corner 0 bottom left, 1 bottom right, 2 top.
  const double side = size - 170.0, x0 = 75, y0 = size - 70.0, h = side * std::sqrt(3.0) / 2;
  auto at = [&](const std::array<double, 3>& f) {
    return cv::Point2d(x0 + side * (f[1] + f[2] / 2), y0 - h * f[2]);
  };
  // Cell radius from the grid spacing: the smallest non-zero fraction step among the points.
  double step = 1;
  for (const auto& p : points)
    for (double f : p)
      if (f > 1e-9) step = std::min(step, f);
  const int r = std::max(1, static_cast<int>(std::ceil(side * step * 0.58)));
  for (size_t i = 0; i < points.size(); ++i) {
    if (!std::isfinite(values[i])) continue;
    const cv::Vec3b c = viridis((values[i] - lo) / (hi - lo));
    cv::circle(img, at(points[i]), r, cv::Scalar(c[0], c[1], c[2]), -1, cv::LINE_AA);
  }
  const cv::Point a = at({1, 0, 0}), b = at({0, 1, 0}), c = at({0, 0, 1});
  cv::line(img, a, b, {60, 60, 60}, 1, cv::LINE_AA);
  cv::line(img, b, c, {60, 60, 60}, 1, cv::LINE_AA);
  cv::line(img, c, a, {60, 60, 60}, 1, cv::LINE_AA);
  put_text(img, corners[0], {a.x - 20 - text_size(corners[0], 0.6).width, a.y + 30}, 0.6);
  put_text(img, corners[1], {b.x + 20, b.y + 30}, 0.6);
  put_text(img, corners[2], {c.x - text_size(corners[2], 0.6).width / 2, c.y - r - 10}, 0.6);
  colour_bar(img, {size + 10, 80, 22, size - 200}, lo, hi, value_label);
  return img;
}

cv::Mat composition_panel(const std::vector<cv::Mat>& channels, const std::vector<std::string>& titles,
                          const std::vector<std::string>& axis, const std::string& caption, int scale) {
  const int margin = axis.empty() ? 10 : 34, gap = 20, top = 60;
  int width = margin, height = 0;
  for (const auto& ch : channels) {
    width += ch.cols * scale + gap + margin;
    height = std::max(height, ch.rows * scale);
  }
  cv::Mat img(top + margin + height + 30, std::max(width, 360), CV_8UC3, cv::Scalar(255, 255, 255));
  put_text(img, caption, {10, 22}, 0.55);
  int x = margin;
  for (size_t k = 0; k < channels.size(); ++k) {
    const cv::Mat& ch = channels[k];
    double mx = 0;
    cv::minMaxLoc(ch, nullptr, &mx);
    const int ox = x, oy = top + margin;
    for (int r = 0; r < ch.rows; ++r)
      for (int c = 0; c < ch.cols; ++c) {
        const float v = ch.at<float>(r, c);
        const cv::Vec3b col = v > 0 ? viridis(mx > 0 ? v / mx : 0) : cv::Vec3b(250, 250, 250);
        cv::rectangle(img, cv::Rect(ox + c * scale, oy + r * scale, scale, scale), cv::Scalar(col[0], col[1], col[2]), -1);
      }
    cv::rectangle(img, cv::Rect(ox, oy, ch.cols * scale, ch.rows * scale), {180, 180, 180});
    put_text(img, k < titles.size() ? titles[k] : "", {ox, top - 8 + (axis.empty() ? margin : 0)}, 0.45);
    if (!axis.empty() && static_cast<int>(axis.size()) == ch.rows) {
      for (int i = 0; i < ch.rows; ++i) {
        put_text(img, axis[static_cast<size_t>(i)], {ox - margin + 2, oy + i * scale + scale / 2 + 4}, 0.35);
        put_text(img, axis[static_cast<size_t>(i)], {ox + i * scale, oy - 4}, 0.35);
      }
    }
    x += ch.cols * scale + gap + margin;
  }
  return img;
}

cv::Mat heat_overlay(const cv::Mat& image, const cv::Mat& heat, double alpha, int min_side) {
  cv::Mat base;
  if (image.channels() == 1) cv::cvtColor(image, base, cv::COLOR_GRAY2BGR);
  else base = image.clone();
  const double scale = std::max(1.0, static_cast<double>(min_side) / std::min(base.cols, base.rows));
  cv::resize(base, base, cv::Size(), scale, scale, cv::INTER_LINEAR);
  cv::Mat h8, colour;
  cv::Mat h;
  cv::resize(heat, h, base.size(), 0, 0, cv::INTER_LINEAR);
  h.convertTo(h8, CV_8U, 255.0);
  cv::applyColorMap(h8, colour, cv::COLORMAP_JET);
  cv::Mat blended;
  cv::addWeighted(base, 1.0 - alpha, colour, alpha, 0.0, blended);
  cv::Mat panel;
  cv::hconcat(base, blended, panel);
  return panel;
}

void write_png(const std::string& path, const cv::Mat& image) {
  data::write_image(path, image);
}

}  // namespace alloyml::vision
