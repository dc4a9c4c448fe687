#include "alloyml/train/trainer.h"

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/signals.h"
#include "alloyml/dist/group.h"

namespace alloyml::train {

Trainer::Trainer(Task& task, int epochs, std::vector<std::shared_ptr<Callback>> callbacks)
    : task_(task), callbacks_(std::move(callbacks)) {
  state_.epochs = epochs;
  state_.steps_per_epoch = task.steps_per_epoch();
}

void Trainer::save_checkpoint(const std::string& path) {
  Scalars extra{{"trainer.epoch", state_.epoch},
                {"trainer.step", static_cast<double>(state_.step)},
                {"trainer.global_step", static_cast<double>(state_.global_step)}};
  for (const auto& cb : callbacks_)
    for (const auto& [k, v] : cb->state()) extra[cb->name() + "." + k] = v;
  task_.gather_for_checkpoint();  // every worker takes part; rank 0 alone writes
  if (!dist::writes_training()) return;
  write_atomically(path, [&](const std::string& tmp) { task_.save_checkpoint(tmp, extra); });
}

void Trainer::resume_from(const std::string& path) {
  const Scalars extra = task_.load_checkpoint(path);
  auto get = [&](const std::string& key) {
    const auto it = extra.find(key);
    if (it == extra.end()) throw InputError(path + ": checkpoint lacks '" + key + "'");
    return it->second;
  };
  state_.epoch = static_cast<int>(get("trainer.epoch"));
  state_.step = static_cast<int64_t>(get("trainer.step"));
  state_.global_step = static_cast<int64_t>(get("trainer.global_step"));
  state_.resumed = true;
  for (const auto& cb : callbacks_) {
    const std::string prefix = cb->name() + ".";
    Scalars mine;
    for (const auto& [k, v] : extra)
      if (k.compare(0, prefix.size(), prefix) == 0) mine[k.substr(prefix.size())] = v;
    cb->set_state(mine);
  }
}

void Trainer::fit() {
  struct AfterTrain {  // after_train always runs, also when a step throws
    Trainer& t;
    ~AfterTrain() {
      for (auto& cb : t.callbacks_) {
        try {
          cb->after_train(t);
        } catch (...) {
        }
      }
    }
  };
  for (auto& cb : callbacks_) cb->before_train(*this);
  AfterTrain guard{*this};
  for (; state_.epoch < state_.epochs && !state_.stop; ++state_.epoch, state_.step = 0) {
    task_.begin_epoch(state_.epoch, state_.step);
    for (auto& cb : callbacks_) cb->before_epoch(*this);
    for (; state_.step < state_.steps_per_epoch; ++state_.step, ++state_.global_step) {
      // A data-parallel job stops at the same step on every worker.
      const bool stop = dist::data_parallel() ? dist::data_parallel()->any(stop_requested()) : stop_requested();
      if (stop) {
        state_.interrupted = true;
        for (auto& cb : callbacks_) cb->on_interrupt(*this);
        throw Interrupted("interrupted at epoch " + std::to_string(state_.epoch + 1) + ", step " +
                          std::to_string(state_.step) + "; checkpoint written, continue with --resume");
      }
      for (auto& cb : callbacks_) cb->before_step(*this);
      state_.last_step = task_.run_step(state_.epoch, state_.step);
      for (auto& cb : callbacks_) cb->after_step(*this);
    }
    state_.epoch_metrics = task_.end_epoch(state_.epoch);
    state_.epoch_metrics["lr"] = state_.lr;
    // after_epoch sees the epoch as finished: a checkpoint written now resumes at the next one.
    ++state_.epoch;
    state_.step = 0;
    for (auto& cb : callbacks_) cb->after_epoch(*this);
    --state_.epoch;
  }
}

}  // namespace alloyml::train
