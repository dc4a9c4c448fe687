#pragma once
// What the four executables call: one function per command, each taking a plain request struct
// the app fills from its command line. Requests hold what every task needs; a task's own options
// arrive as OptionValues it declared (command_options.h). The library never exits: these return
// the process status and throw alloyml::Error (with its exit code) on failure.
#include <functional>
#include <string>
#include <vector>

#include "alloyml/tasks/command_options.h"

namespace alloyml::tasks {

/// Flags every command shares (--device, --precision, --threads, --quiet).
struct CommonFlags {
  std::string device;     ///< empty: from the config, else auto
  std::string precision;  ///< empty: from the config, else auto
  int threads = -1;       ///< -1: from the config; 0: OMP_NUM_THREADS, else all cores
  bool quiet = false;
};

struct TrainRequest {
  std::string config_path;             ///< required unless resuming a run directory
  std::vector<std::string> overrides;  ///< --set a.b=value
  std::string out_dir;                 ///< --out; default output.dir or runs/<name>
  bool resume = false;
  /// --nproc N > 1: this process launches N data-parallel workers on this machine, each running
  /// `worker_args` (the command line without --nproc), and waits for them.
  int nproc = 1;
  std::vector<std::string> worker_args;
  CommonFlags common;
};

struct EvalRequest {
  std::string run_dir;
  std::string data;        ///< --data: evaluate on everything here instead of a split
  std::string split = "test";
  std::string out_path;    ///< --out; default RUN_DIR/eval_<split or data>.json
  /// --ensemble: more runs of the same classes whose probabilities are averaged with --run's.
  std::vector<std::string> ensemble;
  CommonFlags common;
};

struct PredictRequest {
  std::string run_dir;     ///< a trained run, or:
  std::string model;       ///< a registered architecture, with `weights`
  std::string weights;     ///< a .pth state dict (ImageNet preprocessing is applied)
  std::string export_pth;  ///< with run_dir: write the run's model as a Python-loadable .pth and stop
  std::string input;       ///< what to predict: image, folder or CSV (images, records, formulas)
  std::string output;      ///< .csv or .jsonl; empty: CSV on stdout
  /// Options the task declared (predict_option_specs()): --topk and --logits of image runs,
  /// --formula of gfa runs, ...
  OptionValues task_options;
  CommonFlags common;
};

int run_train(const TrainRequest& request);

/// Runs a command (`body`, after its flags are parsed): an alloyml::Error is logged and becomes
/// its exit code (2 bad input, 130 interrupted), any other exception is logged and exits 1.
int run_guarded(const std::function<int()>& body);

/// Refuses a command line the parser let through (a missing --input, no subcommand): throws the
/// InputError run_guarded turns into the message and exit code 2.
[[noreturn]] void usage_error(const std::string& message);
int run_eval(const EvalRequest& request);
int run_predict(const PredictRequest& request);

/// The options every task adds to alloyml-predict (each applies to runs of its task only).
std::vector<OptionSpec> predict_option_specs();

/// The alloyml-augment subcommands of every task, in registry order.
std::vector<CommandSpec> augment_commands();

/// Registered model names with a line each, for `alloyml-train --list-models`.
std::string list_models();

/// Every config key with its type, default and meaning, for `alloyml-train --list-keys`.
std::string list_config_keys();

}  // namespace alloyml::tasks
