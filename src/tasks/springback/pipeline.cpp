#include "alloyml/tasks/springback/pipeline.h"

#include <filesystem>

namespace alloyml::tasks {
namespace {

class SpringbackPipeline : public TypedPipeline<SpringbackOptions> {
 public:
  std::string task() const override { return "springback"; }
  std::string distribution(const config::Json&) const override { return "spread"; }
  std::string title() const override { return "Task \"springback\" (tabular regression)"; }
  const config::Schema& schema() const override { return springback_schema(); }
  void check(const config::Json& resolved, const std::string& source) const override {
    check_springback_config(resolved, source);
  }
  std::string list_models() const override {
    return "gabp  5-8-1 network, GA-searched initial weights, Levenberg-Marquardt (the straightening paper)\n"
           "bp  the same network from a random start, Levenberg-Marquardt\n"
           "linear  multiple linear regression (least squares)\n";
  }
  bool uses_torch() const override { return false; }
  std::string compute_note() const override { return "springback: GA-BP in double precision on the CPU"; }
  bool has_training_state(const RunPaths& paths) const override {
    return std::filesystem::exists(paths.checkpoints() + "/repeats.json");
  }
  std::vector<CommandSpec> augment_commands() const override {
    return {springback_synth_command(), springback_saturation_command()};
  }

 protected:
  SpringbackOptions options(const config::Json& resolved) const override { return springback_options(resolved); }
  int train_with(const SpringbackOptions& o, const TrainContext& context) const override {
    return train_springback(o, context);
  }
  int eval_with(const SpringbackOptions&, const Run& run, const EvalRequest& request) const override {
    return eval_springback(run, request);
  }
  int predict_with(const SpringbackOptions& o, const Run& run, const PredictRequest& request) const override {
    return predict_springback(o, run, request);
  }
};

}  // namespace

std::unique_ptr<Pipeline> make_springback_pipeline() { return std::make_unique<SpringbackPipeline>(); }

}  // namespace alloyml::tasks
