#include "alloyml/run/metrics_log.h"

#include <cmath>
#include <fstream>

#include "alloyml/core/fs.h"
#include "alloyml/train/callbacks.h"

namespace alloyml::run {
namespace {

std::string existing_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

void MetricsFile::write(const std::vector<config::OrderedJson>& records) const {
  std::string text;
  for (const auto& r : records) text += r.dump() + "\n";
  write_text_atomically(path_, text);
}

void MetricsFile::append(const config::OrderedJson& record) const {
  write_text_atomically(path_, existing_text(path_) + record.dump() + "\n");
}

void MetricsFile::keep_through_epoch(int epoch) const {
  std::ifstream in(path_);
  if (!in) return;
  std::string line, kept;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto j = config::try_parse_json(line);
    if (!j.is_discarded() && j.value("epoch", 0) <= epoch) kept += line + "\n";
  }
  in.close();
  write_text_atomically(path_, kept);
}

std::map<std::string, vision::Series> read_metric_series(const std::string& path) {
  std::map<std::string, vision::Series> series;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto j = config::try_parse_json(line);
    if (j.is_discarded() || !j.contains("epoch")) continue;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "epoch" || !it.value().is_number()) continue;
      auto& s = series[it.key()];
      s.label = it.key();
      s.x.push_back(j["epoch"].get<double>());
      s.y.push_back(it.value().get<double>());
    }
  }
  return series;
}

void MetricsLog::before_train(train::Trainer& t) { file_.keep_through_epoch(t.state().epoch); }

void MetricsLog::before_epoch(train::Trainer&) { epoch_start_s_ = train::monotonic_seconds(); }

void MetricsLog::after_epoch(train::Trainer& t) {
  config::OrderedJson j;
  j["epoch"] = t.state().epoch;  // after_epoch sees the 1-based number of finished epochs
  for (const auto& [k, v] : t.state().epoch_metrics) j[k] = std::isfinite(v) ? config::OrderedJson(v) : nullptr;
  // Timing last: everything before it is reproducible for a seed; these fields are not.
  j["seconds"] = train::monotonic_seconds() - epoch_start_s_;
  file_.append(j);
}

}  // namespace alloyml::run
