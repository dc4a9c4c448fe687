#include "alloyml/nn/conv.h"
#include "alloyml/nn/batch_norm.h"

#include <ATen/autocast_mode.h>

namespace alloyml::nn {
namespace nn = torch::nn;

nn::Conv2d conv(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t groups, bool bias) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, k).stride(stride).padding(k / 2).groups(groups).bias(bias));
}

nn::Sequential make_downsample(int64_t inplanes, int64_t outplanes, int64_t stride) {
  if (stride == 1 && inplanes == outplanes) return nullptr;
  return nn::Sequential(conv(inplanes, outplanes, 1, stride), BatchNorm(outplanes));
}

void fold_batchnorm(nn::Conv2dImpl& conv, const nn::BatchNorm2dImpl& bn) {
  torch::NoGradGuard no_grad;
  const auto scale = bn.weight / torch::sqrt(bn.running_var + bn.options.eps());
  conv.weight.mul_(scale.reshape({-1, 1, 1, 1}));
  const auto bias = conv.bias.defined() ? conv.bias : torch::zeros_like(bn.running_mean);
  conv.bias = bn.bias + (bias - bn.running_mean) * scale;
}

namespace {
std::vector<int64_t> pair_of(const torch::ExpandingArray<2>& a) { return {a->begin(), a->end()}; }

// How SmallMapConv computes the weight gradient (the forward and the input gradient are always
// LibTorch's).
enum class WeightGradient : int64_t {
  // Sum over images and output pixels of grad_out (Co x L) times the unfolded input (L x Ci*k*k):
  // one matrix product of (Co x N*L) by (N*L x Ci*k*k).
  kColumns = 0,
  // The weight gradient as a forward convolution with images and channels swapped:
  // gw[o][c] = sum_n x[n][c] (*) grad_out[n][o], i.e. conv2d(x^T, grad_out^T) with x^T of shape
  // (Ci, N, H, W) and grad_out^T (Co, N, Ho, Wo) as the kernel, giving (Ci, Co, k, k) at unit
  // stride. oneDNN's
  // forward kernel, which is efficient on these shapes where its backward-weights kernel is not.
  kTransposedConv = 1,
};

struct SmallMapConv : torch::autograd::Function<SmallMapConv> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& w,
                               std::vector<int64_t> stride, std::vector<int64_t> padding, int64_t route) {
    ctx->save_for_backward({x, w});
    ctx->saved_data["stride"] = stride;
    ctx->saved_data["padding"] = padding;
    ctx->saved_data["route"] = route;
    return at::convolution(x, w, {}, stride, padding, {1, 1}, false, {0, 0}, 1);
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                               torch::autograd::tensor_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto& x = saved[0];
    const auto& w = saved[1];
    const auto stride = ctx->saved_data["stride"].toIntVector();
    const auto padding = ctx->saved_data["padding"].toIntVector();
    const auto route = static_cast<WeightGradient>(ctx->saved_data["route"].toInt());
    const auto go = grads[0].contiguous();
    torch::Tensor gx, gw;
    if (ctx->needs_input_grad(0))
      gx = std::get<0>(at::convolution_backward(go, x, w, c10::nullopt, stride, padding, {1, 1}, false, {0, 0}, 1,
                                                {true, false, false}));
    if (ctx->needs_input_grad(1)) {
      if (route == WeightGradient::kTransposedConv) {
        // Unit stride only (conv_forward), so the result is exactly k x k.
        gw = at::convolution(x.transpose(0, 1), go.transpose(0, 1), {}, {1, 1}, padding, {1, 1}, false, {0, 0}, 1)
                 .transpose(0, 1)
                 .contiguous();
      } else {
        const int64_t n = go.size(0), co = go.size(1), pixels = go.size(2) * go.size(3);
        const bool pointwise = w.size(2) == 1 && w.size(3) == 1 && stride[0] == 1 && stride[1] == 1;
        const auto cols = pointwise ? x.reshape({n, x.size(1), pixels})
                                    : at::im2col(x.contiguous(), {w.size(2), w.size(3)}, {1, 1}, padding, stride);
        const auto a = go.reshape({n, co, pixels}).transpose(0, 1).reshape({co, n * pixels});
        const auto b = cols.transpose(1, 2).reshape({n * pixels, cols.size(1)});
        gw = a.mm(b).view(w.sizes());
      }
    }
    return {gx, gw, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};
}  // namespace

bool onednn_runs_bf16() {
#if defined(__x86_64__) || defined(__i386__)
  static const bool cpu = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
                          __builtin_cpu_supports("avx512dq");
#else
  static const bool cpu = false;
#endif
  return cpu && at::globalContext().userEnabledMkldnn();
}

