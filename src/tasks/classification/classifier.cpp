#include "alloyml/tasks/classification/classifier.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <unordered_map>

#include <torch/torch.h>

#include "alloyml/core/error.h"
#include "alloyml/core/log.h"
#include "alloyml/core/progress.h"
#include "alloyml/core/rng.h"
#include "alloyml/core/text.h"
#include "alloyml/data/transforms.h"
#include "alloyml/dist/tensors.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/models/registry.h"
#include "alloyml/nn/batch_norm.h"
#include "alloyml/train/autocast.h"
#include "alloyml/train/batch.h"
#include "alloyml/train/checkpoint.h"
#include "alloyml/train/network.h"
#include "alloyml/train/torch_task.h"
#include "alloyml/train/optimizer.h"
#include "alloyml/train/precision.h"
#include "alloyml/weights/load.h"
#include "distillation.h"
#include "objectives.h"

#include <spdlog/spdlog.h>

namespace alloyml::tasks {
namespace {

using train::batch_images;

torch::Tensor batch_labels(data::Batch& b, const torch::Device& device) {
  return torch::from_blob(b.labels.data(), {b.n}, torch::kInt64).to(device);
}

// Logits of `x`, or with test-time augmentation the mean class log-probabilities over the views
// (flip: the image and its mirror; d4: the 8 symmetries of the square). With tiles, each tile's.
torch::Tensor forward_views(models::ClassifierImpl& model, const torch::Tensor& x, const std::string& test_time_option) {
  const std::string test_time = data::crop_views(test_time_option);
  if (test_time == "none") return model.forward(x);
  std::vector<torch::Tensor> views{x, x.flip({3})};
  if (test_time == "d4") {
    const auto t = x.transpose(2, 3);  // a transpose with each flip gives the three rotations and the other diagonal
    views.insert(views.end(), {x.flip({2}), x.flip({2, 3}), t, t.flip({2}), t.flip({3}), t.flip({2, 3})});
  } else if (test_time != "flip") {
    throw InputError("augment.test_time must be none, flip, d4, tiles, tiles+flip or tiles+d4, got '" + test_time_option + "'");
  }
  torch::Tensor sum;
  for (const auto& v : views) {
    const auto lp = torch::log_softmax(model.forward(v.contiguous()).to(torch::kFloat32), 1);
    sum = sum.defined() ? sum + lp : lp;
  }
  return sum / static_cast<double>(views.size());
}

// Runs the model over one pass of `loader` in eval mode.
PredictionSet run_inference(models::ClassifierImpl& model, data::ImageLoader& loader, const torch::Device& device,
                            bool show_progress, bool bf16) {
  c10::InferenceMode inference;
  model.eval();
  PredictionSet out;
  loader.start_epoch(0);
  Progress progress("predicting", static_cast<long>(loader.num_batches()), "img", stderr_is_terminal(), 10.0,
                    show_progress);
  data::Batch b;
  long done = 0;
  while (loader.next(b)) {
    if (b.n == 0) continue;
    torch::Tensor logits;
    {
      train::AutocastGuard autocast(bf16, device);
      logits = forward_views(model, batch_images(b, device), loader.transform().test_time);
    }
    logits = logits.to(torch::kCPU, torch::kFloat32).contiguous();
    if (data::scores_tiles(loader.transform().test_time)) logits = torch::log_softmax(logits, 1);
    const int64_t k = logits.size(1);
    const float* p = logits.data_ptr<float>();
    for (int64_t i = 0; i < b.n;) {
      // A tiled image's rows are consecutive: its logits are the log of its tiles' mean class
      // probabilities (one row, as for an image scored by its centre crop).
      int64_t j = i + 1;
      while (j < b.n && b.indices[static_cast<size_t>(j)] == b.indices[static_cast<size_t>(i)]) ++j;
      if (j - i == 1) {
        out.logits.emplace_back(p + i * k, p + (i + 1) * k);
      } else {
        const auto mean = logits.slice(0, i, j).exp().mean(0).clamp_min(1e-30).log();
        out.logits.emplace_back(mean.data_ptr<float>(), mean.data_ptr<float>() + k);
      }
      out.labels.push_back(b.labels[static_cast<size_t>(i)]);
      out.indices.push_back(b.indices[static_cast<size_t>(i)]);
      i = j;
    }
    progress.update(++done, b.n, "");
  }
  progress.finish();
  return out;
}

// The predictions of every worker of a data-parallel job, each over its share of `loader`, as
// one process would have made them: in the loader's order, on every worker.
PredictionSet job_predictions(const PredictionSet& mine, const data::ImageLoader& loader, int64_t k) {
  auto* group = dist::data_parallel();
  if (!group) return mine;
  const auto& order = loader.samples();
  std::unordered_map<size_t, int64_t> row;
  for (size_t i = 0; i < order.size(); ++i) row[order[i]] = static_cast<int64_t>(i);
  // Per image: its logits, its label and 1 for "predicted" (an unreadable image stays 0).
  auto table = torch::zeros({static_cast<int64_t>(order.size()), k + 2}, torch::kFloat64);
  auto acc = table.accessor<double, 2>();
  for (size_t i = 0; i < mine.indices.size(); ++i) {
    const int64_t r = row.at(mine.indices[i]);
    for (int64_t c = 0; c < k; ++c) acc[r][c] = mine.logits[i][static_cast<size_t>(c)];
    acc[r][k] = static_cast<double>(mine.labels[i]);
    acc[r][k + 1] = 1;
  }
  dist::sum(*group, table);
  PredictionSet all;
  for (size_t i = 0; i < order.size(); ++i) {
    const auto r = static_cast<int64_t>(i);
    if (acc[r][k + 1] == 0) continue;
    std::vector<float> logits(static_cast<size_t>(k));
    for (int64_t c = 0; c < k; ++c) logits[static_cast<size_t>(c)] = static_cast<float>(acc[r][c]);
    all.logits.push_back(std::move(logits));
    all.labels.push_back(static_cast<int64_t>(acc[r][k]));
    all.indices.push_back(order[i]);
  }
  return all;
}

// A copy of a training network prepared as ClassifierModel::load then set_precision prepare a
// checkpoint of it: its weights and statistics copied, on `device`, folded and packed for fp32,
// then for `precision`.
models::Classifier inference_copy(models::ClassifierImpl& trained, const models::ModelOptions& options,
                                  const torch::Device& device, bool channels_last, const std::string& precision) {
  auto copy = models::create_model(options);
  {
    torch::NoGradGuard no_grad;
    const auto params = trained.named_parameters(true), buffers = trained.named_buffers(true);
    for (auto& p : copy->named_parameters(true)) p.value().copy_(params[p.key()]);
    for (auto& b : copy->named_buffers(true)) b.value().copy_(buffers[b.key()]);
  }
  copy->to(device);
  copy->prepare_for_inference(train::inference_options("fp32", channels_last, train::cpu_flags()));
  copy->prepare_for_inference(train::inference_options(precision, channels_last, train::cpu_flags()));  // as set_precision
  return copy;
}

class ClassificationTask : public train::TorchTask {
 public:
  ClassificationTask(const ClassifierSetup& setup, data::ImageLoader& train_loader, data::ImageLoader& val_loader)
      : setup_(setup), train_(train_loader), val_(val_loader), device_(setup.device),
        net_(train::make_trainable_network(setup.model, setup.optim, setup.transfer, setup.seed, device_,
                                           setup.channels_last)) {
    if (setup.loss.name == "adaptive_gmean" &&
        static_cast<int64_t>(setup.train_counts.size()) != net_.model->num_classes())
      throw Error("adaptive_gmean: train_counts has " + std::to_string(setup.train_counts.size()) + " classes, the model " +
                  std::to_string(net_.model->num_classes()));
    objective_ = make_label_objective(setup, device_);
    if (!setup.teacher.checkpoint.empty())
      objective_ = make_distillation(std::move(objective_), setup.teacher, device_,
                                     [this](models::ClassifierImpl& m) { return val_accuracy(m); });
    hold_module("model", *net_.model);
    hold_optimizer("optim0", *net_.optimizer);
    hold_scalar("sum_loss", sum_loss_, true);
    hold_scalar("correct", correct_, true);
    hold_scalar("seen", seen_, true);
    objective_->hold_state(*this);
    share_training(*net_.model, net_.model->parameters());
    nn::set_sync_batch_norm(setup.sync_bn && distributed());
  }

