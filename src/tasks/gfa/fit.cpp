// Fitting the gfa networks: composition images, the regression setup, one network with the
// trainer, and ensembles of them.
#include "fit.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>

#include <spdlog/spdlog.h>

#include "alloyml/eval/metric_goal.h"
#include "alloyml/eval/metrics_io.h"
#include "alloyml/core/error.h"
#include "alloyml/core/text.h"
#include "alloyml/dist/group.h"
#include "alloyml/run/callbacks.h"

namespace fs = std::filesystem;

namespace alloyml::tasks {

using run::RunPaths;

// Images of `rows` (all valid for the encoding), in the training space of `transform`.
RegressionData encode_rows(const std::vector<GfaRow>& rows, const data::CompositionEncoding& e,
                           const std::string& transform) {
  RegressionData d;
  d.c = e.channels();
  d.h = e.height();
  d.w = e.width();
  d.images.resize(rows.size() * d.sample_floats());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto img = data::encode_composition(rows[i].composition, e);
    std::copy(img.begin(), img.end(), d.images.begin() + static_cast<std::ptrdiff_t>(i * d.sample_floats()));
    d.raw.push_back(rows[i].target);
    d.targets.push_back(std::isnan(rows[i].target) ? 0.0 : train::transform_target(rows[i].target, transform));
  }
  return d;
}

// Rows per inference batch, in validation during training and in every prediction after it: bf16
// kernels round differently at other batch sizes, and best.pt must reproduce its validation figure.
int inference_batch_size(const GfaOptions& o) {
  return o.train.eval_batch_size > 0 ? o.train.eval_batch_size : std::max(o.train.batch_size, 64);
}

RegressionSetup regression_setup(const GfaOptions& o, const data::CompositionEncoding& e, const train::ResolvedRuntime& rt) {
  RegressionSetup s;
  s.model = o.model;
  s.model.num_classes = 1;
  s.model.in_channels = e.channels();
  s.optim = o.optim;
  s.transfer = o.transfer;
  s.loss = o.loss.name;
  s.huber_delta = o.loss.huber_delta;
  s.target_transform = o.loss.target_transform;
  s.non_negative_target = kDmaxIsNonNegative;
  s.mixup_alpha = o.mixup_alpha;
  s.mixup_prob = o.mixup_prob;
  s.batch_size = o.train.batch_size;
  s.eval_batch_size = inference_batch_size(o);
  s.device = rt.device;
  s.precision = rt.precision;
  s.seed = o.seed;
  return s;
}

namespace {

// Trains one network on `train_idx` (metrics on `val_idx` each epoch) in `dir`, resuming from its
// last.pt when asked, and predicts `predict_idx` with best.pt (`use_best`) or last.pt.
FitOutcome fit_network(const GfaOptions& o, RegressionSetup setup, RegressionData& data, const std::vector<size_t>& train_idx,
                       const std::vector<size_t>& val_idx, const std::vector<size_t>& predict_idx, const RunPaths& dir,
                       bool use_best, bool resume, bool quiet) {
  const double t0 = train::monotonic_seconds();
  fs::create_directories(dir.checkpoints());
  // Label-distribution smoothing over this network's training targets only.
  std::vector<double> train_targets;
  for (size_t i : train_idx) train_targets.push_back(data.targets[i]);
  const auto w = train::lds_weights(train_targets, o.loss.lds);
  data.weights.assign(data.size(), 1.0);
  for (size_t k = 0; k < train_idx.size(); ++k) data.weights[train_idx[k]] = w[k];

  auto topt = o.train;
  if (!use_best) {
    topt.monitor = "train_loss";
    topt.monitor_mode = eval::monitor_mode(topt.monitor, "auto");
    topt.early_stopping_patience = 0;  // nothing held out may steer a fold
  }
  auto task = make_regression_task(setup, data, train_idx, val_idx);
  const auto trained = run::run_training(*task, dir, topt, o.schedule, quiet, resume);

  FitOutcome out;
  out.checkpoint = use_best && fs::exists(dir.best()) ? dir.best() : dir.last();
  out.epochs = trained.state.epoch;
  out.rows_per_s = trained.items_per_second;
  if (!predict_idx.empty()) {
    auto model = RegressionModel::load(setup.model, out.checkpoint, setup.device);
    model->set_precision(setup.precision);
    std::vector<float> images;
    for (size_t i : predict_idx) {
      const auto* p = data.images.data() + i * data.sample_floats();
      images.insert(images.end(), p, p + data.sample_floats());
    }
    for (double v : model->predict(images.data(), predict_idx.size(), data.c, data.h, data.w, setup.eval_batch_size))
      out.predictions.push_back(train::to_user_units(v, setup.target_transform, setup.non_negative_target));
  }
  out.seconds = train::monotonic_seconds() - t0;
  return out;
}

}  // namespace

// Where ensemble member `m` (0-based) of a fit in `dir` lives: member 0 in `dir` itself (so a
// single network keeps the usual layout), the others in dir/members/<m + 1>.
RunPaths member_paths(const RunPaths& dir, int m) {
  if (m == 0) return dir;
  RunPaths p;
  p.dir = dir.dir + "/members/" + std::to_string(m + 1);
  return p;
}

