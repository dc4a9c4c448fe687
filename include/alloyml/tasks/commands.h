#pragma once
// What the four executables call: one function per command, each taking a plain request
// struct the app fills from its command line. The library never exits; these return the
// process status and throw alloyml::Error (with its exit code) on failure.
#include <cstdint>
#include <string>
#include <vector>

#include "alloyml/train/options.h"

namespace alloyml::tasks {

/// Flags every command shares (--device, --precision, --threads, --quiet).
struct CommonFlags {
  std::string device;     ///< empty: from the config, else auto
  std::string precision;  ///< empty: from the config, else auto
  int threads = -1;       ///< -1: from the config; 0: all cores
  bool quiet = false;
};

struct TrainRequest {
  std::string config_path;             ///< required unless resuming a run directory
  std::vector<std::string> overrides;  ///< --set a.b=value
  std::string out_dir;                 ///< --out; default output.dir or runs/<name>
  bool resume = false;
  CommonFlags common;
};

struct EvalRequest {
  std::string run_dir;
  std::string data;        ///< --data: evaluate on everything here instead of a split
  std::string split = "test";
  std::string out_path;    ///< --out; default RUN_DIR/eval_<split or data>.json
  CommonFlags common;
};

struct PredictRequest {
  std::string run_dir;     ///< a trained run, or:
  std::string model;       ///< a registered architecture, with `weights`
  std::string weights;     ///< a .pth state dict (ImageNet preprocessing is applied)
  int num_classes = 1000;  ///< outputs of `weights`
  std::string labels;      ///< optional text file with one class name per line
  std::string export_pth;  ///< with run_dir: write the run's model as a Python-loadable .pth and stop
  std::string input;       ///< image, folder or CSV of paths
  std::string output;      ///< .csv or .jsonl; empty: CSV on stdout
  int topk = 1;
  bool logits = false;     ///< JSONL with the raw logits
  std::vector<std::string> formulas;  ///< gfa: compositions given on the command line
  std::string system;      ///< gfa: a ternary system "A-B-C" predicted on a grid
  double step = 1.0;       ///< gfa: grid step of --system (atomic percent)
  CommonFlags common;
};

struct PreprocessRequest {
  std::string input, output;
  int diameter = 9;             ///< bilateral filter neighbourhood (px)
  double sigma_color = 75;
  double sigma_space = 75;
  double clip_percent = 1.0;    ///< histogram tails clipped by the contrast stretch (%)
  bool otsu = true;             ///< also write the OTSU mask beside each image
  CommonFlags common;
};

struct SynthesizeRequest {
  std::string output;
  int per_class = 40;
  int size = 64;
  std::uint64_t seed = 0;
  CommonFlags common;
};

struct SpringbackSynthRequest {
  std::string output;          ///< CSV to write
  int rows = 240;
  std::uint64_t seed = 0;
  bool straightness = false;   ///< add deflection, tolerance and final deflection columns
  double tolerance_mm = 0.05;
  bool curves = false;         ///< write recovery curves (shaft,time_h,springback_mm) instead of records
  int shafts = 8;              ///< with curves: shafts
  double hours = 4.0;          ///< with curves: readings from unloading to this time
  int points = 25;             ///< with curves: readings per shaft after t = 0
  std::string law = "kelvin";  ///< with curves: kelvin or kelvin2
  CommonFlags common;
};

/// `alloyml-augment springback-saturation`: the saturated springback of each shaft from its
/// recovery curve (classical/saturation.h).
struct SaturationRequest {
  std::string input;                     ///< CSV: one row per reading
  std::string output;                    ///< CSV: one row per shaft
  std::string plots;                     ///< folder of one PNG per shaft; empty: <output stem>_plots
  std::string law = "kelvin";            ///< kelvin, kelvin2 or log
  double horizon = 240;                  ///< in the time column's unit (240 h = the paper's 10 days)
  std::string id_column = "shaft";
  std::string time_column = "time_h";
  std::string value_column = "springback_mm";
  CommonFlags common;
};

/// `alloyml-augment composition`: writes the image(s) of one formula as PNGs (one per channel and
/// a colour overview), with the encoding of a trained run or the formula's own elements.
struct CompositionImageRequest {
  std::string formula;
  std::string output;   ///< PNG path; channel c goes to <stem>_<property>.png beside it
  std::string run_dir;  ///< optional: use this run's element set and encoding
  std::string kind = "outer_product";
  std::vector<std::string> properties;
  int scale = 8;        ///< pixels per cell in the written PNG
  CommonFlags common;
};

struct GfaSynthRequest {
  std::string output;  ///< CSV to write (formula,dmax_mm)
  int rows = 400;
  std::uint64_t seed = 0;
  CommonFlags common;
};

int run_train(const TrainRequest& request);
int run_eval(const EvalRequest& request);
int run_predict(const PredictRequest& request);
int run_preprocess(const PreprocessRequest& request);
int run_synthesize(const SynthesizeRequest& request);
/// Writes synthetic straightening records (data/springback.h): `alloyml-augment springback`.
int run_springback_synth(const SpringbackSynthRequest& request);

/// Fits every shaft's recovery curve and writes the saturated springback (alloyml-augment springback-saturation).
int run_springback_saturation(const SaturationRequest& request);

/// Writes synthetic alloys and their rule-of-thumb Dmax (data/gfa_synthetic.h): `alloyml-augment gfa`.
int run_gfa_synth(const GfaSynthRequest& request);

/// `alloyml-augment composition` (implemented with the gfa task).
int run_composition_image(const CompositionImageRequest& request);

/// Registered model names with a line each, for `alloyml-train --list-models`.
std::string list_models();

/// Every config key with its type, default and meaning, for `alloyml-train --list-keys`.
std::string list_config_keys();

}  // namespace alloyml::tasks
