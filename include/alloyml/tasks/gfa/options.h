#pragma once
// The config of the glass-forming-ability task (task "gfa") as typed options: the schema takes
// every default from these structs, and the pipeline receives them instead of the JSON.
#include <cstdint>
#include <string>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/tasks/config.h"
#include "alloyml/data/options.h"
#include "alloyml/core/option_keys.h"
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

/// The gfa task's own keys (dotted: section.key); the common, split and network keys come from
/// tasks/schema_parts.h.
template <class V>
void visit_keys(V& v, GfaOptions& o) {
  using options::key;
  v(o.data.csv, key("data.csv", "CSV with a formula column and a Dmax column").null_when_empty());
  v(o.data.formula_column, key("data.formula_column", "column of the formulas; default: the first whose name has alloy, "
                                                      "formula or composition")
                               .null_means("auto"));
  v(o.data.target_column,
    key("data.target_column", "column of the target; default: the first whose name has dmax or d_max").null_means("auto"));
  v(o.data.elements, key("data.elements", "element set of the images; empty: every element in the data"));
  v(o.encoding.kind, key("encoding.kind", "outer_product (Wei et al.) or periodic_table (Feng et al.)")
                         .one_of({"outer_product", "periodic_table"}));
  v(o.encoding.properties, key("encoding.properties", "element properties, one weighted channel each: radius, "
                                                      "electronegativity, vec, melting_point"));
  v(o.encoding.size, key("encoding.size", "image side fed to the network; 0 = native (elements x elements), or 224 with "
                                          "model.pretrained")
                         .range(0, 1024));
  v(o.loss.name, key("loss.name", "mse, l1 or huber").one_of({"mse", "l1", "huber"}));
  v(o.loss.huber_delta, key("loss.huber_delta", "huber: where the loss turns linear (target space)").at_least(1e-9));
  v(o.loss.target_transform, key("loss.target_transform", "none or log1p (long-tailed Dmax)").one_of({"none", "log1p"}));
  v(o.loss.lds.enabled, key("loss.lds.enabled", "label-distribution smoothing re-weighting (Yang et al. 2021)"));
  v(o.loss.lds.bins, key("loss.lds.bins", "histogram bins over the target range").range(1, 100000));
  v(o.loss.lds.kernel_size, key("loss.lds.kernel_size", "Gaussian kernel size in bins (odd)").range(1, 1001));
  v(o.loss.lds.sigma, key("loss.lds.sigma", "Gaussian kernel sigma in bins").at_least(1e-6));
  v(o.loss.lds.reweight, key("loss.lds.reweight", "inverse or sqrt_inverse of the smoothed density")
                             .one_of({"inverse", "sqrt_inverse"}));
  v(o.mixup_alpha, key("mixup.alpha", "Mixup Beta(alpha, alpha); 0 = off").range(0, 100));
  v(o.mixup_prob, key("mixup.prob", "share of batches mixed").range(0, 1));
  v(o.cv_folds, key("cv.folds", "k-fold cross-validation; 0 = one model on data.split").range(0, 1000));
  v(o.cv_final_model, key("cv.final_model", "after the folds, train the model eval and predict use on all rows"));
  v(o.ensemble_members, key("ensemble.members", "networks per fit (each fold, the final model), seeds seed, seed+1, ...; "
                                                "predictions averaged")
                            .range(1, 100));
  v(o.design_top, key("design.top", "predict --system: best compositions listed").range(1, 100000));
}

/// The metrics a gfa run can monitor (its default: GfaOptions::train.monitor).
const std::vector<std::string>& gfa_monitors();

/// Every key of a gfa config, with its default (from GfaOptions) and meaning.
const config::Schema& gfa_schema();

/// Checks across keys of a resolved config; InputError naming `source`.
void check_gfa_config(const config::Json& resolved, const std::string& source);

/// The typed options of a resolved config.
GfaOptions gfa_options(const config::Json& resolved);

}  // namespace alloyml::tasks