  int64_t steps_per_epoch() const override { return static_cast<int64_t>(train_.num_batches()); }

  void begin_epoch(int epoch, int64_t first_step) override {
    frozen_ = epoch < setup_.transfer.freeze_epochs;
    train::set_backbone_frozen(net_, frozen_);
    if (frozen_ && first_step == 0)
      spdlog::info("epoch {}: backbone frozen (transfer.freeze_epochs {})", epoch + 1, setup_.transfer.freeze_epochs);
    train_.start_epoch(epoch, static_cast<size_t>(first_step));
    if (first_step == 0) sum_loss_ = correct_ = seen_ = 0;
    objective_->begin_epoch(epoch, first_step == 0);
  }

  train::StepResult run_step(int epoch, int64_t step) override {
    data::Batch b;
    if (!train_.next(b)) throw Error("loader ended before the epoch's last step");
    if (b.n == 0 && distributed()) {  // no readable image in this worker's share: it adds nothing
      train::clear_gradients(*net_.optimizer);
      begin_gradients(0);
      const double job = reduce_gradients();
      net_.optimizer->step();
      return {job, 0.0};
    }
    if (b.n == 0) return {};
    // Dropout and any other torch randomness depend on (seed, epoch, step) only.
    torch::manual_seed(derive_seed(setup_.seed, 0x57E9, static_cast<uint64_t>(epoch), static_cast<uint64_t>(step)));
    net_.model->train();
    if (frozen_ || setup_.transfer.freeze_bn)
      for (auto& m : net_.model->modules(false))
        if (m->as<torch::nn::BatchNorm2d>()) m->eval();
    auto x = batch_images(b, device_);
    if (setup_.channels_last) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
    const auto y = batch_labels(b, device_);
    train::clear_gradients(*net_.optimizer);
    models::ClassifierImpl::Outputs out;
    {
      train::AutocastGuard autocast(bf16_, device_);
      out = net_.model->forward_both(x);
    }
    const auto logits = out.logits.to(torch::kFloat32);  // the loss (and its gradient's start) in fp32
    const auto loss = objective_->loss({x, y, out.features, logits});
    begin_gradients(b.n);
    loss.backward();
    const double job_images = reduce_gradients();
    net_.optimizer->step();
    const double l = finite_loss(loss, epoch);
    sum_loss_ += l * b.n;
    const auto predicted = logits.argmax(1);
    correct_ += predicted.eq(y).sum().item<double>();
    objective_->observe(y, predicted);
    seen_ += b.n;
    return {job_images, l};
  }

