#include "alloyml/tasks/gfa/pipeline.h"

#include <filesystem>

#include "alloyml/tasks/config.h"
#include "infer.h"
#include "alloyml/train/export.h"

namespace alloyml::tasks {
namespace {

class GfaPipeline : public TypedPipeline<GfaOptions> {
 public:
  std::string task() const override { return "gfa"; }
  std::string distribution(const config::Json&) const override { return "spread"; }
  std::string title() const override { return "Task \"gfa\" (glass-forming ability from composition images)"; }
  const config::Schema& schema() const override { return gfa_schema(); }
  void check(const config::Json& resolved, const std::string& source) const override {
    check_gfa_config(resolved, source);
  }
  std::string list_models() const override { return "any ResNet above, one output\n"; }
  bool has_training_state(const RunPaths& paths) const override {
    return Pipeline::has_training_state(paths) || std::filesystem::exists(paths.dir + "/folds");
  }
  void export_model(const Run& run, const std::string& out) const override {
    train::export_pth(model_options(run), gfa_network_checkpoint(run), out);
    print_exported(out, run.model["arch"].get<std::string>());
  }
  std::vector<OptionSpec> predict_options() const override {
    return {OptionSpec("--formula,-f", "gfa run: a composition to predict (repeatable), e.g. Zr41.2Ti13.8Cu12.5Ni10Be22.5")
                .repeatable()
                .run_only(),
            OptionSpec("--system", "gfa run: predict a ternary system on a grid, e.g. La-Co-Al").run_only(),
            OptionSpec("--step", "gfa run: grid step of --system (at.%)").number(1.0).range(0.01, 100.0).run_only()};
  }
  std::vector<CommandSpec> augment_commands() const override { return gfa_augment_commands(); }

 protected:
  GfaOptions options(const config::Json& resolved) const override { return gfa_options(resolved); }
  int train_with(const GfaOptions& o, const TrainContext& context) const override { return train_gfa(o, context); }
  int eval_with(const GfaOptions& o, const Run& run, const EvalRequest& request) const override {
    return eval_gfa(o, run, request);
  }
  int predict_with(const GfaOptions& o, const Run& run, const PredictRequest& request) const override {
    return predict_gfa(o, run, request);
  }
};

}  // namespace

std::unique_ptr<Pipeline> make_gfa_pipeline() { return std::make_unique<GfaPipeline>(); }

}  // namespace alloyml::tasks