torch::Tensor conv_forward(nn::Conv2dImpl& conv, const torch::Tensor& x) {
  const auto& o = conv.options;
  const auto stride = pair_of(o.stride());
  const auto* padding = c10::get_if<torch::ExpandingArray<2>>(&o.padding());
  const bool plain = o.groups() == 1 && !conv.bias.defined() && padding && pair_of(o.dilation()) == std::vector<int64_t>{1, 1} &&
                     x.dim() == 4 && x.device().is_cpu() && torch::GradMode::is_enabled() && conv.weight.requires_grad();
  if (!plain) return conv.forward(x);
  // bf16 only: in fp32 oneDNN's backward-weights kernel is the faster one on these maps except at
  // 2x2, and there the whole fp32 step gained nothing measurable (bench/README.md).
  const auto dtype = at::autocast::is_cpu_enabled() ? at::autocast::get_autocast_cpu_dtype() : x.scalar_type();
  if (dtype != torch::kBFloat16 || !onednn_runs_bf16()) return conv.forward(x);
  const auto pad = pair_of(*padding);
  const int64_t kh = conv.weight.size(2), kw = conv.weight.size(3);
  const int64_t ho = (x.size(2) + 2 * pad[0] - kh) / stride[0] + 1, wo = (x.size(3) + 2 * pad[1] - kw) / stride[1] + 1;
  const bool unit_stride = stride[0] == 1 && stride[1] == 1;
  WeightGradient route;
  if (unit_stride && kh * kw > 1 && ho * wo <= kTransposedConvPixels)
    route = WeightGradient::kTransposedConv;
  else if (ho * wo <= kSmallMapPixels)
    route = WeightGradient::kColumns;
  else
    return conv.forward(x);
  // What autocast does for conv2d, done here since the custom function bypasses it.
  return SmallMapConv::apply(x.to(dtype), conv.weight.to(dtype), stride, pad, static_cast<int64_t>(route));
}

namespace {
// Max pool run on a channels-last copy, forward and backward; output and gradient in NCHW.
struct NhwcMaxPool : torch::autograd::Function<NhwcMaxPool> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, std::vector<int64_t> geometry,
                               bool ceil_mode) {
    const auto xc = x.contiguous(torch::MemoryFormat::ChannelsLast);
    const std::vector<int64_t> k{geometry[0], geometry[0]}, s{geometry[1], geometry[1]}, p{geometry[2], geometry[2]};
    auto [y, indices] = at::max_pool2d_with_indices(xc, k, s, p, {1, 1}, ceil_mode);
    ctx->save_for_backward({xc, indices});
    ctx->saved_data["geometry"] = geometry;
    ctx->saved_data["ceil_mode"] = ceil_mode;
    return y.contiguous();
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                               torch::autograd::tensor_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto g = ctx->saved_data["geometry"].toIntVector();
    const std::vector<int64_t> k{g[0], g[0]}, s{g[1], g[1]}, p{g[2], g[2]};
    const auto gi = at::max_pool2d_with_indices_backward(grads[0].contiguous(torch::MemoryFormat::ChannelsLast), saved[0],
                                                         k, s, p, {1, 1}, ctx->saved_data["ceil_mode"].toBool(), saved[1]);
    return {gi.contiguous(), torch::Tensor(), torch::Tensor()};
  }
};
}  // namespace

torch::Tensor max_pool2d_nhwc(const torch::Tensor& x, int64_t kernel, int64_t stride, int64_t padding, bool ceil_mode) {
  if (x.dim() != 4 || !x.device().is_cpu() || x.scalar_type() != torch::kBFloat16 ||
      x.is_contiguous(torch::MemoryFormat::ChannelsLast))
    return torch::max_pool2d(x, kernel, stride, padding, 1, ceil_mode);
  if (!torch::GradMode::is_enabled() || !x.requires_grad())
    return torch::max_pool2d(x.contiguous(torch::MemoryFormat::ChannelsLast), kernel, stride, padding, 1, ceil_mode)
        .contiguous();
  return NhwcMaxPool::apply(x, std::vector<int64_t>{kernel, stride, padding}, ceil_mode);
}

torch::Tensor shortcut(nn::Sequential& downsample, const torch::Tensor& x, bool folded) {
  if (!downsample) return x;
  if (folded) return downsample[0]->as<nn::Conv2d>()->forward(x);
  return downsample[1]->as<BatchNorm>()->forward(conv_forward(*downsample[0]->as<nn::Conv2d>(), x));
}

void fold_downsample(nn::Sequential& ds) {
  if (ds) fold_batchnorm(*ds[0]->as<nn::Conv2d>(), *ds[1]->as<nn::BatchNorm2d>());
}

PackedConv::PackedConv(const nn::Conv2dImpl& conv, torch::ScalarType dtype) {
  const auto& o = conv.options;
  stride = pair_of(o.stride());
  padding = pair_of(c10::get<torch::ExpandingArray<2>>(o.padding()));
  dilation = pair_of(o.dilation());
  groups = o.groups();
  weight = torch::mkldnn_reorder_conv2d_weight(conv.weight.detach().to(dtype).to_mkldnn(), padding, stride, dilation,
                                               groups);
  if (conv.bias.defined()) bias = conv.bias.detach().to(dtype);
}

torch::Tensor PackedConv::operator()(const torch::Tensor& x) const {
  return torch::mkldnn_convolution(x, weight, bias, padding, stride, dilation, groups);
}

void pack_downsample(std::vector<PackedConv>& packed, nn::Sequential& ds, torch::ScalarType dtype) {
  if (ds) packed.emplace_back(*ds[0]->as<nn::Conv2d>(), dtype);
}

}  // namespace alloyml::nn
