#pragma once
// A registered network set up for training: built from its options (weights from the seed),
// started from model.pretrained when given, on its device, and with one optimiser whose backbone
// and classifier groups take the transfer-learning rates. Torch units only.
#include <memory>
#include <vector>

#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"
#include "alloyml/train/options.h"

namespace alloyml::train {

struct TrainableNetwork {
  models::Classifier model{nullptr};
  std::unique_ptr<torch::optim::Optimizer> optimizer;
  std::vector<torch::Tensor> backbone;  ///< frozen for transfer.freeze_epochs
};

/// Builds `model` (after torch::manual_seed(seed)), loads its pretrained weights, moves it to
/// `device` (channels-last weights when asked) and makes its optimiser.
TrainableNetwork make_trainable_network(const models::ModelOptions& model, const OptimOptions& optim,
                                        const TransferOptions& transfer, std::uint64_t seed, const torch::Device& device,
                                        bool channels_last);

/// Freezes (or unfreezes) the backbone for an epoch of transfer learning.
void set_backbone_frozen(TrainableNetwork& network, bool frozen);

}  // namespace alloyml::train
