#pragma once
// torchvision Inception v3 (Szegedy et al. 2016; 299 px, at least 75), with torchvision's module
// names: the blocks InceptionA to InceptionE and the auxiliary classifier are their own classes.
#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/models/options.h"
#include "alloyml/nn/blocks.h"

namespace alloyml::models {

using alloyml::nn::BasicConv2d;

/// 35 x 35 block (Mixed_5b-d): 1x1, 5x5, double 3x3 and pooled 1x1 branches.
struct InceptionAImpl : torch::nn::Module {
  InceptionAImpl(int64_t in, int64_t pool_features);
  torch::Tensor forward(const torch::Tensor& x);
  BasicConv2d branch1x1{nullptr}, branch5x5_1{nullptr}, branch5x5_2{nullptr}, branch3x3dbl_1{nullptr},
      branch3x3dbl_2{nullptr}, branch3x3dbl_3{nullptr}, branch_pool{nullptr};
};
TORCH_MODULE(InceptionA);

/// Grid reduction to 17 x 17 (Mixed_6a).
struct InceptionBImpl : torch::nn::Module {
  explicit InceptionBImpl(int64_t in);
  torch::Tensor forward(const torch::Tensor& x);
  BasicConv2d branch3x3{nullptr}, branch3x3dbl_1{nullptr}, branch3x3dbl_2{nullptr}, branch3x3dbl_3{nullptr};
};
TORCH_MODULE(InceptionB);

/// 17 x 17 block with factorised 7x7 convolutions (Mixed_6b-e).
struct InceptionCImpl : torch::nn::Module {
  InceptionCImpl(int64_t in, int64_t channels_7x7);
  torch::Tensor forward(const torch::Tensor& x);
  BasicConv2d branch1x1{nullptr}, branch7x7_1{nullptr}, branch7x7_2{nullptr}, branch7x7_3{nullptr},
      branch7x7dbl_1{nullptr}, branch7x7dbl_2{nullptr}, branch7x7dbl_3{nullptr}, branch7x7dbl_4{nullptr},
      branch7x7dbl_5{nullptr}, branch_pool{nullptr};
};
TORCH_MODULE(InceptionC);

/// Grid reduction to 8 x 8 (Mixed_7a).
struct InceptionDImpl : torch::nn::Module {
  explicit InceptionDImpl(int64_t in);
  torch::Tensor forward(const torch::Tensor& x);
  BasicConv2d branch3x3_1{nullptr}, branch3x3_2{nullptr}, branch7x7x3_1{nullptr}, branch7x7x3_2{nullptr},
      branch7x7x3_3{nullptr}, branch7x7x3_4{nullptr};
};
TORCH_MODULE(InceptionD);

/// 8 x 8 block with expanded filter banks (Mixed_7b, 7c).
struct InceptionEImpl : torch::nn::Module {
  explicit InceptionEImpl(int64_t in);
  torch::Tensor forward(const torch::Tensor& x);
  BasicConv2d branch1x1{nullptr}, branch3x3_1{nullptr}, branch3x3_2a{nullptr}, branch3x3_2b{nullptr},
      branch3x3dbl_1{nullptr}, branch3x3dbl_2{nullptr}, branch3x3dbl_3a{nullptr}, branch3x3dbl_3b{nullptr},
      branch_pool{nullptr};
};
TORCH_MODULE(InceptionE);

/// The auxiliary classifier (AuxLogits: conv0, conv1, fc), built so that torchvision's files load
/// strictly, then frozen and never called (no auxiliary loss).
struct InceptionAuxImpl : torch::nn::Module {
  InceptionAuxImpl(int64_t in, int64_t num_classes);
  BasicConv2d conv0{nullptr}, conv1{nullptr};
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(InceptionAux);

/// Inception v3 with transform_input off. The head is dropout (default 0.5) and fc on the pooled
/// 2048 channels of Mixed_7c.
class InceptionV3Impl : public ClassifierImpl {
 public:
  explicit InceptionV3Impl(const ModelOptions& options);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  torch::Tensor forward_head(const torch::Tensor& features) override {
    return fc(torch::dropout(features, dropout_, is_training()));
  }
  void reset_classifier(int64_t num_classes) override;
  int64_t num_features() const override { return 2048; }
  int64_t num_classes() const override { return num_classes_; }
  std::vector<std::string> classifier_prefixes() const override { return {"fc.", "AuxLogits.fc."}; }
  std::string stem_weight_name() const override { return "Conv2d_1a_3x3.conv.weight"; }
  std::vector<std::string> feature_map_layers() const override { return {"Mixed_7c"}; }

  BasicConv2d Conv2d_1a_3x3{nullptr}, Conv2d_2a_3x3{nullptr}, Conv2d_2b_3x3{nullptr}, Conv2d_3b_1x1{nullptr},
      Conv2d_4a_3x3{nullptr};
  InceptionA Mixed_5b{nullptr}, Mixed_5c{nullptr}, Mixed_5d{nullptr};
  InceptionB Mixed_6a{nullptr};
  InceptionC Mixed_6b{nullptr}, Mixed_6c{nullptr}, Mixed_6d{nullptr}, Mixed_6e{nullptr};
  InceptionAux AuxLogits{nullptr};
  InceptionD Mixed_7a{nullptr};
  InceptionE Mixed_7b{nullptr}, Mixed_7c{nullptr};
  torch::nn::Linear fc{nullptr};

 private:
  double dropout_;
  int64_t num_classes_ = 0;
};

}  // namespace alloyml::models
