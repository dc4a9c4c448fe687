#pragma once
// Plots drawn with OpenCV, for reports that open offline: line, scatter and bar charts and confusion matrices.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace alloyml::vision {

struct Series {
  std::string label;
  std::vector<double> x, y;
};

/// A line chart with axes, ticks and a legend (NaN points are skipped).
cv::Mat line_chart(const std::vector<Series>& series, const std::string& title, const std::string& xlabel,
                   const std::string& ylabel, int width = 640, int height = 400);

/// Points of each series; `diagonal` draws y = x over equal axes (a parity plot).
cv::Mat scatter_chart(const std::vector<Series>& series, const std::string& title, const std::string& xlabel,
                      const std::string& ylabel, bool diagonal, int width = 520, int height = 480);

/// Grouped bars: one group per series, series.y[c] the value for categories[c] (signed values
/// hang below the zero line).
cv::Mat bar_chart(const std::vector<std::string>& categories, const std::vector<Series>& groups, const std::string& title,
                  const std::string& ylabel, int width = 640, int height = 400);

/// A confusion matrix as a heat map, rows normalised, with counts in the cells.
cv::Mat confusion_image(const std::vector<std::vector<int64_t>>& confusion, const std::vector<std::string>& class_names);

/// A ternary composition map: each point (fractions of the three corners, summing to 1) drawn as
/// a cell coloured by its value (viridis), corners labelled, with a colour bar.
cv::Mat ternary_map(const std::vector<std::array<double, 3>>& points, const std::vector<double>& values,
                    const std::array<std::string, 3>& corners, const std::string& title, const std::string& value_label,
                    int size = 640);

/// Channels of a composition image side by side, each scaled to its own maximum (viridis), `scale`
/// pixels per cell, with `axis` symbols along the top and left when given.
cv::Mat composition_panel(const std::vector<cv::Mat>& channels, const std::vector<std::string>& titles,
                          const std::vector<std::string>& axis, const std::string& caption, int scale);

/// Writes a PNG; throws Error naming the file when it cannot.
void write_png(const std::string& path, const cv::Mat& image);

/// A heat map over an image, for Grad-CAM: `heat` (CV_32F in [0, 1], any size) coloured by the jet
/// map and blended over `image` (8-bit BGR or grey) with weight `alpha`; both shown at least
/// `min_side` pixels wide (small model inputs are enlarged), image on the left, overlay on the right.
cv::Mat heat_overlay(const cv::Mat& image, const cv::Mat& heat, double alpha = 0.45, int min_side = 256);

}  // namespace alloyml::vision
