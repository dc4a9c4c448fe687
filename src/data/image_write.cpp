#include "alloyml/data/image_write.h"

#include <filesystem>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"

namespace alloyml::data {

void write_image(const std::string& path, const cv::Mat& image) {
  std::vector<unsigned char> bytes;
  bool encoded = false;
  try {
    encoded = !image.empty() && cv::imencode(std::filesystem::path(path).extension().string(), image, bytes);
  } catch (const cv::Exception& e) {
    throw Error("cannot encode " + path + ": " + e.msg);
  }
  if (!encoded) throw Error("cannot encode " + path + " (an empty image, or an extension OpenCV cannot write)");
  write_atomically(path, [&](const std::string& tmp) { write_file_checked(tmp, bytes.data(), bytes.size()); });
}

}  // namespace alloyml::data
