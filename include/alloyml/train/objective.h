#pragma once
// What a training step minimises, apart from the network it trains: the loss of a batch from the
// network's outputs, the state that loss keeps across steps (held in the checkpoint), and the
// metrics it adds to metrics.jsonl each epoch. A plain loss is an objective; distillation wraps
// another objective (the labels' loss) and adds the teacher's terms. Torch units only.
#include <torch/torch.h>

#include "alloyml/train/task.h"
#include "alloyml/train/torch_task.h"

namespace alloyml::train {

/// One training batch as an objective sees it.
struct ObjectiveBatch {
  torch::Tensor images;    ///< the augmented batch the network saw
  torch::Tensor labels;    ///< class indices (int64)
  torch::Tensor features;  ///< the network's pooled embedding (forward_features), as computed
  torch::Tensor logits;    ///< the network's logits, fp32
};

class Objective {
 public:
  virtual ~Objective() = default;
  /// Registers what a checkpoint must hold for a resumed run to continue exactly (called once).
  virtual void hold_state(StateHolder& /*holder*/) {}
  /// Before an epoch's first step (`fresh`) or a resumed epoch's next one.
  virtual void begin_epoch(int /*epoch*/, bool /*fresh*/) {}
  /// The batch's loss, to be back-propagated.
  virtual torch::Tensor loss(const ObjectiveBatch& batch) = 0;
  /// After the step: the network's predictions of the batch (argmax of its logits).
  virtual void observe(const torch::Tensor& /*labels*/, const torch::Tensor& /*predicted*/) {}
  /// The epoch's metrics of the objective (per image, over the job), added to `metrics`;
  /// `job_images`: the images the job's epoch trained on.
  virtual void end_epoch(int /*epoch*/, double /*job_images*/, Scalars& /*metrics*/) {}
};

}  // namespace alloyml::train
