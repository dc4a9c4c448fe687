// The model registry builds networks of every role, each family from its own options.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/models/registry.h"

using namespace alloyml;
using namespace alloyml::models;

namespace {

struct TinyGeneratorOptions {
  int64_t channels = 3;  ///< image channels in and out
  int64_t width = 8;     ///< hidden channels
};

struct TinyGeneratorImpl : torch::nn::Module {
  explicit TinyGeneratorImpl(const TinyGeneratorOptions& o)
      : conv1(register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(o.channels, o.width, 3).padding(1)))),
        conv2(register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(o.width, o.channels, 3).padding(1)))) {}
  torch::Tensor forward(const torch::Tensor& x) { return torch::tanh(conv2(torch::relu(conv1(x)))); }
  torch::nn::Conv2d conv1, conv2;
};

}  // namespace

TEST(ModelRegistry, BuildsAFamilyOfAnotherRoleFromItsOwnOptions) {
  ModelRegistry r;
  register_builtin_models(r);
  r.add_network<TinyGeneratorOptions>(
      "tiny_generator", Role::Generator,
      [](const TinyGeneratorOptions& o) -> ModelRegistry::Module { return std::make_shared<TinyGeneratorImpl>(o); },
      "two convolutions");
  TinyGeneratorOptions o;
  o.channels = 1;
  auto g = std::dynamic_pointer_cast<TinyGeneratorImpl>(r.create_network("tiny_generator", Role::Generator, o));
  ASSERT_TRUE(g);
  EXPECT_EQ(g->forward(torch::zeros({2, 1, 16, 16})).sizes(), (std::vector<int64_t>{2, 1, 16, 16}));
  const auto generators = r.names(Role::Generator);  // the built-in resnet_generator too
  EXPECT_EQ(std::count(generators.begin(), generators.end(), "tiny_generator"), 1);
  // The roles do not mix: a generator is no classifier, a classifier name no generator.
  const auto classifiers = r.names(Role::Classifier);
  EXPECT_EQ(std::count(classifiers.begin(), classifiers.end(), "tiny_generator"), 0);
  ModelOptions m;
  m.name = "tiny_generator";
  EXPECT_THROW(r.create(m), InputError);
  try {
    r.create_network("resnet18", Role::Generator, o);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown generator 'resnet18'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("tiny_generator"), std::string::npos) << e.what();
  }
  const ModelOptions classifier_options;
  EXPECT_THROW(r.create_network("tiny_generator", Role::Generator, classifier_options), Error);
}
