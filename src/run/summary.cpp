#include "alloyml/run/summary.h"

#include "alloyml/train/callbacks.h"

namespace alloyml::run {

config::Json write_summary(const RunPaths& paths, config::Json summary, const RunFacts& facts) {
  summary["wall_time_s"] = train::monotonic_seconds() - facts.t_start;
  if (facts.runtime) {
    summary["device"] = facts.runtime->device;
    summary["precision"] = facts.runtime->precision;
    summary["precision_reason"] = facts.runtime->reason;
    if (!facts.runtime->warning.empty()) summary["precision_warning"] = facts.runtime->warning;
    summary["threads"] = facts.runtime->threads;
  }
  config::write_json_file(paths.summary(), summary);
  return summary;
}

}  // namespace alloyml::run
