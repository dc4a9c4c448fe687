#pragma once
// CycleGAN (task "cyclegan"): unpaired translation between two production lines' looks (Zhu et al.
// 2017; Huang et al. 2023, Section 2.2), trained by alloyml-train or `alloyml-augment cyclegan-train`
// and applied by `alloyml-augment cyclegan-translate`, which keeps the images' labels so that the
// output extends a classification data set.
#include <memory>

#include "alloyml/tasks/pipeline.h"

namespace alloyml::tasks {

std::unique_ptr<Pipeline> make_cyclegan_pipeline();

}  // namespace alloyml::tasks
