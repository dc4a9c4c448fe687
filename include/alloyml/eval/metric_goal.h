#pragma once
// What each metric name means for model selection: whether a larger value is better.
// Declared per metric, never guessed from the spelling (val_rmse is an error, val_r2 a score).
#include <string>
#include <vector>

namespace alloyml::eval {

enum class Goal { Maximize, Minimize };

/// train.monitor for a task without a validation metric (a GAN): no best.pt, the last epoch is used.
inline constexpr const char* kNoMonitor = "none";

/// One metric a task reports per epoch, as `<split>_<name>` (train_loss, val_rmse, ...).
struct MetricDecl {
  std::string name;  ///< without the split prefix: "accuracy", "rmse", ...
  Goal goal = Goal::Maximize;
  std::string meaning;
};

/// Every metric alloyml reports, with its goal.
const std::vector<MetricDecl>& metric_declarations();

/// The goal of a reported metric such as "val_rmse" or "train_accuracy" (prefix "train_", "val_"
/// or "test_"). Throws InputError for a name that is not declared.
Goal metric_goal(const std::string& reported_name);

/// "min" or "max": `mode` when it is "min" or "max", else (for "auto") the metric's declared goal.
std::string monitor_mode(const std::string& reported_name, const std::string& mode);

/// "val_rmse (min)", for listings.
std::string describe_monitor(const std::string& reported_name);

}  // namespace alloyml::eval
