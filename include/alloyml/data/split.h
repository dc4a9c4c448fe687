#pragma once
// Stratified, seeded train/val/test splits and k-fold assignment. Files with identical
// content (NEU has such a pair) form one group and always land in the same part.
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "alloyml/data/image_set.h"

namespace alloyml::data {

struct Split {
  std::vector<size_t> train, val, test;  ///< indices into ImageSet::samples
};

/// Group id per sample: samples with identical file bytes share an id.
std::vector<size_t> duplicate_groups(const ImageSet& set);

/// The groups a split keeps whole: files with identical bytes (duplicate_groups), joined with the
/// samples sharing a value of the column `group_by` of the set's CSV manifest (the source
/// micrograph of tiles, a specimen, a coil) when it is not empty. A row whose value is empty (a
/// micrograph whose specimen the database does not name) is a group of its own, as if it had a
/// value nobody else has (logged with the count). InputError naming the manifest or column when
/// the set has no manifest or the column is missing.
std::vector<size_t> split_groups(const ImageSet& set, const std::string& group_by);

/// A 512-bit difference hash (Krawetz's dHash at 16 x 16, both ways): the grey image shrunk to
/// 17 x 16 gives a bit per horizontally adjacent pair, set where the left is brighter, and shrunk
/// to 16 x 17 one per vertical pair. A re-saved, resized or slightly brightened copy differs in a
/// few bits; on NEU, no two different images come within 40 (the 64-bit hash at 9 x 8 cannot
/// tell NEU's vertical textures apart).
using ImageHash = std::array<std::uint64_t, 8>;
ImageHash difference_hash(const cv::Mat& image);

/// Bits in which two hashes differ.
int hash_distance(const ImageHash& a, const ImageHash& b);

/// Held-out (val or test) samples whose hash is within `max_bits` of a training sample's: pairs
/// (held-out index, training index), one per held-out sample, in index order.
std::vector<std::pair<size_t, size_t>> near_duplicates_across(const std::vector<ImageHash>& hashes, const Split& split,
                                                              int max_bits);

/// Stratified split; `val` and `test` are fractions (< 1) or counts (>= 1) of the whole set.
/// `groups` (from duplicate_groups) may be empty, then every sample is its own group.
Split stratified_split(const ImageSet& set, const SplitOptions& options, const std::vector<size_t>& groups = {});

/// Stratified k-fold: the fold (0..k-1) of every sample, `groups` (split_groups: identical files,
/// a specimen) kept within one fold. Within each class the largest groups are placed first, each
/// in the fold with the fewest images of that class so far (then the fewest in all), so the
/// folds stay stratified and even when group sizes differ; seeded order among equal sizes.
std::vector<int> stratified_folds(const ImageSet& set, int k, std::uint64_t seed,
                                  const std::vector<size_t>& groups = {});

}  // namespace alloyml::data
