#include "alloyml/weights/load.h"

#include <algorithm>
#include <map>
#include <sstream>

#include <spdlog/spdlog.h>

#include "alloyml/core/error.h"

namespace alloyml::weights {
namespace {

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::string shape_text(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

}  // namespace

std::string detect_profile(const StateDict& state) {
  for (const auto& [k, v] : state)
    if (starts_with(k, "layer0.") || k.find(".se_module.") != std::string::npos || starts_with(k, "last_linear."))
      return "cadene";
  for (const auto& [k, v] : state)  // names only timm uses: SE-ResNet's, Res2Net's, GhostNet's
    if (k.find(".se.fc1.") != std::string::npos || k.find(".convs.0.") != std::string::npos || starts_with(k, "conv_stem."))
      return "timm";
  return "torchvision";
}

StateDict to_alloyml_names(const StateDict& state, const std::string& profile) {
  if (profile != "cadene") return state;
  // Cadene pretrainedmodels SENet: layer0.{conv1,bn1}, se_module, last_linear.
  StateDict out;
  for (auto [k, v] : state) {
    if (starts_with(k, "layer0.")) k = k.substr(7);
    if (starts_with(k, "last_linear.")) k = "fc." + k.substr(12);
    replace_all(k, ".se_module.", ".se.");
    out.emplace_back(k, v);
  }
  return out;
}

StateDict state_dict_of(torch::nn::Module& model) {
  StateDict out;
  std::function<void(torch::nn::Module&, const std::string&)> walk = [&](torch::nn::Module& m, const std::string& prefix) {
    for (const auto& p : m.named_parameters(false)) out.emplace_back(prefix + p.key(), p.value());
    for (const auto& b : m.named_buffers(false)) out.emplace_back(prefix + b.key(), b.value());
    for (const auto& c : m.named_children()) walk(*c.value(), prefix + c.key() + ".");
  };
  walk(model, "");
  return out;
}

LoadReport load_state_dict(models::ClassifierImpl& model, const StateDict& raw, const LoadOptions& options,
                           const std::string& source) {
  LoadReport r;
  r.profile = options.profile == "auto" ? detect_profile(raw) : options.profile;
  const StateDict state = to_alloyml_names(raw, r.profile);
  std::map<std::string, torch::Tensor> file(state.begin(), state.end());
  const auto heads = model.classifier_prefixes();
  auto is_head = [&](const std::string& k) {
    return std::any_of(heads.begin(), heads.end(), [&](const std::string& h) { return starts_with(k, h); });
  };
  // First decide what fits; a head that does not fit as a whole keeps its fresh initialisation.
  std::vector<std::pair<torch::Tensor, torch::Tensor>> copies, head_copies;
  std::vector<std::string> head_keys;
  bool head_fits = true;
  std::map<std::string, bool> used;
  for (auto& [key, target] : state_dict_of(model)) {
    if (is_head(key)) head_keys.push_back(key);
    const auto it = file.find(key);
    if (it == file.end()) {
      if (is_head(key)) head_fits = false;
      else r.missing.push_back(key);
      continue;
    }
    used[key] = true;
    torch::Tensor src = it->second;
    if (key == model.stem_weight_name() && target.dim() == 4 && src.dim() == 4 && src.size(1) == 3 &&
        target.size(1) != 3) {
      // RGB stem weights for another channel count, as timm's adapt_input_conv: summed for one
      // channel; else repeated over the channels and scaled by 3 / channels.
      const int64_t c = target.size(1);
      src = c == 1 ? src.sum(1, /*keepdim=*/true)
                   : src.repeat({1, (c + 2) / 3, 1, 1}).slice(1, 0, c) * (3.0 / static_cast<double>(c));
      r.adapted.push_back(key);
    }
    if (src.sizes() != target.sizes()) {
      if (is_head(key)) head_fits = false;
      else r.mismatched.push_back({key, target.sizes().vec(), src.sizes().vec()});
      continue;
    }
    (is_head(key) ? head_copies : copies).emplace_back(target, src);
  }
  for (const auto& [k, v] : state)
    if (!used.count(k)) r.unexpected.push_back(k);
  if (!options.allow_partial && (!r.missing.empty() || !r.unexpected.empty() || !r.mismatched.empty()))
    throw InputError(source + ": the weights do not fit the model (naming profile " + r.profile +
                     "; set model.allow_partial to load what fits)\n" + r.table());
  if (head_fits) copies.insert(copies.end(), head_copies.begin(), head_copies.end());
  else r.reinitialised = head_keys;
  torch::NoGradGuard no_grad;
  for (auto& [target, src] : copies) target.copy_(src.to(target.dtype()));
  r.loaded = copies.size();
  return r;
}

std::string LoadReport::table() const {
  std::ostringstream os;
  os << "  loaded " << loaded << " tensors (naming profile " << profile << ")\n";
  const size_t shown = 12;
  auto list = [&](const char* title, const std::vector<std::string>& keys) {
    if (keys.empty()) return;
    os << "  " << title << " (" << keys.size() << "):\n";
    for (size_t i = 0; i < keys.size() && i < shown; ++i) os << "    " << keys[i] << "\n";
    if (keys.size() > shown) os << "    ... and " << keys.size() - shown << " more\n";
  };
  list("missing in the file", missing);
  list("unexpected in the file", unexpected);
  if (!mismatched.empty()) {
    os << "  wrong shape (" << mismatched.size() << "):\n";
    for (size_t i = 0; i < mismatched.size() && i < shown; ++i)
      os << "    " << mismatched[i].key << ": model " << shape_text(mismatched[i].model_shape) << ", file "
         << shape_text(mismatched[i].file_shape) << "\n";
  }
  list("classifier re-initialised", reinitialised);
  list("adapted to 1 input channel", adapted);
  return os.str();
}


void load_pretrained(models::ClassifierImpl& model, const models::ModelOptions& options) {
  if (options.pretrained.empty()) return;
  LoadOptions lo;
  lo.profile = options.weights_profile;
  lo.allow_partial = options.allow_partial;
  const auto report = load_state_dict(model, read_state_dict(options.pretrained), lo, options.pretrained);
  spdlog::info("pretrained weights {}:\n{}", options.pretrained, report.table());
}

}  // namespace alloyml::weights

namespace alloyml::models {
std::string weights_profile_of(const std::string& path) { return weights::detect_profile(weights::read_state_dict(path)); }

}  // namespace alloyml::models
