#pragma once
// Evaluation and prediction of image classifiers, written once for every model that scores
// images: a CNN restored from a run or a weight file, or a classical model (GLCM+SVM).
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "alloyml/data/image_set.h"
#include "alloyml/data/loader.h"
#include "alloyml/data/options.h"
#include "alloyml/eval/metrics.h"
#include "alloyml/run/run_dir.h"
#include "alloyml/tasks/classification/classifier.h"
#include "alloyml/tasks/classification/options.h"
#include "alloyml/tasks/commands.h"

namespace alloyml::tasks {

/// Scores images: logits (or decision values) of every readable sample of `indices`.
class ImageScorer {
 public:
  virtual ~ImageScorer() = default;
  /// Logits of `indices` (those that can be read). `decoded`: the images as the run's own input
  /// options prepare them (ImageInference::data), shared with Grad-CAM and the rows so each image
  /// is decoded once; null: the scorer decodes them itself.
  virtual PredictionSet score(const data::ImageSet& set, const std::vector<size_t>& indices, bool progress,
                              const std::shared_ptr<data::ImageCache>& decoded = nullptr) = 0;
};

/// A scorer with the class names and input options it needs.
struct ImageInference {
  std::unique_ptr<ImageScorer> scorer;
  /// Loads the model for Grad-CAM (as trained, not folded); empty for models without feature maps.
  std::function<std::unique_ptr<ClassifierModel>()> explainer;
  std::vector<std::string> class_names;
  data::DataOptions data;  ///< how the images are read (no augmentation)
};

/// Turns `inference` (of `run`) into an ensemble with the runs in `members`: every member must be an
/// image classification run (CNN or classical) with the same class names in the same order; each
/// scores the images with its own input options, and the ensemble's logits are the logarithm of
/// the members' mean class probabilities (so its scores are those probabilities). Images a
/// member cannot read are left out, as by a single run.
void add_ensemble_members(ImageInference& inference, const run::Run& run, const std::vector<std::string>& members,
                          const CommonFlags& flags);

/// The class names of a classification run; InputError when model.json has none.
std::vector<std::string> run_class_names(const run::Run& run);

/// The run's CNN (its options given), in the runtime of the config and the flags.
ImageInference cnn_inference(const ClassificationOptions& options, const run::Run& run, const CommonFlags& flags);

/// A weight file of a registered architecture with ImageNet preprocessing (alloyml-predict --model --weights).
ImageInference weight_file_inference(const PredictRequest& request);

/// Scores predictions (argmax of the logits) against their labels.
eval::ClassificationMetrics classification_metrics_of(const PredictionSet& predictions,
                                                      const std::vector<std::string>& class_names);

/// Predicts every sample of `loader` and scores against its labels.
eval::ClassificationMetrics evaluate_classifier(ClassifierModel& model, data::ImageLoader& loader,
                                                const std::vector<std::string>& class_names, bool show_progress);

/// alloyml-eval of an image run: the run's split or every labelled image under --data.
int eval_images(const run::Run& run, const EvalRequest& request, ImageInference& inference);

/// The rows of alloyml-predict over images, one format for a folder and for a watched folder:
/// CSV (path, label, score, top-k, optional cam, latency and defect columns, error) or JSONL.
struct PredictionRows {
  std::vector<std::string> class_names;
  bool jsonl = false;
  bool logits = false;    ///< JSONL only: the raw logits
  bool cam = false;       ///< a "cam" column (the Grad-CAM file)
  bool latency = false;   ///< a "latency_ms" column (watch mode: from the file's arrival to its row)
  bool quantify = false;  ///< the defect measures of Huang et al. 2023, Table 7
  int k = 1;              ///< ranked labels per row
  /// The CSV header line, "" for JSONL.
  std::string header() const;
  /// How a row names `path`: as it is in CSV (which keeps any bytes), escaped where it is not
  /// UTF-8 in JSONL (JSON is UTF-8). RowFile::done() holds these.
  std::string key(const std::string& path) const;
  /// One row: `logits` null for an image that could not be read (an error row naming why).
  /// `decoded` (may be null) holds the image's decoding: why it failed, its native grey image for
  /// the defect measures; without it the row decodes the file again.
  std::string row(const std::string& path, const std::vector<float>* logits, const std::string& cam_file,
                  double latency_ms, const data::ImageCache* decoded = nullptr, size_t index = 0) const;
};

/// The row format the request asks for (--output's extension, --logits, --topk, --cam, --quantify).
PredictionRows prediction_rows(const PredictRequest& request, const std::vector<std::string>& class_names);

/// An --output file that rows are appended to as they are computed, so nothing computed is lost
/// when the command is stopped. Unless `continue_existing`, the file starts anew with the header;
/// an existing one continued (a watcher's, or an interrupted predict's with --resume) must have the
/// same columns, loses a last line cut short by a kill, and its rows' keys are `done()`. Every
/// write is checked.
class RowFile {
 public:
  RowFile(std::string path, const PredictionRows& rows, bool continue_existing);
  ~RowFile();
  RowFile(const RowFile&) = delete;
  RowFile& operator=(const RowFile&) = delete;
  const std::set<std::string>& done() const { return done_; }
  /// Appends rows (whole lines) and flushes them to the file.
  void append(const std::string& text);

 private:
  std::string path_;
  std::set<std::string> done_;
  int fd_ = -1;
};

/// The network --cam explains (the explainer's, loaded once), after making the --cam folder;
/// InputError for models without feature maps.
std::unique_ptr<ClassifierModel> heat_map_model(const PredictRequest& request, const ImageInference& inference);

/// Grad-CAM overlays of the predicted class (the arg-max of logits_of[i]) of each sample with
/// done[i], one PNG per image in the --cam folder named after its path below `root` ('/' as '__');
/// returns each sample's PNG path ("" if none). `decoded`: the images as the scorer had them.
std::vector<std::string> write_heat_maps(const PredictRequest& request, const ImageInference& inference,
                                         ClassifierModel& model, const data::ImageSet& set,
                                         const std::vector<std::vector<float>>& logits_of, const std::vector<bool>& done,
                                         const std::string& root, bool progress,
                                         const std::shared_ptr<data::ImageCache>& decoded);

/// Each image's scale when the run resamples to a physical scale (input.um_per_px): --um-per-px
/// for all, or the run's scale column of a CSV `input`; InputError when neither gives one, and for
/// --um-per-px to a run without a physical scale.
void attach_scales(data::ImageSet& set, const PredictRequest& request, const ImageInference& inference,
                   const std::string& input);

/// An empty cache of `set`'s images as `inference` reads them, for one batch of predict or watch
/// (decoded once, shared by the scorer, Grad-CAM and the rows); keeps the native grey images
/// when the rows measure defects.
std::shared_ptr<data::ImageCache> decode_once(const data::ImageSet& set, const ImageInference& inference,
                                              const PredictionRows& rows);

/// alloyml-predict --watch DIR: classifies each image as it appears in DIR (complete files only)
/// and appends its row to --output, until SIGINT or SIGTERM; a restarted watcher skips the images
/// its output already holds.
int watch_images(const PredictRequest& request, ImageInference& inference);

/// alloyml-predict over images: one row per image (label, score, top-k or logits, error), and with
/// --cam DIR a Grad-CAM overlay per image (its path in the row's "cam" column).
int predict_images(const PredictRequest& request, ImageInference& inference);

}  // namespace alloyml::tasks
