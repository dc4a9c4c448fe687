#pragma once
// Torch-free pieces of regression training: target transforms and label-distribution smoothing.
// Used by the glass-forming-ability task.
#include <cstdint>
#include <string>
#include <vector>

namespace alloyml::train {

/// "none" or "log1p" (long-tailed targets such as Dmax: most alloys are poor glass formers).
double transform_target(double y, const std::string& transform);
double invert_target(double t, const std::string& transform);

/// A network output (training space) in the user's units: the transform inverted and, for a
/// non-negative quantity (a diameter), clipped at 0. Validation during training and every
/// prediction after it go through this one function, so the figure that selects best.pt is
/// the figure that best.pt reproduces.
double to_user_units(double output, const std::string& transform, bool non_negative);

struct LdsOptions {
  /// Off by default.
  bool enabled = false;
  /// Histogram bins over the (transformed) target range. Default 50.
  int bins = 50;
  /// Gaussian kernel size in bins (odd). Default 5.
  int kernel_size = 5;
  /// Gaussian kernel standard deviation in bins. Default 2.
  double sigma = 2.0;
  /// "inverse" or "sqrt_inverse" of the smoothed density. Default "sqrt_inverse".
  std::string reweight = "sqrt_inverse";
};

/// Label-distribution smoothing (Yang, Zha, Chen, Wang and Katabi, "Delving into Deep Imbalanced
/// Regression", ICML 2021, Sec. 3.1): the empirical label histogram convolved with a symmetric
/// Gaussian kernel gives the effective density p~(y) = sum_y' k(y, y') p(y'); each sample is
/// weighted by 1 / p~(y) (or 1 / sqrt(p~(y))), normalised to mean 1 over the samples.
std::vector<double> lds_weights(const std::vector<double>& targets, const LdsOptions& options);

/// The smoothed density of lds_weights per bin (for reports and tests): `bins` values.
std::vector<double> lds_density(const std::vector<double>& targets, const LdsOptions& options);

}  // namespace alloyml::train
