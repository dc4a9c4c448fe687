#pragma once
// The labels' objectives of image classification (private to the task): cross-entropy with
// optional label smoothing and class weights, and Huang et al.'s adaptive G-mean loss.
#include <memory>

#include <torch/torch.h>

#include "alloyml/tasks/classification/classifier.h"
#include "alloyml/train/objective.h"

namespace alloyml::tasks {

/// loss.name's objective: "cross_entropy" or "adaptive_gmean".
std::unique_ptr<train::Objective> make_label_objective(const ClassifierSetup& setup, const torch::Device& device);

}  // namespace alloyml::tasks
