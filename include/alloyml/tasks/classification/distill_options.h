#pragma once
// Options of distillation into an image classifier (config section "distill"). Torch-free.
#include <string>

#include "alloyml/core/option_keys.h"

namespace alloyml::tasks {

/// Knowledge distillation from a trained classifier (config section "distill"): relational KD
/// (Park et al. 2019) on the pooled embeddings, optional Hinton soft targets, plus the labels' loss.
struct DistillOptions {
  /// The teacher's run directory (its model.json and best checkpoint); empty: no distillation.
  std::string teacher;
  /// Weight of the labels' loss (loss.name). Default 1.
  double ce_weight = 1.0;
  /// Weight of the RKD distance loss (Park et al.'s 25). Default 25.
  double distance_weight = 25.0;
  /// Weight of the RKD angle loss (Park et al.'s 50). Default 50.
  double angle_weight = 50.0;
  /// Weight of Hinton's soft-target loss; 0 leaves it out. Default 0.
  double kd_weight = 0.0;
  /// Temperature of the soft targets. Default 4.
  double temperature = 4.0;
};

template <class V>
void visit_keys(V& v, DistillOptions& o) {
  using options::key;
  v(o.teacher, key("teacher", "a trained classifier's run directory: train this model as its student (relational KD)")
                   .null_when_empty());
  v(o.ce_weight, key("ce_weight", "weight of the labels' loss (loss.name)").at_least(0));
  v(o.distance_weight, key("distance_weight", "RKD distance loss weight (Park et al.: 25)").at_least(0));
  v(o.angle_weight, key("angle_weight", "RKD angle loss weight (Park et al.: 50)").at_least(0));
  v(o.kd_weight, key("kd_weight", "Hinton soft-target loss weight; 0: none").at_least(0));
  v(o.temperature, key("temperature", "soft-target temperature").range(1e-3, 100));
}

}  // namespace alloyml::tasks
