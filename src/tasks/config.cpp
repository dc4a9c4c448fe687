#include "alloyml/tasks/config.h"

#include <algorithm>

#include "alloyml/core/error.h"
#include "alloyml/core/text.h"
#include "alloyml/data/elements.h"
#include "alloyml/eval/metric_goal.h"

namespace alloyml::tasks {
namespace {

using config::Field;
using config::Json;
using config::Type;

using config::f;
using config::nullable;
using config::one_of;
using config::ranged;

// Keys every task has: version, task, name, seed, runtime.* and output.*.
void add_common_keys(config::Schema& s) {
  s.add(ranged(f("version", Type::Int, config::kVersion, "config format version"), 1, config::kVersion));
  s.add(one_of(f("task", Type::String, "classification", "what is trained: classification, springback or gfa"),
               {"classification", "springback", "gfa"}));
  s.add(nullable(f("name", Type::String, nullptr, "run name; default: the config file's stem")));
  s.add(ranged(f("seed", Type::Int, 0, "seed of weights, shuffling, augmentation and dropout"), 0, {}));
  s.add(one_of(f("runtime.device", Type::String, "auto", "auto, cpu or cuda"), {"auto", "cpu", "cuda"}));
  s.add(one_of(f("runtime.precision", Type::String, "auto", "auto, fp32 or bf16"), {"auto", "fp32", "bf16"}));
  s.add(ranged(f("runtime.threads", Type::Int, 0, "threads; 0 = all cores"), 0, 1024));
  s.add(nullable(f("output.dir", Type::String, nullptr, "run directory; default runs/<name>")));
  s.add(f("output.report", Type::Bool, true, "write report.html"));
}

// Keys of the torch models and their training, shared by the image tasks: model.*, transfer.*,
// optim.*, schedule.* and train.* (`monitors`: the metrics train.monitor accepts, default first).
void add_network_keys(config::Schema& s, const std::string& default_name, const std::vector<std::string>& extra_names,
                      const std::vector<std::string>& monitors) {
  Field name = f("model.name", Type::String, default_name, "architecture (alloyml-train --list-models)");
  name.check = [extra_names](const Json& v) -> std::string {
    auto names = models::model_names();
    names.insert(names.end(), extra_names.begin(), extra_names.end());
    const auto n = v.get<std::string>();
    if (std::find(names.begin(), names.end(), n) != names.end()) return "";
    const std::string guess = closest(n, names);
    return "unknown model '" + n + "'" + (guess.empty() ? "" : "; did you mean '" + guess + "'?") +
           " Valid names: " + join(names);
  };
  s.add(name);
  s.add(ranged(f("model.width", Type::Int, 64, "stem/first-stage channels (64 in the papers)"), 8, 1024));
  s.add(ranged(f("model.dropout", Type::Number, 0.0, "dropout before the classifier"), 0, 0.99));
  s.add(ranged(f("model.stages", Type::IntList, Json::array({2, 3, 4}), "multiscale: fused stages (1..4)"), 1, 4));
  s.add(ranged(f("model.hidden", Type::Int, 512, "multiscale: hidden units of the fusion MLP"), 1, {}));
  s.add(nullable(f("model.pretrained", Type::String, nullptr, "a .pth to start from (torchvision, timm or Cadene names)")));
  s.add(one_of(f("model.weights_profile", Type::String, "auto", "naming of model.pretrained: auto, torchvision, timm, cadene"),
               {"auto", "torchvision", "timm", "cadene"}));
  s.add(f("model.allow_partial", Type::Bool, false, "load what fits from model.pretrained and report the rest"));

  s.add(ranged(f("transfer.freeze_epochs", Type::Int, 0, "train only the classifier for this many epochs"), 0, {}));
  s.add(ranged(f("transfer.backbone_lr_mult", Type::Number, 1.0, "backbone learning rate / classifier's"), 0, 100));
  s.add(f("transfer.freeze_bn", Type::Bool, false, "keep the backbone's batch-norm statistics fixed"));

  s.add(one_of(f("optim.name", Type::String, "adam", "adam, adamw or sgd"), {"adam", "adamw", "sgd"}));
  s.add(ranged(f("optim.lr", Type::Number, 1e-3, "base learning rate"), 1e-12, 10));
  s.add(ranged(f("optim.weight_decay", Type::Number, 0.0, "weight decay"), 0, 1));
  s.add(ranged(f("optim.momentum", Type::Number, 0.9, "SGD momentum"), 0, 1));
  s.add(f("optim.nesterov", Type::Bool, false, "SGD Nesterov momentum"));
  s.add(ranged(f("optim.beta1", Type::Number, 0.9, "Adam beta1"), 0, 0.999999));
  s.add(ranged(f("optim.beta2", Type::Number, 0.999, "Adam beta2"), 0, 0.999999));

  s.add(one_of(f("schedule.name", Type::String, "none", "none, step, multistep or cosine"),
               {"none", "step", "multistep", "cosine"}));
  s.add(ranged(f("schedule.step_size", Type::Int, 30, "step: epochs between decays"), 1, {}));
  s.add(ranged(f("schedule.gamma", Type::Number, 0.1, "step/multistep decay factor"), 0, 1));
  s.add(ranged(f("schedule.milestones", Type::IntList, Json::array(), "multistep: decay epochs"), 0, {}));
  s.add(ranged(f("schedule.warmup_epochs", Type::Number, 0.0, "linear warm-up epochs"), 0, {}));
  s.add(ranged(f("schedule.min_lr_ratio", Type::Number, 0.0, "cosine: final rate / base rate"), 0, 1));

  s.add(ranged(f("train.epochs", Type::Int, 10, "epochs"), 1, 100000));
  s.add(ranged(f("train.batch_size", Type::Int, 32, "images per step"), 1, 65536));
  s.add(ranged(f("train.eval_batch_size", Type::Int, 0, "images per evaluation step; 0 = batch_size"), 0, 65536));
  std::vector<std::string> described;
  for (const auto& m : monitors) described.push_back(eval::describe_monitor(m));
  s.add(one_of(f("train.monitor", Type::String, monitors.front(),
                 "metric for best.pt and early stopping: " + join(described)),
               monitors));
  s.add(one_of(f("train.monitor_mode", Type::String, "auto",
                 "max, min or auto (the metric's declared goal, as listed under train.monitor)"),
               {"auto", "max", "min"}));
  s.add(ranged(f("train.early_stopping_patience", Type::Int, 0, "epochs without improvement; 0 = off"), 0, {}));
  s.add(ranged(f("train.log_interval_s", Type::Number, 30.0, "seconds between log lines off a terminal"), 0.1, {}));
}

config::Schema build_classification_schema() {
  config::Schema s;
  add_common_keys(s);

  s.add(nullable(f("data.root", Type::String, nullptr, "image folder or CSV manifest, split by data.split")));
  s.add(nullable(f("data.train", Type::String, nullptr, "explicit training source (replaces the split)")));
  s.add(nullable(f("data.val", Type::String, nullptr, "explicit validation source")));
  s.add(nullable(f("data.test", Type::String, nullptr, "explicit test source")));
  s.add(one_of(f("data.layout", Type::String, "auto", "auto, folders, flat or manifest"),
               {"auto", "folders", "flat", "manifest"}));
  s.add(f("data.label_pattern", Type::String, "^(.+)_[^_]+$", "flat folders: regex whose group 1 is the label"));
  s.add(ranged(f("data.split.val", Type::Number, 0.15, "validation share: fraction < 1 or count >= 1"), 0, {}));
  s.add(ranged(f("data.split.test", Type::Number, 0.15, "test share: fraction < 1 or count >= 1"), 0, {}));
  s.add(ranged(f("data.split.seed", Type::Int, 0, "seed of the split"), 0, {}));
  Field by = f("data.split.by", Type::String, "random",
               "random; number: per class by the last number in the file name, the highest numbers to test, "
               "the ones before to val (judge on later acquisitions); column:NAME: the same by a manifest column");
  by.check = [](const Json& v) -> std::string {
    const std::string b = v.get<std::string>();
    if (b == "random" || b == "number" || (b.rfind("column:", 0) == 0 && b.size() > 7)) return "";
    return "must be random, number or column:NAME, got '" + b + "'";
  };
  s.add(by);
  s.add(ranged(f("data.workers", Type::Int, 2, "loader threads"), 1, 64));
  s.add(ranged(f("data.prefetch", Type::Int, 4, "batches prepared ahead"), 1, 64));
  s.add(f("data.cache", Type::Bool, true, "keep decoded images in memory"));

  s.add(ranged(f("input.size", Type::Int, 224, "side of the square model input (px)"), 16, 4096));
  s.add(ranged(f("input.resize", Type::Int, 0, "0: resize to size; else shorter side to this, then crop"), 0, 8192));
  s.add(ranged(f("input.channels", Type::Int, 3, "1 (grayscale) or 3"), 1, 3));
  s.add(one_of(f("input.scaling", Type::String, "range", "range (/255) or minmax (per image, Luo et al. Eq. 19)"),
               {"range", "minmax"}));
  s.add(nullable(f("input.mean", Type::NumberList, nullptr, "per-channel mean; default ImageNet's")));
  s.add(ranged(nullable(f("input.std", Type::NumberList, nullptr, "per-channel std; default ImageNet's")), 1e-6, {}));

  s.add(f("augment.random_crop", Type::Bool, false, "random instead of centre crop"));
  s.add(ranged(f("augment.hflip", Type::Number, 0.5, "horizontal flip probability"), 0, 1));
  s.add(ranged(f("augment.vflip", Type::Number, 0.0, "vertical flip probability"), 0, 1));
  s.add(f("augment.rotate90", Type::Bool, false, "random multiples of 90 degrees"));
  s.add(ranged(f("augment.rotate_deg", Type::Number, 0.0, "largest random rotation (degrees)"), 0, 180));
  s.add(ranged(f("augment.brightness", Type::Number, 0.0, "brightness jitter (fraction of range)"), 0, 1));
  s.add(ranged(f("augment.contrast", Type::Number, 0.0, "contrast jitter (gain 1 +- c)"), 0, 1));
  s.add(one_of(f("augment.test_time", Type::String, "none",
                 "test-time augmentation in validation, eval and predict: none, flip, or d4 (8 flips and rotations)"),
               {"none", "flip", "d4"}));

  add_network_keys(s, "resnet18", {"glcm_svm"},  // glcm_svm: the classical baseline (tasks/glcm_svm.h)
                   {"val_accuracy", "val_loss", "val_macro_f1", "train_loss", "train_accuracy"});
  s.add(ranged(f("model.num_classes", Type::Int, 0, "output classes; 0 = from the data"), 0, {}));
  s.add(ranged(f("loss.label_smoothing", Type::Number, 0.0, "cross-entropy label smoothing"), 0, 0.99));
  s.add(one_of(f("loss.class_weights", Type::String, "none", "none, balanced or custom"), {"none", "balanced", "custom"}));
  s.add(ranged(f("loss.class_weight_values", Type::NumberList, Json::array(), "custom: weight per class"), 0, {}));

  s.add(one_of(f("train.channels_last", Type::String, "auto", "NHWC training: on, off or auto (from 128 px)"),
               {"auto", "on", "off"}));
  return s;
}

// Springback regression (GA-BP after the straightening paper): a CSV of straightening records.
config::Schema build_springback_schema() {
  config::Schema s;
  add_common_keys(s);
  s.add(nullable(f("data.csv", Type::String, nullptr, "one CSV of measurements, split by data.split")));
  s.add(nullable(f("data.train", Type::String, nullptr, "explicit training CSV (replaces the split)")));
  s.add(nullable(f("data.val", Type::String, nullptr, "explicit validation CSV")));
  s.add(nullable(f("data.test", Type::String, nullptr, "explicit test CSV")));
  s.add(f("data.features", Type::StringList,
          Json::array({"stroke_mm", "force_kN", "time_s", "fulcrum_mm", "instant_springback_mm"}),
          "input columns, in order"));
  s.add(f("data.target", Type::String, "springback_mm", "target column (saturated time-dependent springback)"));
  s.add(ranged(f("data.split.val", Type::Number, 0.15, "validation share: fraction < 1 or count >= 1"), 0, {}));
  s.add(ranged(f("data.split.test", Type::Number, 0.15, "test share: fraction < 1 or count >= 1"), 0, {}));
  s.add(ranged(f("data.split.seed", Type::Int, 0, "seed of the random split"), 0, {}));

  s.add(one_of(f("model.name", Type::String, "gabp", "gabp (GA + Levenberg-Marquardt), bp (LM only) or linear"),
               {"gabp", "bp", "linear"}));
  s.add(ranged(f("model.hidden", Type::Int, 8, "hidden sigmoid units (the paper: 8 of 3..13)"), 1, 256));

  s.add(ranged(f("ga.population", Type::Int, 20, "individuals per generation"), 2, 100000));
  s.add(ranged(f("ga.generations", Type::Int, 200, "generations"), 0, 1000000));
  s.add(ranged(f("ga.crossover", Type::Number, 0.4, "crossover probability"), 0, 1));
  s.add(ranged(f("ga.mutation", Type::Number, 0.1, "mutation probability"), 0, 1));
  s.add(ranged(f("ga.elite", Type::Int, 1, "best individuals kept unchanged"), 0, 100000));
  s.add(ranged(f("ga.bound", Type::Number, 1.0, "genes (weights) stay in [-bound, bound]"), 1e-6, 1e6));

  s.add(ranged(f("lm.epochs", Type::Int, 1000, "Levenberg-Marquardt epochs at most"), 0, 10000000));
  s.add(ranged(f("lm.goal", Type::Number, 1e-3, "stop at this training MSE (target scaled to [-1, 1], as MATLAB)"), 0, {}));
  s.add(ranged(f("lm.mu", Type::Number, 1e-3, "initial damping"), 0, {}));
  s.add(ranged(f("lm.mu_dec", Type::Number, 0.1, "damping factor after a successful step"), 1e-12, 1));
  s.add(ranged(f("lm.mu_inc", Type::Number, 10, "damping factor after a failed step"), 1, {}));
  s.add(ranged(f("lm.mu_max", Type::Number, 1e10, "stop when the damping exceeds this"), 0, {}));
  s.add(ranged(f("lm.min_grad", Type::Number, 1e-7, "stop when the gradient norm falls below this"), 0, {}));
  s.add(ranged(f("lm.max_fail", Type::Int, 6, "stop after this many epochs without a better validation MSE"), 1, {}));

  s.add(ranged(f("train.repeats", Type::Int, 1, "networks trained with different seeds (mean and std reported)"), 1, 10000));
  s.add(f("train.ensemble", Type::Bool, false, "predict with the mean of the repeats (else the best on validation)"));
  s.add(f("train.compare", Type::Bool, true, "also fit the other two models on the same split for the comparison"));

  s.add(ranged(f("analysis.miv_delta", Type::Number, 0.1, "mean impact value: relative change of each input"), 1e-6, 1));
  s.add(ranged(f("analysis.permutations", Type::Int, 10, "shuffles per input for permutation importance"), 1, 100000));

  s.add(f("straightness.deflection", Type::String, "deflection_mm", "predict: column of the deflection after unloading"));
  s.add(f("straightness.tolerance", Type::String, "tolerance_mm", "predict: column of the straightness tolerance"));
  s.add(ranged(f("straightness.default_tolerance_mm", Type::Number, 0.05, "tolerance when that column is absent"), 0, {}));
  s.add(f("straightness.final_deflection", Type::String, "final_deflection_mm",
          "predict: column of the deflection after saturation (labelled data)"));
  return s;
}

// Glass-forming ability (Dmax) from composition images (tasks/gfa.h).
config::Schema build_gfa_schema() {
  config::Schema s;
  add_common_keys(s);
  s.add(nullable(f("data.csv", Type::String, nullptr, "CSV with a formula column and a Dmax column")));
  s.add(nullable(f("data.formula_column", Type::String, nullptr,
                   "column of the formulas; default: the first whose name has alloy, formula or composition")));
  s.add(nullable(f("data.target_column", Type::String, nullptr,
                   "column of the target; default: the first whose name has dmax or d_max")));
  s.add(f("data.elements", Type::StringList, Json::array(), "element set of the images; empty: every element in the data"));
  s.add(ranged(f("data.split.val", Type::Number, 0.15, "cv.folds 0: validation share (fraction < 1 or count)"), 0, {}));
  s.add(ranged(f("data.split.test", Type::Number, 0.15, "cv.folds 0: test share (fraction < 1 or count)"), 0, {}));
  s.add(ranged(f("data.split.seed", Type::Int, 0, "seed of the split and the folds"), 0, {}));

  s.add(one_of(f("encoding.kind", Type::String, "outer_product", "outer_product (Wei et al.) or periodic_table (Feng et al.)"),
               {"outer_product", "periodic_table"}));
  s.add(f("encoding.properties", Type::StringList, Json::array({"radius", "electronegativity", "vec", "melting_point"}),
          "element properties, one weighted channel each: radius, electronegativity, vec, melting_point"));
  s.add(ranged(f("encoding.size", Type::Int, 0,
                 "image side fed to the network; 0 = native (elements x elements), or 224 with model.pretrained"), 0, 1024));

  add_network_keys(s, "resnet18", {}, {"val_rmse", "val_r2", "val_mae", "val_loss", "train_loss"});

  s.add(one_of(f("loss.name", Type::String, "mse", "mse, l1 or huber"), {"mse", "l1", "huber"}));
  s.add(ranged(f("loss.huber_delta", Type::Number, 1.0, "huber: where the loss turns linear (target space)"), 1e-9, {}));
  s.add(one_of(f("loss.target_transform", Type::String, "log1p", "none or log1p (long-tailed Dmax)"), {"none", "log1p"}));
  s.add(f("loss.lds.enabled", Type::Bool, false, "label-distribution smoothing re-weighting (Yang et al. 2021)"));
  s.add(ranged(f("loss.lds.bins", Type::Int, 50, "histogram bins over the target range"), 1, 100000));
  s.add(ranged(f("loss.lds.kernel_size", Type::Int, 5, "Gaussian kernel size in bins (odd)"), 1, 1001));
  s.add(ranged(f("loss.lds.sigma", Type::Number, 2.0, "Gaussian kernel sigma in bins"), 1e-6, {}));
  s.add(one_of(f("loss.lds.reweight", Type::String, "sqrt_inverse", "inverse or sqrt_inverse of the smoothed density"),
               {"inverse", "sqrt_inverse"}));
  s.add(ranged(f("mixup.alpha", Type::Number, 0.0, "Mixup Beta(alpha, alpha); 0 = off"), 0, 100));
  s.add(ranged(f("mixup.prob", Type::Number, 1.0, "share of batches mixed"), 0, 1));

  s.add(ranged(f("cv.folds", Type::Int, 10, "k-fold cross-validation; 0 = one model on data.split"), 0, 1000));
  s.add(f("cv.final_model", Type::Bool, true, "after the folds, train the model eval and predict use on all rows"));
  s.add(ranged(f("ensemble.members", Type::Int, 1,
                 "networks per fit (each fold, the final model), seeds seed, seed+1, ...; predictions averaged"),
               1, 100));

  s.add(ranged(f("design.top", Type::Int, 10, "predict --system: best compositions listed"), 1, 100000));
  return s;
}

std::vector<double> numbers(const Json& v) { return v.get<std::vector<double>>(); }

}  // namespace

const config::Schema& classification_schema() {
  static const config::Schema schema = build_classification_schema();
  return schema;
}

const config::Schema& springback_schema() {
  static const config::Schema schema = build_springback_schema();
  return schema;
}

const config::Schema& gfa_schema() {
  static const config::Schema schema = build_gfa_schema();
  return schema;
}

const config::Schema& schema_for(const config::Json& user) {
  const Json* task = user.is_object() ? config::find_path(user, "task") : nullptr;
  if (task && task->is_string() && *task == "springback") return springback_schema();
  if (task && task->is_string() && *task == "gfa") return gfa_schema();
  return classification_schema();
}

config::Json resolve_config(const config::Json& user, const std::string& source) {
  Json resolved = schema_for(user).resolve(user, source);
  if (resolved["task"] == "springback") {
    const auto& d = resolved["data"];
    if (d["csv"].is_null() && d["train"].is_null())
      throw InputError(source + ": set data.csv (one CSV, split by data.split) or data.train");
    if (d["features"].empty()) throw InputError(source + ": key 'data.features' is empty");
    return resolved;
  }
  if (resolved["task"] == "gfa") {
    if (resolved["data"]["csv"].is_null()) throw InputError(source + ": set data.csv (formulas and Dmax)");
    const int folds = resolved["cv"]["folds"];
    if (folds == 1) throw InputError(source + ": key 'cv.folds' must be 0 (one model on data.split) or at least 2, got 1");
    if (resolved["loss"]["lds"]["kernel_size"].get<int>() % 2 == 0)
      throw InputError(source + ": key 'loss.lds.kernel_size' must be odd");
    for (const auto& p : resolved["encoding"]["properties"]) {
      const auto& names = data::element_property_names();
      const std::string n = p;
      if (std::find(names.begin(), names.end(), n) == names.end()) {
        const std::string guess = closest(n, names);
        throw InputError(source + ": key 'encoding.properties': unknown property '" + n + "'" +
                         (guess.empty() ? "" : "; did you mean '" + guess + "'?") + " Valid: " + join(names));
      }
    }
    return resolved;
  }
  // Checks across keys.
  const int channels = resolved["input"]["channels"].get<int>();
  if (channels == 2) throw InputError(source + ": key 'input.channels' must be 1 or 3, got 2");
  for (const char* key : {"mean", "std"}) {
    const Json& v = resolved["input"][key];
    if (!v.is_null() && v.size() != static_cast<size_t>(channels) && v.size() != 1)
      throw InputError(source + ": key 'input." + key + "' has " + std::to_string(v.size()) +
                       " values but input.channels is " + std::to_string(channels));
  }
  const auto& loss = resolved["loss"];
  if (loss["class_weights"] == "custom" && loss["class_weight_values"].empty())
    throw InputError(source + ": loss.class_weights is 'custom' but loss.class_weight_values is empty");
  if (resolved["data"]["root"].is_null() && resolved["data"]["train"].is_null())
    throw InputError(source + ": set data.root (one folder, split by data.split) or data.train");
  return resolved;
}

config::Json load_config(const std::string& path, const std::vector<std::string>& overrides) {
  Json user = config::load_json_file(path);
  if (!user.is_object()) throw InputError(path + ": a config must be a JSON object");
  for (const auto& o : overrides) config::apply_override(user, o);
  return resolve_config(user, path);
}

data::TransformOptions transform_options(const Json& input, const Json& augment) {
  data::TransformOptions t;
  t.size = input["size"];
  t.resize = input["resize"];
  t.channels = input["channels"];
  t.scaling = input["scaling"];
  // ImageNet statistics by default; for one channel their average.
  const std::vector<double> mean3{0.485, 0.456, 0.406}, std3{0.229, 0.224, 0.225};
  auto pick = [&](const Json& v, const std::vector<double>& def3) {
    std::vector<double> out = v.is_null() ? def3 : numbers(v);
    if (v.is_null() && t.channels == 1) out = {(def3[0] + def3[1] + def3[2]) / 3};
    if (out.size() == 1) out.assign(static_cast<size_t>(t.channels), out[0]);
    return out;
  };
  t.mean = pick(input["mean"], mean3);
  t.std = pick(input["std"], std3);
  auto& a = t.augment;
  a.random_crop = augment["random_crop"];
  a.hflip = augment["hflip"];
  a.vflip = augment["vflip"];
  a.rotate90 = augment["rotate90"];
  a.rotate_deg = augment["rotate_deg"];
  a.brightness = augment["brightness"];
  a.contrast = augment["contrast"];
  t.test_time = augment.value("test_time", std::string("none"));
  return t;
}

data::DataOptions data_options(const Json& resolved) {
  const Json& d = resolved["data"];
  data::DataOptions o;
  auto str = [](const Json& v) { return v.is_null() ? std::string() : v.get<std::string>(); };
  o.root = str(d["root"]);
  o.train = str(d["train"]);
  o.val = str(d["val"]);
  o.test = str(d["test"]);
  o.layout = d["layout"];
  o.label_pattern = d["label_pattern"];
  o.split.val = d["split"]["val"];
  o.split.test = d["split"]["test"];
  o.split.seed = d["split"]["seed"];
  o.split.by = d["split"]["by"];
  o.workers = d["workers"];
  o.prefetch = d["prefetch"];
  o.cache = d["cache"];
  o.transform = transform_options(resolved["input"], resolved["augment"]);
  return o;
}

models::ModelOptions model_options(const Json& m) {
  models::ModelOptions o;
  o.name = m["name"];
  o.num_classes = m.value("num_classes", 0);
  if (m.contains("in_channels")) o.in_channels = m["in_channels"];
  o.width = m["width"];
  o.dropout = m["dropout"];
  o.stages = m["stages"].get<std::vector<int>>();
  o.hidden = m["hidden"];
  if (m.contains("pretrained") && !m["pretrained"].is_null()) o.pretrained = m["pretrained"];
  o.weights_profile = m.value("weights_profile", std::string("auto"));
  o.allow_partial = m.value("allow_partial", false);
  o.ceil_stem_pool = m.value("ceil_stem_pool", false);
  return o;
}

train::TransferOptions transfer_options(const Json& s) {
  train::TransferOptions o;
  o.freeze_epochs = s["freeze_epochs"];
  o.backbone_lr_mult = s["backbone_lr_mult"];
  o.freeze_bn = s["freeze_bn"];
  return o;
}

Json to_json(const models::ModelOptions& o) {
  return Json{{"name", o.name},
              {"num_classes", o.num_classes},
              {"in_channels", o.in_channels},
              {"width", o.width},
              {"dropout", o.dropout},
              {"stages", o.stages},
              {"hidden", o.hidden},
              {"pretrained", o.pretrained.empty() ? Json() : Json(o.pretrained)},
              {"weights_profile", o.weights_profile},
              {"allow_partial", o.allow_partial},
              {"ceil_stem_pool", o.ceil_stem_pool}};
}

train::OptimOptions optim_options(const Json& s) {
  train::OptimOptions o;
  o.name = s["name"];
  o.lr = s["lr"];
  o.weight_decay = s["weight_decay"];
  o.momentum = s["momentum"];
  o.nesterov = s["nesterov"];
  o.beta1 = s["beta1"];
  o.beta2 = s["beta2"];
  return o;
}

train::ScheduleOptions schedule_options(const Json& s) {
  train::ScheduleOptions o;
  o.name = s["name"];
  o.step_size = s["step_size"];
  o.gamma = s["gamma"];
  o.milestones = s["milestones"].get<std::vector<int>>();
  o.warmup_epochs = s["warmup_epochs"];
  o.min_lr_ratio = s["min_lr_ratio"];
  return o;
}

train::LossOptions loss_options(const Json& s) {
  train::LossOptions o;
  o.label_smoothing = s["label_smoothing"];
  o.class_weights = s["class_weights"];
  o.class_weight_values = numbers(s["class_weight_values"]);
  return o;
}

train::TrainOptions train_options(const Json& s) {
  train::TrainOptions o;
  o.epochs = s["epochs"];
  o.batch_size = s["batch_size"];
  o.eval_batch_size = s["eval_batch_size"];
  o.monitor = s["monitor"];
  const std::string mode = s["monitor_mode"];
  o.monitor_mode = eval::monitor_mode(o.monitor, mode);
  o.early_stopping_patience = s["early_stopping_patience"];
  o.log_interval_s = s["log_interval_s"];
  o.channels_last = s.value("channels_last", std::string("auto"));
  return o;
}

train::RuntimeOptions runtime_options(const Json& s) {
  train::RuntimeOptions o;
  o.device = s["device"];
  o.precision = s["precision"];
  o.threads = s["threads"];
  return o;
}

}  // namespace alloyml::tasks
