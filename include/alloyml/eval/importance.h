#pragma once
// Which inputs matter to a regression model (the straightening paper's section 5): sensitivity by
// mean impact value, Garson's connection-weight importance, and permutation importance.
#include <cstdint>
#include <functional>
#include <vector>

#include "alloyml/classical/mlp.h"

namespace alloyml::eval {

/// A model's prediction for one row of raw inputs.
using RowPredictor = std::function<double(const double* inputs)>;

/// Mean impact value (Dombi et al. 1995, as used in the paper): for each input, the mean over the
/// samples of f(x with input i times 1 + delta) - f(x with input i times 1 - delta). Signed: a
/// positive MIV means the output grows with the input.
std::vector<double> mean_impact_values(const RowPredictor& predict, const data::Samples& samples, double delta);

/// Garson (1991): input i's share of sum_h |w_ih| |v_h| / sum_k |w_kh| over a one-hidden-layer net;
/// the shares sum to 1. `nets` are averaged (an ensemble).
std::vector<double> garson_importance(const std::vector<classical::Mlp>& nets);

/// Permutation importance (Breiman 2001): the mean rise in RMSE when one input column is shuffled,
/// over `repeats` seeded shuffles.
std::vector<double> permutation_importance(const RowPredictor& predict, const data::Samples& samples, int repeats,
                                           std::uint64_t seed);

/// |v| / sum |v|, so importances of different kinds compare on one chart.
std::vector<double> relative_magnitudes(const std::vector<double>& values);

}  // namespace alloyml::eval
