#pragma once
// Writing images with every write checked. cv::imwrite reports success after writing an empty
// file to a full disk; here the image is encoded in memory (by the file's extension) and
// written atomically, so a full disk is an Error naming the file and its file system, and no
// empty or half image is left behind.
#include <string>

#include <opencv2/core.hpp>

namespace alloyml::data {

/// Encodes `image` by `path`'s extension (.png, .jpg, .bmp, .tif, ...) and writes it atomically.
void write_image(const std::string& path, const cv::Mat& image);

}  // namespace alloyml::data
