// alloyml-train --config FILE [--set a.b=value]... [--out RUN_DIR] [--resume] [--nproc N]
#include "app_common.h"

namespace {
// The command line without --nproc, for the workers.
std::vector<std::string> worker_args(int argc, char** argv) {
  std::vector<std::string> out;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--nproc") {
      ++i;
      continue;
    }
    if (a.rfind("--nproc=", 0) == 0) continue;
    out.push_back(a);
  }
  return out;
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Train a model from a JSON config; writes a run directory (config, checkpoints, metrics, report)."};
  app.option_defaults()->always_capture_default();
  alloyml::tasks::TrainRequest req;
  bool list_models = false, list_keys = false;
  app.add_option("--config,-c", req.config_path, "JSON config (configs/<task>/<recipe>.json)")->check(CLI::ExistingFile);
  app.add_option("--set", req.overrides, "override a config key: --set train.epochs=5 (repeatable)");
  app.add_option("--out,-o", req.out_dir, "run directory (default: output.dir, else runs/<name>)");
  app.add_flag("--resume", req.resume, "continue the run in --out (or output.dir) from checkpoints/last.pt");
  app.add_option("--nproc", req.nproc,
                 "train with N worker processes on this machine, data-parallel (as torchrun --nproc-per-node N); each "
                 "takes an equal share of the cores unless --threads is given")
      ->check(CLI::Range(1, 256));
  app.add_flag("--list-models", list_models, "list the registered model names and exit");
  app.add_flag("--list-keys", list_keys, "list every config key with its default and exit");
  alloyml::apps::add_common_flags(app, req.common);
  return alloyml::apps::run_app(app, argc, argv, [&] {
    if (list_models) {
      std::cout << alloyml::tasks::list_models();
      return 0;
    }
    if (list_keys) {
      std::cout << alloyml::tasks::list_config_keys();
      return 0;
    }
    if (req.nproc > 1) req.worker_args = worker_args(argc, argv);
    return alloyml::tasks::run_train(req);
  });
}
