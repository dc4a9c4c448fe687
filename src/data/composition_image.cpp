#include "alloyml/data/composition_image.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include <opencv2/imgproc.hpp>

#include "alloyml/core/error.h"
#include "alloyml/data/elements.h"

namespace alloyml::data {

std::vector<int> element_union(const std::vector<Composition>& compositions) {
  std::set<int> all;
  for (const auto& c : compositions)
    for (const auto& [z, f] : c.fractions) all.insert(z);
  return {all.begin(), all.end()};
}

std::vector<int> parse_element_list(const std::string& list) {
  std::string text = list;
  std::replace(text.begin(), text.end(), ',', ' ');
  std::istringstream words(text);
  std::set<int> out;
  for (std::string w; words >> w;) {
    const int z = atomic_number(w);
    if (z == 0) throw InputError("element list '" + list + "': unknown element '" + w + "'");
    out.insert(z);
  }
  return {out.begin(), out.end()};
}

std::vector<double> fraction_vector(const Composition& c, const std::vector<int>& elements) {
  std::vector<double> v(elements.size(), 0.0);
  for (const auto& [z, f] : c.fractions) {
    const auto it = std::lower_bound(elements.begin(), elements.end(), z);
    if (it == elements.end() || *it != z)
      throw InputError("composition " + c.to_string() + ": element " + element_symbol(z) +
                       " is not in the model's element set");
    v[static_cast<size_t>(it - elements.begin())] = f;
  }
  return v;
}

std::vector<float> outer_product_image(const Composition& c, const std::vector<int>& elements, double scale) {
  const auto v = fraction_vector(c, elements);
  const size_t n = v.size();
  std::vector<float> img(n * n);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) img[i * n + j] = static_cast<float>(scale * v[i] * v[j]);
  return img;
}

std::pair<int, int> periodic_position(int z) {
  if (z < 1 || z > 103) throw InputError("no periodic-table position for atomic number " + std::to_string(z));
  if (z == 1) return {0, 0};
  if (z == 2) return {0, 17};
  // Periods 2 and 3: groups 1-2, then 13-18.
  for (int period = 1, first = 3; period <= 2; ++period, first += 8) {
    if (z < first || z >= first + 8) continue;
    const int k = z - first;
    return {period, k < 2 ? k : k + 10};
  }
  if (z <= 36) return {3, z - 19};  // K..Kr
  if (z <= 54) return {4, z - 37};  // Rb..Xe
  if (z == 55 || z == 56) return {5, z - 55};
  if (z >= 57 && z <= 71) return {7, z - 57 + 2};  // La..Lu
  if (z <= 86) return {5, z - 72 + 3};             // Hf..Rn
  if (z == 87 || z == 88) return {6, z - 87};
  return {8, z - 89 + 2};  // Ac..Lr
}

std::vector<float> periodic_table_image(const Composition& c) {
  std::vector<float> img(9 * 18, 0.0f);
  for (const auto& [z, f] : c.fractions) {
    const auto [r, col] = periodic_position(z);
    img[static_cast<size_t>(r * 18 + col)] += static_cast<float>(f);
  }
  return img;
}

}  // namespace alloyml::data

namespace alloyml::data {

int CompositionEncoding::native_height() const {
  return kind == "periodic_table" ? 9 : static_cast<int>(elements.size());
}

int CompositionEncoding::native_width() const {
  return kind == "periodic_table" ? 18 : static_cast<int>(elements.size());
}

namespace {

double scaled_property(int z, const std::string& property, const Composition& c) {
  const double v = element_property_scaled(z, property);
  if (std::isnan(v))
    throw InputError("composition " + c.to_string() + ": no " + property + " is tabulated for " + element_symbol(z) +
                     "; drop that property from encoding.properties");
  return v;
}

}  // namespace

std::vector<float> encode_composition(const Composition& c, const CompositionEncoding& e) {
  if (e.kind != "outer_product" && e.kind != "periodic_table")
    throw InputError("encoding.kind '" + e.kind + "' is not one of outer_product, periodic_table");
  const int h = e.native_height(), w = e.native_width();
  if (h == 0) throw InputError("the composition encoding has an empty element set");
  const size_t plane = static_cast<size_t>(h) * static_cast<size_t>(w);
  std::vector<float> img(plane * static_cast<size_t>(e.channels()), 0.0f);
  if (e.kind == "periodic_table") {
    const auto base = periodic_table_image(c);
    std::copy(base.begin(), base.end(), img.begin());
    for (size_t p = 0; p < e.properties.size(); ++p)
      for (const auto& [z, f] : c.fractions) {
        const auto [r, col] = periodic_position(z);
        img[(p + 1) * plane + static_cast<size_t>(r * 18 + col)] += static_cast<float>(f * scaled_property(z, e.properties[p], c));
      }
  } else {
    const auto v = fraction_vector(c, e.elements);
    const size_t n = v.size();
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j) img[i * n + j] = static_cast<float>(v[i] * v[j]);
    for (size_t p = 0; p < e.properties.size(); ++p) {
      // Only the composition's own elements are non-zero: look their properties up once.
      std::vector<double> prop(n, 0.0);
      for (size_t i = 0; i < n; ++i)
        if (v[i] > 0) prop[i] = scaled_property(e.elements[i], e.properties[p], c);
      float* out = img.data() + (p + 1) * plane;
      for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j)
          out[i * n + j] = static_cast<float>(v[i] * v[j] * (i == j ? prop[i] : std::fabs(prop[i] - prop[j])));
    }
  }
  if (e.size <= 0 || (e.size == h && e.size == w)) return img;
  const size_t side = static_cast<size_t>(e.size);
  std::vector<float> resized(side * side * static_cast<size_t>(e.channels()));
  for (int ch = 0; ch < e.channels(); ++ch) {
    const cv::Mat src(h, w, CV_32F, img.data() + static_cast<size_t>(ch) * plane);
    cv::Mat dst(e.size, e.size, CV_32F, resized.data() + static_cast<size_t>(ch) * side * side);
    cv::resize(src, dst, dst.size(), 0, 0, cv::INTER_NEAREST);
  }
  return resized;
}

}  // namespace alloyml::data
