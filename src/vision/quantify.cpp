#include "alloyml/vision/quantify.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "alloyml/core/error.h"
#include "alloyml/vision/preprocess.h"

namespace alloyml::vision {

DefectMeasures measure_regions(const cv::Mat& mask, int min_area) {
  if (mask.empty() || mask.type() != CV_8UC1) throw Error("measure_regions: an 8-bit single-channel mask is needed");
  DefectMeasures m;
  m.image_area = static_cast<double>(mask.total());
  cv::Mat binary = mask != 0, labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(binary, labels, stats, centroids, 8, CV_32S);
  // The outer boundary of each component: external contours, each found in its own component.
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(binary, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
  std::vector<double> perimeter(static_cast<size_t>(n), 0.0);
  for (const auto& c : contours) {
    const int id = labels.at<int>(c.front());
    // A one- or two-pixel region has no enclosed polygon; its outline is its pixels' chain.
    perimeter[static_cast<size_t>(id)] += c.size() > 2 ? cv::arcLength(c, true) : static_cast<double>(c.size() - 1) * 2;
  }
  for (int id = 1; id < n; ++id) {
    const double area = stats.at<int>(id, cv::CC_STAT_AREA);
    if (area < min_area) continue;
    Region r;
    r.area = area;
    r.perimeter = perimeter[static_cast<size_t>(id)];
    r.cx = centroids.at<double>(id, 0);
    r.cy = centroids.at<double>(id, 1);
    r.box = cv::Rect(stats.at<int>(id, cv::CC_STAT_LEFT), stats.at<int>(id, cv::CC_STAT_TOP),
                     stats.at<int>(id, cv::CC_STAT_WIDTH), stats.at<int>(id, cv::CC_STAT_HEIGHT));
    m.regions.push_back(r);
    m.defect_area += r.area;
    m.perimeter += r.perimeter;
  }
  std::stable_sort(m.regions.begin(), m.regions.end(), [](const Region& a, const Region& b) { return a.area > b.area; });
  return m;
}

DefectMeasures quantify_defects(const cv::Mat& gray, const QuantifyOptions& o, cv::Mat* mask_out) {
  if (gray.empty() || gray.type() != CV_8UC1) throw Error("quantify_defects: an 8-bit greyscale image is needed");
  const cv::Mat pre = contrast_stretch(bilateral(gray, o.diameter, o.sigma_color, o.sigma_space), o.clip_percent);
  const cv::Mat mask = otsu_mask(pre);
  if (mask_out) *mask_out = mask;
  return measure_regions(mask, o.min_area);
}

cv::Mat region_overlay(const cv::Mat& gray, const cv::Mat& mask, const DefectMeasures& m, int min_side) {
  cv::Mat bgr;
  cv::cvtColor(gray, bgr, cv::COLOR_GRAY2BGR);
  const double scale = std::max(1.0, static_cast<double>(min_side) / std::max(1, gray.cols));
  if (scale > 1) cv::resize(bgr, bgr, cv::Size(), scale, scale, cv::INTER_NEAREST);
  cv::Mat big_mask;
  cv::resize(mask, big_mask, bgr.size(), 0, 0, cv::INTER_NEAREST);
  static const cv::Scalar palette[] = {{0, 0, 255}, {0, 200, 0}, {255, 80, 0}, {0, 200, 255}, {255, 0, 200}, {200, 200, 0}};
  for (size_t i = 0; i < m.regions.size(); ++i) {
    const auto& r = m.regions[i];
    const cv::Point c(static_cast<int>(r.cx * scale + scale / 2), static_cast<int>(r.cy * scale + scale / 2));
    const cv::Scalar colour = palette[i % 6];
    // Tint the component under the region's box whose pixels it holds.
    const cv::Rect box(static_cast<int>(r.box.x * scale), static_cast<int>(r.box.y * scale),
                       static_cast<int>(r.box.width * scale), static_cast<int>(r.box.height * scale));
    cv::Mat region_mask = big_mask(box).clone();
    cv::Mat tint(box.size(), CV_8UC3, colour), roi = bgr(box);
    cv::Mat blended;
    cv::addWeighted(roi, 0.55, tint, 0.45, 0, blended);
    blended.copyTo(roi, region_mask);
    cv::rectangle(bgr, box, colour, 1);
    cv::drawMarker(bgr, c, cv::Scalar(255, 255, 255), cv::MARKER_CROSS, 12, 2);
    cv::drawMarker(bgr, c, colour, cv::MARKER_CROSS, 10, 1);
    cv::putText(bgr, std::to_string(i + 1), c + cv::Point(6, -6), cv::FONT_HERSHEY_SIMPLEX, 0.45, colour, 1, cv::LINE_AA);
  }
  return bgr;
}

}  // namespace alloyml::vision
