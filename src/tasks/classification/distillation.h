#pragma once
// Distillation as an objective (private to the classification task): the labels' objective
// wrapped with a frozen teacher's relational terms (Park et al. 2019) and Hinton's soft targets.
#include <functional>
#include <memory>
#include <optional>

#include <torch/torch.h>

#include "alloyml/models/classifier.h"
#include "alloyml/tasks/classification/classifier.h"
#include "alloyml/train/objective.h"

namespace alloyml::tasks {

/// A model's accuracy on the run's validation images; nullopt when the run has none.
using ValAccuracy = std::function<std::optional<double>(models::ClassifierImpl&)>;

/// `base` (the labels' loss) plus the teacher's terms, as `teacher.distill` weighs them. The
/// teacher (its run's best checkpoint) is loaded frozen, in eval mode with its batch norms folded,
/// and sees the student's augmented batch. Metrics: each term per image (unweighted), the
/// teacher's accuracy on the training batches and, once, on the validation images.
std::unique_ptr<train::Objective> make_distillation(std::unique_ptr<train::Objective> base, const TeacherSetup& teacher,
                                                    const torch::Device& device, ValAccuracy val_accuracy);

}  // namespace alloyml::tasks
