#pragma once
// Image decoding and the transforms that make a model input: channel conversion, resize,
// crop, flips, rotations, brightness/contrast jitter, scaling and mean/std normalisation.
#include <random>
#include <string>

#include <opencv2/core.hpp>

#include "alloyml/data/options.h"

namespace alloyml::data {

/// Decodes an image file to 1 or 3 channels (grayscale replicated, colour converted),
/// keeping 8- or 16-bit depth. Returns an empty Mat when the file cannot be decoded or its data is
/// damaged (a truncated JPEG, a PNG with a bad CRC: data/image_integrity.h); then `problem`, when
/// given, says why.
cv::Mat decode_image(const std::string& path, int channels, std::string* problem = nullptr);

/// Resizes a decoded image as the transform wants it before cropping:
/// to size x size when resize == 0, else the shorter side to `resize`.
cv::Mat resize_for_model(const cv::Mat& image, const TransformOptions& options);

/// `image`, taken at `from_um_per_px`, resampled to `to_um_per_px` (area averaging to shrink,
/// bilinear to enlarge), then reflected at its borders where a side is below `min_side` (a small
/// field of view at high magnification), so a crop of min_side fits. The factor is clamped to
/// [1 / max_factor, max_factor]; `clamped` (if given) says whether it was.
cv::Mat resample_to_scale(const cv::Mat& image, double from_um_per_px, double to_um_per_px, int min_side,
                          double max_factor = 8, bool* clamped = nullptr);

/// augment.test_time "tiles", "tiles+flip" or "tiles+d4": the image is scored by tiles covering it.
bool scores_tiles(const std::string& test_time);
/// The views of each scored crop: test_time without its "tiles" part ("none", "flip" or "d4").
std::string crop_views(const std::string& test_time);
/// Left (or top) edges of the fewest `size`-pixel tiles that cover `length` pixels, spread evenly
/// from 0 to length - size (neighbours overlap where length is no multiple of size); {0} when
/// length <= size.
std::vector<int> tile_origins(int length, int size);

/// torchvision's RandomResizedCrop: a region of a random fraction in [min_area, 1] of `image`'s
/// area and aspect ratio in [3/4, 4/3], resized to size x size (augment.crop_area).
cv::Mat random_resized_crop(const cv::Mat& image, int size, double min_area, std::mt19937_64& rng);

/// Crops (random or centre), augments when `train`, scales and normalises `image`
/// (from resize_for_model) into `out`, a C x size x size float buffer.
void to_model_input(const cv::Mat& image, const TransformOptions& options, bool train, std::mt19937_64& rng,
                    float* out);

/// The decoded image scaled to float [0, 1] per TransformOptions::scaling (no normalisation).
cv::Mat scale_to_unit(const cv::Mat& image, const std::string& scaling);

}  // namespace alloyml::data
