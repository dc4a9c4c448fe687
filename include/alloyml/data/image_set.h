#pragma once
// Finding labelled images: class sub-folders, flat folders with the label in the file name,
// or a CSV manifest (path,label). Problems name the folder, file or row (InputError).
#include <string>
#include <utility>
#include <vector>

#include "alloyml/data/options.h"

namespace alloyml::data {

struct Sample {
  std::string path;
  int label = -1;  ///< index into ImageSet::class_names; -1 when unlabelled
  double um_per_px = 0;  ///< the image's scale (data.scale_column); 0: unknown
};

struct ImageSet {
  std::vector<std::string> class_names;
  std::vector<Sample> samples;
  std::string source;  ///< where the set came from, for messages
};

/// Reads `source` (folder or .csv) with the given layout. When `known_classes` is not empty
/// the labels must be among them (eval on new data) and keep their indices.
ImageSet discover_images(const std::string& source, const DataOptions& options,
                         const std::vector<std::string>& known_classes = {});

/// discover_images with the default layout when `source` names labels; else (a folder of images
/// without labels) every image of it as the one class `group`.
ImageSet discover_images_or_all(const std::string& source, const std::string& group);

/// All image files under `path` (a file, or a folder searched recursively), sorted;
/// for prediction on unlabelled data. A .csv lists paths in its first column.
std::vector<std::string> list_images(const std::string& path);

/// Each image's scale from the column `column` of the CSV `csv` (rows by path, relative paths
/// from the CSV's folder): set on the samples of `set` that the CSV lists. InputError naming the
/// CSV and line for a row whose value is missing, not a number or not positive, and naming the
/// column when the CSV has none of that name.
void read_scales(ImageSet& set, const std::string& csv, const std::string& column);

/// InputError naming `what` (data.scale_column or --um-per-px) when a sample of `set` has no scale.
void require_scales(const ImageSet& set, const std::string& what);

/// Where each image of `input` goes when a tool writes one derived image per input image (a
/// translation, another camera's look) under `output`, keeping labels: a folder's tree is mirrored
/// (class sub-folders stay class sub-folders, NEU-style names keep their label part); a CSV
/// manifest's images go to OUTPUT/<label>/<file name>; a single image to OUTPUT/<file name>.
/// Pairs (input path, output path), in the input's order; InputError when two inputs would land
/// on one output.
std::vector<std::pair<std::string, std::string>> mirror_paths(const std::string& input, const std::string& output);

/// Counts of samples per class, in class order.
std::vector<int> class_counts(const ImageSet& set);

}  // namespace alloyml::data
