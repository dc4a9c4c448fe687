#include "alloyml/tasks/pipeline.h"

#include <filesystem>
#include <iostream>

#include "alloyml/core/error.h"

namespace alloyml::tasks {

bool Pipeline::has_training_state(const RunPaths& paths) const { return std::filesystem::exists(paths.last()); }

void Pipeline::export_model(const Run& run, const std::string&) const {
  throw InputError("--export: " + run.paths.dir + " is a " + task() + " run: no torch model (model.json holds it)");
}

int Pipeline::predict_from_weights(const PredictRequest&) const {
  throw InputError("the task " + task() + " does not predict from a bare weight file; use --run RUN_DIR");
}

void print_exported(const std::string& out, const std::string& arch) {
  std::cout << "wrote " << out << " (" << arch
            << " state dict; torch.load + load_state_dict in Python, or model.pretrained of another run)\n";
}

}  // namespace alloyml::tasks
