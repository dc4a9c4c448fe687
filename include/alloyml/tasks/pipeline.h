#pragma once
// One task behind one interface: its config schema, train, eval, predict, export, its listings and
// its own alloyml-augment subcommands. The commands (commands.h) find the pipeline of a config or
// a run directory through the registry (registry.h) and never compare a task name themselves.
// Torch-free: a pipeline reaches its networks through pimpl'd classes.
#include <memory>
#include <string>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/run/run_dir.h"
#include "alloyml/run/summary.h"
#include "alloyml/tasks/commands.h"

namespace alloyml::tasks {

using run::Run;
using run::RunPaths;

/// What the train command prepared before the pipeline takes over: the run directory exists,
/// config.json and the log are written, and for a torch pipeline the runtime is applied.
struct TrainContext {
  RunPaths paths;
  std::string source;  ///< the config file (for messages)
  bool resume = false;
  bool quiet = false;
  run::RunFacts facts;  ///< start time, and the runtime of a torch pipeline
};

class Pipeline {
 public:
  virtual ~Pipeline() = default;

  /// The config's "task" that selects this pipeline.
  virtual std::string task() const = 0;
  /// Non-empty: selected only when the config's model.name is this (a model with its own
  /// training, such as the GLCM+SVM baseline of image classification).
  virtual std::string model_name() const { return ""; }
  /// A heading for listings: "Task \"gfa\" (glass-forming ability from composition images)".
  virtual std::string title() const = 0;

  /// Every key of the task, with its default and meaning.
  virtual const config::Schema& schema() const = 0;
  /// Checks across keys after the schema resolved `resolved`; InputError naming `source`.
  virtual void check(const config::Json& resolved, const std::string& source) const = 0;
  /// Lines for --list-models ("name  description"), "" when the task lists none of its own.
  virtual std::string list_models() const { return ""; }

  /// Trains with LibTorch (the train command then applies the runtime: device, precision, threads).
  virtual bool uses_torch() const { return true; }
  /// Without torch: how the task computes, for the first log line ("GA-BP in double precision").
  virtual std::string compute_note() const { return ""; }
  /// How the task uses a distributed job (torchrun's variables, or alloyml-train --nproc):
  /// How the run of the resolved config `resolved` uses the workers of a job (--nproc): "data"
  /// trains one network data-parallel, "spread" gives each worker its share of independent
  /// networks (folds, ensemble members, repeats), "" trains on rank 0 alone.
  virtual std::string distribution(const config::Json& /*resolved*/) const { return ""; }
  /// What the run directory holds once training has begun (--resume needs it, a new run refuses it).
  virtual bool has_training_state(const RunPaths& paths) const;

  virtual int train(const config::Json& resolved, const TrainContext& context) const = 0;
  virtual int eval(const Run& run, const EvalRequest& request) const = 0;
  virtual int predict(const Run& run, const PredictRequest& request) const = 0;
  /// `alloyml-predict --export`: the run's network as a .pth. Default: InputError (no torch model).
  virtual void export_model(const Run& run, const std::string& out) const;

  /// Options this task adds to alloyml-predict.
  virtual std::vector<OptionSpec> predict_options() const { return {}; }
  /// alloyml-augment subcommands this task brings.
  virtual std::vector<CommandSpec> augment_commands() const { return {}; }
  /// `alloyml-predict --model NAME --weights FILE` (no run): only the pipeline that can.
  virtual bool predicts_from_weight_files() const { return false; }
  virtual int predict_from_weights(const PredictRequest& request) const;
};

/// A pipeline that receives its typed options, never the JSON: `options` is the one place its
/// config is read (the run's config is resolved again for eval and predict, so a key added since
/// the run was trained takes its default).
template <class Options>
class TypedPipeline : public Pipeline {
 public:
  int train(const config::Json& resolved, const TrainContext& context) const final {
    return train_with(options(resolved), context);
  }
  int eval(const Run& run, const EvalRequest& request) const final { return eval_with(run_options(run), run, request); }
  int predict(const Run& run, const PredictRequest& request) const final {
    return predict_with(run_options(run), run, request);
  }

 protected:
  virtual Options options(const config::Json& resolved) const = 0;
  virtual int train_with(const Options& options, const TrainContext& context) const = 0;
  virtual int eval_with(const Options& options, const Run& run, const EvalRequest& request) const = 0;
  virtual int predict_with(const Options& options, const Run& run, const PredictRequest& request) const = 0;
  Options run_options(const Run& run) const { return options(schema().resolve(run.config, run.paths.config())); }
};

/// Tells the user where `alloyml-predict --export` wrote a network of architecture `arch`.
void print_exported(const std::string& out, const std::string& arch);

}  // namespace alloyml::tasks