  train::Scalars end_epoch(int epoch) override {
    train::Scalars m;
    // The job's sums (each worker accumulated its own share of the epoch).
    const auto sums = train::job_sum({sum_loss_, correct_, seen_});
    const double seen = sums[2];
    m["train_loss"] = seen > 0 ? sums[0] / seen : NAN;
    m["train_accuracy"] = seen > 0 ? sums[1] / seen : NAN;
    objective_->end_epoch(epoch, seen, m);
    if (val_.num_samples() > 0) {
      // Per-worker batch norm: every worker validates (and rank 0 saves) rank 0's statistics.
      if (auto* group = dist::data_parallel(); group && !setup_.sync_bn) {
        auto buffers = net_.model->buffers(true);
        dist::broadcast(*group, buffers);
      }
      // Validated through the network eval and predict will use (batch norms folded, weights
      // packed, in the run's precision), so best.pt reproduces the figure that chose it: under
      // bf16 the training graph and the inference graph can disagree on a borderline image.
      const auto inference = inference_copy(*net_.model, setup_.model, device_, setup_.channels_last, setup_.precision);
      const auto preds = job_predictions(run_inference(*inference, val_, device_, false, bf16_), val_,
                                       net_.model->num_classes());
      double loss_sum = 0;
      std::vector<int64_t> truth, predicted;
      for (size_t i = 0; i < preds.logits.size(); ++i) {
        const auto probs = softmax(preds.logits[i]);
        loss_sum -= std::log(std::max(1e-12, probs[static_cast<size_t>(preds.labels[i])]));
        truth.push_back(preds.labels[i]);
        predicted.push_back(argmax(preds.logits[i]));
      }
      const auto em = eval::classification_metrics(truth, predicted,
                                                   std::vector<std::string>(static_cast<size_t>(net_.model->num_classes())));
      m["val_loss"] = truth.empty() ? NAN : loss_sum / static_cast<double>(truth.size());
      m["val_accuracy"] = em.accuracy;
      m["val_macro_f1"] = em.macro_f1;
      m["val_macro_gmean"] = em.macro_gmean;
    }
    return m;
  }

