#include "objectives.h"

#include "alloyml/losses/classification.h"

namespace alloyml::tasks {
namespace {

class CrossEntropyObjective : public train::Objective {
 public:
  CrossEntropyObjective(const ClassifierSetup& setup, const torch::Device& device)
      : label_smoothing_(setup.loss.label_smoothing) {
    if (!setup.class_weights.empty()) class_weights_ = torch::tensor(setup.class_weights, torch::kFloat32).to(device);
  }
  torch::Tensor loss(const train::ObjectiveBatch& b) override {
    return losses::cross_entropy(b.logits, b.labels, label_smoothing_, class_weights_);
  }

 private:
  double label_smoothing_;
  torch::Tensor class_weights_;
};

// Huang et al. 2023, Eqs. 12-17: per-class weights from the last epoch's training confusion.
class AdaptiveGmeanObjective : public train::Objective {
 public:
  AdaptiveGmeanObjective(const ClassifierSetup& setup, const torch::Device& device)
      : class_names_(setup.class_names), train_counts_(setup.train_counts), beta_(setup.loss.beta), device_(device) {
    const auto k = static_cast<int64_t>(setup.train_counts.size());
    train_confusion_ = torch::zeros({k, k}, torch::kInt64);
    weights_ = torch::ones({k}, torch::kFloat32);
  }
  void hold_state(train::StateHolder& holder) override {
    holder.hold_tensor("train_confusion", train_confusion_, true);
    holder.hold_tensor("adaptive_weights", weights_);
  }
  // Eq. 15: an epoch's weights come from the last epoch's training predictions, set as that epoch
  // ends (end_epoch), so a run stopped at the first step of an epoch resumes with the weights it
  // held. The first epoch's come from no predictions; a checkpoint of an earlier version
  // (weights set as the next epoch began) still holds a confusion here.
  void begin_epoch(int epoch, bool fresh) override {
    if (!fresh) return;
    const auto confusion = train::job_sum(train_confusion_);
    if (epoch == 0 || confusion.sum().item<int64_t>() > 0) set_weights(confusion);
  }
  torch::Tensor loss(const train::ObjectiveBatch& b) override {
    return losses::adaptive_gmean_loss(b.logits, b.labels, weights_.to(device_), beta_);
  }
  void observe(const torch::Tensor& labels, const torch::Tensor& predicted) override {
    const auto k = train_confusion_.size(0);
    train_confusion_.view({-1}).index_add_(0, (labels * k + predicted).to(torch::kCPU),
                                           torch::ones({labels.size(0)}, torch::kInt64));
  }
  // The weights this epoch trained with, per class (report: "Adaptive loss weights"); then the
  // next epoch's, from this one's predictions.
  void end_epoch(int, double, train::Scalars& m) override {
    for (size_t c = 0; c < class_names_.size(); ++c)
      m[adaptive_weight_key(class_names_[c])] = weights_[static_cast<int64_t>(c)].item<double>();
    set_weights(train::job_sum(train_confusion_));
  }

 private:
  // The weights from the job's training confusion (all zero: no predictions yet); this worker's
  // share of it is then cleared for the next epoch.
  void set_weights(const torch::Tensor& job_confusion) {
    std::vector<std::vector<std::int64_t>> confusion;
    if (job_confusion.sum().item<int64_t>() > 0) {
      const auto k = job_confusion.size(0);
      const auto c = job_confusion.contiguous();
      const int64_t* p = c.data_ptr<int64_t>();
      for (int64_t t = 0; t < k; ++t) confusion.emplace_back(p + t * k, p + (t + 1) * k);
    }
    weights_ = torch::tensor(losses::adaptive_gmean_weights(confusion, train_counts_), torch::kFloat32);
    train_confusion_.zero_();
  }

  std::vector<std::string> class_names_;
  std::vector<std::int64_t> train_counts_;
  double beta_;
  torch::Device device_;
  torch::Tensor train_confusion_, weights_;  // this epoch's predictions, its weights
};

}  // namespace

std::unique_ptr<train::Objective> make_label_objective(const ClassifierSetup& setup, const torch::Device& device) {
  if (setup.loss.name == "adaptive_gmean") return std::make_unique<AdaptiveGmeanObjective>(setup, device);
  return std::make_unique<CrossEntropyObjective>(setup, device);
}

}  // namespace alloyml::tasks