// `ensemble.members` networks with seeds seed, seed + 1, ...; their predictions (user units)
// averaged. Each member checkpoints and resumes on its own.
namespace {
// The ensemble's figures from its members': predictions averaged, seconds summed.
void combine_members(FitOutcome& out) {
  const auto members = static_cast<double>(out.members.size());
  out.predictions.clear();
  out.seconds = out.rows_per_s = 0;
  for (const auto& m : out.members) {
    if (out.predictions.empty()) out.predictions.assign(m.predictions.size(), 0.0);
    for (size_t j = 0; j < m.predictions.size() && j < out.predictions.size(); ++j) out.predictions[j] += m.predictions[j] / members;
    out.epochs = m.epochs;
    out.seconds += m.seconds;
    out.rows_per_s += m.rows_per_s / members;
  }
  if (!out.members.empty()) out.checkpoint = out.members[0].checkpoint;
}
}  // namespace

std::pair<int, bool> FitSpread::take() {
  const int job = next_++;
  return {job, dist::owns(static_cast<size_t>(job))};
}

void FitSpread::share(const std::vector<FitOutcome*>& outcomes, const std::string& tag) const {
  auto* group = dist::current();
  if (!group) return;
  config::Json mine = config::Json::array();
  for (const auto* o : outcomes)
    for (const auto& m : o->members)
      if (m.done && dist::owns(static_cast<size_t>(m.job)))
        mine.push_back({{"job", m.job}, {"predictions", m.predictions}, {"checkpoint", m.checkpoint},
                        {"epochs", m.epochs}, {"seconds", m.seconds}, {"rows_per_s", m.rows_per_s}});
  std::map<int, config::Json> by_job;
  for (const auto& text : group->exchange(tag, mine.dump()))
    for (const auto& m : config::Json::parse(text)) by_job[m["job"].get<int>()] = m;
  for (auto* o : outcomes) {
    for (auto& m : o->members) {
      if (m.done) continue;
      const auto it = by_job.find(m.job);
      if (it == by_job.end()) throw Error("spread fits: no worker reported fit " + std::to_string(m.job) + " (" + tag + ")");
      const auto& j = it->second;
      m.predictions = j["predictions"].get<std::vector<double>>();
      m.checkpoint = j["checkpoint"];
      m.epochs = j["epochs"];
      m.seconds = j["seconds"];
      m.rows_per_s = j["rows_per_s"];
      m.done = true;
    }
    combine_members(*o);
  }
}

FitOutcome fit_ensemble(const GfaOptions& o, const RegressionSetup& setup, RegressionData& data,
                        const std::vector<size_t>& train_idx, const std::vector<size_t>& val_idx,
                        const std::vector<size_t>& predict_idx, const RunPaths& dir, bool use_best, bool resume,
                        bool quiet, FitSpread* spread) {
  const int members = o.ensemble_members;
  FitOutcome out;
  for (int m = 0; m < members; ++m) {
    FitOutcome::Member member;
    if (spread) {
      bool mine = false;
      std::tie(member.job, mine) = spread->take();
      if (!mine) {  // another worker's
        out.members.push_back(member);
        continue;
      }
    }
    RegressionSetup s = setup;
    s.seed = setup.seed + static_cast<uint64_t>(m);
    if (members > 1) spdlog::info("{}: ensemble member {}/{} (seed {})", dir.dir, m + 1, members, s.seed);
    const auto fit = fit_network(o, s, data, train_idx, val_idx, predict_idx, member_paths(dir, m), use_best, resume, quiet);
    member.done = true;
    member.predictions = fit.predictions;
    member.checkpoint = fit.checkpoint;
    member.epochs = fit.epochs;
    member.seconds = fit.seconds;
    member.rows_per_s = fit.rows_per_s;
    out.members.push_back(std::move(member));
  }
  combine_members(out);
  return out;
}

eval::RegressionMetrics metrics_of(const RegressionData& d, const std::vector<size_t>& idx, const std::vector<double>& pred) {
  std::vector<double> truth;
  for (size_t i : idx) truth.push_back(d.raw[i]);
  return eval::regression_metrics(truth, pred);
}

config::Json mean_std(const std::vector<eval::RegressionMetrics>& folds) {
  config::Json mean, sd;
  for (const char* key : {"rmse", "mae", "r2", "r"}) {
    std::vector<double> v;
    for (const auto& m : folds) v.push_back(eval::to_json(m)[key].get<double>());
    const auto ms = eval::mean_sd(v);
    mean[key] = ms.mean;
    sd[key] = ms.sd;
  }
  return config::Json{{"mean", mean}, {"std", sd}};
}

std::string metrics_line(const config::Json& m) {
  return "RMSE " + fixed(m["rmse"], 3) + "  MAE " + fixed(m["mae"], 3) + "  R^2 " + fixed(m["r2"], 4) + "  r " +
         fixed(m["r"], 4) + "  (n " + std::to_string(m["n"].get<int64_t>()) + ")";
}


}  // namespace alloyml::tasks
