#include "alloyml/tasks/schema_parts.h"

#include <algorithm>

#include "alloyml/core/text.h"
#include "alloyml/data/options.h"
#include "alloyml/eval/metric_goal.h"
#include "alloyml/models/options.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/registry.h"
#include "alloyml/train/options.h"

namespace alloyml::tasks {

using config::f;
using config::Field;
using config::Json;
using config::nullable;
using config::one_of;
using config::ranged;
using config::Type;

void add_common_keys(config::Schema& s) {
  const CommonOptions common;
  const train::RuntimeOptions& rt = common.runtime;
  const auto tasks = pipelines().task_names();
  s.add(ranged(f("version", Type::Int, config::kVersion, "config format version"), 1, config::kVersion));
  s.add(one_of(f("task", Type::String, kDefaultTask, "what is trained: " + join(tasks, ", ")), tasks));
  Field run_name = nullable(f("name", Type::String, nullptr, "run name (runs/NAME); default: the config file's stem"));
  run_name.check = [](const Json& v) -> std::string {  // it names a folder under runs/
    if (!v.is_string()) return "";
    const auto n = v.get<std::string>();
    if (n.empty() || n == "." || n == ".." || n.find('/') != std::string::npos || n.find('\0') != std::string::npos)
      return "the run name '" + n + "' must be a plain folder name (no '/', not '.' or '..'); choose the folder with --out";
    return "";
  };
  s.add(run_name);
  s.add(ranged(f("seed", Type::Int, static_cast<int64_t>(common.seed), "seed of weights, shuffling, augmentation and dropout"),
               0, {}));
  s.add(one_of(f("runtime.device", Type::String, rt.device, "auto, cpu or cuda"), {"auto", "cpu", "cuda"}));
  s.add(one_of(f("runtime.precision", Type::String, rt.precision, "auto, fp32 or bf16"), {"auto", "fp32", "bf16"}));
  s.add(ranged(f("runtime.threads", Type::Int, rt.threads, "threads; 0 = OMP_NUM_THREADS when set, else all cores"), 0, 1024));
  s.add(ranged(f("runtime.dist_timeout_s", Type::Number, rt.dist_timeout_s,
                 "distributed jobs: seconds to wait for the other workers before stopping with an error"),
               1, {}));
  s.add(f("runtime.dist_overlap", Type::Bool, rt.dist_overlap,
          "data-parallel training: all-reduce gradients during the backward pass (else after it)"));
  s.add(nullable(f("output.dir", Type::String, nullptr, "run directory; default runs/<name>")));
  s.add(f("output.report", Type::Bool, common.report, "write report.html"));
}

void add_split_keys(config::Schema& s, const std::string& val_help, const std::string& test_help,
                    const std::string& seed_help) {
  const data::SplitOptions d;
  s.add(ranged(f("data.split.val", Type::Number, d.val, val_help), 0, {}));
  s.add(ranged(f("data.split.test", Type::Number, d.test, test_help), 0, {}));
  s.add(ranged(f("data.split.seed", Type::Int, static_cast<int64_t>(d.seed), seed_help), 0, {}));
}

void add_network_keys(config::Schema& s, const std::string& default_model, const std::vector<std::string>& claimed,
                      const std::vector<std::string>& monitors) {
  const models::ModelOptions m;
  Field name = f("model.name", Type::String, default_model, "architecture (alloyml-train --list-models)");
  name.check = [claimed](const Json& v) -> std::string {
    auto names = models::model_names();
    names.insert(names.end(), claimed.begin(), claimed.end());
    const auto n = v.get<std::string>();
    if (std::find(names.begin(), names.end(), n) != names.end()) return "";
    const std::string guess = closest(n, names);
    return "unknown model '" + n + "'" + (guess.empty() ? "" : "; did you mean '" + guess + "'?") +
           " Valid names: " + join(names);
  };
  s.add(name);
  s.add(ranged(f("model.width", Type::Int, m.width, "stem/first-stage channels (64 in the papers)"), 8, 1024));
  s.add(ranged(f("model.dropout", Type::Number, m.dropout, "dropout before the classifier"), 0, 0.99));
  s.add(ranged(f("model.stages", Type::IntList, Json(m.multiscale.stages), "multiscale: fused stages (1..4)"), 1, 4));
  s.add(ranged(f("model.hidden", Type::Int, m.head.hidden, "hidden units of a dense head (multiscale: the fusion MLP)"), 1, {}));
  s.add(one_of(f("model.head", Type::String, m.head.kind,
                 "auto (the family's own), linear (one FC) or dense (dropout, dense+ReLU, FC)"),
               {"auto", "linear", "dense"}));
  s.add(nullable(f("model.pretrained", Type::String, nullptr, "a .pth to start from (torchvision, timm or Cadene names)")));
  s.add(one_of(f("model.weights_profile", Type::String, m.weights_profile,
                 "naming of model.pretrained: auto, torchvision, timm, cadene"),
               {"auto", "torchvision", "timm", "cadene"}));
  s.add(f("model.allow_partial", Type::Bool, m.allow_partial, "load what fits from model.pretrained and report the rest"));
  const train::TransferOptions tr;
  s.add(ranged(f("transfer.freeze_epochs", Type::Int, tr.freeze_epochs, "train only the classifier for this many epochs"), 0, {}));
  s.add(ranged(f("transfer.backbone_lr_mult", Type::Number, tr.backbone_lr_mult, "backbone learning rate / classifier's"), 0, 100));
  s.add(f("transfer.freeze_bn", Type::Bool, tr.freeze_bn, "keep the backbone's batch-norm statistics fixed"));
  add_training_keys(s, train::OptimOptions{}, train::ScheduleOptions{}, train::TrainOptions{}, monitors);
}

void add_training_keys(config::Schema& s, const train::OptimOptions& o, const train::ScheduleOptions& sc,
                       const train::TrainOptions& t, const std::vector<std::string>& monitors) {
  s.add(one_of(f("optim.name", Type::String, o.name, "adam, adamw or sgd"), {"adam", "adamw", "sgd"}));
  s.add(ranged(f("optim.lr", Type::Number, o.lr, "base learning rate"), 1e-12, 10));
  s.add(ranged(f("optim.weight_decay", Type::Number, o.weight_decay, "weight decay"), 0, 1));
  s.add(ranged(f("optim.momentum", Type::Number, o.momentum, "SGD momentum"), 0, 1));
  s.add(f("optim.nesterov", Type::Bool, o.nesterov, "SGD Nesterov momentum"));
  s.add(ranged(f("optim.beta1", Type::Number, o.beta1, "Adam beta1"), 0, 0.999999));
  s.add(ranged(f("optim.beta2", Type::Number, o.beta2, "Adam beta2"), 0, 0.999999));

  s.add(one_of(f("schedule.name", Type::String, sc.name,
                 "none, step, multistep, cosine or linear_decay (constant, then linearly to zero)"),
               {"none", "step", "multistep", "cosine", "linear_decay"}));
  s.add(ranged(f("schedule.step_size", Type::Int, sc.step_size, "step: epochs between decays"), 1, {}));
  s.add(ranged(f("schedule.gamma", Type::Number, sc.gamma, "step/multistep decay factor"), 0, 1));
  s.add(ranged(f("schedule.milestones", Type::IntList, Json(sc.milestones), "multistep: decay epochs"), 0, {}));
  s.add(ranged(f("schedule.warmup_epochs", Type::Number, sc.warmup_epochs, "linear warm-up epochs"), 0, {}));
  s.add(ranged(f("schedule.min_lr_ratio", Type::Number, sc.min_lr_ratio, "cosine: final rate / base rate"), 0, 1));
  s.add(ranged(f("schedule.constant_epochs", Type::Number, sc.constant_epochs,
                 "linear_decay: epochs at the base rate before the decay"), 0, {}));

  s.add(ranged(f("train.epochs", Type::Int, t.epochs, "epochs"), 1, 100000));
  s.add(ranged(f("train.batch_size", Type::Int, t.batch_size, "images per step"), 1, 65536));
  s.add(ranged(f("train.eval_batch_size", Type::Int, t.eval_batch_size, "images per evaluation step; 0 = batch_size"), 0, 65536));
  std::vector<std::string> accepted = monitors, described;
  accepted.push_back(eval::kNoMonitor);
  for (const auto& mon : accepted) described.push_back(eval::describe_monitor(mon));
  s.add(one_of(f("train.monitor", Type::String, accepted.front(), "metric for best.pt and early stopping: " + join(described)),
               accepted));
  s.add(one_of(f("train.monitor_mode", Type::String, "auto",
                 "max, min or auto (the metric's declared goal, as listed under train.monitor)"),
               {"auto", "max", "min"}));
  s.add(ranged(f("train.early_stopping_patience", Type::Int, t.early_stopping_patience, "epochs without improvement; 0 = off"), 0, {}));
  s.add(ranged(f("train.log_interval_s", Type::Number, t.log_interval_s, "seconds between log lines off a terminal"), 0.1, {}));
}

}  // namespace alloyml::tasks