  std::string status() const override {
    std::ostringstream os;
    os.precision(3);
    if (seen_ > 0) os << "loss " << sum_loss_ / seen_ << " acc " << correct_ / seen_;
    return os.str();
  }

 private:
  // `model`'s accuracy on the validation images as they are (fp32), over the job.
  std::optional<double> val_accuracy(models::ClassifierImpl& model) {
    if (val_.num_samples() == 0) return std::nullopt;
    const auto preds = job_predictions(run_inference(model, val_, device_, false, false), val_, net_.model->num_classes());
    if (preds.logits.empty()) return NAN;
    std::vector<int64_t> predicted;
    for (const auto& l : preds.logits) predicted.push_back(argmax(l));
    return eval::classification_metrics(preds.labels, predicted, setup_.class_names).accuracy;
  }

  ClassifierSetup setup_;
  data::ImageLoader& train_;
  data::ImageLoader& val_;
  torch::Device device_;
  bool bf16_ = setup_.precision == "bf16";
  train::TrainableNetwork net_;
  std::unique_ptr<train::Objective> objective_;  // the labels' loss, wrapped by distillation with a teacher
  bool frozen_ = false;
  double sum_loss_ = 0, correct_ = 0, seen_ = 0;
};

}  // namespace

std::string adaptive_weight_key(const std::string& class_name) { return "loss_weight_" + class_name; }

std::vector<double> softmax(const std::vector<float>& logits) {
  std::vector<double> p(logits.size());
  if (logits.empty()) return p;
  const double mx = *std::max_element(logits.begin(), logits.end());
  double sum = 0;
  for (size_t i = 0; i < logits.size(); ++i) sum += p[i] = std::exp(logits[i] - mx);
  for (auto& v : p) v /= sum;
  return p;
}

std::int64_t argmax(const std::vector<float>& values) {
  return static_cast<std::int64_t>(std::max_element(values.begin(), values.end()) - values.begin());
}

std::unique_ptr<train::Task> make_classification_task(const ClassifierSetup& setup, data::ImageLoader& train,
                                                      data::ImageLoader& val) {
  return std::make_unique<ClassificationTask>(setup, train, val);
}

struct ClassifierModel::Impl {
  models::Classifier model;
  torch::Device device{torch::kCPU};
  bool bf16 = false;
  bool channels_last = false;
  bool explain = false;  // loaded as trained, for grad_cam
};

void ClassifierModel::set_precision(const std::string& precision) {
  impl_->bf16 = precision == "bf16";
  impl_->model->prepare_for_inference(train::inference_options(precision, impl_->channels_last, train::cpu_flags()));
}

ClassifierModel::ClassifierModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ClassifierModel::~ClassifierModel() = default;

std::unique_ptr<ClassifierModel> ClassifierModel::load(const models::ModelOptions& options, const std::string& checkpoint,
                                                       const std::string& device, bool channels_last, bool explain) {
  auto impl = std::make_unique<Impl>();
  impl->model = models::create_model(options);
  impl->device = torch::Device(device);
  train::load_checkpoint_file(checkpoint, impl->model.get(), {});
  impl->model->to(impl->device);
  impl->channels_last = channels_last;
  impl->explain = explain;
  if (explain) impl->model->eval();
  else impl->model->prepare_for_inference(train::inference_options("fp32", channels_last, train::cpu_flags()));
  return std::unique_ptr<ClassifierModel>(new ClassifierModel(std::move(impl)));
}

std::unique_ptr<ClassifierModel> ClassifierModel::load_pth(const models::ModelOptions& options, const std::string& pth,
                                                           const std::string& device, bool channels_last, bool explain) {
  auto state = weights::read_state_dict(pth);
  models::ModelOptions o = options;
  weights::LoadOptions lo;
  lo.profile = options.weights_profile == "auto" ? weights::detect_profile(state) : options.weights_profile;
  lo.allow_partial = options.allow_partial;
  o.ceil_stem_pool = lo.profile == "cadene";
  auto impl = std::make_unique<Impl>();
  impl->model = models::create_model(o);
  impl->device = torch::Device(device);
  const auto report = weights::load_state_dict(*impl->model, state, lo, pth);
  if (!report.reinitialised.empty())
    throw InputError(pth + ": the classifier does not fit " + std::to_string(o.num_classes) +
                     " classes; set --num-classes to the file's class count\n" + report.table());
  if (!explain) spdlog::info("loaded {}:\n{}", pth, report.table());
  impl->model->to(impl->device);
  impl->channels_last = channels_last;
  impl->explain = explain;
  if (explain) impl->model->eval();
  else impl->model->prepare_for_inference(train::inference_options("fp32", channels_last, train::cpu_flags()));
  return std::unique_ptr<ClassifierModel>(new ClassifierModel(std::move(impl)));
}

PredictionSet ClassifierModel::predict(data::ImageLoader& loader, bool show_progress) {
  return run_inference(*impl_->model, loader, impl_->device, show_progress, impl_->bf16);
}

std::vector<cv::Mat> ClassifierModel::grad_cam(const data::Batch& b, const std::vector<std::int64_t>& targets,
                                               const std::string& layer) {
  auto& model = *impl_->model;
  if (!impl_->explain) throw Error("grad_cam needs a model loaded with explain");
  const auto layers = model.feature_map_layers();
  if (layers.empty()) throw InputError("--cam: this model has no feature maps to explain");
  const std::string chosen = layer.empty() ? layers.front() : layer;
  if (std::find(layers.begin(), layers.end(), chosen) == layers.end())
    throw InputError("--cam-layer '" + layer + "' is not a layer of this model; valid: " + join(layers));
  if (static_cast<int64_t>(targets.size()) != b.n) throw Error("grad_cam: one target per image");
  torch::AutoGradMode grad(true);
  model.eval();
  model.watch_feature_map(chosen);
  data::Batch copy = b;  // from_blob needs writable memory
  const auto x = batch_images(copy, impl_->device);
  const auto logits = model.forward(x);
  const auto a = model.watched_feature_map();
  model.watch_feature_map("");
  const auto t = torch::tensor(targets, torch::kInt64).to(impl_->device).unsqueeze(1);
  // Eq. 1: alpha_k = mean over the map of d y^c / d A^k; Eq. 2: ReLU(sum_k alpha_k A^k).
  const auto g = torch::autograd::grad({logits.gather(1, t).sum()}, {a})[0];
  auto cam = torch::relu((g.mean({2, 3}, true) * a).sum(1, true)).detach();
  namespace F = torch::nn::functional;
  cam = F::interpolate(cam, F::InterpolateFuncOptions().size(std::vector<int64_t>{b.h, b.w}).mode(torch::kBilinear).align_corners(false));
  // To [0, 1] per image, min to max as the usual display (a flat map stays 0).
  const auto lo = cam.amin({2, 3}, true);
  cam = (cam - lo) / (cam.amax({2, 3}, true) - lo).clamp_min(1e-12);
  cam = cam.to(torch::kCPU, torch::kFloat32).contiguous();
  std::vector<cv::Mat> out;
  for (int64_t i = 0; i < b.n; ++i) out.push_back(cv::Mat(b.h, b.w, CV_32F, cam[i].data_ptr<float>()).clone());
  return out;
}

std::int64_t ClassifierModel::parameter_count() const {
  int64_t n = 0;
  for (const auto& p : impl_->model->parameters()) n += p.numel();
  return n;
}

std::int64_t count_parameters(const models::ModelOptions& options) {
  const auto model = models::create_model(options);
  int64_t n = 0;
  for (const auto& p : model->parameters()) n += p.numel();
  return n;
}

}  // namespace alloyml::tasks
