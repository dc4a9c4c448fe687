#pragma once
// torchvision GoogLeNet (Inception v1; Szegedy et al. 2015), with torchvision's module names.
#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"
#include "alloyml/nn/blocks.h"

namespace alloyml::models {

/// torchvision's Inception module: 1x1; 1x1 then 3x3; 1x1 then 3x3 (torchvision's "5x5" branch
/// is a 3x3 convolution); 3x3 max-pool then 1x1. Outputs concatenated on channels.
struct GoogLeNetInceptionImpl : torch::nn::Module {
  GoogLeNetInceptionImpl(int64_t in, int64_t ch1x1, int64_t ch3x3red, int64_t ch3x3, int64_t ch5x5red, int64_t ch5x5,
                         int64_t pool_proj);
  torch::Tensor forward(const torch::Tensor& x);
  alloyml::nn::BasicConv2d branch1{nullptr};
  torch::nn::Sequential branch2{nullptr}, branch3{nullptr}, branch4{nullptr};
};
TORCH_MODULE(GoogLeNetInception);

/// The auxiliary classifier (conv, fc1, fc2). Built so that torchvision's files load strictly,
/// then frozen: training has no auxiliary loss and never calls it.
struct GoogLeNetAuxImpl : torch::nn::Module {
  GoogLeNetAuxImpl(int64_t in, int64_t num_classes);
  alloyml::nn::BasicConv2d conv{nullptr};
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(GoogLeNetAux);

/// GoogLeNet with transform_input off (inputs are normalised as the run says). The head is
/// dropout (default 0.2) and fc on the pooled 1024 channels of inception5b.
class GoogLeNetImpl : public ClassifierImpl {
 public:
  explicit GoogLeNetImpl(const ModelOptions& options);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override {
    return fc(torch::dropout(features, dropout_, is_training()));
  }
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return 1024; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"fc.", "aux1.fc2.", "aux2.fc2."}; }
  std::string stem_weight_name() const override { return "conv1.conv.weight"; }
  std::vector<std::string> feature_map_layers() const override { return {"inception5b"}; }

  alloyml::nn::BasicConv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
  GoogLeNetInception inception3a{nullptr}, inception3b{nullptr}, inception4a{nullptr}, inception4b{nullptr},
      inception4c{nullptr}, inception4d{nullptr}, inception4e{nullptr}, inception5a{nullptr}, inception5b{nullptr};
  GoogLeNetAux aux1{nullptr}, aux2{nullptr};
  torch::nn::Linear fc{nullptr};

 private:
  double dropout_;
  int64_t num_classes_ = 0;
};

}  // namespace alloyml::models
