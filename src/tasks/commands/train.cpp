// alloyml-train: config -> pipeline -> run directory -> the pipeline's training.
#include <exception>
#include <filesystem>
#include <optional>

#include <opencv2/core.hpp>
#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"
#include "alloyml/core/log.h"
#include "alloyml/dist/group.h"
#include "alloyml/dist/launch.h"
#include "alloyml/tasks/commands.h"
#include "alloyml/tasks/config.h"
#include "alloyml/tasks/registry.h"
#include "alloyml/tasks/runtime_flags.h"
#include "alloyml/train/callbacks.h"

namespace fs = std::filesystem;
using alloyml::config::Json;

namespace alloyml::tasks {

namespace {
// The first leaf under `path` where `stored` and `now` disagree ("" when none); keys one side
// lacks (added or dropped by another version) are not compared.
std::string first_difference(const Json& stored, const Json& now, const std::string& path) {
  if (stored.is_object() && now.is_object()) {
    for (auto it = now.begin(); it != now.end(); ++it)
      if (stored.contains(it.key())) {
        const std::string d = first_difference(stored[it.key()], it.value(), path + "." + it.key());
        if (!d.empty()) return d;
      }
    return "";
  }
  return stored == now ? "" : path;
}

// A resumed run keeps what its checkpoint and split were made with: checked before anything in
// the run directory is written, so a refused --resume leaves the run resumable.
void check_resume_keeps_the_run(const Json& stored, const Json& now, const std::string& config_path) {
  for (const char* section : {"task", "model", "input", "data", "encoding"}) {
    if (!stored.contains(section) || !now.contains(section)) continue;
    const std::string d = first_difference(stored[section], now[section], section);
    if (d.empty()) continue;
    const Json* was = config::find_path(stored, d);
    const Json* is = config::find_path(now, d);
    throw InputError("--resume: '" + d + "' is " + (is ? config::short_dump(*is) : "unset") + " here but " +
                     (was ? config::short_dump(*was) : "unset") + " in " + config_path +
                     "; a resumed run keeps its task, model, input and data (start a new run with another --out)");
  }
}
}  // namespace

void usage_error(const std::string& message) { throw InputError(message); }

int run_guarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const Interrupted& e) {
    init_logging(false);
    spdlog::warn("{}", e.what());
    return e.exit_code();
  } catch (const Error& e) {
    init_logging(false);
    spdlog::error("{}", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    init_logging(false);
    spdlog::error("{}", e.what());
    return 1;
  }
}

int run_train(const TrainRequest& req) {
  init_logging(req.common.quiet);
  if (req.nproc > 1) return dist::launch_local(req.nproc, req.worker_args);
  // A worker of a distributed job (torchrun's variables; alloyml-train --nproc sets them).
  const dist::Environment env = dist::environment();
  if (env.rank > 0) set_log_prefix("rank " + std::to_string(env.rank), req.common.quiet);
  TrainContext ctx;
  ctx.facts.t_start = train::monotonic_seconds();
  ctx.resume = req.resume;
  ctx.quiet = req.common.quiet;

  Json user;
  ctx.source = req.config_path;
  if (!req.config_path.empty()) {
    user = load_user_config(req.config_path);
  } else if (req.resume && !req.out_dir.empty()) {
    ctx.source = req.out_dir + "/config.json";
    user = config::load_json_file(ctx.source);
  } else {
    throw InputError("--config is required (or --resume with --out RUN_DIR)");
  }
  if (!user.is_object()) throw InputError(ctx.source + ": a config must be a JSON object");
  for (const auto& o : req.overrides) config::apply_override(user, o);
  apply_common_flags(user, req.common);
  const Pipeline& pipeline = pipelines().for_config(user);
  Json cfg = resolve_config(user, ctx.source);
  if (cfg["name"].is_null()) cfg["name"] = fs::path(ctx.source).stem().string();

  // The run directory.
  ctx.paths.dir = !req.out_dir.empty()               ? req.out_dir
                  : !cfg["output"]["dir"].is_null() ? cfg["output"]["dir"].get<std::string>()
                                                     : "runs/" + cfg["name"].get<std::string>();
  cfg["output"]["dir"] = ctx.paths.dir;
  // One writer at a time in a run directory (rank 0 writes it), until the command ends.
  std::optional<DirectoryLock> lock;
  if (env.rank == 0) {
    fs::create_directories(ctx.paths.dir);
    lock.emplace(ctx.paths.dir, "this training run");
  }
  const bool has_state = pipeline.has_training_state(ctx.paths);
  if (req.resume && !has_state) throw InputError(ctx.paths.dir + ": nothing to resume (no checkpoints/last.pt)");
  if (!req.resume && has_state)
    throw InputError(ctx.paths.dir + " already holds a run; continue it with --resume or choose another --out");
  if (req.resume && fs::exists(ctx.paths.config()))
    check_resume_keeps_the_run(config::load_json_file(ctx.paths.config()), cfg, ctx.paths.config());

  if (env.distributed()) {
    const std::string how = pipeline.distribution(cfg);
    if (how.empty()) {
      const std::string what = pipeline.model_name().empty() ? "the task '" + pipeline.task() + "'"
                                                             : "the model '" + pipeline.model_name() + "'";
      if (env.rank != 0) {
        spdlog::info("{} trains on one worker (rank 0); nothing to do here", what);
        return 0;
      }
      spdlog::warn("{} does not use the other {} worker(s): rank 0 trains alone", what, env.world_size - 1);
    } else {
      if (env.rank != 0) set_log_prefix("rank " + std::to_string(env.rank), how == "data" || req.common.quiet);
      dist::set_overlap_backward(cfg["runtime"]["dist_overlap"].get<bool>());
      dist::join(env, cfg["runtime"]["dist_timeout_s"].get<double>(), how == "data");
    }
  }
  struct Leave {  // the job ends with the command; a failed worker leaves without waiting
    ~Leave() {
      if (std::uncaught_exceptions() > 0) dist::abandon();
      else dist::leave();
    }
  } leave;
  std::optional<FileLogGuard> file_log;
  if (dist::is_main()) {  // rank 0 alone writes the run directory
    fs::create_directories(ctx.paths.checkpoints());
    file_log.emplace(ctx.paths.log());
    config::write_json_file(ctx.paths.config(), cfg);
  }

  if (!pipeline.uses_torch()) {
    spdlog::info("alloyml-train {} -> {} ({})", ctx.source, ctx.paths.dir, pipeline.compute_note());
  } else {
    cv::setNumThreads(1);  // the loaders parallelise across images
    const train::ResolvedRuntime rt = train::apply_runtime(runtime_options(cfg["runtime"]));
    ctx.facts.runtime = rt;
    spdlog::info("alloyml-train {} -> {} ({}, {} [{}], {} threads)", ctx.source, ctx.paths.dir, rt.device, rt.precision,
                 rt.reason, rt.threads);
  }
  return pipeline.train(cfg, ctx);
}

}  // namespace alloyml::tasks
