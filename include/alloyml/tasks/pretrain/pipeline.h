#pragma once
// Self-supervised pretraining (task "pretrain"): a backbone learnt from unlabelled images by MoCo v2
// (He et al. 2020; Chen et al. 2020), written as RUN/backbone.pth, which a classifier's
// model.pretrained loads like an ImageNet file; alloyml-eval --data probes its embedding by k-NN.
#include <memory>

#include "alloyml/tasks/pipeline.h"

namespace alloyml::tasks {

std::unique_ptr<Pipeline> make_pretrain_pipeline();

}  // namespace alloyml::tasks
