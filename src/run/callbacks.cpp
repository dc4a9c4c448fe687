#include "alloyml/run/callbacks.h"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "alloyml/core/log.h"
#include "alloyml/core/signals.h"
#include "alloyml/dist/group.h"
#include "alloyml/eval/metric_goal.h"
#include "alloyml/run/metrics_log.h"

namespace alloyml::run {

StandardCallbacks standard_callbacks(const RunPaths& dir, const train::TrainOptions& t,
                                     const train::ScheduleOptions& schedule, bool quiet) {
  StandardCallbacks c;
  const bool maximize = eval::monitor_mode(t.monitor, t.monitor_mode) == "max";  // "auto": the metric's goal
  c.timer = std::make_shared<train::StepTimer>();
  c.checkpointer = std::make_shared<train::Checkpointer>(dir.checkpoints(), t.monitor, maximize);
  c.list = {std::make_shared<train::LrSchedule>(schedule), c.timer};
  // The epoch's metrics line goes out before its checkpoint: a run killed between the two resumes
  // from the previous checkpoint and drops the extra line (MetricsLog::before_train), where the
  // other order would lose the epoch's line for good.
  if (dist::writes_training()) c.list.push_back(std::make_shared<MetricsLog>(dir.metrics()));
  c.list.push_back(c.checkpointer);
  c.list.push_back(std::make_shared<train::EarlyStopping>(t.monitor, maximize, t.early_stopping_patience));
  if (dist::writes_training())  // the other workers of a distributed job neither write nor print progress
    c.list.push_back(std::make_shared<train::ProgressLog>(stderr_is_terminal(), t.log_interval_s, !quiet));
  return c;
}

TrainingOutcome run_training(train::Task& task, const RunPaths& dir, const train::TrainOptions& t,
                             const train::ScheduleOptions& schedule, bool quiet, bool resume) {
  const auto callbacks = standard_callbacks(dir, t, schedule, quiet);
  train::Trainer trainer(task, t.epochs, callbacks.list);
  if (resume && std::filesystem::exists(dir.last())) {
    trainer.resume_from(dir.last());
    spdlog::info("{}: resuming at epoch {}, step {}", dir.dir, trainer.state().epoch + 1, trainer.state().step);
  }
  install_stop_handlers();
  trainer.fit();
  TrainingOutcome out;
  out.state = trainer.state();
  out.best = callbacks.checkpointer->best();
  out.items_per_second = callbacks.timer->items_per_second();
  out.train_seconds = callbacks.timer->seconds();
  return out;
}

}  // namespace alloyml::run
