#pragma once
// Options of the data layer: where images come from, how they are split and transformed.
// Plain aggregates; the config layer fills them from the "data" section.
#include <cstdint>
#include <string>
#include <vector>

#include "alloyml/core/option_keys.h"

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
  /// Random resized crop (torchvision's RandomResizedCrop, as in SimCLR and MoCo v2): a region of
  /// a random fraction in [crop_area, 1] of the (resized or resampled) image's area, of aspect
  /// ratio in [3/4, 4/3], resized to `size`; replaces the fixed-size crop. Default 0 (off).
  double crop_area = 0.0;
};

/// Turning a decoded image into the model's input tensor.
struct TransformOptions {
  /// Side of the square model input in pixels. Default 224.
  int size = 224;
  /// 0: resize straight to size x size; else resize the shorter side to this, then crop. Default 0.
  int resize = 0;
  /// Channels fed to the model: 1 (grayscale) or 3 (grayscale replicated). Default 3.
  int channels = 3;
  /// Physical scale: > 0 resamples every image to this many micrometres per pixel (from its own
  /// scale, data.scale_column) before cropping, so a microconstituent has one size in pixels
  /// whatever the magnification; `resize` is then unused. Default 0 (off).
  double um_per_px = 0;
  /// The largest factor by which input.um_per_px enlarges or shrinks an image: uhcs-dev's scales
  /// span 0.002-5.6 um/px, and one image enlarged 40-fold is 700 MB. An image past it is resampled
  /// by this factor only (counted in a warning). Default 8.
  double max_rescale = 8;
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
  /// textures without an up); the class log-probabilities of the views are averaged. "tiles" scores
  /// the whole (resized or resampled) image by `size` tiles covering it instead of its centre crop,
  /// the tiles' class probabilities averaged; "tiles+flip" and "tiles+d4" take those views of every
  /// tile. Default "none".
  std::string test_time = "none";
};

struct DataOptions {
  /// One image folder (class sub-folders or flat) or a CSV manifest, split by `split`.
  std::string root;
  /// Explicit sources that replace the split (folder or CSV). Empty: unset.
  std::string train, val, test;
  /// "auto", "folders" (class sub-folders), "flat" (label in the file name) or "manifest". Default "auto".
  std::string layout = "auto";
  /// The CSV manifest's column with each image's scale in micrometres per pixel (input.um_per_px
  /// resamples by it). Empty: none. Default empty.
  std::string scale_column;
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

/// The "input" section: the transform's own keys. input.mean and input.std are lists whose
/// default depends on input.channels (ImageNet's, averaged for one channel): the image tasks
/// declare them (tasks/config.cpp reads them).
template <class V>
void visit_input_keys(V& v, TransformOptions& o) {
  using options::key;
  v(o.size, key("size", "side of the square model input (px)").range(16, 4096));
  v(o.resize, key("resize", "0: resize to size; else shorter side to this, then crop").range(0, 8192));
  v(o.channels, key("channels", "1 (grayscale) or 3").range(1, 3));
  v(o.scaling, key("scaling", "range (/255) or minmax (per image, Luo et al. Eq. 19)").one_of({"range", "minmax"}));
  v(o.um_per_px, key("um_per_px", "resample every image to this many micrometres per pixel before cropping (its own "
                                  "scale from data.scale_column); 0: off")
                     .range(0, 1e6));
  v(o.max_rescale, key("max_rescale", "input.um_per_px: the largest factor an image is enlarged or shrunk by").range(1, 64));
}

/// The "augment" section: training augmentation and test-time views.
template <class V>
void visit_augment_keys(V& v, TransformOptions& o) {
  using options::key;
  AugmentOptions& a = o.augment;
  v(a.random_crop, key("random_crop", "random instead of centre crop"));
  v(a.hflip, key("hflip", "horizontal flip probability").range(0, 1));
  v(a.vflip, key("vflip", "vertical flip probability").range(0, 1));
  v(a.rotate90, key("rotate90", "random multiples of 90 degrees"));
  v(a.rotate_deg, key("rotate_deg", "largest random rotation (degrees)").range(0, 180));
  v(a.brightness, key("brightness", "brightness jitter (fraction of range)").range(0, 1));
  v(a.contrast, key("contrast", "contrast jitter (gain 1 +- c)").range(0, 1));
  v(a.mosaic, key("mosaic", "probability of a 2x2 mosaic with three other images of the class (Huang et al. 2023)")
                  .range(0, 1));
  v(a.scale, key("scale", "random zoom: factor in [1 - s, 1 + s], reflected borders").range(0, 0.9));
  v(a.blur, key("blur", "random Gaussian blur: sigma in [0, blur] pixels").range(0, 20));
  v(a.crop_area, key("crop_area", "random resized crop: a region of [crop_area, 1] of the image's area, aspect 3/4-4/3, "
                                  "resized to input.size; 0: off")
                     .range(0, 1));
  v(a.fusion, key("fusion", "probability of blending with another image of the class").range(0, 1));
  v(o.test_time, key("test_time", "test-time augmentation in validation, eval and predict: none, flip, d4 (8 flips "
                                  "and rotations), or tiles (tiles covering the whole image, probabilities averaged), "
                                  "tiles+flip, tiles+d4")
                     .one_of({"none", "flip", "d4", "tiles", "tiles+flip", "tiles+d4"}));
}

/// The "data" section's keys of an image task, but for data.split (whose help is the task's;
/// tasks/schema_parts.h add_split_keys).
template <class V>
void visit_keys(V& v, DataOptions& o) {
  using options::key;
  v(o.root, key("root", "image folder or CSV manifest, split by data.split").null_when_empty());
  v(o.train, key("train", "explicit training source (replaces the split)").null_when_empty());
  v(o.val, key("val", "explicit validation source").null_when_empty());
  v(o.test, key("test", "explicit test source").null_when_empty());
  v(o.layout, key("layout", "auto, folders, flat or manifest").one_of({"auto", "folders", "flat", "manifest"}));
  v(o.label_pattern, key("label_pattern", "flat folders: regex whose group 1 is the label"));
  v(o.scale_column, key("scale_column", "manifest column with each image's micrometres per pixel (input.um_per_px)")
                        .null_when_empty());
  v(o.workers, key("workers", "loader threads").range(1, 64));
  v(o.prefetch, key("prefetch", "batches prepared ahead").range(1, 64));
  v(o.cache, key("cache", "keep decoded images in memory"));
}

}  // namespace alloyml::data
