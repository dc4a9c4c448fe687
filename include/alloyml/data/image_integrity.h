#pragma once
// Damaged image files: OpenCV decodes a JPEG cut short as a mostly grey image and says so only on
// stderr, and a PNG with a damaged chunk may decode partly. These checks find such files before
// they are decoded, so that every reader treats them as unreadable (skipped and listed in training,
// an error row in prediction) instead of learning from grey pixels.
#include <cstdint>
#include <string>
#include <vector>

namespace alloyml::data {

/// What is wrong with the encoded bytes of a JPEG or PNG file, or "" when nothing is found. JPEG:
/// every warning libjpeg raises while decoding the whole entropy-coded data (premature end of file,
/// corrupt data, a missing end-of-image marker) and every error. PNG: the signature, each chunk's
/// length and CRC, and an IEND chunk at the end. Other formats are left to their decoder ("").
std::string encoded_image_problem(const std::vector<std::uint8_t>& bytes);

}  // namespace alloyml::data
