#pragma once
// Options of the data layer: where images come from, how they are split and transformed.
// Plain aggregates; the config layer fills them from the "data" section.
#include <cstdint>
#include <string>
#include <vector>

namespace alloyml::data {

/// How a dataset is divided when no explicit train/val/test sources are given.
struct SplitOptions {
  /// Validation share: a fraction in [0, 1) or, when >= 1, a count of images. Default 0.15.
  double val = 0.15;
  /// Test share, as for `val`. Default 0.15.
  double test = 0.15;
  /// Seed of the split (independent of the training seed). Default 0.
  std::uint64_t seed = 0;
  /// "random" (seeded, stratified), "number" (per class, ordered by the last number in the file
  /// name: the highest numbers are the test share, the ones before them validation, so a model is
  /// judged on later acquisitions), or "column:NAME" (the same order by a numeric column of a CSV
  /// manifest, e.g. an acquisition date as yyyymmdd). Default "random".
  std::string by = "random";
  /// A column of the CSV manifest whose samples stay on one side of every split (e.g. "source":
  /// the micrograph that alloyml-augment tile cut them from). Empty: only identical files are
  /// kept together. Default empty.
  std::string group_by = "";
};

/// Random augmentation applied to training images only.
struct AugmentOptions {
  /// Random crop of `size` from the image resized to `resize` (else a centre crop). Default false.
  bool random_crop = false;
  /// Probability of a horizontal flip. Default 0.5.
  double hflip = 0.5;
  /// Probability of a vertical flip. Default 0.
  double vflip = 0.0;
  /// Random multiple-of-90-degree rotation (textures have no up). Default false.
  bool rotate90 = false;
  /// Largest random rotation in degrees, reflected borders. Default 0 (off).
  double rotate_deg = 0.0;
  /// Brightness jitter: intensity shift up to this fraction of the range. Default 0.
  double brightness = 0.0;
  /// Contrast jitter: gain in [1-c, 1+c]. Default 0.
  double contrast = 0.0;
  /// Probability that a training image is replaced by a mosaic of it and three other training
  /// images of its class, stitched 2 x 2 with median-blurred seams and resized back (Huang et al.
  /// 2023, Section 3.1.2). Default 0.
  double mosaic = 0.0;
  /// Probability that a training image is blended half and half with another of its class (the
  /// paper's fusion; not drawn when a mosaic was). Default 0.
  double fusion = 0.0;
  /// Random zoom: scale factor drawn uniformly in [1 - s, 1 + s] about the centre, reflected
  /// borders (defects that change size between acquisitions). Default 0 (off).
  double scale = 0.0;
  /// Random Gaussian blur: sigma drawn uniformly in [0, blur] pixels (focus that drifts). Default 0.
  double blur = 0.0;
};

/// Turning a decoded image into the model's input tensor.
struct TransformOptions {
  /// Side of the square model input in pixels. Default 224.
  int size = 224;
  /// 0: resize straight to size x size; else resize the shorter side to this, then crop. Default 0.
  int resize = 0;
  /// Channels fed to the model: 1 (grayscale) or 3 (grayscale replicated). Default 3.
  int channels = 3;
  /// "range": divide by the type's maximum (255); "minmax": per-image min-max to [0, 1]
  /// (Luo et al. Eq. 19). Default "range".
  std::string scaling = "range";
  /// Per-channel mean subtracted after scaling (Luo et al. Eq. 20). Default ImageNet's.
  std::vector<double> mean{0.485, 0.456, 0.406};
  /// Per-channel standard deviation divided after the mean. Default ImageNet's.
  std::vector<double> std{0.229, 0.224, 0.225};
  AugmentOptions augment;
  /// Test-time augmentation of evaluation and prediction (validation during training included):
  /// "none", "flip" (the image and its mirror) or "d4" (the 8 flips and 90-degree rotations, for
  /// textures without an up); the class log-probabilities of the views are averaged. Default "none".
  std::string test_time = "none";
};

struct DataOptions {
  /// One image folder (class sub-folders or flat) or a CSV manifest, split by `split`.
  std::string root;
  /// Explicit sources that replace the split (folder or CSV). Empty: unset.
  std::string train, val, test;
  /// "auto", "folders" (class sub-folders), "flat" (label in the file name) or "manifest". Default "auto".
  std::string layout = "auto";
  /// For flat folders: regex on the file stem whose first group is the label.
  /// Default: everything before the last underscore (NEU: rolled-in_scale_12.jpg).
  std::string label_pattern = "^(.+)_[^_]+$";
  SplitOptions split;
  TransformOptions transform;
  /// Loader threads that decode and augment ahead of the model. Default 2.
  int workers = 2;
  /// Batches prepared ahead. Default 4.
  int prefetch = 4;
  /// Keep decoded (resized) images in memory across epochs. Default true.
  bool cache = true;
};

}  // namespace alloyml::data
