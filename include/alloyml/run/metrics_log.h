#pragma once
// metrics.jsonl: one JSON object per epoch (or per fitting step of a classical model), with its
// one writer. The trainer's MetricsLog callback and the tasks that fit without the trainer
// (springback's Levenberg-Marquardt epochs, the GLCM+SVM grid search) all write through it.
#include <map>
#include <string>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/train/trainer.h"
#include "alloyml/vision/plot.h"

namespace alloyml::run {

/// The writer of one metrics.jsonl. Every write replaces the file atomically, so a run killed
/// mid-write leaves the previous complete file.
class MetricsFile {
 public:
  explicit MetricsFile(std::string path) : path_(std::move(path)) {}
  /// Replaces the file with `records` (one line each).
  void write(const std::vector<config::OrderedJson>& records) const;
  /// Appends one record.
  void append(const config::OrderedJson& record) const;
  /// Keeps the lines whose "epoch" is at most `epoch` (a resumed run drops what its checkpoint
  /// does not cover, so the file matches an uninterrupted run).
  void keep_through_epoch(int epoch) const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Every numeric key of a metrics.jsonl as a series over epochs (for the report's curves).
std::map<std::string, vision::Series> read_metric_series(const std::string& path);

/// Appends the epoch's metrics (then its seconds) to metrics.jsonl after every epoch; on resume
/// drops lines of epochs the checkpoint does not cover.
class MetricsLog : public train::Callback {
 public:
  explicit MetricsLog(std::string path) : file_(std::move(path)) {}
  std::string name() const override { return "metrics"; }
  void before_train(train::Trainer& t) override;
  void before_epoch(train::Trainer& t) override;
  void after_epoch(train::Trainer& t) override;

 private:
  MetricsFile file_;
  double epoch_start_s_ = 0;
};

}  // namespace alloyml::run
