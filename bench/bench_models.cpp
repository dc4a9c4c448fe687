// Throughput of alloyml's models (training and inference) and of its data loader, printed as
// JSON lines. bench/run.sh runs it beside bench/reference_torch.py and writes the table.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <thread>

#include <torch/torch.h>

#include "alloyml/data/loader.h"
#include "alloyml/data/synthetic.h"
#include "alloyml/models/registry.h"
#include "alloyml/train/autocast.h"
#include "alloyml/train/optimizer.h"
#include "alloyml/train/options.h"
#include "alloyml/train/precision.h"

namespace {

struct Timing {
  long iterations;
  double seconds;
};

Timing measure(const std::function<void()>& fn, int warmup, double seconds) {
  for (int i = 0; i < warmup; ++i) fn();
  long n = 0;
  const auto start = std::chrono::steady_clock::now();
  double elapsed = 0;
  while (elapsed < seconds || n < 3) {
    fn();
    ++n;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return {n, elapsed};
}

void report(const std::string& what, const std::string& arch, int size, int batch, const std::string& variant, double ips,
            int threads) {
  std::printf(
      "{\"peer\": \"alloyml\", \"arch\": \"%s\", \"size\": %d, \"batch\": %d, \"mode\": \"%s\", \"variant\": \"%s\", "
      "\"images_per_s\": %.3f, \"threads\": %d}\n",
      arch.c_str(), size, batch, what.c_str(), variant.c_str(), ips, threads);
  std::fflush(stdout);
}

}  // namespace

// bench_models SECONDS [IMAGE_FOLDER] [ONLY]: ONLY ("resnet50:training") limits the run to one
// model and mode (the loader runs only without it).
int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::stod(argv[1]) : 10.0;
  const std::string images = argc > 2 ? argv[2] : "";
  const std::string only = argc > 3 ? argv[3] : "";
  auto wanted = [&](const std::string& arch, const std::string& mode) {
    return only.empty() || only == arch + ":" + mode;
  };
  alloyml::train::RuntimeOptions rt;
  const auto runtime = alloyml::train::apply_runtime(rt);
  const int threads = runtime.threads;
  // bf16 variants are timed only where the CPU has bf16 natively (an emulation's time is no figure).
  const bool native_bf16 = alloyml::train::cpu_has_bf16(alloyml::train::cpu_flags());
  if (!native_bf16) std::fprintf(stderr, "note: no native bf16 on this CPU (avx512_bf16 or amx_bf16): bf16 variants skipped\n");

  for (auto [arch, size, batch] : {std::tuple<std::string, int, int>{"resnet50", 224, 16}, {"resnet34", 64, 32}}) {
    alloyml::models::ModelOptions o;
    o.name = arch;
    o.num_classes = 6;
    torch::manual_seed(0);
    const auto x = torch::randn({batch, 3, size, size});
    const auto y = torch::randint(0, 6, {batch}, torch::kLong);
    if (wanted(arch, "inference")) {
      auto model = alloyml::models::create_model(o);
      model->eval();
      auto t = measure([&] {
        c10::InferenceMode guard;
        model->forward(x);
      }, 2, seconds);
      report("inference", arch, size, batch, "eval", t.iterations * batch / t.seconds, threads);
    }
    // Folded batch norm on the dense path (NCHW or channels-last) under fp32 or bf16 autocast,
    // then the oneDNN-packed path in fp32 and bf16 (what eval and predict run).
    struct Variant {
      alloyml::models::InferenceOptions options;
      bool autocast;
      std::string name;
    };
    const std::vector<Variant> variants{
        {{false, false, false}, false, "folded-bn"},
        {{true, false, false}, false, "folded-bn+channels-last"},
        {{false, false, false}, true, "folded-bn+bf16"},
        {{true, false, false}, true, "folded-bn+channels-last+bf16"},
        {{false, true, false}, false, "folded-bn+onednn"},
        {{false, true, true}, true, "folded-bn+onednn+bf16"},
    };
    for (const auto& v : variants) {
      if (!wanted(arch, "inference")) break;
      if (v.autocast && !native_bf16) continue;
      auto model = alloyml::models::create_model(o);
      model->prepare_for_inference(v.options);
      const auto input = v.options.channels_last ? x.contiguous(torch::MemoryFormat::ChannelsLast) : x;
      const auto t = measure([&] {
        c10::InferenceMode guard;
        alloyml::train::AutocastGuard autocast(v.autocast, torch::kCPU);
        model->forward(input);
      }, 2, seconds);
      report("inference", arch, size, batch, v.name, t.iterations * batch / t.seconds, threads);
    }
    for (auto [channels_last, bf16] : {std::pair{false, false}, {true, false}, {false, true}, {true, true}}) {
      if (!wanted(arch, "training")) break;
      if (bf16 && !native_bf16) continue;
      auto model = alloyml::models::create_model(o);
      model->train();
      if (channels_last)
        for (auto& p : model->parameters())
          if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
      const auto input = channels_last ? x.contiguous(torch::MemoryFormat::ChannelsLast) : x;
      // The optimiser alloyml trains with (fused Adam).
      alloyml::train::OptimOptions oo;
      oo.name = "adam";
      oo.lr = 1e-4;
      auto opt = alloyml::train::make_optimizer(oo, {{model->parameters(), oo.lr}});
      const auto t = measure([&] {
        alloyml::train::clear_gradients(*opt);
        torch::Tensor logits;
        {
          alloyml::train::AutocastGuard autocast(bf16, torch::kCPU);
          logits = model->forward(input);
        }
        torch::nn::functional::cross_entropy(logits.to(torch::kFloat32), y).backward();
        opt->step();
      }, 2, seconds);
      report("training", arch, size, batch, std::string(channels_last ? "channels-last" : "nchw") + (bf16 ? "+bf16" : ""),
             t.iterations * batch / t.seconds, threads);
    }
  }

  if (!only.empty() && only != "loader") return 0;
  // The loader: decode + augment + pack, on NEU-sized 200x200 images, at both model sizes.
  std::string folder = images;
  std::filesystem::path tmp;
  if (folder.empty() || !std::filesystem::exists(folder)) {
    tmp = std::filesystem::temp_directory_path() / "alloyml-bench-images";
    alloyml::data::write_surface_defects(tmp.string(), 50, 200, 0);
    folder = tmp.string();
  }
  for (auto [size, batch] : {std::pair<int, int>{224, 16}, {64, 32}}) {
    alloyml::data::DataOptions d;
    d.transform.size = size;
    d.transform.augment.hflip = d.transform.augment.vflip = 0.5;
    d.transform.augment.rotate90 = true;
    d.transform.augment.brightness = d.transform.augment.contrast = 0.1;
    d.cache = false;  // the worst case: every image decoded every epoch
    d.workers = threads;
    const auto set = alloyml::data::discover_images(folder, d);
    std::vector<size_t> idx(set.samples.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    auto pool = std::make_shared<alloyml::ThreadPool>(static_cast<size_t>(d.workers));
    alloyml::data::ImageLoader loader(set, idx, d, batch, true, 0, std::make_shared<alloyml::data::ImageCache>(set, d), pool);
    int epoch = 0;
    long imgs = 0;
    const auto t = measure([&] {
      loader.start_epoch(epoch++);
      alloyml::data::Batch b;
      while (loader.next(b)) imgs += b.n;
    }, 0, seconds);
    report("loader", "decode+augment", size, batch, "no-cache", imgs / t.seconds, d.workers);
  }
  if (!tmp.empty()) std::filesystem::remove_all(tmp);
  return 0;
}
