#pragma once
// Compositions as images, for the glass-forming-ability regressor (after the slides of Wei et al.,
// Physica B 713 (2025) 417352): the outer product of the element-fraction vector, the elements
// ordered by their place in the periodic table, so pixel (i, j) carries f_i f_j; and the
// periodic-table representation (Feng et al., npj Comput. Mater. 7:10 (2021)): a 9 x 18 grid with
// each element's fraction at its place in the table. Channel-major float images, C x H x W.
#include <string>
#include <utility>
#include <vector>

#include "alloyml/data/composition.h"

namespace alloyml::data {

/// The elements of the compositions (atomic numbers), sorted: periodic-table order.
std::vector<int> element_union(const std::vector<Composition>& compositions);

/// Parses "Cu,Zr,Al" or "Cu Zr Al" into sorted atomic numbers; an unknown symbol is an InputError.
std::vector<int> parse_element_list(const std::string& list);

/// The fraction vector over `elements` (in that order). An element of `c` outside the set is an
/// InputError naming it and the composition.
std::vector<double> fraction_vector(const Composition& c, const std::vector<int>& elements);

/// One channel, N x N (N = elements.size()): pixel (i, j) = f_i f_j, scaled by `scale` (the
/// outer product of fractions is small: with 5 elements at 20 % its pixels are 0.04).
std::vector<float> outer_product_image(const Composition& c, const std::vector<int>& elements, double scale = 1.0);

/// How compositions become images (config section "encoding"): the outer product or the periodic
/// table, plus one channel per element property (data/elements.h).
struct CompositionEncoding {
  /// "outer_product" or "periodic_table".
  std::string kind = "outer_product";
  /// outer_product: the element set, sorted by atomic number (periodic-table order).
  std::vector<int> elements;
  /// Extra channels weighted by these properties (radius, electronegativity, vec, melting_point).
  std::vector<std::string> properties;
  /// Side of the square image fed to the network; 0 keeps the native N x N or 9 x 18.
  int size = 0;

  int channels() const { return 1 + static_cast<int>(properties.size()); }
  int native_height() const;
  int native_width() const;
  int height() const { return size > 0 ? size : native_height(); }
  int width() const { return size > 0 ? size : native_width(); }
};

/// The composition's image, channels() x height() x width(), channel-major. Channel 0 is the
/// fraction image; channel 1 + p weights it by property p, scaled to [0, 1]
/// (element_property_scaled): on the outer product's diagonal f_i^2 p_i, off it
/// f_i f_j |p_i - p_j| (summed over all pixels this is the fraction-weighted mismatch of the
/// property, the quantity behind the atomic-size mismatch delta of glass-forming rules); in the
/// periodic table f_i p_i. Resizing to `size` is nearest-neighbour, so every element keeps a
/// block of identical pixels. An element outside the set, or with no value of a requested
/// property, is an InputError naming it.
std::vector<float> encode_composition(const Composition& c, const CompositionEncoding& encoding);

/// Row and column (0-based) of an element in the 9 x 18 periodic table: periods 1-7 in rows 0-6,
/// the lanthanides La-Lu in row 7 and the actinides Ac-Lr in row 8, columns 2-16.
std::pair<int, int> periodic_position(int z);

/// One channel, 9 x 18: each element's fraction at its periodic_position.
std::vector<float> periodic_table_image(const Composition& c);

}  // namespace alloyml::data
