#pragma once
// Defect measurement of Huang et al. 2023 (Section 3.2.5, Table 7): the pre-processing of Section
// 3.1.1 (bilateral filter, contrast stretch, OTSU), then each connected defect region's area,
// perimeter, centroid and bounding box, and per image the defect area ratio and the shape factor
// K = perimeter / area.
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace alloyml::vision {

struct Region {
  double area = 0;       ///< pixels of the region (m00 of its binary mask)
  double perimeter = 0;  ///< length of its outer boundary (pixel-centre polygon; holes not counted)
  double cx = 0, cy = 0; ///< centroid (m10 / m00, m01 / m00), in pixels from the top-left corner
  cv::Rect box;          ///< bounding box
};

struct DefectMeasures {
  std::vector<Region> regions;  ///< largest first
  double image_area = 0;        ///< pixels of the image
  double defect_area = 0;       ///< pixels of all regions
  double perimeter = 0;         ///< all regions' perimeters
  /// defect_area / image_area.
  double area_ratio() const { return image_area > 0 ? defect_area / image_area : 0.0; }
  /// perimeter / defect_area (0 without defects): high for thin or ragged defects (cracks,
  /// crazing), low for compact ones (patches).
  double k() const { return defect_area > 0 ? perimeter / defect_area : 0.0; }
};

struct QuantifyOptions {
  int diameter = 9;           ///< bilateral filter neighbourhood (px)
  double sigma_color = 75;
  double sigma_space = 75;
  double clip_percent = 1.0;  ///< histogram tails clipped by the contrast stretch (%)
  int min_area = 20;          ///< regions smaller than this (px) are noise, not defects
};

/// The regions of a binary mask (non-zero = defect; 8-connected), those below `min_area` dropped.
DefectMeasures measure_regions(const cv::Mat& mask, int min_area);

/// Pre-processes an 8-bit greyscale image as Section 3.1.1 does and measures its OTSU defect
/// mask; `mask`, when given, receives the mask.
DefectMeasures quantify_defects(const cv::Mat& gray, const QuantifyOptions& options, cv::Mat* mask = nullptr);

/// The image with each region tinted in its own colour, its outline drawn, its centroid marked
/// and numbered (the order of `measures.regions`), at least `min_side` pixels wide.
cv::Mat region_overlay(const cv::Mat& gray, const cv::Mat& mask, const DefectMeasures& measures, int min_side = 400);

}  // namespace alloyml::vision
