#pragma once
// Cutting large micrographs into model-sized tiles, as Luo et al. built SS-3000 from 1024 x 768 SEM
// images: the SEM data bar removed, then tiles screened for blank, saturated and out-of-focus
// content.
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace alloyml::vision {

struct TileScreen {
  /// A tile whose grey-level standard deviation is below this (8-bit scale) is blank. Default 3.
  double blank_std = 3.0;
  /// A tile with more than this fraction of its pixels at the range's floor or ceiling is
  /// saturated. Default 0.5.
  double saturated_fraction = 0.5;
  /// A tile whose variance of the Laplacian is below this (8-bit scale) is out of focus; 0 keeps
  /// all. Default 5.
  double focus = 5.0;
};

/// "keep", or why a tile is dropped: "blank", "saturated" or "blurred" (checked in that order).
std::string screen_tile(const cv::Mat& tile, const TileScreen& screen);

/// Rows at the bottom of `image` that hold an SEM data bar: the longest run of bottom rows (at
/// most 40 % of the height, at least 8 rows) in each of which 60 % or more of the pixels lie within
/// 10 grey levels of the row's commonest level (a flat band with sparse text), 0 when there is none.
int detect_info_bar(const cv::Mat& image);

/// Top-left corners of the size x size tiles of a width x height image, `stride` apart (the last
/// tile of a row or column may not reach the edge: no tile is padded).
std::vector<cv::Point> tile_origins(int width, int height, int size, int stride);

}  // namespace alloyml::vision
