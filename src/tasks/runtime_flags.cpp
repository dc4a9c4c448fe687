#include "alloyml/tasks/runtime_flags.h"

#include "alloyml/tasks/config.h"

namespace alloyml::tasks {

void apply_common_flags(config::Json& user, const CommonFlags& flags) {
  if (!flags.device.empty()) user["runtime"]["device"] = flags.device;
  if (!flags.precision.empty()) user["runtime"]["precision"] = flags.precision;
  if (flags.threads >= 0) user["runtime"]["threads"] = flags.threads;
}

train::RuntimeOptions runtime_for(const run::Run& run, const CommonFlags& flags) {
  config::Json wrapper{{"runtime", run.config.value("runtime", config::Json::object())}};
  apply_common_flags(wrapper, flags);
  const train::RuntimeOptions d;
  train::RuntimeOptions o;
  o.device = wrapper["runtime"].value("device", d.device);
  o.precision = wrapper["runtime"].value("precision", d.precision);
  o.threads = wrapper["runtime"].value("threads", d.threads);
  return o;
}

}  // namespace alloyml::tasks
