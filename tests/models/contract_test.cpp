// One contract for every registered classifier (issue 41): forward_features is the pooled
// embedding with no dropout in it, forward_head holds the head's dropout, forward_both gives both
// from one pass, and model.dropout unset means the family's own rate while 0 means none.
#include <gtest/gtest.h>

#include <set>

#include <torch/torch.h>

#include "alloyml/models/registry.h"

using namespace alloyml;
using namespace alloyml::models;

namespace {

ModelOptions tiny(const std::string& name, std::optional<double> dropout) {
  ModelOptions o;
  o.name = name;
  o.num_classes = 5;
  o.in_channels = 1;
  o.width = 16;
  o.dropout = dropout;
  return o;
}

torch::Tensor input_for(const std::string& name) {
  const int64_t side = name == "inception_v3" ? 96 : 64;  // Inception v3 needs at least 75 px
  return torch::randn({4, 1, side, side});
}

bool same(const torch::Tensor& a, const torch::Tensor& b) { return torch::allclose(a, b, 1e-5, 1e-6); }

// Families whose head has dropout by default (torchvision's and timm's own rates).
const std::set<std::string> kDropoutByDefault{"alexnet", "vgg16", "vgg19", "squeezenet1_1", "mobilenet_v2",
                                              "mobilenet_v3_large", "mobilenet_v3_small", "googlenet",
                                              "inception_v3", "ghostnet_050", "ghostnet_100", "ghostnet_130"};

}  // namespace

TEST(ClassifierContract, FeaturesArePooledAndFreeOfDropoutHeadsHoldIt) {
  torch::NoGradGuard g;
  for (const auto& name : model_registry().names()) {
    SCOPED_TRACE(name);
    torch::manual_seed(0);
    auto m = create_model(tiny(name, 0.5));
    const auto x = input_for(name);
    m->train();
    const auto f1 = m->forward_features(x), f2 = m->forward_features(x);
    ASSERT_EQ(f1.dim(), 2);
    EXPECT_EQ(f1.size(1), m->num_features());
    EXPECT_TRUE(same(f1, f2)) << "forward_features draws dropout";
    EXPECT_FALSE(same(m->forward_head(f1), m->forward_head(f1))) << "forward_head has no dropout at model.dropout 0.5";
    m->eval();
    const auto both = m->forward_both(x);
    const auto logits = m->forward(x);
    EXPECT_TRUE(same(both.features, m->forward_features(x)));
    EXPECT_TRUE(same(both.logits, logits));
    EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{4, 5}));
    if (!m->head_reads_feature_map()) {
      EXPECT_TRUE(same(m->forward_head(both.features), logits));
    }
  }
}

TEST(ClassifierContract, DropoutUnsetIsTheFamilysOwnAndZeroIsNone) {
  torch::NoGradGuard g;
  for (const auto& name : model_registry().names()) {
    SCOPED_TRACE(name);
    for (const std::optional<double> dropout : {std::optional<double>(), std::optional<double>(0.0)}) {
      torch::manual_seed(0);
      auto m = create_model(tiny(name, dropout));
      m->train();
      const auto f = m->forward_features(input_for(name));
      const bool stochastic = !same(m->forward_head(f), m->forward_head(f));
      const bool expected = !dropout && kDropoutByDefault.count(name) > 0;
      EXPECT_EQ(stochastic, expected) << (dropout ? "model.dropout 0" : "model.dropout unset");
    }
  }
}
