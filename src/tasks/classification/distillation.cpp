#include "distillation.h"

#include <cmath>

#include "alloyml/losses/distillation.h"
#include "alloyml/models/registry.h"
#include "alloyml/train/checkpoint.h"
#include "alloyml/train/precision.h"

namespace alloyml::tasks {
namespace {

// Park et al. 2019: the labels' loss plus the RKD distance and angle losses on the pooled
// embeddings (plus Hinton's soft targets when weighted). Each term's batch value is summed for
// the epoch's metrics (unweighted).
class DistillationObjective : public train::Objective {
 public:
  DistillationObjective(std::unique_ptr<train::Objective> base, const TeacherSetup& teacher, const torch::Device& device,
                        ValAccuracy val_accuracy)
      : base_(std::move(base)), d_(teacher.distill), val_accuracy_(std::move(val_accuracy)) {
    teacher_ = models::create_model(teacher.model);
    train::load_checkpoint_file(teacher.checkpoint, teacher_.get(), {});
    teacher_->to(device);
    for (auto& p : teacher_->parameters()) p.requires_grad_(false);
    teacher_->prepare_for_inference(train::inference_options("fp32", false, train::cpu_flags()));
  }

  void hold_state(train::StateHolder& holder) override {
    base_->hold_state(holder);
    holder.hold_scalar("sum_labels", sum_labels_, true);
    holder.hold_scalar("sum_rkd_distance", sum_distance_, true);
    holder.hold_scalar("sum_rkd_angle", sum_angle_, true);
    holder.hold_scalar("sum_soft_targets", sum_kd_, true);
    holder.hold_scalar("teacher_correct", teacher_correct_, true);
  }

  void begin_epoch(int epoch, bool fresh) override {
    base_->begin_epoch(epoch, fresh);
    if (fresh) sum_labels_ = sum_distance_ = sum_angle_ = sum_kd_ = teacher_correct_ = 0;
  }

  torch::Tensor loss(const train::ObjectiveBatch& b) override {
    const auto label_loss = base_->loss(b);
    ClassifierOutputs t;
    {
      torch::NoGradGuard no_grad;
      const auto out = teacher_->forward_both(b.images);
      t = {out.features.to(torch::kFloat32), out.logits.to(torch::kFloat32)};
    }
    const double n = static_cast<double>(b.images.size(0));
    const auto s_embed = b.features.to(torch::kFloat32);
    auto loss = d_.ce_weight * label_loss;
    sum_labels_ += label_loss.item<double>() * n;
    if (d_.distance_weight > 0) {
      const auto l = losses::rkd_distance_loss(s_embed, t.features);
      sum_distance_ += l.item<double>() * n;
      loss = loss + d_.distance_weight * l;
    }
    if (d_.angle_weight > 0) {
      const auto l = losses::rkd_angle_loss(s_embed, t.features);
      sum_angle_ += l.item<double>() * n;
      loss = loss + d_.angle_weight * l;
    }
    if (d_.kd_weight > 0) {
      const auto l = losses::soft_target_loss(b.logits, t.logits, d_.temperature);
      sum_kd_ += l.item<double>() * n;
      loss = loss + d_.kd_weight * l;
    }
    teacher_correct_ += t.logits.argmax(1).eq(b.labels).sum().item<double>();
    return loss;
  }

  void observe(const torch::Tensor& labels, const torch::Tensor& predicted) override { base_->observe(labels, predicted); }

  void end_epoch(int epoch, double job_images, train::Scalars& m) override {
    const auto sums = train::job_sum({sum_labels_, sum_distance_, sum_angle_, sum_kd_, teacher_correct_});
    auto per_image = [&](size_t k) { return job_images > 0 ? sums[k] / job_images : NAN; };
    m["train_loss_labels"] = per_image(0);
    if (d_.distance_weight > 0) m["train_loss_rkd_distance"] = per_image(1);
    if (d_.angle_weight > 0) m["train_loss_rkd_angle"] = per_image(2);
    if (d_.kd_weight > 0) m["train_loss_soft_targets"] = per_image(3);
    m["teacher_train_accuracy"] = per_image(4);
    if (!teacher_val_accuracy_) teacher_val_accuracy_ = val_accuracy_(*teacher_);  // frozen: once per process
    if (*teacher_val_accuracy_) m["teacher_val_accuracy"] = **teacher_val_accuracy_;
    base_->end_epoch(epoch, job_images, m);
  }

 private:
  using ClassifierOutputs = models::ClassifierImpl::Outputs;
  std::unique_ptr<train::Objective> base_;
  DistillOptions d_;
  ValAccuracy val_accuracy_;
  models::Classifier teacher_;
  double sum_labels_ = 0, sum_distance_ = 0, sum_angle_ = 0, sum_kd_ = 0, teacher_correct_ = 0;
  std::optional<std::optional<double>> teacher_val_accuracy_;
};

}  // namespace

std::unique_ptr<train::Objective> make_distillation(std::unique_ptr<train::Objective> base, const TeacherSetup& teacher,
                                                    const torch::Device& device, ValAccuracy val_accuracy) {
  return std::make_unique<DistillationObjective>(std::move(base), teacher, device, std::move(val_accuracy));
}

}  // namespace alloyml::tasks
