#include "alloyml/train/network.h"

#include "alloyml/models/registry.h"
#include "alloyml/train/optimizer.h"
#include "alloyml/weights/load.h"

namespace alloyml::train {

TrainableNetwork make_trainable_network(const models::ModelOptions& model, const OptimOptions& optim,
                                        const TransferOptions& transfer, std::uint64_t seed, const torch::Device& device,
                                        bool channels_last) {
  TrainableNetwork n;
  torch::manual_seed(seed);  // initial weights depend on the seed only
  n.model = models::create_model(model);
  weights::load_pretrained(*n.model, model);
  n.model->to(device);
  if (channels_last)
    for (auto& p : n.model->parameters())
      if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
  // Backbone and classifier in separate groups (transfer learning: own rate, freezing).
  std::vector<torch::Tensor> head;
  std::tie(n.backbone, head) = backbone_and_head(*n.model);
  n.optimizer = make_optimizer(optim, {{n.backbone, optim.lr * transfer.backbone_lr_mult}, {head, optim.lr}});
  return n;
}

void set_backbone_frozen(TrainableNetwork& network, bool frozen) {
  for (auto& p : network.backbone) p.set_requires_grad(!frozen);
}

}  // namespace alloyml::train
