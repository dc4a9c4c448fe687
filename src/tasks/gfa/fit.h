#pragma once
// Fitting the gfa networks (Wei et al.): composition images in the training space, the regression
// setup from the options, one network trained by the trainer, ensembles of them, and the metrics
// of their predictions.
#include <string>
#include <utility>
#include <vector>

#include "alloyml/core/config.h"
#include "alloyml/data/composition_image.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/run/run_dir.h"
#include "alloyml/tasks/gfa/options.h"
#include "alloyml/tasks/gfa/regressor.h"
#include "alloyml/tasks/gfa/table.h"
#include "alloyml/train/options.h"

namespace alloyml::tasks {

// Dmax is a diameter: predictions below 0 mean "no bulk glass" and are reported as 0.
inline constexpr bool kDmaxIsNonNegative = true;

struct FitOutcome {
  std::vector<double> predictions;  ///< user units, for `predict_idx`
  std::string checkpoint;           ///< the one used
  int epochs = 0;
  double seconds = 0, rows_per_s = 0;
  /// Each ensemble member's own result; spread work fills a member on the worker that trained it.
  struct Member {
    int job = -1;        ///< its number in a FitSpread (-1: not spread)
    bool done = false;   ///< trained (or passed on) here
    std::vector<double> predictions;
    std::string checkpoint;
    int epochs = 0;
    double seconds = 0, rows_per_s = 0;
  };
  std::vector<Member> members;
};

/// Independent network fits (CV folds times ensemble members, the final model's members) spread
/// over the workers of a distributed job: fits are numbered as they are met, fit j runs on the
/// worker of rank j % world size, and share() passes every result to every worker. Each worker
/// writes the directories of its own fits (the run directory must be one they all see).
class FitSpread {
 public:
  /// The next fit's number, and whether this worker trains it.
  std::pair<int, bool> take();
  /// Completes `outcomes` on every worker with the members trained elsewhere (a collective:
  /// every worker calls it with the same fits, in the same order).
  void share(const std::vector<FitOutcome*>& outcomes, const std::string& tag) const;

 private:
  int next_ = 0;
};

/// Images of `rows` (all valid for the encoding), in the training space of `transform`.
RegressionData encode_rows(const std::vector<GfaRow>& rows, const data::CompositionEncoding& e,
                           const std::string& transform);

/// Rows per inference batch, in validation during training and in every prediction after it.
int inference_batch_size(const GfaOptions& options);

RegressionSetup regression_setup(const GfaOptions& options, const data::CompositionEncoding& e,
                                 const train::ResolvedRuntime& runtime);

/// Where ensemble member `m` (0-based) of a fit in `dir` lives.
run::RunPaths member_paths(const run::RunPaths& dir, int m);

/// `ensemble_members` networks trained on `train_idx` in `dir` (seeds seed, seed + 1, ...), each
/// checkpointing and resuming on its own; their predictions of `predict_idx` (user units) averaged.
/// With `spread`, only this worker's members are trained; FitSpread::share completes the rest.
FitOutcome fit_ensemble(const GfaOptions& options, const RegressionSetup& setup, RegressionData& data,
                        const std::vector<size_t>& train_idx, const std::vector<size_t>& val_idx,
                        const std::vector<size_t>& predict_idx, const run::RunPaths& dir, bool use_best, bool resume,
                        bool quiet, FitSpread* spread = nullptr);

eval::RegressionMetrics metrics_of(const RegressionData& d, const std::vector<size_t>& idx, const std::vector<double>& pred);

/// Mean and standard deviation of rmse, mae, r2 and r over folds.
config::Json mean_std(const std::vector<eval::RegressionMetrics>& folds);

/// "RMSE 1.234  MAE ..." for a log line.
std::string metrics_line(const config::Json& metrics);

}  // namespace alloyml::tasks
