#pragma once
// Glass-forming ability (task "gfa"): the critical casting diameter Dmax of a metallic glass
// regressed from its composition alone, after the slides "ResNet50-based glass-forming-ability
// prediction for amorphous alloys" (published as Wei et al., Physica B 713 (2025) 417352): the
// composition becomes an outer-product image (data/composition_image.h), a ResNet with one output
// regresses log(1 + Dmax), k-fold cross-validation scores it, and a final model on all rows serves
// eval, predict and the design of ternary systems.
#include <memory>

#include "alloyml/tasks/gfa/options.h"
#include "alloyml/tasks/pipeline.h"

namespace alloyml::tasks {

std::unique_ptr<Pipeline> make_gfa_pipeline();

/// Trains the run of `options` (cross-validation or one split, then the final model).
int train_gfa(const GfaOptions& options, const TrainContext& context);

/// alloyml-augment gfa and composition.
std::vector<CommandSpec> gfa_augment_commands();

}  // namespace alloyml::tasks
