// Image files as the loaders meet them: the integrity check of the encoded bytes (JPEG, PNG), then
// OpenCV's decoder for what passes, as data::decode does.
#include <cstdint>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "alloyml/data/image_integrity.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  if (!alloyml::data::encoded_image_problem(bytes).empty()) return 0;
  try {
    (void)cv::imdecode(bytes, cv::IMREAD_ANYDEPTH | cv::IMREAD_GRAYSCALE);
  } catch (const cv::Exception&) {  // the loaders catch OpenCV's own refusals as unreadable images
  }
  return 0;
}
