#pragma once
// Loading a state dict into an alloyml model: naming profiles (torchvision, timm, Cadene's
// pretrainedmodels SENet), a report of missing, unexpected and wrongly shaped keys, head
// re-initialisation for another class count, and 1-channel adaptation of the stem.
#include <string>
#include <vector>

#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"
#include "alloyml/weights/pth.h"

namespace alloyml::weights {

struct LoadOptions {
  /// "auto" (detect from the keys), "torchvision", "timm" or "cadene".
  std::string profile = "auto";
  /// false: load what matches and report the rest instead of failing.
  bool allow_partial = false;
};

struct ShapeMismatch {
  std::string key;
  std::vector<int64_t> model_shape, file_shape;
};

struct LoadReport {
  std::string profile;                    ///< the naming profile used
  size_t loaded = 0;                      ///< tensors copied into the model
  std::vector<std::string> missing;       ///< in the model, not in the file
  std::vector<std::string> unexpected;    ///< in the file, not in the model
  std::vector<ShapeMismatch> mismatched;  ///< same name, other shape (head keys excluded)
  std::vector<std::string> reinitialised; ///< classifier keys kept freshly initialised
  std::vector<std::string> adapted;       ///< stem weights summed over RGB for 1-channel input
  /// A readable table of everything above.
  std::string table() const;
};

/// "torchvision", "timm" or "cadene" from the keys of a state dict.
std::string detect_profile(const StateDict& state);

/// Renames a state dict from `profile` to alloyml's names (torchvision/timm are identical).
StateDict to_alloyml_names(const StateDict& state, const std::string& profile);

/// Copies `state` into `model`. Throws InputError (naming `source`) when strict and anything
/// other than the classifier head is missing, unexpected or wrongly shaped.
LoadReport load_state_dict(models::ClassifierImpl& model, const StateDict& state, const LoadOptions& options,
                           const std::string& source);

/// The model's state dict with alloyml (= torchvision/timm) names, for export.
StateDict state_dict_of(torch::nn::Module& model);

/// Loads `options.pretrained` into `model` (profile and partial loading as configured) and logs
/// the import report. Does nothing when no file is configured.
void load_pretrained(models::ClassifierImpl& model, const models::ModelOptions& options);

}  // namespace alloyml::weights
