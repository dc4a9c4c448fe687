#pragma once
// Synthetic data sets, so the toolkit runs and is tested without the real ones.
#include <cstdint>
#include <string>
#include <vector>

namespace alloyml::data {

/// The six NEU surface-defect classes the synthetic generator draws.
const std::vector<std::string>& surface_defect_classes();

/// Writes `per_class` grayscale images of `size` px per class into `folder`, NEU style
/// (flat, `<class>_<n>.png`). Deterministic for a seed. Returns the number of files written.
int write_surface_defects(const std::string& folder, int per_class, int size, std::uint64_t seed);

}  // namespace alloyml::data
