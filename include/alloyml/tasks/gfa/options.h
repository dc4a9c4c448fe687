#pragma once
// The config of the glass-forming-ability task (task "gfa") as typed options: the schema takes
// every default from these structs, and the pipeline receives them instead of the JSON.
#include <cstdint>
#include <string>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/tasks/config.h"
#include "alloyml/data/options.h"
#include "alloyml/models/options.h"
#include "alloyml/train/options.h"
#include "alloyml/train/regression.h"

namespace alloyml::tasks {

struct GfaDataOptions {
  /// CSV with a formula column and a Dmax column. Required.
  std::string csv;
  /// Column of the formulas; "auto": the first whose name has alloy, formula or composition.
  std::string formula_column = "auto";
  /// Column of the target; "auto": the first whose name has dmax or d_max.
  std::string target_column = "auto";
  /// Element set of the images; empty: every element in the data.
  std::vector<std::string> elements;
  /// cv.folds 0: the validation and test shares; always: the seed of the split and the folds.
  data::SplitOptions split;
};

struct GfaEncodingOptions {
  /// "outer_product" (Wei et al.) or "periodic_table" (Feng et al.). Default "outer_product".
  std::string kind = "outer_product";
  /// Element properties, one weighted channel each.
  std::vector<std::string> properties{"radius", "electronegativity", "vec", "melting_point"};
  /// Image side fed to the network; 0 = native (elements x elements), or 224 with model.pretrained.
  int size = 0;
};

struct GfaLossOptions {
  /// "mse", "l1" or "huber". Default "mse".
  std::string name = "mse";
  /// huber: where the loss turns linear (target space). Default 1.
  double huber_delta = 1.0;
  /// "none" or "log1p" (long-tailed Dmax). Default "log1p".
  std::string target_transform = "log1p";
  /// Label-distribution smoothing re-weighting (Yang et al. 2021).
  train::LdsOptions lds;
};

struct GfaOptions : CommonOptions {
  GfaDataOptions data;
  GfaEncodingOptions encoding;
  models::ModelOptions model;
  train::TransferOptions transfer;
  train::OptimOptions optim;
  train::ScheduleOptions schedule;
  train::TrainOptions train = [] {  ///< monitoring val_rmse
    train::TrainOptions t;
    t.monitor = "val_rmse";
    return t;
  }();
  GfaLossOptions loss;
  /// Mixup Beta(alpha, alpha); alpha 0 = off. Default 0.
  double mixup_alpha = 0.0;
  /// Share of batches mixed. Default 1.
  double mixup_prob = 1.0;
  /// k-fold cross-validation; 0 = one model on data.split. Default 10.
  int cv_folds = 10;
  /// After the folds, train the model eval and predict use on all rows. Default true.
  bool cv_final_model = true;
  /// Networks per fit (each fold, the final model), seeds seed, seed+1, ...; predictions averaged. Default 1.
  int ensemble_members = 1;
  /// predict --system: best compositions listed. Default 10.
  int design_top = 10;
};

/// The metrics a gfa run can monitor, its default first.
const std::vector<std::string>& gfa_monitors();

/// Every key of a gfa config, with its default (from GfaOptions) and meaning.
const config::Schema& gfa_schema();

/// Checks across keys of a resolved config; InputError naming `source`.
void check_gfa_config(const config::Json& resolved, const std::string& source);

/// The typed options of a resolved config.
GfaOptions gfa_options(const config::Json& resolved);

}  // namespace alloyml::tasks
