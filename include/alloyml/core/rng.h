#pragma once
// Deterministic seeds. Every random choice in a run derives from (seed, purpose, epoch, index),
// so a run is reproducible and a resumed run continues exactly where it stopped.
#include <cstdint>
#include <random>
#include <vector>

namespace alloyml {

/// SplitMix64 finaliser: a well-mixed 64-bit value from any input.
inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0, std::uint64_t c = 0) {
  return mix64(mix64(mix64(seed ^ 0x5A17A11ULL) ^ a) + mix64(b) * 31 + mix64(c) * 131);
}

/// Fisher-Yates with our own index draw, so the order is the same with every standard library.
template <class T>
void seeded_shuffle(std::vector<T>& v, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  for (size_t i = v.size(); i > 1; --i) {
    const size_t j = static_cast<size_t>(gen() % i);
    std::swap(v[i - 1], v[j]);
  }
}

/// Uniform double in [0, 1) from a generator, independent of the standard library.
inline double uniform01(std::mt19937_64& gen) { return static_cast<double>(gen() >> 11) * (1.0 / 9007199254740992.0); }

}  // namespace alloyml
