#include "alloyml/train/callbacks.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <sstream>

#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/dist/group.h"
#include "alloyml/eval/metric_goal.h"

namespace alloyml::train {

double monotonic_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double schedule_factor(const ScheduleOptions& o, int epochs, double t) {
  if (o.warmup_epochs > 0 && t < o.warmup_epochs) return (t + 1e-3) / o.warmup_epochs;
  const int epoch = static_cast<int>(std::floor(t));
  if (o.name == "step") return std::pow(o.gamma, epoch / std::max(1, o.step_size));
  if (o.name == "multistep") {
    int passed = 0;
    for (int m : o.milestones) passed += epoch >= m ? 1 : 0;
    return std::pow(o.gamma, passed);
  }
  if (o.name == "linear_decay") {
    // Constant for constant_epochs (after any warm-up), then linear to zero at the last epoch
    // (Zhu et al. 2017, CycleGAN: n_epochs constant, n_epochs_decay linear).
    const double start = std::max(o.constant_epochs, o.warmup_epochs);
    if (t < start) return 1.0;
    return std::max(0.0, 1.0 - (t - start) / std::max(1e-9, epochs - start));
  }
  if (o.name == "cosine") {
    const double span = std::max(1e-9, epochs - o.warmup_epochs);
    const double p = std::min(1.0, std::max(0.0, (t - o.warmup_epochs) / span));
    return o.min_lr_ratio + (1 - o.min_lr_ratio) * 0.5 * (1 + std::cos(M_PI * p));
  }
  return 1.0;
}

void LrSchedule::before_step(Trainer& t) {
  auto& s = t.state();
  const double frac = static_cast<double>(s.epoch) + static_cast<double>(s.step) / std::max<int64_t>(1, s.steps_per_epoch);
  s.lr = t.task().set_lr_factor(schedule_factor(options_, s.epochs, frac));
}

bool MetricMonitor::update(double value) {
  const bool better = !has_best || (maximize ? value > best : value < best);
  if (better) {
    best = value;
    has_best = true;
    since_best = 0;
  } else {
    ++since_best;
  }
  return better;
}

namespace {
double metric_of(const TrainState& s, const std::string& metric) {
  const auto it = s.epoch_metrics.find(metric);
  if (it == s.epoch_metrics.end()) {
    std::string have;
    for (const auto& [k, v] : s.epoch_metrics) have += (have.empty() ? "" : ", ") + k;
    throw InputError("train.monitor '" + metric + "' is not a metric of this task (" + have + ")");
  }
  return it->second;
}

Scalars monitor_state(const MetricMonitor& m) {
  return {{"best", m.best}, {"has_best", m.has_best ? 1.0 : 0.0}, {"since_best", m.since_best}};
}

void set_monitor_state(MetricMonitor& m, const Scalars& s) {
  if (s.count("best")) m.best = s.at("best");
  if (s.count("has_best")) m.has_best = s.at("has_best") != 0;
  if (s.count("since_best")) m.since_best = static_cast<int>(s.at("since_best"));
}
}  // namespace

Checkpointer::Checkpointer(std::string dir, std::string metric, bool maximize) : dir_(std::move(dir)) {
  monitor_.metric = std::move(metric);
  monitor_.maximize = maximize;
}

void Checkpointer::after_epoch(Trainer& t) {
  const bool improved = monitor_.metric != eval::kNoMonitor && monitor_.update(metric_of(t.state(), monitor_.metric));
  // The state written includes this epoch's monitor update, so a resumed run agrees.
  t.save_checkpoint(dir_ + "/last.pt");
  if (improved && dist::writes_training()) {
    write_atomically(dir_ + "/best.pt", [&](const std::string& tmp) {
      std::filesystem::copy_file(dir_ + "/last.pt", tmp, std::filesystem::copy_options::overwrite_existing);
    });
  }
}

void Checkpointer::on_interrupt(Trainer& t) {
  t.save_checkpoint(dir_ + "/last.pt");
  if (dist::writes_training())
    spdlog::warn("stop requested: checkpoint written to {}/last.pt (epoch {}, step {})", dir_, t.state().epoch + 1,
               t.state().step);
}

Scalars Checkpointer::state() const { return monitor_state(monitor_); }
void Checkpointer::set_state(const Scalars& s) { set_monitor_state(monitor_, s); }

EarlyStopping::EarlyStopping(std::string metric, bool maximize, int patience) : patience_(patience) {
  monitor_.metric = std::move(metric);
  monitor_.maximize = maximize;
}

void EarlyStopping::after_epoch(Trainer& t) {
  if (monitor_.metric == eval::kNoMonitor) return;
  monitor_.update(metric_of(t.state(), monitor_.metric));
  if (patience_ > 0 && monitor_.since_best >= patience_) {
    spdlog::info("early stopping: {} has not improved for {} epochs (best {:.4f})", monitor_.metric, patience_,
                 monitor_.best);
    t.state().stop = true;
  }
}

Scalars EarlyStopping::state() const { return monitor_state(monitor_); }
void EarlyStopping::set_state(const Scalars& s) { set_monitor_state(monitor_, s); }

void StepTimer::before_step(Trainer&) { start_ = monotonic_seconds(); }

void StepTimer::after_step(Trainer& t) {
  seconds_ += monotonic_seconds() - start_;
  items_ += t.state().last_step.items;
}

void ProgressLog::before_epoch(Trainer& t) {
  const auto& s = t.state();
  bar_ = std::make_unique<Progress>("epoch " + std::to_string(s.epoch + 1) + "/" + std::to_string(s.epochs),
                                    static_cast<long>(s.steps_per_epoch), "img", terminal_, log_interval_s_, enabled_);
  bar_->update(static_cast<long>(s.step), 0, "");
}

void ProgressLog::after_step(Trainer& t) {
  const auto& s = t.state();
  bar_->update(static_cast<long>(s.step + 1), static_cast<long>(s.last_step.items), t.task().status());
}

void ProgressLog::after_epoch(Trainer& t) {
  const double rate = bar_ ? bar_->items_per_second() : 0;
  const double secs = bar_ ? bar_->elapsed_seconds() : 0;
  if (bar_) bar_->finish();
  std::ostringstream os;
  for (const auto& [k, v] : t.state().epoch_metrics)
    if (k != "lr") os << " " << k << " " << v;
  spdlog::info("epoch {}/{}{} lr {:.3g} ({:.0f} s, {:.1f} img/s)", t.state().epoch, t.state().epochs, os.str(),
               t.state().lr, secs, rate);
}

void ProgressLog::after_train(Trainer&) {
  if (bar_) bar_->finish();
}

}  // namespace alloyml::train
